/**
 * How fast each mechanism stops a leak: its parameters (read from the library, so the bench simulates what
 * it deploys) and the delays AWS documents, or what was assumed where it documents none. Adjust here.
 */
import { DEFAULT_CALLS_PER_HOUR_LIMIT } from '../../lib/usage/resolve-usage-limits';
import {
  DEFAULT_SPEND_RATE_STOP_USD,
  DEFAULT_SPEND_RATE_WINDOW_MINUTES,
  SPEND_RATE_PERIOD_SECONDS,
} from '../../lib/usage/spend-rate-defaults';

export type Case = 'worst' | 'typical';
type Delay = Readonly<Record<Case, number>>;

/** A delay in minutes, worst and typical, with where it comes from. */
export interface SourcedDelay {
  readonly minutes: Delay;
  readonly source: string;
}

/** A leak calling at a steady rate from minute 0. */
export interface Leak {
  readonly usdPerMinute: number;
  readonly callsPerMinute: number;
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

const METRIC_PUBLICATION: SourcedDelay = {
  minutes: { worst: 3, typical: 1 },
  source: 'AWS/Bedrock metrics are per minute (monitoring-runtime-metrics.html); when a minute becomes readable is not documented: assumed',
};
const ALARM_TO_EVENTBRIDGE: SourcedDelay = {
  minutes: { worst: 1, typical: 0.5 },
  source: 'alarm state change to EventBridge to the containment queue: not documented, assumed',
};

/**
 * The spend-rate cap: a CloudWatch alarm on the window's dollars (tokens x price), evaluated every minute
 * (an alarm of a period of a minute or more is evaluated every minute: AlarmThatSendsEmail.html).
 */
export const SPEND_RATE_CAP: Mechanism = {
  name: 'spend-rate cap',
  delays: [METRIC_PUBLICATION, ALARM_TO_EVENTBRIDGE, CONTAINMENT],
  stopsAfter(leak, c) {
    const period = SPEND_RATE_PERIOD_SECONDS / 60;
    const window = DEFAULT_SPEND_RATE_WINDOW_MINUTES;
    if (leak.usdPerMinute * window <= DEFAULT_SPEND_RATE_STOP_USD) {
      return undefined;
    }
    // The leak starts `start` minutes after a period boundary; the worst case is the start that fires last.
    const starts = c === 'typical' ? [0.5 * period] : Array.from({ length: 60 }, (_, s) => (s / 60) * period);
    return Math.max(...starts.map((start) => capFiresAt(leak, start, period, window, METRIC_PUBLICATION.minutes[c]) - start))
      + ALARM_TO_EVENTBRIDGE.minutes[c] + CONTAINMENT.minutes[c];
  },
};

/** The first evaluation (a whole period) at which the visible datapoints of the window sum over the stop. */
function capFiresAt(leak: Leak, start: number, period: number, window: number, publication: number): number {
  const spentIn = (k: number) => leak.usdPerMinute * Math.max(0, (k + 1) * period - Math.max(k * period, start));
  // A window of full datapoints holds more than the stop (checked by the caller), so this ends.
  for (let t = 1; t < 100_000; t++) {
    // Datapoint k covers [k, k+1) periods and is readable from (k+1) periods + the publication delay.
    const newest = Math.floor((t * period - publication) / period) - 1;
    let sum = 0;
    for (let k = newest; k > newest - window / period && k >= 0; k--) {
      sum += spentIn(k);
    }
    if (sum > DEFAULT_SPEND_RATE_STOP_USD) {
      return t * period;
    }
  }
  throw new Error('the spend-rate cap never fired although a full window holds more than its stop');
}

const CLOUDTRAIL_TO_EVENTBRIDGE: SourcedDelay = {
  minutes: { worst: 5, typical: 1 },
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-delivery-level.html
  source: 'CloudTrail delivers to EventBridge on a best-effort basis with no documented delay; assumed up to CloudTrail\'s "about 5 minutes" for log files',
};

/**
 * The usage guard as the library deploys it today: calls per person per clock hour, contained past the limit.
 * When the guard counts dollars over a sliding window, change `weight` and `window` (and the constant).
 */
const GUARD = { limit: DEFAULT_CALLS_PER_HOUR_LIMIT, weight: 'calls' as 'calls' | 'usd', window: 'clock-hour' as 'clock-hour' | 'sliding', minutes: 60 };

export const USAGE_GUARD: Mechanism = {
  name: 'usage guard',
  delays: [CLOUDTRAIL_TO_EVENTBRIDGE, CONTAINMENT],
  stopsAfter(leak, c) {
    const rate = GUARD.weight === 'calls' ? leak.callsPerMinute : leak.usdPerMinute;
    const toLimit = GUARD.limit / rate;
    if (toLimit >= GUARD.minutes) {
      // Never more than the limit in one window: the guard never contains.
      return undefined;
    }
    let crossing = toLimit;
    if (GUARD.window === 'clock-hour') {
      // The count restarts at each hour; worst, the leak starts just too late to cross in its first hour.
      const left = c === 'worst' ? toLimit : GUARD.minutes / 2;
      crossing = left > toLimit ? toLimit : left + toLimit;
    }
    return crossing + CLOUDTRAIL_TO_EVENTBRIDGE.minutes[c] + CONTAINMENT.minutes[c];
  },
};

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

/** What the stop-time parameters were, for the report. */
export const GUARD_PARAMETERS = GUARD;
