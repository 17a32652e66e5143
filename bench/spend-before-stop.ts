import { App, Stack } from 'aws-cdk-lib';
import { Section } from './report';
import { combined, leakAtQuota, MIX } from './spend/leak';
import { budgets, Case, GUARD_PARAMETERS, Leak, Mechanism, SPEND_RATE_CAP, together, USAGE_GUARD } from './spend/mechanisms';
import { Table } from './table';
import { PlatformAccountStack } from '../examples/platform-account/app';
import { ModelReference } from '../lib/models/model-reference';
import { priceOf } from '../lib/models/prices';
import { DEFAULT_SPEND_RATE_STOP_USD, DEFAULT_SPEND_RATE_WINDOW_MINUTES } from '../lib/usage/spend-rate-defaults';

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
  const { models, region, monthlyLimitUsd } = platformExample();
  const mechanisms = [SPEND_RATE_CAP, USAGE_GUARD, budgets(monthlyLimitUsd)];
  const all = together('default configuration (all three)', mechanisms);
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
      'The bench computes; it does not wait: each mechanism\'s stop time is arithmetic over the delays in `bench/spend/mechanisms.ts`, its parameters read from the library (`lib/usage/spend-rate-defaults.ts`, `lib/usage/resolve-usage-limits.ts`) and the example (the monthly limit), the quotas from `bench/spend/quotas.ts` and the prices from `priceOf` (`lib/models/catalog.json`).',
      `Worst case: every token a cache write (the highest price per quota token), 1M-token calls (fewest calls per dollar), the longest delays and the least favourable start (in the minute, and in the clock hour for the usage guard). Typical case: an agent loop's mix (${pct(MIX.typical.tokens.cacheRead)} cache reads, ${pct(MIX.typical.tokens.input)} each input, cache writes and output), ${MIX.typical.tokensPerCall.toLocaleString('en-US')}-token calls, typical delays, a start half-way through the minute and the hour.`,
      'Run this section alone with `npx ts-node --prefer-ts-exts bench/run.ts --only spend`: it takes a few seconds and rewrites only its part of BENCHMARKS.md.',
    ],
    tables: [leakTable(models), dollarsTable(scenarios, [...mechanisms, all], cell), delayTable([...mechanisms])],
    notes: [
      `The spend-rate cap stops when the dollars of its ${DEFAULT_SPEND_RATE_WINDOW_MINUTES}-minute window in one account and Region pass $${DEFAULT_SPEND_RATE_STOP_USD}; a leak slower than $${(DEFAULT_SPEND_RATE_STOP_USD / DEFAULT_SPEND_RATE_WINDOW_MINUTES).toFixed(0)} a minute never trips it (and costs at most that).`,
      `The usage guard counts ${GUARD_PARAMETERS.weight} per person per ${GUARD_PARAMETERS.window === 'clock-hour' ? 'clock hour' : `sliding ${GUARD_PARAMETERS.minutes} minutes`} and contains past ${GUARD_PARAMETERS.limit.toLocaleString('en-US')}: at 1M-token calls the quota allows fewer calls than that in an hour, so the guard alone never contains ("never", with the hourly spend it lets through).`,
      `Budgets stops at the monthly limit ($${monthlyLimitUsd.toLocaleString('en-US')} in the example) only after the cost data catches up and the next refresh runs: hours of quota-rate spend.`,
      'Each source Region has its own quota and the cap alarms per account and Region: a credential allowed to call from several Regions multiplies every figure by the number of Regions it calls from.',
      'The example\'s second stack (`EuropeGlobalStack`) is a bare `BedrockInvokeRole` with no detection, guard, cap or budget: a leak of its credential is stopped by nothing the library deploys.',
      'Quotas and several delays are assumptions where AWS documents no value (the delay table says which); new accounts get lower quotas, which lowers every figure.',
    ],
    targets: [{
      target: `at most $${TARGET_USD} before the stop with the default configuration`,
      measured: `worst case $${Math.round(worstDefault).toLocaleString('en-US')}, typical $${Math.round(typicalDefault).toLocaleString('en-US')} (the largest row)`,
      met: worstDefault <= TARGET_USD,
      note: worstDefault <= TARGET_USD ? undefined
        : `at quota rate even the minute-scale cap needs its window's first datapoint, the metric delay, the alarm's next evaluation and containment before the stop: several minutes at up to $${Math.round(Math.max(...scenarios.map((s) => s.leak('worst').usdPerMinute)))} a minute. What would meet it: a lower per-model quota (Service Quotas lets an account lower its own tokens per minute), the stop acting on the first datapoint over a per-minute rate rather than the window's sum, or a containment path measured in seconds; typical traffic ${typicalDefault <= TARGET_USD ? 'meets it' : 'misses it too'}.`,
    }],
  };
}

/** The front door of the platform example, built (not synthesized) to read what it grants. */
function platformExample(): { models: ModelReference[]; region: string; monthlyLimitUsd: number } {
  const stack = new PlatformAccountStack(new App(), 'Platform', { env: { region: 'us-east-1' } });
  const limit = (stack.access.spendLimit?.budget.budget as { budgetLimit?: { amount?: number } } | undefined)?.budgetLimit?.amount;
  if (!limit) {
    throw new Error('the platform example sets no monthly spend limit: the Budgets column needs one (monthlySpendLimitUsd)');
  }
  return { models: stack.access.models, region: Stack.of(stack).region, monthlyLimitUsd: limit };
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
