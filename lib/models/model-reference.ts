import { RegionRoute } from './catalog';
import { checkNoDuplicates } from './checks';
import { Geography } from './geography';
import { isRegionName } from './regions';

/** What kind of thing a `ModelReference` names. */
export enum ModelReferenceKind {
  /** A foundation model invoked directly in given Regions, without an inference profile. */
  FOUNDATION_MODEL = 'FOUNDATION_MODEL',
  /** A geographic cross-Region inference profile such as `us.anthropic.claude-sonnet-4-6`. */
  CROSS_REGION_PROFILE = 'CROSS_REGION_PROFILE',
  /** A `global.` cross-Region inference profile. */
  GLOBAL_PROFILE = 'GLOBAL_PROFILE',
  /** An application inference profile, by ARN, with the model or profile it copies. */
  APPLICATION_PROFILE = 'APPLICATION_PROFILE',
}

/** Options for a foundation model invoked directly. */
export interface FoundationModelOptions {
  /**
   * The Regions the model may be invoked in.
   *
   * @default - every source Region of the policy
   */
  readonly regions?: string[];
}

/** Options for a geographic cross-Region inference profile. */
export interface CrossRegionProfileOptions {
  /**
   * Where the profile routes from each source Region, for a model or geography the built-in catalog
   * lacks. Each route replaces the catalog's route for its source Region.
   *
   * @default - the built-in catalog's routes
   */
  readonly routes?: RegionRoute[];
}

/** Options for a `global.` cross-Region inference profile. */
export interface GlobalProfileOptions {
  /**
   * The Regions from which the global profile may be called, for a model the built-in catalog lacks.
   *
   * @default - the built-in catalog's list for the model
   */
  readonly sourceRegions?: string[];
}

// Claude Code reads this suffix on a model id as "the same model with its 1M-token context window"
// (Claude Code docs, "Model configuration", extended context); Bedrock never sees it.
const EXTENDED_CONTEXT_SUFFIX = '[1m]';

// Bedrock model ids: provider, a dot, then letters, digits, dots, dashes and a version after a colon.
const MODEL_ID = /^[a-z0-9-]+\.[a-z0-9][a-z0-9.-]*(:[0-9]+)?$/;
const APPLICATION_PROFILE_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-eusc):bedrock:([a-z0-9-]+):(\d{12}):application-inference-profile\/([a-z0-9]{1,64})$/;
const PROFILE_OR_MODEL_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-eusc):bedrock:([a-z0-9-]*):(\d{12})?:(inference-profile|foundation-model)\/(.+)$/;

/**
 * Names what an invoke policy may call: a foundation model, a cross-Region inference profile
 * (geographic or global), or an application inference profile.
 *
 * Build one with a static factory, or parse the string you already have with `ModelReference.parse`.
 */
export class ModelReference {
  /**
   * A foundation model invoked directly (in-Region, on demand), without an inference profile.
   *
   * Newer Claude models are served only through inference profiles; prefer `crossRegion` or
   * `globalProfile` for them.
   *
   * @param modelId the foundation-model id, such as `anthropic.claude-haiku-4-5-20251001-v1:0`
   */
  public static foundationModel(modelId: string, options: FoundationModelOptions = {}): ModelReference {
    checkModelId(modelId);
    const regions = options.regions;
    if (regions !== undefined) {
      if (regions.length === 0) {
        throw new Error(`foundation model '${modelId}' was given an empty regions list: leave regions out to use the source Regions, or name at least one Region`);
      }
      regions.forEach((r) => checkRegion(r, `foundation model '${modelId}'`));
    }
    return new ModelReference(ModelReferenceKind.FOUNDATION_MODEL, modelId, undefined, undefined, regions ? [...regions] : undefined);
  }

  /**
   * A geographic cross-Region inference profile: `<geography>.<modelId>`.
   *
   * @param geography the profile's geography; not `Geography.GLOBAL` (use `globalProfile`)
   * @param modelId the foundation-model id the profile serves, such as `anthropic.claude-sonnet-4-6`
   */
  public static crossRegion(geography: Geography, modelId: string, options: CrossRegionProfileOptions = {}): ModelReference {
    if (geography.isGlobal) {
      throw new Error(`crossRegion() takes a geographic profile, not 'global': use ModelReference.globalProfile('${modelId}')`);
    }
    checkModelId(modelId);
    const routes = options.routes ?? [];
    for (const route of routes) {
      const where = `route for '${geography.prefix}.${modelId}' from '${route.sourceRegion}'`;
      checkRegion(route.sourceRegion, where);
      if (route.destinationRegions.length === 0) {
        throw new Error(`${where} has no destination Regions: list every Region the profile routes to (see 'aws bedrock get-inference-profile')`);
      }
      route.destinationRegions.forEach((r) => checkRegion(r, where));
    }
    checkNoDuplicates(routes.map((r) => r.sourceRegion), `routes for '${geography.prefix}.${modelId}'`);
    return new ModelReference(ModelReferenceKind.CROSS_REGION_PROFILE, modelId, geography, undefined, undefined, routes);
  }

  /**
   * A `global.` cross-Region inference profile, which may route to any commercial Region.
   *
   * @param modelId the foundation-model id the profile serves, such as `anthropic.claude-sonnet-4-6`
   */
  public static globalProfile(modelId: string, options: GlobalProfileOptions = {}): ModelReference {
    checkModelId(modelId);
    options.sourceRegions?.forEach((r) => checkRegion(r, `global profile 'global.${modelId}'`));
    const sourceRegions = options.sourceRegions ? [...options.sourceRegions] : undefined;
    return new ModelReference(ModelReferenceKind.GLOBAL_PROFILE, modelId, Geography.GLOBAL, undefined, sourceRegions);
  }

  /**
   * The former name of `globalProfile`, kept for TypeScript and JavaScript callers. `global` is a
   * reserved word in Python, so jsii leaves this alias out of the other languages.
   *
   * @deprecated use `ModelReference.globalProfile`
   * @jsii ignore
   */
  public static global(modelId: string, options: GlobalProfileOptions = {}): ModelReference {
    return ModelReference.globalProfile(modelId, options);
  }

  /**
   * An application inference profile (created for cost tracking), by ARN.
   *
   * @param arn `arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>`
   * @param copies the foundation model or system profile the application profile was created from;
   * its foundation models are granted only through this application profile
   */
  public static applicationProfile(arn: string, copies: ModelReference): ModelReference {
    const m = APPLICATION_PROFILE_ARN.exec(arn);
    if (!m) {
      throw new Error(`'${arn}' is not an application inference profile ARN: expected arn:aws:bedrock:<region>:<12-digit account>:application-inference-profile/<id>`);
    }
    if (copies.kind === ModelReferenceKind.APPLICATION_PROFILE) {
      throw new Error(`application profile '${arn}' cannot copy another application profile: pass the foundation model or system profile it was created from`);
    }
    return new ModelReference(ModelReferenceKind.APPLICATION_PROFILE, copies.modelId, copies.geography, arn, undefined, undefined, copies);
  }

  /**
   * Parses the strings users already have: `us.anthropic.claude-sonnet-4-6`,
   * `global.anthropic.claude-sonnet-4-6`, `anthropic.claude-haiku-4-5-20251001-v1:0`, or a full
   * inference-profile or foundation-model ARN.
   *
   * An ARN's Region and account are not kept: the policy grants the profile in each of its source
   * Regions and in its own account. Application inference profile ARNs need `applicationProfile()`.
   *
   * The `[1m]` suffix people put in `ANTHROPIC_MODEL`, as in `us.anthropic.claude-sonnet-4-6[1m]`,
   * is accepted: it asks Claude Code for the model's 1M-token context window, not for another model,
   * so the policy grants the model without it and `extendedContext` records it for the generated
   * Claude Code settings.
   */
  public static parse(value: string): ModelReference {
    const text = value.trim();
    if (text.endsWith(EXTENDED_CONTEXT_SUFFIX)) {
      const base = text.slice(0, -EXTENDED_CONTEXT_SUFFIX.length);
      if (base.trim().length === 0 || base.endsWith(EXTENDED_CONTEXT_SUFFIX)) {
        throw new Error(`'${text}' is not a model with Claude Code's [1m] suffix: write the model id once, then [1m], such as 'us.anthropic.claude-sonnet-4-6[1m]'`);
      }
      return ModelReference.parse(base).withExtendedContext();
    }
    if (text.length === 0) {
      throw new Error('an empty string is not a model: use an id such as \'us.anthropic.claude-sonnet-4-6\'');
    }
    if (text.includes('*')) {
      throw new Error(`'${text}' is a wildcard, and this library grants exact models only: name each model, such as 'us.anthropic.claude-sonnet-4-6'`);
    }
    if (text.startsWith('arn:')) {
      return parseArn(text);
    }
    const [head, ...rest] = text.split('.');
    const isProfile = Geography.all().some((g) => g.prefix === head);
    if (isProfile) {
      const modelId = rest.join('.');
      return head === 'global' ? ModelReference.globalProfile(modelId) : ModelReference.crossRegion(Geography.of(head), modelId);
    }
    return ModelReference.foundationModel(text);
  }

  /**
   * @param kind what this names
   * @param modelId the foundation-model id it serves
   * @param geography the profile's geography, for cross-Region and global profiles
   * @param arn the application profile's ARN
   * @param regions foundation model: where it may be invoked; global: where the profile may be called from
   * @param routes user-supplied routes of a geographic profile
   * @param copies what an application profile was created from
   * @param extendedContext whether Claude Code is asked for the 1M-token context window (`[1m]`)
   */
  private constructor(
    public readonly kind: ModelReferenceKind,
    public readonly modelId: string,
    public readonly geography?: Geography,
    public readonly arn?: string,
    public readonly regions?: string[],
    public readonly routes?: RegionRoute[],
    public readonly copies?: ModelReference,
    public readonly extendedContext: boolean = false,
  ) {}

  /**
   * The id for Claude Code's settings: the invocation id, with `[1m]` when the reference was parsed
   * from an id that carried it.
   */
  public get claudeCodeModelId(): string {
    return this.extendedContext ? `${this.invocationId}${EXTENDED_CONTEXT_SUFFIX}` : this.invocationId;
  }

  /**
   * The id a client passes to Bedrock: `us.anthropic...` for profiles, the model id for foundation
   * models, the ARN for application profiles.
   */
  public get invocationId(): string {
    switch (this.kind) {
      case ModelReferenceKind.APPLICATION_PROFILE:
        return this.arn!;
      case ModelReferenceKind.FOUNDATION_MODEL:
        return this.modelId;
      default:
        return `${this.geography!.prefix}.${this.modelId}`;
    }
  }

  /** The id, for messages and logs. */
  public toString(): string {
    return this.invocationId;
  }

  private withExtendedContext(): ModelReference {
    return new ModelReference(this.kind, this.modelId, this.geography, this.arn, this.regions, this.routes, this.copies, true);
  }
}

function parseArn(arn: string): ModelReference {
  if (APPLICATION_PROFILE_ARN.test(arn)) {
    throw new Error(`'${arn}' is an application inference profile: use ModelReference.applicationProfile(arn, <the model or profile it copies>) so the policy can grant its foundation models`);
  }
  const m = PROFILE_OR_MODEL_ARN.exec(arn);
  if (!m) {
    throw new Error(`'${arn}' is not a Bedrock inference-profile or foundation-model ARN: expected arn:aws:bedrock:<region>:<account>:inference-profile/<id> or arn:aws:bedrock:<region>::foundation-model/<id>`);
  }
  const [, , region, account, type, id] = m;
  if (type === 'foundation-model') {
    if (account) {
      throw new Error(`'${arn}' has an account id, but foundation-model ARNs have none: use arn:aws:bedrock:${region}::foundation-model/${id}`);
    }
    return ModelReference.foundationModel(id, region ? { regions: [region] } : {});
  }
  if (!account || !region) {
    throw new Error(`'${arn}' lacks a Region or account: an inference-profile ARN reads arn:aws:bedrock:<region>:<12-digit account>:inference-profile/<id>`);
  }
  const ref = ModelReference.parse(id);
  if (ref.kind === ModelReferenceKind.FOUNDATION_MODEL) {
    throw new Error(`'${arn}' names inference profile '${id}', which has no geography prefix such as 'us.' or 'global.'`);
  }
  return ref;
}

function checkModelId(modelId: string): void {
  if (modelId.includes('*')) {
    throw new Error(`model id '${modelId}' is a wildcard, and this library grants exact models only: name each model, such as 'anthropic.claude-sonnet-4-6'`);
  }
  if (!MODEL_ID.test(modelId)) {
    throw new Error(`'${modelId}' is not a Bedrock model id: expected '<provider>.<model>' such as 'anthropic.claude-sonnet-4-6' (without a 'us.' or 'global.' prefix here)`);
  }
  const head = modelId.split('.')[0];
  if (Geography.all().some((g) => g.prefix === head)) {
    throw new Error(`'${modelId}' starts with the profile prefix '${head}.': pass the foundation-model id '${modelId.slice(head.length + 1)}' and the geography separately, or use ModelReference.parse('${modelId}')`);
  }
}

function checkRegion(region: string, where: string): void {
  if (!isRegionName(region)) {
    throw new Error(`${where}: '${region}' is not an AWS Region name such as 'us-east-1'`);
  }
}
