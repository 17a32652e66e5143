import { aliasOf, ConfiguredModel, stripContextSuffix } from './configured-models';
import { Geography } from '../../models/geography';
import { ModelReference, ModelReferenceKind } from '../../models/model-reference';
import { closestModelIds } from '../../models/model-suggestions';
import { partitionOf } from '../../models/regions';
import { BuiltInCatalog } from '../built-in-catalog';
import { Finding } from '../findings';

const APPLICATION_PROFILE_REGION = /^arn:[a-z-]+:bedrock:([a-z0-9-]+):\d{12}:application-inference-profile\//;

/** A configured model, parsed: either a reference, an application profile's Region, or why it is not a model. */
export type ParsedModel =
  | { readonly model: ConfiguredModel; readonly ref: ModelReference }
  | { readonly model: ConfiguredModel; readonly applicationProfileRegion: string }
  | { readonly model: ConfiguredModel; readonly error: string };

/** Parses the model settings that name models (aliases are left to the pinning check). */
export function parseModels(models: readonly ConfiguredModel[]): ParsedModel[] {
  return models.filter((m) => aliasOf(m.value) === undefined).map((model) => {
    const text = stripContextSuffix(model.value);
    const app = APPLICATION_PROFILE_REGION.exec(text);
    if (app) {
      return { model, applicationProfileRegion: app[1] };
    }
    try {
      return { model, ref: ModelReference.parse(text) };
    } catch (e) {
      return { model, error: (e as Error).message };
    }
  });
}

/**
 * Whether each model can be called from the Region: a `us.` profile cannot be called from
 * `eu-west-1`, a profile-only model cannot be invoked directly, and so on. Uses the built-in catalog;
 * where it knows nothing, says so and leaves the answer to the Bedrock check.
 */
export function checkModelRegion(parsed: readonly ParsedModel[], region: string, catalog: BuiltInCatalog, advice: ModelAdvice = {}): Finding[] {
  return parsed.flatMap((p) => {
    if ('error' in p) {
      return [{
        id: 'model-id-invalid',
        severity: 'high',
        title: `${p.model.setting} is '${p.model.value}' (from ${p.model.source}), which is not a Bedrock model or profile id`,
        detail: p.error,
        fix: 'Use an inference-profile id such as "us.anthropic.claude-sonnet-4-6" (see aws bedrock list-inference-profiles).',
      } satisfies Finding];
    }
    if ('applicationProfileRegion' in p) {
      return p.applicationProfileRegion === region ? [] : [mismatch(p.model, region,
        `The application inference profile lives in ${p.applicationProfileRegion}; Bedrock finds it only there.`,
        `Set AWS_REGION to ${p.applicationProfileRegion}, or use an application profile created in ${region}.`)];
    }
    return [...checkReference(p.model, p.ref, region, catalog, advice), ...checkLifecycle(p.model, p.ref, catalog, advice.today)];
  });
}

/** What the doctor may advise: only models inside the grant the settings came with, when it knows that grant. */
export interface ModelAdvice {
  /** The invocation ids the generated settings pin; the grant holds exactly these. Undefined for hand-made settings. */
  readonly grant?: readonly string[];
  /** Today, YYYY-MM-DD, for end-of-life dates. */
  readonly today?: string;
}

function checkLifecycle(model: ConfiguredModel, ref: ModelReference, catalog: BuiltInCatalog, today: string | undefined): Finding[] {
  const end = catalog.endOfLife(ref.modelId);
  if (end === undefined || today === undefined) {
    return [];
  }
  const name = catalog.displayName(ref.modelId) ?? ref.modelId;
  return [end <= today ? {
    id: 'model-end-of-life',
    severity: 'high',
    title: `${model.setting} '${model.value}' is ${name}, which reached end of life on Amazon Bedrock on ${end}`,
    detail: `Every call to it fails. (${model.setting} from ${model.source}.)`,
    fix: 'Choose a current model in the stack (ClaudeCodeBedrockAccess model props), deploy, and run configure again.',
  } : {
    id: 'model-legacy',
    severity: 'low',
    title: `${model.setting} '${model.value}' is ${name}, which reaches end of life on Amazon Bedrock on ${end}`,
    detail: `After that day every call to it fails. (${model.setting} from ${model.source}.)`,
    fix: 'Move the stack to a current model before then, deploy, and run configure again.',
  }];
}

function checkReference(model: ConfiguredModel, ref: ModelReference, region: string, catalog: BuiltInCatalog, advice: ModelAdvice): Finding[] {
  const id = ref.modelId;
  const suggestGeography = (modelId: string, r: string, c: BuiltInCatalog) => suggestWithin(modelId, r, c, advice.grant);
  if (!catalog.hasModel(id)) {
    const meant = closestModelIds(ref.invocationId, catalog.modelCatalog).filter((m) => advice.grant === undefined || advice.grant.includes(m));
    if (meant.length > 0) {
      return [{
        id: 'model-id-unknown',
        severity: 'high',
        title: `${model.setting} '${model.value}' is not a model id the catalog knows`,
        detail: `It is close to ${meant.map((m) => `'${m}'`).join(' and ')}, so it is probably a slip; Bedrock refuses an id it does not serve. (${model.setting} from ${model.source}.)`,
        fix: `Did you mean ${meant.map((m) => `'${m}'`).join(' or ')}? Set ${model.setting} to it.`,
      }];
    }
  }
  const name = catalog.displayName(id) ?? id;
  switch (ref.kind) {
    case ModelReferenceKind.CROSS_REGION_PROFILE: {
      const geo = ref.geography!;
      if (geo.partition !== partitionOf(region)) {
        return [mismatch(model, region, `'${geo.prefix}.' profiles live in the ${geo.partition} partition and ${region} is in ${partitionOf(region)}.`,
          suggestGeography(id, region, catalog))];
      }
      const known = catalog.sourceRegions(id, geo.prefix);
      if (known.length === 0 && catalog.hasModel(id)) {
        return [unknownToCatalog(model, `the catalog lists no '${geo.prefix}.' profile for ${name}`)];
      }
      // A model the catalog does not know yet: judge the geography by where its other models' profiles are called from.
      const sources = known.length > 0 ? known : catalog.anySourceRegions(geo.prefix);
      if (sources.includes(region)) {
        return [];
      }
      if (sources.length === 0) {
        return [unknownToCatalog(model, `the catalog has no '${geo.prefix}.' profiles`)];
      }
      return [mismatch(model, region, `The '${geo.prefix}.' profile${known.length > 0 ? ` of ${name}` : 's'} can be called from `
        + `${sources.join(', ')}, not from ${region}.`, suggestGeography(id, region, catalog))];
    }
    case ModelReferenceKind.GLOBAL_PROFILE: {
      if (partitionOf(region) !== Geography.GLOBAL.partition) {
        return [mismatch(model, region, `'global.' profiles serve commercial Regions only, and ${region} is in ${partitionOf(region)}.`,
          suggestGeography(id, region, catalog))];
      }
      const sources = catalog.globalSourceRegions(id);
      if (sources.length === 0) {
        return [unknownToCatalog(model, `the catalog lists no 'global.' profile for ${name}`)];
      }
      return sources.includes(region) ? [] : [mismatch(model, region, `The 'global.' profile of ${name} is not offered in ${region}.`,
        suggestGeography(id, region, catalog))];
    }
    case ModelReferenceKind.FOUNDATION_MODEL: {
      if (!catalog.hasModel(id)) {
        return [unknownToCatalog(model, `the catalog does not know ${id}`)];
      }
      const regions = catalog.inRegionRegions(id);
      if (regions.includes(region)) {
        return [];
      }
      const why = regions.length === 0
        ? `${name} is served through inference profiles only; invoking the model id directly fails.`
        : `${name} can be invoked directly in ${regions.join(', ')} only.`;
      return [mismatch(model, region, why, suggestGeography(id, region, catalog))];
    }
    default:
      return [];
  }
}

function suggestWithin(modelId: string, region: string, catalog: BuiltInCatalog, grant: readonly string[] | undefined): string {
  const candidates = [...catalog.geographiesFrom(modelId, region).map((g) => `${g}.${modelId}`),
    ...(catalog.globalSourceRegions(modelId).includes(region) ? [`global.${modelId}`] : [])];
  const geos = candidates.filter((c) => grant === undefined || grant.includes(c)).map((c) => `'${c}'`);
  if (grant !== undefined && geos.length === 0) {
    // The role grants only what the settings pin: name Regions those profiles work from, never another model.
    const from = [...new Set(grant.flatMap((g) => sourcesOf(g, catalog)))].sort();
    return from.length > 0
      ? `Set AWS_REGION to a Region your granted models can be called from (${from.join(', ')}), as configure wrote it; a model outside the grant fails with 403.`
      : 'Set AWS_REGION back to the Region configure wrote; a model outside the grant fails with 403.';
  }
  return geos.length > 0
    ? `From ${region}, use ${geos.join(' or ')}; or change AWS_REGION to a Region the profile serves.`
    : 'Change AWS_REGION to a Region the profile serves, or choose a profile offered in your Region (aws bedrock list-inference-profiles).';
}

/** Where a pinned id can be called from, by the catalog; empty for ids it cannot judge. */
function sourcesOf(id: string, catalog: BuiltInCatalog): string[] {
  try {
    const ref = ModelReference.parse(id);
    if (ref.kind === ModelReferenceKind.CROSS_REGION_PROFILE) {
      return catalog.sourceRegions(ref.modelId, ref.geography!.prefix);
    }
    if (ref.kind === ModelReferenceKind.GLOBAL_PROFILE) {
      return catalog.globalSourceRegions(ref.modelId);
    }
    return ref.kind === ModelReferenceKind.FOUNDATION_MODEL ? catalog.inRegionRegions(ref.modelId) : [];
  } catch {
    return [];
  }
}

function mismatch(model: ConfiguredModel, region: string, why: string, fix: string): Finding {
  return {
    id: 'model-region-mismatch',
    severity: 'high',
    title: `${model.setting} '${model.value}' does not work from AWS_REGION ${region}`,
    detail: `${why} Claude Code's calls with it fail. (${model.setting} from ${model.source}.)`,
    fix,
  };
}

function unknownToCatalog(model: ConfiguredModel, why: string): Finding {
  return {
    id: 'model-region-unknown',
    severity: 'info',
    title: `Cannot tell from the built-in catalog whether '${model.value}' works in this Region`,
    detail: `${why}; the Bedrock check below asks AWS instead.`,
    unknown: true,
  };
}
