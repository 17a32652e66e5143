import { foundationModelArn, profileArn, regionOfArn } from './arns';
import { ModelCatalog } from './catalog';
import { Geography } from './geography';
import { DestinationRegions } from './invoke-scope';
import { ModelReference, ModelReferenceKind } from './model-reference';
import { sortedUnique } from './regions';

/** Where a policy is evaluated: the Regions callers use, the account and partition of the ARNs. */
export interface ResolveContext {
  readonly sourceRegions: string[];
  /** The account segment of profile ARNs in `Resource`: an id, or `*` for a policy used in many accounts. */
  readonly account: string;
  /**
   * The account in `bedrock:InferenceProfileArn` values. A condition value may hold a policy variable
   * such as `${aws:PrincipalAccount}`; a resource ARN's account segment may not.
   */
  readonly conditionAccount: string;
  readonly partition: string;
  readonly catalog: ModelCatalog;
  readonly destinations: DestinationRegions;
}

/** The exact ARNs one `ModelReference` needs, in the policy's source Regions. */
export interface ResolvedTarget {
  readonly reference: ModelReference;
  /** Profiles (system or application) the caller invokes. */
  readonly profileArns: string[];
  /** Foundation models reached only through one of `viaProfileArns`, the Region-less one of `global.` included. */
  readonly throughProfileModelArns: string[];
  /** The values `bedrock:InferenceProfileArn` may take when those models are evaluated. */
  readonly viaProfileArns: string[];
  /**
   * The Region-less foundation-model ARN a `global.` profile is evaluated against, when it needs a
   * statement of its own (`aws:RequestedRegion = unspecified`) because the models are listed by Region.
   */
  readonly regionlessModelArn?: string;
  /** Foundation models invoked directly. */
  readonly directModelArns: string[];
  /** Foundation models `CountTokens` is called on (the model in each source Region). */
  readonly countTokensModelArns: string[];
}

/** Resolves a reference against the catalog; throws a message that says what to add when neither knows. */
export function resolveTarget(ref: ModelReference, ctx: ResolveContext): ResolvedTarget {
  switch (ref.kind) {
    case ModelReferenceKind.FOUNDATION_MODEL:
      return resolveFoundationModel(ref, ctx);
    case ModelReferenceKind.CROSS_REGION_PROFILE:
      return resolveGeographic(ref, ctx);
    case ModelReferenceKind.GLOBAL_PROFILE:
      return resolveGlobal(ref, ctx);
    default:
      return resolveApplication(ref, ctx);
  }
}

function resolveFoundationModel(ref: ModelReference, ctx: ResolveContext): ResolvedTarget {
  const regions = ref.regions ?? ctx.sourceRegions;
  if (!ref.regions) {
    if (!ctx.catalog.hasModel(ref.modelId)) {
      const prefixes = Geography.all().map((g) => `'${g.prefix}.'`).join(', ');
      throw new Error(`the catalog does not know foundation model '${ref.modelId}': pass regions to ModelReference.foundationModel if AWS serves it in-Region there, or, if you meant an inference profile, start the id with one of ${prefixes}`);
    }
    const served = ctx.catalog.inRegionRegions(ref.modelId);
    const missing = regions.filter((r) => !served.includes(r));
    if (missing.length > 0) {
      const hint = served.length === 0
        ? `it is served only through inference profiles: use a profile such as 'us.${ref.modelId}'`
        : `it is served in-Region only in ${served.join(', ')}`;
      throw new Error(`foundation model '${ref.modelId}' cannot be invoked directly in ${missing.join(', ')}: ${hint}, or pass regions explicitly if AWS now serves it there`);
    }
  }
  const arns = sortedUnique(regions.map((r) => foundationModelArn(ctx.partition, r, ref.modelId)));
  return { reference: ref, profileArns: [], throughProfileModelArns: [], viaProfileArns: [], directModelArns: arns, countTokensModelArns: arns };
}

function resolveGeographic(ref: ModelReference, ctx: ResolveContext): ResolvedTarget {
  const geo = ref.geography!;
  const profileId = ref.invocationId;
  checkPartition(profileId, geo.partition, ctx.partition);
  const routes = new Map(ctx.catalog.routes(ref.modelId, geo).map((r) => [r.sourceRegion, r.destinationRegions]));
  for (const r of ref.routes ?? []) {
    routes.set(r.sourceRegion, r.destinationRegions);
  }
  if (routes.size === 0) {
    throw new Error(`the catalog has no routes for '${profileId}': pass routes ([{ sourceRegion, destinationRegions }]) to ModelReference.crossRegion, from 'aws bedrock get-inference-profile --inference-profile-identifier ${profileId}'`);
  }
  const sources = ctx.sourceRegions.filter((s) => routes.has(s));
  if (sources.length === 0) {
    throw new Error(`'${profileId}' cannot be called from ${ctx.sourceRegions.join(', ')}: it is offered from ${[...routes.keys()].sort().join(', ')}; use a source Region there, a profile of your geography, or pass routes if AWS now offers it from your Region`);
  }
  const regions = ctx.destinations === DestinationRegions.ANY
    ? ['*']
    : sortedUnique(sources.flatMap((s) => [s, ...routes.get(s)!]));
  return {
    reference: ref,
    profileArns: sources.map((s) => profileArn(ctx.partition, s, ctx.account, profileId)),
    throughProfileModelArns: regions.map((r) => foundationModelArn(ctx.partition, r, ref.modelId)),
    viaProfileArns: sources.map((s) => profileArn(ctx.partition, s, ctx.conditionAccount, profileId)),
    directModelArns: [],
    countTokensModelArns: sources.map((s) => foundationModelArn(ctx.partition, s, ref.modelId)),
  };
}

function resolveGlobal(ref: ModelReference, ctx: ResolveContext): ResolvedTarget {
  const profileId = ref.invocationId;
  checkPartition(profileId, 'aws', ctx.partition);
  const offered = ref.regions ?? ctx.catalog.globalSourceRegions(ref.modelId);
  if (offered.length === 0) {
    throw new Error(`the catalog does not know where '${profileId}' is offered: pass sourceRegions to ModelReference.globalProfile, or check the model has a global profile`);
  }
  const sources = ctx.sourceRegions.filter((s) => offered.includes(s));
  if (sources.length === 0) {
    throw new Error(`'${profileId}' cannot be called from ${ctx.sourceRegions.join(', ')}: it is offered from ${[...offered].sort().join(', ')}; use one of those source Regions, or pass sourceRegions if AWS now offers it from yours`);
  }
  const inRegion = sources.map((s) => foundationModelArn(ctx.partition, s, ref.modelId));
  // Global routing is authorized against the model ARN with no Region (aws:RequestedRegion = unspecified).
  const regionless = foundationModelArn(ctx.partition, '', ref.modelId);
  const anyRegion = ctx.destinations === DestinationRegions.ANY;
  return {
    reference: ref,
    profileArns: sources.map((s) => profileArn(ctx.partition, s, ctx.account, profileId)),
    throughProfileModelArns: anyRegion ? [foundationModelArn(ctx.partition, '*', ref.modelId), regionless] : inRegion,
    viaProfileArns: sources.map((s) => profileArn(ctx.partition, s, ctx.conditionAccount, profileId)),
    regionlessModelArn: anyRegion ? undefined : regionless,
    directModelArns: [],
    countTokensModelArns: inRegion,
  };
}

function resolveApplication(ref: ModelReference, ctx: ResolveContext): ResolvedTarget {
  const arn = ref.arn!;
  const region = regionOfArn(arn);
  if (!ctx.sourceRegions.includes(region)) {
    throw new Error(`application profile '${arn}' lives in ${region}, which is not a source Region (${ctx.sourceRegions.join(', ')}): add ${region} to sourceRegions`);
  }
  const inner = resolveTarget(ref.copies!, { ...ctx, sourceRegions: [region] });
  // Whether Bedrock also authorizes the copied system profile is not documented; grant it so calls never fail.
  return {
    reference: ref,
    profileArns: [arn, ...inner.profileArns],
    throughProfileModelArns: sortedUnique([...inner.throughProfileModelArns, ...inner.directModelArns]),
    viaProfileArns: [arn, ...inner.viaProfileArns],
    regionlessModelArn: inner.regionlessModelArn,
    directModelArns: [],
    countTokensModelArns: inner.countTokensModelArns,
  };
}

function checkPartition(profileId: string, expected: string, actual: string): void {
  if (expected !== actual) {
    throw new Error(`'${profileId}' is a profile of the ${expected} partition, but the source Regions are in ${actual}: use a profile of the source Regions' partition`);
  }
}
