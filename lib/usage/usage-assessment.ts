import type { CloudTrailApiCallEvent, MatchedIdentity, SourceIdentityTrust } from '../detection/alert-message';
import { matchIdentity } from '../detection/alert-message';
import { BILLED_BEDROCK_EVENT_NAMES } from '../detection/cloudtrail-event-types';
import type { IdentityMatchers } from '../detection/event-pattern';
import { classifyPermissionSetRole, SSO_ROLE_PATH } from '../models/permission-set-role';


/** What one identity may call: model ids (profiles and foundation models, without ARN) and source Regions. */
export interface UsageGrant {
  readonly modelIds: string[];
  readonly regions: string[];
}

/** The limits the handler applies, as the construct resolved them. */
export interface UsageLimitsConfig {
  readonly callsPerHourAlarm: number;
  readonly callsPerHourLimit: number;
  readonly newNetworkWindowDays: number;
}

/** What the construct passes the handler. */
export interface UsageConfig {
  readonly matchers: IdentityMatchers;
  /** Invoke roles in this account whose sessions containment may revoke. */
  readonly containedRoles: string[];
  /** Permission sets administered here whose users containment may deny. */
  readonly containedPermissionSets: string[];
  /** The account whose invoke roles containment may revoke: a role of the same name elsewhere is someone else's. */
  readonly homeAccount: string;
  /** How each watched role's trust binds the source identity, by role name; absent means self-declared. */
  readonly sourceIdentityTrust?: Record<string, SourceIdentityTrust>;
  /** Grants by role name and by permission set name; an identity without one is not checked against a grant. */
  readonly roleGrants: Record<string, UsageGrant>;
  readonly permissionSetGrants: Record<string, UsageGrant>;
  readonly limits: UsageLimitsConfig;
}

/** One billed call by a watched identity, as CloudTrail recorded it. */
export interface ObservedCall {
  readonly identity: MatchedIdentity;
  /**
   * One person: the role's ARN with the source identity when the session carries one (an IAM user's
   * is bound to its own name, and stays the same whatever session name is chosen), else the session ARN.
   */
  readonly principal: string;
  /** The session's ARN, as CloudTrail recorded it. */
  readonly sessionArn: string;
  /** The account of the role that issued the session. */
  readonly issuerAccount?: string;
  readonly call: string;
  /** The model or profile id the caller named, without ARN. */
  readonly model: string;
  readonly region: string;
  /** The caller's network: an IPv4 /24 or an IPv6 /48; undefined when CloudTrail recorded no address. */
  readonly network?: string;
  readonly sourceIPAddress?: string;
  readonly errorCode?: string;
  /** When the call was made, never later than the handler's clock. */
  readonly eventTime: string;
  /** The clock hour (UTC) it is counted in, such as 2026-11-30T14. */
  readonly hour: string;
}

export type UsageFindingKind = 'outside-grant' | 'rate-alarm' | 'rate-limit' | 'new-network';

export interface UsageFinding {
  readonly kind: UsageFindingKind;
  readonly reason: string;
}

/** What the store knows after recording the call. */
export interface UsageState {
  /** This identity's billed calls in the call's clock hour, this one included. */
  readonly callsThisHour: number;
  /** No call from this network within the window. */
  readonly networkIsNew: boolean;
  /** The identity was seen, from any network, within the window before this call. */
  readonly identityWasKnown: boolean;
  /** The hour's alerts already sent: the count at the rate alarm, at the last containment, and whether outside-grant was told. */
  readonly alarmedAt?: number;
  readonly containedAt?: number;
  readonly outsideGrantAlerted?: boolean;
}

/** What to remember once the alert for a call has gone out, so a retry or the next call does not repeat it. */
export interface SentAlerts {
  readonly alarmedAt?: number;
  readonly containedAt?: number;
  readonly outsideGrantAlerted?: boolean;
}

/** The call a watched identity made, or why the event is not one the guard counts. */
export function observeCall(event: CloudTrailApiCallEvent, matchers: IdentityMatchers, now: number): ObservedCall | { readonly ignored: string } {
  const d = event.detail ?? {};
  if (!BILLED_BEDROCK_EVENT_NAMES.includes(d.eventName ?? '')) {
    return { ignored: `not a billed model call (${d.eventName})` };
  }
  const identity = matchIdentity(event, matchers);
  const sessionArn = d.userIdentity?.arn;
  const issuer = d.userIdentity?.sessionContext?.sessionIssuer;
  if (!identity || !sessionArn) {
    // matchIdentity applies the one rule for permission-set roles: a look-alike outside the reserved path is nobody's.
    const verdict = classifyPermissionSetRole(issuer?.arn, matchers.permissionSets.map((p) => p.name));
    return verdict.kind === 'look-alike'
      ? { ignored: `role ${issuer?.arn} is named like permission set ${verdict.permissionSetName}'s role but is not under ${SSO_ROLE_PATH}` }
      : { ignored: `not a watched identity (${issuer?.userName})` };
  }
  const sourceIdentity = d.userIdentity?.sessionContext?.sourceIdentity;
  const principal = sourceIdentity ? `${sessionArn.slice(0, sessionArn.lastIndexOf('/'))}/source-identity/${sourceIdentity}` : sessionArn;
  const t = Date.parse(d.eventTime ?? event.time ?? '');
  // A call dated in the future counts now: a clock cannot push calls into an hour nobody watches.
  const at = new Date(Number.isNaN(t) ? now : Math.min(t, now)).toISOString();
  const model = String((d.requestParameters as { modelId?: unknown } | null | undefined)?.modelId ?? '');
  return {
    identity,
    principal,
    sessionArn,
    issuerAccount: issuer?.accountId,
    call: `${d.eventSource ?? 'bedrock.amazonaws.com'}:${d.eventName}`,
    model: modelIdOf(model),
    region: d.awsRegion ?? event.region ?? '',
    network: networkOf(d.sourceIPAddress),
    sourceIPAddress: d.sourceIPAddress,
    errorCode: d.errorCode,
    eventTime: at,
    hour: at.slice(0, 13),
  };
}

/** A model or profile id from what a caller passed: an id, or an ARN whose resource id follows the last '/'. */
export function modelIdOf(modelId: string): string {
  return modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
}

/**
 * The network an address belongs to: the first three octets of IPv4, the first three groups of IPv6
 * (after expanding '::'). CloudTrail writes a service name (bedrock.amazonaws.com) or 'AWS Internal'
 * when an AWS service made the call: those have no network.
 */
export function networkOf(address: string | undefined): string | undefined {
  if (!address) {
    return undefined;
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    return v4.slice(1, 5).every((o) => Number(o) <= 255) ? `${v4[1]}.${v4[2]}.${v4[3]}.0/24` : undefined;
  }
  if (!/^[0-9a-fA-F:]+$/.test(address) || !address.includes(':')) {
    return undefined;
  }
  const [head, tail] = address.toLowerCase().split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    groups.push(...Array(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
  }
  if (groups.length !== 8 || groups.some((g) => g.length === 0 || g.length > 4)) {
    return undefined;
  }
  return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
}

/** Calls the grant does not cover: another model, another source Region, or one IAM refused. */
export function grantFindings(call: ObservedCall, grant: UsageGrant | undefined): UsageFinding[] {
  const findings: UsageFinding[] = [];
  if (call.errorCode && /AccessDenied|UnauthorizedOperation/.test(call.errorCode)) {
    findings.push({ kind: 'outside-grant', reason: `IAM refused the call (${call.errorCode}): it asked for something outside the grant` });
  }
  if (grant && !grant.modelIds.includes(call.model)) {
    findings.push({ kind: 'outside-grant', reason: `model '${call.model}' is not one the identity is granted (${grant.modelIds.join(', ')})` });
  }
  if (grant && !grant.regions.includes(call.region)) {
    findings.push({ kind: 'outside-grant', reason: `Region ${call.region} is not a source Region of the grant (${grant.regions.join(', ')})` });
  }
  return findings;
}

/** How many calls past the last containment go by before containment is asked again (for sessions issued after it). */
export const RECONTAIN_EVERY = 100;

/**
 * The findings for a call, given its grant findings and what the store knows after recording it.
 * Thresholds are crossings (`>`), and each alert is remembered once sent (`SentAlerts`), so a retried
 * or duplicated event can neither repeat an alert nor skip one: the first call outside the grant in an
 * hour, the alarm once an hour, containment at the limit and every 100 calls after, one alert per new network.
 */
export function usageFindings(call: ObservedCall, outside: UsageFinding[], state: UsageState, limits: UsageLimitsConfig): UsageFinding[] {
  const findings: UsageFinding[] = state.outsideGrantAlerted ? [] : [...outside];
  const n = state.callsThisHour;
  if (n > limits.callsPerHourAlarm && state.alarmedAt === undefined) {
    findings.push({ kind: 'rate-alarm', reason: `${n} model calls in the hour from ${call.hour}:00Z, over the alarm of ${limits.callsPerHourAlarm}` });
  }
  if (n > limits.callsPerHourLimit && (state.containedAt === undefined || n - state.containedAt >= RECONTAIN_EVERY)) {
    findings.push({ kind: 'rate-limit', reason: `${n} model calls in the hour from ${call.hour}:00Z, over the hard limit of ${limits.callsPerHourLimit}` });
  }
  if (call.network && state.networkIsNew && state.identityWasKnown) {
    findings.push({ kind: 'new-network', reason: `first call from ${call.network} (${call.sourceIPAddress}) in ${limits.newNetworkWindowDays} days` });
  }
  return findings;
}

/** What the store must remember after the findings' alert went out. */
export function sentAlerts(findings: UsageFinding[], state: UsageState): SentAlerts | undefined {
  const kinds = new Set(findings.map((f) => f.kind));
  const sent: SentAlerts = {
    ...(kinds.has('rate-alarm') ? { alarmedAt: state.callsThisHour } : {}),
    ...(kinds.has('rate-limit') ? { containedAt: state.callsThisHour } : {}),
    ...(kinds.has('outside-grant') ? { outsideGrantAlerted: true } : {}),
  };
  return Object.keys(sent).length > 0 ? sent : undefined;
}

/** The grant that applies to a call's identity, if the construct knows it. */
export function grantFor(call: ObservedCall, config: UsageConfig): UsageGrant | undefined {
  return call.identity.kind === 'role' ? config.roleGrants[call.identity.roleName] : config.permissionSetGrants[call.identity.name];
}
