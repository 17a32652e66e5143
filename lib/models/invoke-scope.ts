import { ModelCatalog } from './catalog';
import { Guardrail } from './guardrail';
import { ModelReference } from './model-reference';

/** Whether Bedrock API keys (bearer tokens) may be used with this identity's permissions. */
export enum BedrockApiKeys {
  /** No API keys: `bedrock:CallWithBearerToken` is denied. */
  NONE = 'NONE',
  /**
   * Short-term keys only (minted from the session, valid up to 12 hours); long-term keys stay
   * denied.
   */
  SHORT_TERM = 'SHORT_TERM',
}

/**
 * Which Regions a model reached through a cross-Region profile is granted in.
 *
 * AWS adds destination Regions to inference profiles over time; Bedrock, not the caller, picks the
 * destination from the exact profile ARN, which stays pinned either way.
 */
export enum DestinationRegions {
  /**
   * The model in any Region (`arn:<partition>:bedrock:*::foundation-model/<id>`), only when reached
   * through one of the configured profiles (`bedrock:InferenceProfileArn`). Survives AWS adding a
   * destination.
   */
  ANY = 'ANY',
  /**
   * The model only in the destination Regions the catalog (or your `routes`) lists for each source
   * Region. When AWS adds a destination, requests Bedrock routes there fail with AccessDenied until
   * the catalog is refreshed and the stack redeployed.
   */
  LISTED = 'LISTED',
}

/** What an invoke policy allows: the models, where they are called from, and the options around them. */
export interface InvokeScopeProps {
  /**
   * What may be invoked. Include the small/fast model Claude Code also calls (Haiku), or its
   * background requests fail with AccessDenied.
   */
  readonly models: ModelReference[];

  /**
   * The Regions callers invoke Bedrock in (their `AWS_REGION`).
   *
   * @default - the stack's Region; required when the stack is environment-agnostic
   */
  readonly sourceRegions?: string[];

  /**
   * Which Regions a model reached through a cross-Region profile is granted in.
   *
   * @default DestinationRegions.ANY
   */
  readonly destinationRegions?: DestinationRegions;

  /**
   * Allow `bedrock:CountTokens` on the models (Claude Code's `/context` uses it).
   *
   * @default true
   */
  readonly countTokens?: boolean;

  /**
   * Allow the AWS Marketplace subscription Bedrock makes on a model's first use, only when Bedrock
   * makes it (`aws:CalledViaLast = bedrock.amazonaws.com`).
   *
   * @default true
   */
  readonly marketplaceSubscriptions?: boolean;

  /**
   * A guardrail every invocation must carry.
   *
   * @default - no guardrail is required
   */
  readonly guardrail?: Guardrail;

  /**
   * Whether Bedrock API keys may be used. Long-term keys are always denied.
   *
   * @default BedrockApiKeys.NONE
   */
  readonly apiKeys?: BedrockApiKeys;

  /**
   * VPC endpoints invocations must come through (`aws:SourceVpce`). List the `bedrock-runtime`
   * endpoint. When source IPs are also given, a call must match one or the other.
   *
   * @default - no VPC endpoint restriction
   */
  readonly allowedVpcEndpoints?: string[];

  /**
   * Public IP ranges (CIDR) invocations must come from (`aws:SourceIp`).
   *
   * @default - no source IP restriction
   */
  readonly allowedSourceIps?: string[];

  /**
   * The catalog of models and routes.
   *
   * @default ModelCatalog.builtIn()
   */
  readonly catalog?: ModelCatalog;
}
