import { Case, GuardParameters, Leak, LeakPart, spendRateCap, SpendRateCapParameters, usageGuard } from '../../bench/spend/mechanisms';

// The bench's model of the stops: these properties follow from the alarms and the guard as built (one sliding
// CloudWatch window per alarm, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_EvaluationWindow.html;
// the guard's sums over 5-minute buckets, lib/usage/usage-assessment.ts), so a broken model fails one of them.
const CAP: SpendRateCapParameters = { stopUsd: 20, windowMinutes: 5, alarms: [['model-a'], ['model-b'], ['model-c']] };
const GUARD: GuardParameters = { callsLimit: 3000, usdLimit: 2500, windowMinutes: 60, bucketMinutes: 5 };
const CASES: Case[] = ['worst', 'typical'];

function part(model: string, usdPerMinute: number, callsPerMinute = 1, weightUsdPerCall = 1): LeakPart {
  return { model, usdPerMinute, callsPerMinute, weightUsdPerCall };
}
function leak(...parts: LeakPart[]): Leak {
  return { usdPerMinute: parts.reduce((n, p) => n + p.usdPerMinute, 0), callsPerMinute: parts.reduce((n, p) => n + p.callsPerMinute, 0), parts };
}

describe('spend-rate cap model', () => {
  const cap = spendRateCap(CAP);

  test.each(CASES)('a leak whose whole window stays under the stop is never stopped, one just over it is (%s)', (c) => {
    expect(cap.stopsAfter(leak(part('model-a', 3.9)), c)).toBeUndefined();
    expect(cap.stopsAfter(leak(part('model-a', 40)), c)).toBeGreaterThan(0);
  });

  test('minutes not yet published are missing from the sliding window: a leak seen for the window less the delay', () => {
    // Typical delay 1 minute: 4 readable minutes; worst 3 minutes: 2 readable minutes.
    expect(cap.stopsAfter(leak(part('model-a', 5.5)), 'typical')).toBeDefined();
    expect(cap.stopsAfter(leak(part('model-a', 4.5)), 'typical')).toBeUndefined();
    expect(cap.stopsAfter(leak(part('model-a', 10.5)), 'worst')).toBeDefined();
    expect(cap.stopsAfter(leak(part('model-a', 9.5)), 'worst')).toBeUndefined();
  });

  test.each(CASES)('each alarm sums its own models: three models each under the stop are not stopped together (%s)', (c) => {
    expect(cap.stopsAfter(leak(part('model-a', 4), part('model-b', 4), part('model-c', 4)), c)).toBeUndefined();
    expect(cap.stopsAfter(leak(part('model-a', 12)), c)).toBeDefined();
  });

  test.each(CASES)('the first alarm to fire stops every model (%s)', (c) => {
    const fast = cap.stopsAfter(leak(part('model-a', 50)), c);
    expect(cap.stopsAfter(leak(part('model-a', 50), part('model-b', 1)), c)).toBe(fast);
  });

  test.each(CASES)('a faster leak never stops later than a slower one (%s)', (c) => {
    const times = [11, 15, 25, 40, 80, 160].map((usd) => cap.stopsAfter(leak(part('model-a', usd)), c)!);
    times.slice(1).forEach((t, i) => expect(t).toBeLessThanOrEqual(times[i]));
  });
});

describe('usage guard model', () => {
  const guard = usageGuard(GUARD);
  const delays = (c: Case) => guard.delays.reduce((n, d) => n + d.minutes[c], 0);

  test.each(CASES)('a leak under both limits over the longest window is never stopped, one over either limit is (%s)', (c) => {
    // 65 minutes at 40 calls of $0.9: 2,600 calls, $2,340.
    expect(guard.stopsAfter(leak(part('model-a', 10, 40, 0.9)), c)).toBeUndefined();
    expect(guard.stopsAfter(leak(part('model-a', 10, 60, 0.1)), c)).toBeCloseTo(3000 / 60 + delays(c));
    expect(guard.stopsAfter(leak(part('model-a', 10, 10, 5)), c)).toBeCloseTo(2500 / 50 + delays(c));
  });

  test('the window slides: a leak that passes the limit within the hour is contained then, wherever it starts', () => {
    // A clock-hour count would restart at the hour and, worst case, let the leak run to nearly twice as long.
    const l = leak(part('model-a', 10, 50, 1));
    expect(guard.stopsAfter(l, 'worst')! - delays('worst')).toBeCloseTo(50);
    expect(guard.stopsAfter(l, 'typical')! - delays('typical')).toBeCloseTo(50);
  });

  test('the buckets make the window up to 65 minutes: a leak just under the limit per 60 minutes is contained after the hour', () => {
    const l = leak(part('model-a', 10, 48, 1)); // $2,880 in 60 minutes: contained within the hour
    expect(guard.stopsAfter(l, 'worst')! - delays('worst')).toBeLessThan(60);
    const slow = leak(part('model-a', 10, 40, 1)); // $2,400 in 60 minutes, $2,600 in 65
    const worst = guard.stopsAfter(slow, 'worst')! - delays('worst');
    expect(worst).toBeGreaterThan(60);
    expect(worst).toBeLessThan(24 * 60);
  });

  test.each(CASES)('a faster leak never stops later than a slower one (%s)', (c) => {
    const times = [39, 42, 45, 60, 120, 600].map((calls) => guard.stopsAfter(leak(part('model-a', 10, calls, 1)), c)!);
    times.slice(1).forEach((t, i) => expect(t).toBeLessThanOrEqual(times[i]));
  });

  test('calls of several models count together for one person, each at its own weight', () => {
    const together = guard.stopsAfter(leak(part('model-a', 10, 20, 1), part('model-b', 10, 20, 2)), 'typical')!;
    expect(together - delays('typical')).toBeCloseTo(2500 / 60);
  });
});
