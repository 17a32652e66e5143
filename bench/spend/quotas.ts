/**
 * Bedrock's default per-model quotas, per account and source Region, as a leaked credential meets them.
 *
 * What the quotas are is AWS's: "Quotas for the bedrock-runtime endpoint"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html) defines the cross-Region and
 * global tokens-per-minute and requests-per-minute quotas per model and per Region, input and output
 * counted together. "How tokens are counted" (https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html)
 * counts each output token of these Claude models five times against it.
 *
 * The default values sit in the General Reference table (https://docs.aws.amazon.com/general/latest/gr/bedrock.html#limits_bedrock),
 * which the research index does not hold. The figures below are what published Service Quotas reads report
 * (named in `source`); where none was found, `assumed` says what was taken. AWS also lowers defaults for
 * new accounts (quotas.html), so a real account's quota is at most these.
 */
export interface ModelQuota {
  /** Tokens per minute, in quota tokens (output weighted by `outputBurndown`). */
  readonly tokensPerMinute: number;
  readonly requestsPerMinute: number;
  /** Quota tokens one output token uses. */
  readonly outputBurndown: number;
  /** Where the figure comes from, or what was assumed and why. */
  readonly source: string;
  readonly assumed: boolean;
}

const BURNDOWN = 5;

/** By foundation-model id; the same defaults are taken for the geographic and the global quota. */
export const DEFAULT_QUOTAS: Readonly<Record<string, ModelQuota>> = {
  'anthropic.claude-sonnet-4-6': {
    tokensPerMinute: 6_000_000,
    requestsPerMinute: 10_000,
    outputBurndown: BURNDOWN,
    source: 'a published capacity plan quoting Service Quotas: 6,000,000 tokens and 10,000 requests per minute (global cross-Region); taken for us. and eu. too',
    assumed: true,
  },
  'anthropic.claude-haiku-4-5-20251001-v1:0': {
    tokensPerMinute: 5_000_000,
    requestsPerMinute: 10_000,
    outputBurndown: BURNDOWN,
    source: 'published Service Quotas reads: 10,000 requests per minute (cross-Region, us-east-1) and a 5,000,000 tokens-per-minute default',
    assumed: true,
  },
  'anthropic.claude-opus-4-7': {
    tokensPerMinute: 6_000_000,
    requestsPerMinute: 10_000,
    outputBurndown: BURNDOWN,
    source: 'no published default found: assumed the largest of the other two (6,000,000 tokens, 10,000 requests per minute), so the leak errs large',
    assumed: true,
  },
};
