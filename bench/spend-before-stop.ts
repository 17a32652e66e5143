import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Section } from './report';
import { combined, guardWeight, leakAtQuota, MIX } from './spend/leak';
import { budgets, Case, METRIC_PUBLICATION, GuardParameters, guardParameters, Leak, Mechanism, spendRateCap, SpendRateCapParameters, together, usageGuard } from './spend/mechanisms';
import { Table } from './table';
import { PlatformAccountStack } from '../examples/platform-account/app';
import { ModelReference } from '../lib/models/model-reference';
import { priceOf } from '../lib/models/prices';

/** What "the default configuration" is: the platform example's, not the front door's defaults. */
const CONFIGURATION = 'platform example: front door, containment on';

/** The target of issue 22: a leak costs at most this before the default configuration stops it. */
const TARGET_USD = 50;
const CASES: Case[] = ['worst', 'typical'];

interface Scenario {
  readonly label: string;
  readonly leak: (c: Case) => Leak;
}

/**
 * Dollars a leaked credential spends, calling at the default quota, before each mechanism stops it. Pure
 * arithmetic over the delays in bench/spend/mechanisms.ts: no clock, no random, no sleep.
 */
export function measureSpendBeforeStop(): Section {
  const { models, region, monthlyLimitUsd, cap, guard } = platformExample();
  const mechanisms = [spendRateCap(cap), usageGuard(guard), budgets(monthlyLimitUsd)];
  const all = together(CONFIGURATION, mechanisms);
  const scenarios: Scenario[] = [
    ...models.map((m) => ({ label: `\`${m.invocationId}\``, leak: (c: Case) => leakAtQuota(m, c) })),
    { label: `all ${models.length} at once, one account and Region`, leak: (c: Case) => combined(models.map((m) => leakAtQuota(m, c))) },
  ];
  const cell = (m: Mechanism, s: Scenario, c: Case) => spent(s.leak(c), m.stopsAfter(s.leak(c), c));
  const worstDefault = Math.max(...scenarios.map((s) => usdBefore(s.leak('worst'), all.stopsAfter(s.leak('worst'), 'worst'))));
  const typicalDefault = Math.max(...scenarios.map((s) => usdBefore(s.leak('typical'), all.stopsAfter(s.leak('typical'), 'typical'))));
  return {
    title: '5. Spend before the stop',
    method: [
      `A leaked credential calls each model the platform example grants (\`examples/platform-account/app.ts\`, the front door: ${models.map((m) => `\`${m.invocationId}\``).join(', ')}) from ${region} at the account's default quota, from minute 0, and keeps calling until the stop takes effect.`,
      'The bench computes; it does not wait: each mechanism\'s stop time is arithmetic over the delays in `bench/spend/mechanisms.ts`, its parameters read from the example as the library builds it (the spend-rate cap\'s stop alarms, their models, threshold and window; the usage guard\'s resolved limits, with the window and buckets of `lib/usage/usage-assessment.ts` and each call weighed by `callCeilingUsd` of `lib/usage/call-weight.ts`; the monthly limit), the quotas from `bench/spend/quotas.ts` and the prices from `priceOf` (`lib/models/catalog.json`).',
      `Worst case: every token a cache write (the highest price per quota token), 1M-token calls (fewest calls per dollar), the longest delays and the least favourable start (in the minute for the cap, in the 5-minute bucket for the usage guard). Typical case: an agent loop's mix (${pct(MIX.typical.tokens.cacheRead)} cache reads, ${pct(MIX.typical.tokens.input)} each input, cache writes and output), ${MIX.typical.tokensPerCall.toLocaleString('en-US')}-token calls, typical delays, a start half-way through the minute and the bucket.`,
      'Run this section alone with `npx ts-node --prefer-ts-exts bench/run.ts --only spend`: it takes a few seconds and rewrites only its part of BENCHMARKS.md.',
    ],
    tables: [leakTable(models), dollarsTable(scenarios, [...mechanisms, all], cell), delayTable([...mechanisms])],
    notes: [
      `"${CONFIGURATION}": the front door (\`ClaudeCodeBedrockAccess\`) configured as \`examples/platform-account/app.ts\` configures it, with \`containment: true\` and a monthly spend limit. The front door's own defaults differ: containment is off by default, and without it the spend-rate cap is off and the usage guard alerts without containing, so only the budget's own action (a deny policy AWS Budgets attaches to the invoke role, which needs no containment) would stop a leak, and only when a monthly limit is set (the Budgets column).`,
      `The spend-rate cap has one stop alarm per group of models (${cap.alarms.length} in the example: ${cap.alarms.map((a) => a.join(' + ')).join('; ')}), each over the dollars of its own models in a ${cap.windowMinutes}-minute window in one account and Region, stopping past $${cap.stopUsd}; the first alarm to fire stops the invoke role for every model. The alarm reads a window that slides with each evaluation, so minutes not yet published are missing: a steady leak is seen for ${cap.windowMinutes} minutes less the publication delay, and one model's leak slower than $${(cap.stopUsd / (cap.windowMinutes - METRIC_PUBLICATION.minutes.worst)).toFixed(0)} a minute (worst delay) or $${(cap.stopUsd / (cap.windowMinutes - METRIC_PUBLICATION.minutes.typical)).toFixed(0)} (typical) never trips it. Several models leaking at once each count only against their own alarm.`,
      `The usage guard sums each person's calls, and each call's weight (the most a call of its model can cost: ${models.map((m) => `${usd(guardWeight(m))} for \`${m.invocationId}\``).join(', ')}), over a sliding ${guard.windowMinutes} minutes of ${guard.bucketMinutes}-minute buckets, and contains past ${guard.callsLimit.toLocaleString('en-US')} calls or $${guard.usdLimit.toLocaleString('en-US')}. A leak in few large calls stays under both ("never", with the hourly spend it lets through); the window slides, so no start at an hour's boundary doubles what passes.`,
      `Budgets stops at the monthly limit ($${monthlyLimitUsd.toLocaleString('en-US')} in the example) only after the cost data catches up and the next refresh runs: hours of quota-rate spend.`,
      'Each source Region has its own quota and the cap alarms per account and Region: a credential allowed to call from several Regions multiplies every figure by the number of Regions it calls from.',
      'The example\'s second stack (`EuropeGlobalStack`) is a bare `BedrockInvokeRole` with no detection, guard, cap or budget: a leak of its credential is stopped by nothing the library deploys.',
      'Quotas and several delays are assumptions where AWS documents no value (the delay table says which); new accounts get lower quotas, which lowers every figure.',
    ],
    targets: [{
      target: `at most $${TARGET_USD} before the stop with the default configuration (the ${CONFIGURATION})`,
      measured: `worst case $${Math.round(worstDefault).toLocaleString('en-US')}, typical $${Math.round(typicalDefault).toLocaleString('en-US')} (the largest row)`,
      met: worstDefault <= TARGET_USD,
      note: worstDefault <= TARGET_USD ? undefined
        : `at quota rate even the minute-scale cap needs its window's first datapoint, the metric delay, the alarm's next evaluation and containment before the stop: several minutes at up to $${Math.round(Math.max(...scenarios.map((s) => s.leak('worst').usdPerMinute)))} a minute. What would meet it: a lower per-model quota (Service Quotas lets an account lower its own tokens per minute), the stop acting on the first datapoint over a per-minute rate rather than the window's sum, or a containment path measured in seconds; typical traffic ${typicalDefault <= TARGET_USD ? 'meets it' : 'misses it too'}.`,
    }],
  };
}

interface Example {
  readonly models: ModelReference[];
  readonly region: string;
  readonly monthlyLimitUsd: number;
  readonly cap: SpendRateCapParameters;
  readonly guard: GuardParameters;
}

/** The front door of the platform example, built (not synthesized) to read what it grants and deploys. */
function platformExample(): Example {
  const stack = new PlatformAccountStack(new App(), 'Platform', { env: { region: 'us-east-1' } });
  const limit = (stack.access.spendLimit?.budget.budget as { budgetLimit?: { amount?: number } } | undefined)?.budgetLimit?.amount;
  const { spendRateCap: cap, usageGuard: guard } = stack.access;
  if (!limit || !cap || !guard) {
    throw new Error('the platform example must deploy a monthly spend limit, the spend-rate cap and the usage guard: the bench has a column for each');
  }
  return {
    models: stack.access.models,
    region: Stack.of(stack).region,
    monthlyLimitUsd: limit,
    cap: { stopUsd: cap.stopUsd, windowMinutes: cap.windowMinutes, alarms: stopAlarms(cap.alarms, cap.stopUsd, cap.windowMinutes) },
    guard: guardParameters(guard.callsPerHourLimit, guard.usdPerHourLimit),
  };
}

/**
 * The ModelId values of each stop alarm as built, after checking the alarm is the one the bench models:
 * one period as long as the window, one evaluation period, the stop threshold.
 */
function stopAlarms(alarms: cloudwatch.CfnAlarm[], stopUsd: number, windowMinutes: number): string[][] {
  const stops = alarms.filter((a) => a.threshold === stopUsd);
  return stops.map((a) => {
    const metrics = a.metrics as cloudwatch.CfnAlarm.MetricDataQueryProperty[];
    const stats = metrics.map((m) => m.metricStat as cloudwatch.CfnAlarm.MetricStatProperty | undefined)
      .filter((m): m is cloudwatch.CfnAlarm.MetricStatProperty => m !== undefined);
    if (a.evaluationPeriods !== 1 || a.comparisonOperator !== 'GreaterThanThreshold' || stats.some((m) => m.period !== windowMinutes * 60 || m.stat !== 'Sum')) {
      throw new Error(`spend-rate alarm ${a.alarmName}: the bench models one Sum period of the ${windowMinutes}-minute window, one evaluation period, GreaterThanThreshold; update bench/spend/mechanisms.ts to what the alarm now is`);
    }
    const dims = stats.flatMap((m) => ((m.metric as cloudwatch.CfnAlarm.MetricProperty).dimensions as cloudwatch.CfnAlarm.DimensionProperty[])
      .map((d) => d.value));
    return [...new Set(dims)];
  });
}

function leakTable(models: ModelReference[]): Table {
  return {
    title: 'The leak: each granted model at its default quota',
    headers: ['Model', 'Price in / out / cache write (per M)', 'Quota: tokens / requests per minute', 'Worst: $ a minute', 'Typical: $ a minute', 'Typical calls a minute', 'Quota source'],
    rows: models.map((m) => {
      const p = priceOf(m.invocationId)!;
      const [worst, typical] = CASES.map((c) => leakAtQuota(m, c));
      return [
        `\`${m.invocationId}\``,
        `$${p.inputPerMillionUsd} / $${p.outputPerMillionUsd} / $${p.cacheWritePerMillionUsd}`,
        `${worst.quota.tokensPerMinute.toLocaleString('en-US')} / ${worst.quota.requestsPerMinute.toLocaleString('en-US')}`,
        usd(worst.usdPerMinute), usd(typical.usdPerMinute), typical.callsPerMinute.toFixed(0),
        `${worst.quota.assumed ? '**assumed**: ' : ''}${worst.quota.source}`,
      ];
    }),
    numeric: [3, 4, 5],
  };
}

function dollarsTable(scenarios: Scenario[], mechanisms: Mechanism[], cell: (m: Mechanism, s: Scenario, c: Case) => string): Table {
  return {
    title: 'Dollars spent before the stop (and when it takes effect)',
    headers: ['Leak', ...mechanisms.flatMap((m) => [`${m.name}: worst`, 'typical'])],
    rows: scenarios.map((s) => [s.label, ...mechanisms.flatMap((m) => CASES.map((c) => cell(m, s, c)))]),
  };
}

function delayTable(mechanisms: Mechanism[]): Table {
  return {
    title: 'Delays each mechanism waits through (minutes: worst / typical)',
    headers: ['Mechanism', 'Delay', 'Worst', 'Typical'],
    rows: mechanisms.flatMap((m) => m.delays.map((d) => [m.name, d.source, d.minutes.worst, d.minutes.typical])),
    numeric: [2, 3],
  };
}

function usdBefore(leak: Leak, minutes: number | undefined): number {
  return minutes === undefined ? Infinity : leak.usdPerMinute * minutes;
}

function spent(leak: Leak, minutes: number | undefined): string {
  return minutes === undefined
    ? `never (${usd(leak.usdPerMinute * 60)} an hour)`
    : `${usd(leak.usdPerMinute * minutes)} (${duration(minutes)})`;
}

const usd = (v: number): string => `$${v < 100 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US')}`;
const pct = (v: number): string => `${Math.round(v * 100)}%`;
const duration = (minutes: number): string => (minutes < 120 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`);
