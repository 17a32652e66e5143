import { Token } from 'aws-cdk-lib';
import { TokenPrices } from './spend-rate-prices';
import { ModelReference } from '../models/model-reference';

/**
 * Bedrock's token metrics (namespace AWS/Bedrock, dimension ModelId), published by Bedrock per account
 * and Region and writable by nobody else (Bedrock User Guide, "Monitor bedrock-runtime inference using
 * CloudWatch metrics"), with the price each is charged at.
 */
export const TOKEN_METRICS: readonly { readonly metricName: string; readonly price: keyof TokenPrices }[] = [
  { metricName: 'InputTokenCount', price: 'input' },
  { metricName: 'OutputTokenCount', price: 'output' },
  { metricName: 'CacheReadInputTokenCount', price: 'cacheRead' },
  { metricName: 'CacheWriteInputTokenCount', price: 'cacheWrite' },
];
/** An alarm on a metric math expression may reference at most 10 metrics, a hard limit (CloudWatch User Guide, "Limits"). */
export const MAX_METRICS_PER_ALARM = 10;

/** One metric of a spend-rate alarm: a token count of one ModelId value, and its price. */
export interface SpendRateMetric {
  readonly id: string;
  readonly metricName: string;
  readonly modelId: string;
  readonly usdPerMillion: number;
}

/** One alarm's worth of models: their metrics and the expression that turns them into dollars. */
export interface SpendRateGroup {
  /** The models it counts, for the alarm description and the alert. */
  readonly models: string[];
  readonly metrics: SpendRateMetric[];
  /** The dollars spent in the period: FILL makes a model with no calls count as zero, not as missing. */
  readonly expression: string;
}

/**
 * The ModelId values a model's calls may be published under. AWS does not document which value Bedrock
 * uses for a call through a cross-Region, global or application profile, so both the id the caller
 * names and the foundation model are counted: if Bedrock publishes under one, the cap counts it; if under
 * both, it counts twice and stops early, never late.
 */
export function dimensionValues(model: ModelReference): string[] {
  return [...new Set([model.invocationId, model.modelId])];
}

/**
 * The models packed into as few alarms as the 10-metric limit allows, in the order given. Each alarm
 * sums the spend of its own models: a cap on one alarm's spend, per account and Region.
 */
export function spendRateGroups(prices: ReadonlyMap<ModelReference, TokenPrices>): SpendRateGroup[] {
  const groups: { models: string[]; metrics: Omit<SpendRateMetric, 'id'>[] }[] = [];
  for (const [model, price] of prices) {
    const values = dimensionValues(model);
    if (values.some((v) => Token.isUnresolved(v))) {
      throw new Error(`model '${model.toString()}' has an ARN known only at deploy time, so the spend-rate alarms cannot name it in every account: pass the application profile's ARN as a string`);
    }
    const metrics = values.flatMap((modelId) => TOKEN_METRICS.map((t) => ({ metricName: t.metricName, modelId, usdPerMillion: price[t.price] })));
    const last = groups[groups.length - 1];
    if (last && last.metrics.length + metrics.length <= MAX_METRICS_PER_ALARM) {
      last.models.push(model.invocationId);
      last.metrics.push(...metrics);
    } else {
      groups.push({ models: [model.invocationId], metrics });
    }
  }
  return groups.map((g) => {
    const metrics = g.metrics.map((m, i) => ({ ...m, id: `t${i}` }));
    const terms = metrics.map((m) => `FILL(${m.id},0)*${m.usdPerMillion}`).join(' + ');
    return { models: g.models, metrics, expression: `(${terms})/1000000` };
  });
}
