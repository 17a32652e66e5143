export { Geography } from './geography';
export { ModelCatalog, RegionRoute } from './catalog';
export {
  ModelReference,
  ModelReferenceKind,
  FoundationModelOptions,
  CrossRegionProfileOptions,
  GlobalProfileOptions,
} from './model-reference';
export { Guardrail } from './guardrail';
export { BedrockApiKeys, InvokeScopeProps } from './invoke-scope';
