/**
 * How fast each mechanism stops a leak: its parameters (read from what the library builds, so the bench
 * simulates what it deploys) and the delays AWS documents, or what was assumed where it documents none. Adjust here.
 */
import { BUCKET_MS, WINDOW_MS } from '../../lib/usage/usage-assessment';

export type Case = 'worst' | 'typical';
type Delay = Readonly<Record<Case, number>>;

/** A delay in minutes, worst and typical, with where it comes from. */
export interface SourcedDelay {
  readonly minutes: Delay;
  readonly source: string;
}

/** One model's share of a leak: its dollars, its calls, and what the usage guard weighs each call at. */
export interface LeakPart {
  readonly model: string;
  readonly usdPerMinute: number;
  readonly callsPerMinute: number;
  readonly weightUsdPerCall: number;
}

/** A leak calling at a steady rate from minute 0: its totals and its parts by model. */
export interface Leak {
  readonly usdPerMinute: number;
  readonly callsPerMinute: number;
  readonly parts: readonly LeakPart[];
}

/** When the stop takes effect, in minutes after the leak starts; undefined when it never does. */
export interface Mechanism {
  readonly name: string;
  readonly delays: readonly SourcedDelay[];
  stopsAfter(leak: Leak, c: Case): number | undefined;
}

/** Containment: the stop reaches IAM, and IAM's change reaches every endpoint. */
const CONTAINMENT: SourcedDelay = {
  minutes: { worst: 3, typical: 1 },
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
  source: 'containment queue, Lambda and IAM propagation: IAM documents its changes as eventually consistent with no bound; assumed',
};

export const METRIC_PUBLICATION: SourcedDelay = {
  minutes: { worst: 3, typical: 1 },
  source: 'AWS/Bedrock metrics are per minute (monitoring-runtime-metrics.html); when a minute becomes readable is not documented: assumed',
};
const ALARM_TO_EVENTBRIDGE: SourcedDelay = {
  minutes: { worst: 1, typical: 0.5 },
  source: 'alarm state change to EventBridge to the containment queue: not documented, assumed',
};

/** What the spend-rate cap's stop alarms are, as built: one per group of models, each summing its own models' dollars. */
export interface SpendRateCapParameters {
  readonly stopUsd: number;
  readonly windowMinutes: number;
  /** The ModelId values each stop alarm sums, one list per alarm. */
  readonly alarms: readonly (readonly string[])[];
}

/**
 * The spend-rate cap: per alarm, a sum of the window's dollars (tokens x price) over one period as long as
 * the window, evaluated every minute over a sliding window (the default evaluation window: CloudWatch API
 * Reference, EvaluationWindow; a 5-minute period evaluated every minute reads a 5-minute window moved on
 * a minute each time: CloudWatch User Guide, alarm-limits.html). Minutes not yet published are missing
 * from the window, so a steady leak is seen for the window less the publication delay. The first stop
 * alarm to fire stops the invoke role for every model.
 */
export function spendRateCap(p: SpendRateCapParameters): Mechanism {
  return {
    name: 'spend-rate cap',
    delays: [METRIC_PUBLICATION, ALARM_TO_EVENTBRIDGE, CONTAINMENT],
    stopsAfter(leak, c) {
      const fires = p.alarms
        .map((models) => leak.parts.filter((x) => models.includes(x.model)).reduce((n, x) => n + x.usdPerMinute, 0))
        .map((rate) => (rate > 0 ? alarmFiresAfter(rate, c, p) : undefined))
        .filter((t): t is number => t !== undefined);
      return fires.length === 0 ? undefined : Math.min(...fires) + ALARM_TO_EVENTBRIDGE.minutes[c] + CONTAINMENT.minutes[c];
    },
  };
}

/** Minutes from the leak's start to the first evaluation at which one alarm's readable window passes the stop. */
function alarmFiresAfter(usdPerMinute: number, c: Case, p: SpendRateCapParameters): number | undefined {
  const publication = METRIC_PUBLICATION.minutes[c];
  // The leak starts `start` minutes into a minute; the worst case is the start that fires last.
  const starts = c === 'typical' ? [0.5] : Array.from({ length: 60 }, (_, s) => s / 60);
  let worst = 0;
  for (const start of starts) {
    const spentIn = (k: number) => usdPerMinute * Math.max(0, k + 1 - Math.max(k, start));
    let fired: number | undefined;
    // Evaluations at whole minutes; a day without firing is a steady state that never fires.
    for (let t = 1; t <= 24 * 60 && fired === undefined; t++) {
      let sum = 0;
      // Minute k covers [k, k+1) and is readable from k + 1 + the publication delay.
      for (let k = t - p.windowMinutes; k < t; k++) {
        sum += k >= 0 && k + 1 + publication <= t ? spentIn(k) : 0;
      }
      fired = sum > p.stopUsd ? t : undefined;
    }
    if (fired === undefined) {
      return undefined;
    }
    worst = Math.max(worst, fired - start);
  }
  return worst;
}

const CLOUDTRAIL_TO_EVENTBRIDGE: SourcedDelay = {
  minutes: { worst: 5, typical: 1 },
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-delivery-level.html
  source: 'CloudTrail delivers to EventBridge on a best-effort basis with no documented delay; assumed up to CloudTrail\'s "about 5 minutes" for log files',
};

/** What the usage guard contains at, per person, as the library resolves it. */
export interface GuardParameters {
  readonly callsLimit: number;
  readonly usdLimit: number;
  readonly windowMinutes: number;
  readonly bucketMinutes: number;
}

/** The guard's parameters for these limits, with the window and buckets the library counts over. */
export function guardParameters(callsLimit: number, usdLimit: number): GuardParameters {
  return { callsLimit, usdLimit, windowMinutes: WINDOW_MS / 60_000, bucketMinutes: BUCKET_MS / 60_000 };
}

/**
 * The usage guard: per person, the calls and their weight (the most each call can cost) summed over the
 * buckets from the one holding "60 minutes before the call" to the call's own (so 60 to 65 minutes),
 * contained when either passes its limit (`>`).
 */
export function usageGuard(p: GuardParameters): Mechanism {
  return {
    name: 'usage guard',
    delays: [CLOUDTRAIL_TO_EVENTBRIDGE, CONTAINMENT],
    stopsAfter(leak, c) {
      const calls = leak.parts.reduce((n, x) => n + x.callsPerMinute, 0);
      const weight = leak.parts.reduce((n, x) => n + x.callsPerMinute * x.weightUsdPerCall, 0);
      const crossing = guardCrossesAfter(calls, weight, c, p);
      return crossing === undefined ? undefined : crossing + CLOUDTRAIL_TO_EVENTBRIDGE.minutes[c] + CONTAINMENT.minutes[c];
    },
  };
}

/** Minutes from the leak's start to the first call the guard counts over a limit; undefined when none is. */
function guardCrossesAfter(calls: number, weight: number, c: Case, p: GuardParameters): number | undefined {
  const over = (minutes: number) => calls * minutes > p.callsLimit || weight * minutes > p.usdLimit;
  if (!over(p.windowMinutes + p.bucketMinutes)) {
    // Not even the longest window the buckets can sum holds more than a limit.
    return undefined;
  }
  const early = Math.min(p.callsLimit / calls, p.usdLimit / weight);
  if (early < p.windowMinutes) {
    // Everything since the leak began is in the window: the start in the bucket does not matter.
    return early;
  }
  // The window's first bucket decides: worst, the start that crosses last; typical, half-way into a bucket.
  const starts = c === 'typical' ? [p.bucketMinutes / 2] : Array.from({ length: 50 }, (_, i) => (i / 50) * p.bucketMinutes);
  let worst = 0;
  for (const start of starts) {
    let t = early;
    const step = 1 / 60;
    // The window from the bucket holding (start + t - window) to start + t, clipped to the leak.
    const counted = (x: number) => Math.min(x, start + x - Math.floor((start + x - p.windowMinutes) / p.bucketMinutes) * p.bucketMinutes);
    // A crossing narrower than the step is missed: a day without one counts as never.
    while (!over(counted(t)) && t < 24 * 60) {
      t += step;
    }
    if (!over(counted(t))) {
      return undefined;
    }
    worst = Math.max(worst, t);
  }
  return worst;
}

const BUDGETS_DATA_LAG: SourcedDelay = {
  minutes: { worst: 24 * 60, typical: 12 * 60 },
  source: 'a call reaches the cost data Budgets reads usually within a day (docs/spend-limit.md): typical half a day',
};
const BUDGETS_REFRESH: SourcedDelay = {
  minutes: { worst: 12 * 60, typical: 5 * 60 },
  // https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-controls.html
  source: 'Budgets refreshes up to three times a day, 8 to 12 hours apart: the wait for the next refresh, up to 12 h, half of 10 h typical',
};

/** AWS Budgets at the monthly limit; the month's spend before the leak is taken as 0, the worst. */
export function budgets(monthlyLimitUsd: number): Mechanism {
  return {
    name: 'Budgets',
    delays: [BUDGETS_DATA_LAG, BUDGETS_REFRESH, CONTAINMENT],
    stopsAfter(leak, c) {
      return monthlyLimitUsd / leak.usdPerMinute + BUDGETS_DATA_LAG.minutes[c] + BUDGETS_REFRESH.minutes[c] + CONTAINMENT.minutes[c];
    },
  };
}

/** Every mechanism on: the first to stop wins. */
export function together(name: string, mechanisms: readonly Mechanism[]): Mechanism {
  return {
    name,
    delays: [],
    stopsAfter(leak, c) {
      const times = mechanisms.map((m) => m.stopsAfter(leak, c)).filter((t): t is number => t !== undefined);
      return times.length === 0 ? undefined : Math.min(...times);
    },
  };
}

