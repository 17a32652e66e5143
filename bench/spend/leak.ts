import { Case, Leak } from './mechanisms';
import { DEFAULT_QUOTAS, ModelQuota } from './quotas';
import { ModelReference } from '../../lib/models/model-reference';
import { priceOf } from '../../lib/models/prices';
import { callCeilingUsd, FALLBACK_CALL_USD } from '../../lib/usage/call-weight';
import { modelIdOf } from '../../lib/usage/usage-assessment';

/** Raw tokens of one kind per raw token of a call, summing to 1. */
interface TokenMix {
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly output: number;
}

/**
 * What the leaked credential sends. Worst: the dollars per quota token are highest (every token a cache
 * write, which costs twice the input price and, as assumed, one quota token), in the largest calls a
 * model takes (a 1M-token context), fewest calls per dollar. Typical: an agent loop resold through a
 * proxy, mostly cache reads, as Claude Code's traffic is, in calls of 60,000 tokens.
 */
export const MIX: Readonly<Record<Case, { readonly tokens: TokenMix; readonly tokensPerCall: number }>> = {
  worst: { tokens: { input: 0, cacheRead: 0, cacheWrite: 1, output: 0 }, tokensPerCall: 1_000_000 },
  typical: { tokens: { input: 0.05, cacheRead: 0.85, cacheWrite: 0.05, output: 0.05 }, tokensPerCall: 60_000 },
};

/** A granted model called at its default quota from one source Region. */
export function leakAtQuota(model: ModelReference, c: Case): Leak & { quota: ModelQuota } {
  const quota = DEFAULT_QUOTAS[model.modelId];
  const price = priceOf(model.invocationId);
  if (!quota || !price) {
    throw new Error(`${model.invocationId}: the bench has no ${quota ? 'price' : 'quota'} for it; add one to ${quota ? 'lib/models/catalog.json' : 'bench/spend/quotas.ts'}`);
  }
  const { tokens, tokensPerCall } = MIX[c];
  const quotaPerToken = tokens.input + tokens.cacheRead + tokens.cacheWrite + tokens.output * quota.outputBurndown;
  const usdPerToken = (tokens.input * price.inputPerMillionUsd + tokens.cacheRead * price.cacheReadPerMillionUsd
    + tokens.cacheWrite * price.cacheWritePerMillionUsd + tokens.output * price.outputPerMillionUsd) / 1_000_000;
  const tokensPerMinute = quota.tokensPerMinute / quotaPerToken;
  const usdPerMinute = tokensPerMinute * usdPerToken;
  const callsPerMinute = Math.min(quota.requestsPerMinute, tokensPerMinute / tokensPerCall);
  return {
    usdPerMinute,
    callsPerMinute,
    parts: [{ model: model.invocationId, usdPerMinute, callsPerMinute, weightUsdPerCall: guardWeight(model) }],
    quota,
  };
}

/** What the usage guard weighs a call of this model at, the way BedrockUsageGuard's callWeights does. */
export function guardWeight(model: ModelReference): number {
  const price = priceOf(model.modelId) ?? priceOf(modelIdOf(model.invocationId));
  return price ? callCeilingUsd(price) : FALLBACK_CALL_USD;
}

/** Several leaks at once, from the same account and Region. */
export function combined(leaks: readonly Leak[]): Leak {
  return {
    usdPerMinute: leaks.reduce((n, l) => n + l.usdPerMinute, 0),
    callsPerMinute: leaks.reduce((n, l) => n + l.callsPerMinute, 0),
    parts: leaks.flatMap((l) => l.parts),
  };
}
