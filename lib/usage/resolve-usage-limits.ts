import { Token, Duration } from 'aws-cdk-lib';
import { UsageLimits } from './usage-limits';

/** The limits with defaults applied and checked. */
export interface ResolvedUsageLimits {
  readonly callsPerHourAlarm: number;
  readonly callsPerHourLimit: number;
  readonly newNetworkWindowDays: number;
}

export const DEFAULT_CALLS_PER_HOUR_ALARM = 1000;
export const DEFAULT_CALLS_PER_HOUR_LIMIT = 3000;
export const DEFAULT_NEW_NETWORK_WINDOW_DAYS = 30;
// DynamoDB's TTL sweeps within days; past a year the "new network" signal says nothing useful.
const MAX_WINDOW_DAYS = 365;

/** Applies the defaults and refuses numbers that would alarm on nothing, or contain before alarming. */
export function resolveUsageLimits(limits: UsageLimits = {}): ResolvedUsageLimits {
  const alarm = limits.callsPerHourAlarm ?? DEFAULT_CALLS_PER_HOUR_ALARM;
  const limit = limits.callsPerHourLimit ?? DEFAULT_CALLS_PER_HOUR_LIMIT;
  for (const [name, value] of [['callsPerHourAlarm', alarm], ['callsPerHourLimit', limit]] as const) {
    if (Token.isUnresolved(value)) {
      throw new Error(`usage limits: ${name} must be a number known at synth time, not a token`);
    }
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`usage limits: ${name} is ${value}; it must be a whole number of calls per hour, 1 or more (the default is ${name === 'callsPerHourAlarm' ? DEFAULT_CALLS_PER_HOUR_ALARM : DEFAULT_CALLS_PER_HOUR_LIMIT})`);
    }
  }
  if (limit <= alarm) {
    throw new Error(`usage limits: callsPerHourLimit (${limit}) must be above callsPerHourAlarm (${alarm}), or an identity is contained without the alert that should come first; raise the limit or lower the alarm`);
  }
  const window = limits.newNetworkWindow ?? Duration.days(DEFAULT_NEW_NETWORK_WINDOW_DAYS);
  if (window.isUnresolved()) {
    throw new Error('usage limits: newNetworkWindow must be known at synth time, not a token');
  }
  const days = window.toHours({ integral: false }) / 24;
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw new Error(`usage limits: newNetworkWindow is ${window.toHumanString()}; give whole days from 1 to ${MAX_WINDOW_DAYS}, such as Duration.days(30)`);
  }
  return { callsPerHourAlarm: alarm, callsPerHourLimit: limit, newNetworkWindowDays: days };
}
