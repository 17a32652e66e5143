import { Geography, ModelCatalog } from '../../lib';

/**
 * The calls Claude Code makes for a model, written from AWS's documented rules and the catalog data,
 * independently of the library's statement builder: the oracle the simulations compare against.
 */
export interface ExpectedCall {
  readonly why: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
}

const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** A geographic profile `<geo>.<modelId>` called from `source`. */
export function geographicCalls(
  geo: Geography,
  modelId: string,
  source: string,
  account: string,
  extra: Record<string, string> = {},
): ExpectedCall[] {
  const route = ModelCatalog.builtIn().routes(modelId, geo).find((r) => r.sourceRegion === source);
  if (!route) {
    throw new Error(`test setup: ${geo.prefix}.${modelId} has no route from ${source}`);
  }
  const profile = `arn:aws:bedrock:${source}:${account}:inference-profile/${geo.prefix}.${modelId}`;
  return [
    ...INVOKE.map((action) => ({ why: `${action} on the profile from ${source}`, action, resource: profile, context: extra })),
    { why: `GetInferenceProfile from ${source}`, action: 'bedrock:GetInferenceProfile', resource: profile },
    ...route.destinationRegions.flatMap((d) => INVOKE.map((action) => ({
      why: `${action} on the model in destination ${d} through the profile`,
      action,
      resource: `arn:aws:bedrock:${d}::foundation-model/${modelId}`,
      context: { 'bedrock:InferenceProfileArn': profile, ...extra },
    }))),
    { why: `CountTokens in ${source}`, action: 'bedrock:CountTokens', resource: `arn:aws:bedrock:${source}::foundation-model/${modelId}` },
  ];
}

/** A `global.` profile called from `source`: the profile, the model in the source, and the Region-less model. */
export function globalCalls(modelId: string, source: string, account: string): ExpectedCall[] {
  const profile = `arn:aws:bedrock:${source}:${account}:inference-profile/global.${modelId}`;
  return [
    ...INVOKE.map((action) => ({ why: `${action} on the global profile from ${source}`, action, resource: profile })),
    { why: 'GetInferenceProfile on the global profile', action: 'bedrock:GetInferenceProfile', resource: profile },
    ...INVOKE.map((action) => ({
      why: `${action} on the model in the source Region through the global profile`,
      action,
      resource: `arn:aws:bedrock:${source}::foundation-model/${modelId}`,
      context: { 'bedrock:InferenceProfileArn': profile },
    })),
    ...INVOKE.map((action) => ({
      why: `${action} on the Region-less model through the global profile`,
      action,
      resource: `arn:aws:bedrock:::foundation-model/${modelId}`,
      context: { 'bedrock:InferenceProfileArn': profile, 'aws:RequestedRegion': 'unspecified' },
    })),
    { why: `CountTokens in ${source}`, action: 'bedrock:CountTokens', resource: `arn:aws:bedrock:${source}::foundation-model/${modelId}` },
  ];
}

/** What every configuration allows besides the models. */
export function commonCalls(): ExpectedCall[] {
  return [
    { why: 'ListInferenceProfiles', action: 'bedrock:ListInferenceProfiles', resource: '*' },
    ...['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'].map((action) => ({
      why: `${action} made by Bedrock`,
      action,
      resource: '*',
      context: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' },
    })),
  ];
}

/** The actions the library documents for the default options. */
export const DOCUMENTED_ACTIONS = [
  'aws-marketplace:Subscribe',
  'aws-marketplace:ViewSubscriptions',
  'bedrock:CountTokens',
  'bedrock:GetInferenceProfile',
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
  'bedrock:ListInferenceProfiles',
];

/** IAM cannot deny sts:GetCallerIdentity to an authenticated session; every identity may call it. */
export const ALWAYS_ALLOWED = ['sts:GetCallerIdentity'];
