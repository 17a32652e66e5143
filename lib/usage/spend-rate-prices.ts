import { ModelPriceOverride } from './spend-rate-options';
import { ModelReference } from '../models/model-reference';
import { ModelPrice, priceOf } from '../models/prices';

/** What one model's tokens cost, per million, as the cap prices them. */
export interface TokenPrices {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

/** Anthropic's prompt-cache prices relative to input: reads a tenth, five-minute writes a quarter more. */
const CACHE_READ_RATIO = 0.1;
const CACHE_WRITE_RATIO = 1.25;

/**
 * The price of each granted model: the user's override when one names it (by foundation-model id,
 * profile id or ARN), else the library's table. A model priced by neither fails synthesis: a cap that
 * counts it at zero would never stop a leak that calls it.
 */
export function resolvePrices(models: readonly ModelReference[], overrides: readonly ModelPriceOverride[] = []): Map<ModelReference, TokenPrices> {
  overrides.forEach(checkOverride);
  const prices = new Map<ModelReference, TokenPrices>();
  for (const model of models) {
    const names = [model.invocationId, model.modelId];
    const override = overrides.find((o) => names.includes(o.modelId));
    const price = override ? fromOverride(override) : fromTable(priceOf(model.invocationId) ?? priceOf(model.modelId));
    if (!price) {
      throw new Error(`the spend-rate cap has no price for model '${model.invocationId}': add it to spendRateCap.prices `
        + `({ modelId: '${model.modelId}', inputPerMillionUsd: ..., outputPerMillionUsd: ... }, from https://aws.amazon.com/bedrock/pricing/), or turn the cap off with spendRateCap: { enabled: false }`);
    }
    prices.set(model, price);
  }
  return prices;
}

function checkOverride(o: ModelPriceOverride): void {
  const fields: [string, number | undefined][] = [['inputPerMillionUsd', o.inputPerMillionUsd], ['outputPerMillionUsd', o.outputPerMillionUsd],
    ['cacheReadPerMillionUsd', o.cacheReadPerMillionUsd], ['cacheWritePerMillionUsd', o.cacheWritePerMillionUsd]];
  for (const [name, value] of fields) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0 || value > 10_000)) {
      throw new Error(`spendRateCap.prices: ${name} of '${o.modelId}' is ${value}; give US dollars per million tokens, 0 to 10000, such as 3 for $3 per million`);
    }
  }
  if (o.outputPerMillionUsd === 0 && o.inputPerMillionUsd === 0) {
    throw new Error(`spendRateCap.prices: '${o.modelId}' is priced at zero, so the cap would never count it: give the prices from https://aws.amazon.com/bedrock/pricing/`);
  }
}

function fromOverride(o: ModelPriceOverride): TokenPrices {
  return {
    input: o.inputPerMillionUsd,
    output: o.outputPerMillionUsd,
    cacheRead: o.cacheReadPerMillionUsd ?? o.inputPerMillionUsd * CACHE_READ_RATIO,
    cacheWrite: o.cacheWritePerMillionUsd ?? o.inputPerMillionUsd * CACHE_WRITE_RATIO,
  };
}

function fromTable(p: ModelPrice | undefined): TokenPrices | undefined {
  return p && {
    input: p.inputPerMillionUsd, output: p.outputPerMillionUsd, cacheRead: p.cacheReadPerMillionUsd, cacheWrite: p.cacheWritePerMillionUsd,
  };
}
