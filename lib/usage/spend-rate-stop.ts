/**
 * What the spend-rate function decides, as plain functions: whether an alarm event is one of the cap's,
 * and whom its stop asks containment to deny. The handler reads this module, so it must not load aws-cdk-lib.
 */
import type { HeaviestCaller } from './heaviest-callers';
import type { SpendRateLevel } from './spend-rate-alarms';
import { ContainmentRequest, sessionNameOf } from '../containment/containment-request';
import type { SourceIdentityTrust } from '../detection/alert-message';
import { AWS_SOURCE_PREFIX } from '../detection/cloudtrail-event-types';

/** EventBridge's detail-type for an alarm's change of state (CloudWatch User Guide, "Alarm events and EventBridge"). */
export const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';
export const CLOUDWATCH_SOURCE = `${AWS_SOURCE_PREFIX}cloudwatch`;
/** An alarm event older than this is not acted on: the window it measured is long past. */
export const STALE_ALARM_MS = 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Callers whose window weight is at least this share of the heaviest's are stopped with it (two leaked credentials, say). */
export const HEAVY_SHARE = 0.5;
/** How many callers the stop asks the usage guard for. */
export const HEAVIEST_CALLERS_ASKED = 10;

/** The function's configuration, from the construct. */
export interface SpendRateConfig {
  readonly alarms: { readonly name: string; readonly level: SpendRateLevel; readonly models: string[] }[];
  readonly windowMinutes: number;
  readonly alertUsd: number;
  readonly stopUsd: number;
  /** The account the invoke roles live in, and the central stack's. */
  readonly homeAccount: string;
  /** The accounts alarms may come from; empty means any the central bus admits (an organization). */
  readonly accounts: string[];
  /** What containment may stop. */
  readonly roles: string[];
  readonly permissionSets: string[];
  /** How each invoke role's trust binds the source identity, by role name; absent means self-declared. */
  readonly sourceIdentityTrust?: Record<string, SourceIdentityTrust>;
}

/** The part of an alarm state-change event the function reads; every field may be absent. */
export interface AlarmStateChangeEvent {
  readonly 'id'?: string;
  readonly 'source'?: string;
  readonly 'detail-type'?: string;
  readonly 'account'?: string;
  readonly 'region'?: string;
  readonly 'resources'?: string[];
  readonly 'replay-name'?: string;
  readonly 'detail'?: {
    readonly alarmName?: string;
    readonly state?: { readonly value?: string; readonly timestamp?: string; readonly reason?: string };
    readonly previousState?: { readonly value?: string };
  };
}

/** An alarm of the cap that went into ALARM. */
export interface SpendRateAlarm {
  readonly name: string;
  readonly level: SpendRateLevel;
  readonly models: string[];
  readonly account: string;
  readonly region: string;
  /** When the alarm changed state, ISO 8601. */
  readonly at: string;
}

/**
 * The alarm, or why the event is not acted on. Only AWS can put an `aws.` source on a bus (PutEvents
 * refuses the prefix to anyone else), and the name, account, Region and ARN must agree with the cap's.
 */
export function readAlarmEvent(event: AlarmStateChangeEvent, config: SpendRateConfig, now: number): SpendRateAlarm | { readonly ignored: string } {
  if (event.source !== CLOUDWATCH_SOURCE || event['detail-type'] !== ALARM_STATE_CHANGE) {
    return { ignored: 'not an alarm state change delivered by CloudWatch' };
  }
  if (event['replay-name']) {
    return { ignored: `replayed by ${event['replay-name']}: an old alarm stops nobody` };
  }
  const name = event.detail?.alarmName ?? '';
  const alarm = config.alarms.find((a) => a.name === name);
  if (!alarm) {
    return { ignored: `alarm '${name.slice(0, 255)}' is not one of the spend-rate cap's` };
  }
  const account = event.account ?? '';
  const region = event.region ?? '';
  if (!/^\d{12}$/.test(account) || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    return { ignored: 'the event names no valid account and Region' };
  }
  if (config.accounts.length > 0 && !config.accounts.includes(account)) {
    return { ignored: `account ${account} is not one the cap covers` };
  }
  const arn = new RegExp(`^arn:aws[\\w-]*:cloudwatch:${region}:${account}:alarm:${escape(name)}$`);
  if (!(event.resources ?? []).some((r) => arn.test(r))) {
    return { ignored: 'the event\'s resource is not the alarm it names' };
  }
  if (event.detail?.state?.value !== 'ALARM') {
    return { ignored: `the alarm went to ${event.detail?.state?.value ?? 'an unknown state'}: nothing to do` };
  }
  if (event.detail.previousState?.value === 'ALARM') {
    return { ignored: 'the alarm was in ALARM already' };
  }
  const at = parseAlarmTime(event.detail.state.timestamp);
  if (at === undefined || at > now + CLOCK_SKEW_MS || at < now - STALE_ALARM_MS) {
    return { ignored: `the alarm's time '${String(event.detail.state.timestamp).slice(0, 40)}' is not within the last hour` };
  }
  return { name, level: alarm.level, models: alarm.models, account, region, at: new Date(at).toISOString() };
}

/** CloudWatch writes alarm times as `2026-11-20T09:14:07.123+0000`; the offset gets its colon. */
export function parseAlarmTime(value: string | undefined): number | undefined {
  const t = Date.parse((value ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Whom a stop alarm stops. The heaviest callers of the window in the alarm's account, as the usage
 * guard weighed them: an invoke role's caller alone when the role's trust binds their source identity,
 * else the whole role (a self-declared name changes with the next AssumeRole). When nobody can be told apart (no guard, or no caller there), everything that can
 * spend in that account: the invoke roles in the home account, and every contained permission set.
 */
export function stopRequests(alarm: SpendRateAlarm, callers: readonly HeaviestCaller[] | undefined, config: SpendRateConfig): ContainmentRequest[] {
  const here = (callers ?? []).filter((c) => (c.issuerAccount === undefined || c.issuerAccount === alarm.account)
    && (c.identity.kind === 'role' ? config.roles.includes(c.identity.name) && alarm.account === config.homeAccount : config.permissionSets.includes(c.identity.name)));
  const heaviest = Math.max(0, ...here.map((c) => c.weightUsd));
  const chosen = heaviest > 0 ? here.filter((c) => c.weightUsd >= heaviest * HEAVY_SHARE) : [];
  const base = { version: 1 as const, reason: 'spend-limit' as const, eventTime: alarm.at, call: `cloudwatch:alarm ${alarm.name} in ${alarm.account} ${alarm.region}` };
  const wholeRole = (roleName: string): ContainmentRequest => ({ ...base, target: { kind: 'role', roleName }, everySession: true });
  if (chosen.length === 0) {
    return [
      ...(alarm.account === config.homeAccount ? config.roles.map(wholeRole) : []),
      ...config.permissionSets.map((permissionSetName): ContainmentRequest => ({ ...base, target: { kind: 'permission-set', permissionSetName }, everySession: true })),
    ];
  }
  const requests = new Map<string, ContainmentRequest>();
  for (const c of chosen) {
    if (c.identity.kind === 'role') {
      // A source identity the trust binds to the caller's own user follows them into every new session: deny it, not the team.
      if (c.sourceIdentity && config.sourceIdentityTrust?.[c.identity.name] === 'bound') {
        const sessionName = sessionNameOf(c.sessionArn) ?? c.sourceIdentity;
        requests.set(`source:${c.identity.name}:${c.sourceIdentity}`, {
          ...base, target: { kind: 'role', roleName: c.identity.name }, session: { sessionName, sourceIdentity: c.sourceIdentity },
        });
      } else {
        // A self-declared name can be changed with the next AssumeRole, so only the whole role stops the spend.
        requests.set(`role:${c.identity.name}`, wholeRole(c.identity.name));
      }
      continue;
    }
    const sessionName = sessionNameOf(c.sessionArn);
    if (sessionName) {
      requests.set(`user:${c.identity.name}:${sessionName}`, {
        ...base, target: { kind: 'permission-set', permissionSetName: c.identity.name }, session: { sessionName, sourceIdentity: c.sourceIdentity },
      });
    }
  }
  return [...requests.values()];
}

/** The alert people read, in plain words. */
export function spendRateAlert(
  alarm: SpendRateAlarm, config: SpendRateConfig, requests: readonly ContainmentRequest[],
): { subject: string; message: string } {
  const threshold = alarm.level === 'alert' ? config.alertUsd : config.stopUsd;
  const stopped = requests.map((r) => {
    const target = r.target.kind === 'role' ? `role ${r.target.roleName}` : `permission set ${r.target.permissionSetName}`;
    return `  ${r.everySession ? `every session of ${target}` : `${r.session?.sessionName} of ${target}`}`;
  });
  const lines = [
    `Bedrock spend on ${alarm.models.join(', ')} passed $${threshold} in ${config.windowMinutes} minutes in account ${alarm.account}, Region ${alarm.region} (alarm ${alarm.name}, at ${alarm.at}).`,
    '',
    ...(alarm.level === 'alert'
      ? [`Nothing is stopped yet: at $${config.stopUsd} in ${config.windowMinutes} minutes the cap stops the identities that can spend there.`]
      : requests.length > 0
        ? ['Containment is asked to stop:', ...stopped, '', 'Lift a stop once the spend is explained: npx cdk-bedrock-least-privilege containment lift (docs/spend-rate-cap.md).']
        : ['Nothing here can be contained (containment is off, or nothing it covers can spend in that account): stop the spend by hand.']),
  ];
  const subject = `Bedrock spend ${alarm.level === 'alert' ? 'alert' : 'STOP'}: over $${threshold} in ${config.windowMinutes} min in ${alarm.account} ${alarm.region}`;
  return { subject, message: lines.join('\n') };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
