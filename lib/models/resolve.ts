import { foundationModelArn, profileArn, regionOfArn } from './arns';
import { ModelCatalog } from './catalog';
import { Geography } from './geography';
import { DestinationRegions } from './invoke-scope';
import { ModelReference, ModelReferenceKind } from './model-reference';
import { didYouMean, profilesFrom, successorOf } from './model-suggestions';
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
  checkNotRetired(ref, ctx);
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
      throw new Error(`the catalog does not know foundation model '${ref.modelId}'.${didYouMean(ref.modelId, ctx.catalog)} If it is newer than this catalog, pass regions to ModelReference.foundationModel where AWS serves it in-Region, or, for an inference profile, start the id with one of ${prefixes}`);
    }
    const served = ctx.catalog.inRegionRegions(ref.modelId);
    const missing = regions.filter((r) => !served.includes(r));
    if (missing.length > 0) {
      const profiles = profilesFrom(ref.modelId, ctx.sourceRegions, ctx.catalog);
      const use = profiles.length > 0
        ? `use its inference profile ${profiles.map((p) => `'${p}'`).join(' or ')}, callable from ${ctx.sourceRegions.join(', ')}`
        : `no profile of it in the catalog is callable from all of ${ctx.sourceRegions.join(', ')}: pick source Regions of one geography`;
      const why = served.length === 0 ? 'it is served only through inference profiles' : `it is served in-Region only in ${served.join(', ')}`;
      throw new Error(`foundation model '${ref.modelId}' cannot be invoked directly in ${missing.join(', ')}: ${why}; ${use}, or pass regions explicitly if AWS now serves it there`);
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
    const fromRoutes = `pass routes ([{ sourceRegion, destinationRegions }]) to ModelReference.crossRegion, from 'aws bedrock get-inference-profile --inference-profile-identifier ${profileId}'`;
    if (!ctx.catalog.hasModel(ref.modelId)) {
      throw new Error(`the catalog does not know the model of '${profileId}'.${didYouMean(profileId, ctx.catalog)} If it is newer than this catalog, ${fromRoutes}`);
    }
    const others = profilesFrom(ref.modelId, ctx.sourceRegions, ctx.catalog);
    const use = others.length > 0 ? `use ${others.map((p) => `'${p}'`).join(' or ')}, or, if AWS now offers it, ` : 'if AWS now offers it, ';
    throw new Error(`the catalog has no '${geo.prefix}.' profile of ${ctx.catalog.displayName(ref.modelId)} ('${profileId}'): ${use}${fromRoutes}`);
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
    const known = ctx.catalog.hasModel(ref.modelId)
      ? `${ctx.catalog.displayName(ref.modelId)} has no 'global.' profile in the catalog`
      : `the catalog does not know the model of '${profileId}'.${didYouMean(profileId, ctx.catalog)} If it is newer than this catalog`;
    throw new Error(`${known}: pass sourceRegions to ModelReference.globalProfile, or check the model has a global profile`);
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

/** A model past its end of life fails every call, so a policy granting it would grant nothing that works. */
function checkNotRetired(ref: ModelReference, ctx: ResolveContext): void {
  if (!ctx.catalog.isRetired(ref.modelId)) {
    return;
  }
  const successor = successorOf(ref.modelId, ctx.sourceRegions, ctx.catalog);
  throw new Error(`'${ref.invocationId}' is ${ctx.catalog.displayName(ref.modelId)}, which reached end of life on Amazon Bedrock on ${ctx.catalog.endOfLife(ref.modelId)}: `
    + `every call to it fails. Use a current model${successor ? `, such as '${successor}'` : ''}`);
}

/** A note for each model that still works but has an announced end of life, for a synth-time warning. */
export function lifecycleWarnings(refs: readonly ModelReference[], catalog: ModelCatalog, sourceRegions: readonly string[]): string[] {
  return refs.filter((ref) => catalog.endOfLife(ref.modelId) !== undefined && !catalog.isRetired(ref.modelId)).map((ref) => {
    const successor = successorOf(ref.modelId, sourceRegions, catalog);
    return `'${ref.invocationId}' (${catalog.displayName(ref.modelId)}) is Legacy on Amazon Bedrock and reaches end of life on ${catalog.endOfLife(ref.modelId)}, `
      + `after which every call fails: move to a current model${successor ? ` such as '${successor}'` : ''} before then`;
  });
}

function checkPartition(profileId: string, expected: string, actual: string): void {
  if (expected !== actual) {
    throw new Error(`'${profileId}' is a profile of the ${expected} partition, but the source Regions are in ${actual}: use a profile of the source Regions' partition`);
  }
}
