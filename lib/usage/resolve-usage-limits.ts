import { Token, Duration } from 'aws-cdk-lib';
import { UsageLimits } from './usage-limits';

/** The limits with defaults applied and checked. */
export interface ResolvedUsageLimits {
  readonly callsPerHourAlarm: number;
  readonly callsPerHourLimit: number;
  readonly usdPerHourAlarm: number;
  readonly usdPerHourLimit: number;
  readonly roleCallsPerHourLimit: number;
  readonly roleUsdPerHourLimit: number;
  readonly newNetworkWindowDays: number;
}

export const DEFAULT_CALLS_PER_HOUR_ALARM = 1000;
export const DEFAULT_CALLS_PER_HOUR_LIMIT = 3000;
export const DEFAULT_USD_PER_HOUR_ALARM = 1000;
export const DEFAULT_USD_PER_HOUR_LIMIT = 2500;
/** A role's sessions together, by default: three people's limits. */
export const DEFAULT_ROLE_LIMIT_FACTOR = 3;
export const DEFAULT_NEW_NETWORK_WINDOW_DAYS = 30;
// DynamoDB's TTL sweeps within days; past a year the "new network" signal says nothing useful.
const MAX_WINDOW_DAYS = 365;

/** Applies the defaults and refuses numbers that would alarm on nothing, or contain before alarming. */
export function resolveUsageLimits(limits: UsageLimits = {}): ResolvedUsageLimits {
  const calls = pair(limits.callsPerHourAlarm, DEFAULT_CALLS_PER_HOUR_ALARM, limits.callsPerHourLimit, DEFAULT_CALLS_PER_HOUR_LIMIT, 'callsPerHour', true);
  const usd = pair(limits.usdPerHourAlarm, DEFAULT_USD_PER_HOUR_ALARM, limits.usdPerHourLimit, DEFAULT_USD_PER_HOUR_LIMIT, 'usdPerHour', false);
  const roleCalls = checked('roleCallsPerHourLimit', limits.roleCallsPerHourLimit, calls.limit * DEFAULT_ROLE_LIMIT_FACTOR, true);
  const roleUsd = checked('roleUsdPerHourLimit', limits.roleUsdPerHourLimit, usd.limit * DEFAULT_ROLE_LIMIT_FACTOR, false);
  if (roleCalls < calls.limit || roleUsd < usd.limit) {
    throw new Error(`usage limits: a role's limits (${roleCalls} calls, $${roleUsd}) must be at least one person's (${calls.limit} calls, $${usd.limit}): all the role's sessions together include each person's; raise the role limits or lower the person's`);
  }
  const window = limits.newNetworkWindow ?? Duration.days(DEFAULT_NEW_NETWORK_WINDOW_DAYS);
  if (window.isUnresolved()) {
    throw new Error('usage limits: newNetworkWindow must be known at synth time, not a token');
  }
  const days = window.toHours({ integral: false }) / 24;
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw new Error(`usage limits: newNetworkWindow is ${window.toHumanString()}; give whole days from 1 to ${MAX_WINDOW_DAYS}, such as Duration.days(30)`);
  }
  return {
    callsPerHourAlarm: calls.alarm,
    callsPerHourLimit: calls.limit,
    usdPerHourAlarm: usd.alarm,
    usdPerHourLimit: usd.limit,
    roleCallsPerHourLimit: roleCalls,
    roleUsdPerHourLimit: roleUsd,
    newNetworkWindowDays: days,
  };
}

/** An alarm and its limit: each valid, the limit above the alarm so the alert always comes first. */
function pair(
  alarmValue: number | undefined, alarmDefault: number, limitValue: number | undefined, limitDefault: number, name: string, whole: boolean,
):
  { alarm: number; limit: number } {
  const alarm = checked(`${name}Alarm`, alarmValue, alarmDefault, whole);
  const limit = checked(`${name}Limit`, limitValue, limitDefault, whole);
  if (limit <= alarm) {
    throw new Error(`usage limits: ${name}Limit (${limit}) must be above ${name}Alarm (${alarm}), or an identity is contained without the alert that should come first; raise the limit or lower the alarm`);
  }
  return { alarm, limit };
}

function checked(name: string, value: number | undefined, fallback: number, whole: boolean): number {
  const v = value ?? fallback;
  if (Token.isUnresolved(v)) {
    throw new Error(`usage limits: ${name} must be a number known at synth time, not a token`);
  }
  if (whole ? !Number.isInteger(v) || v < 1 : !Number.isFinite(v) || v <= 0) {
    const unit = whole ? 'a whole number of calls in 60 minutes, 1 or more' : 'a number of US dollars in 60 minutes, above 0';
    throw new Error(`usage limits: ${name} is ${v}; it must be ${unit} (the default is ${fallback})`);
  }
  return v;
}
