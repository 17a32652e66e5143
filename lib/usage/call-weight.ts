import type { ModelPrice } from '../models/prices';

/**
 * What one call is weighed at. CloudTrail records only the model of a Bedrock call
 * (`requestParameters.modelId`, plus `additionalEventData.inferenceRegion` for cross-Region profiles;
 * Amazon Bedrock User Guide, "Monitor Amazon Bedrock API calls using CloudTrail"): no prompt size, no
 * `maxTokens`, no `inferenceConfig`. So each call weighs what it can cost at most: a full standard
 * context written to the prompt cache (the dearest input rate) and a maximal answer.
 */
export const INPUT_TOKENS_PER_CALL_CEILING = 200_000;
/** The largest answer current Claude models give (64,000 output tokens); older ones stop at 32,000. */
export const OUTPUT_TOKENS_PER_CALL_CEILING = 64_000;

/**
 * The price a model without one in the table is weighed at: Claude Opus 4.1's list price ($15 and $75
 * per million input and output tokens, cache writes 1.25 times input), the dearest Claude Bedrock
 * sells, plus the 10% geographic cross-Region profiles add. Too high for any other model, never too low
 * for a Claude model: an unknown model alerts and contains earlier, never later.
 */
export const FALLBACK_PRICE: Pick<ModelPrice, 'inputPerMillionUsd' | 'outputPerMillionUsd' | 'cacheReadPerMillionUsd' | 'cacheWritePerMillionUsd'> = {
  inputPerMillionUsd: 16.5,
  outputPerMillionUsd: 82.5,
  cacheReadPerMillionUsd: 1.65,
  cacheWritePerMillionUsd: 20.625,
};

/** What the handler weighs calls with: a weight per model id the grants name, and one for every other model. */
export interface CallWeights {
  readonly byModel: Record<string, number>;
  readonly fallbackUsd: number;
}

/** The most a call of a model at this price can cost, in US dollars, to the micro-dollar. */
export function callCeilingUsd(price: Pick<ModelPrice, 'inputPerMillionUsd' | 'outputPerMillionUsd' | 'cacheReadPerMillionUsd' | 'cacheWritePerMillionUsd'>): number {
  const input = Math.max(price.inputPerMillionUsd, price.cacheWritePerMillionUsd, price.cacheReadPerMillionUsd);
  return microUsd((INPUT_TOKENS_PER_CALL_CEILING * input + OUTPUT_TOKENS_PER_CALL_CEILING * price.outputPerMillionUsd) / 1_000_000);
}

export const FALLBACK_CALL_USD = callCeilingUsd(FALLBACK_PRICE);

/**
 * Bedrock bills the tokens a model processed; a call refused before the model ran (IAM, throttling,
 * quota, a malformed request, an unknown model) processed none. Any other error weighs in full:
 * a model or stream error may come after tokens were billed.
 */
const UNBILLED_ERRORS = /^(AccessDenied|UnauthorizedOperation|Throttling|ServiceQuotaExceeded|Validation|ResourceNotFound)/;

/** A call's weight: what its model's call can cost at most, nothing for a call refused before the model ran. */
export function weighCall(model: string, errorCode: string | undefined, weights: CallWeights | undefined): number {
  if (errorCode && UNBILLED_ERRORS.test(errorCode)) {
    return 0;
  }
  return weights?.byModel[model] ?? weights?.fallbackUsd ?? FALLBACK_CALL_USD;
}

/** Dollars rounded to the micro-dollar, so sums stay exact decimals in DynamoDB. */
export function microUsd(usd: number): number {
  return Math.round(usd * 1_000_000) / 1_000_000;
}
