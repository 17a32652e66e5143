import { CallWeights, weighCall } from './call-weight';
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

/** The limits the handler applies, as the construct resolved them (all over any 60 minutes). */
export interface UsageLimitsConfig {
  readonly callsPerHourAlarm: number;
  readonly callsPerHourLimit: number;
  readonly usdPerHourAlarm: number;
  readonly usdPerHourLimit: number;
  readonly roleCallsPerHourLimit: number;
  readonly roleUsdPerHourLimit: number;
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
  /** What a call of each granted model can cost at most; absent, every call weighs the fallback. */
  readonly weights?: CallWeights;
}

/** How long the sliding window is, and the buckets it is summed from. */
export const WINDOW_MS = 60 * 60_000;
export const BUCKET_MS = 5 * 60_000;

/** How the guard tells one person from another, from the most to the least bound. */
export type PrincipalKind = 'identity-center-user' | 'identity-center-name' | 'source-identity' | 'session';

/** One billed call by a watched identity, as CloudTrail recorded it. */
export interface ObservedCall {
  readonly identity: MatchedIdentity;
  /**
   * One person, whatever account or session name: an Identity Center user by its identity store user id
   * when CloudTrail records one (`userIdentity.onBehalfOf.userId`), else by the session name Identity
   * Center binds to the user name, in every account and permission set; a role session by the role and
   * its source identity when it carries one, else by the session ARN.
   */
  readonly principal: string;
  readonly principalKind: PrincipalKind;
  /** The identity store user id, when CloudTrail recorded one. */
  readonly userId?: string;
  /** For a role whose person is not bound by its trust: the role, whose sessions are counted together too. */
  readonly roleKey?: string;
  /** The session's ARN, as CloudTrail recorded it. */
  readonly sessionArn: string;
  readonly sourceIdentity?: string;
  /** The account of the role that issued the session. */
  readonly issuerAccount?: string;
  /** The account the call was made in. */
  readonly account?: string;
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
  /** The start of the 5-minute bucket it is counted in (ISO 8601). */
  readonly bucket: string;
  /** What the call can cost at most, in US dollars (0 for a call refused before the model ran). */
  readonly weightUsd: number;
}

export type UsageFindingKind = 'outside-grant' | 'rate-alarm' | 'rate-limit' | 'new-network';

export interface UsageFinding {
  readonly kind: UsageFindingKind;
  readonly reason: string;
}

/** Calls and their weight over the 60 minutes before a call. */
export interface WindowTotals {
  readonly calls: number;
  readonly usd: number;
}

/** What the store knows after recording the call. */
export interface UsageState {
  /** This person's calls over the 60 minutes to the call (bucket-aligned, so up to 65), this one included. */
  readonly window: WindowTotals;
  /** The same for all sessions of the call's role, when the role is counted. */
  readonly roleWindow?: WindowTotals;
  /** Every call of this person the guard has counted, this one included: it only grows. */
  readonly totalCalls: number;
  /** No call from this network within the window. */
  readonly networkIsNew: boolean;
  /** The identity was seen, from any network, within the window before this call. */
  readonly identityWasKnown: boolean;
  /** When the last rate alarm went out (epoch ms). */
  readonly alarmedAt?: number;
  /** `totalCalls` at the last containment. */
  readonly containedAt?: number;
  /** When the last outside-grant alert went out (epoch ms). */
  readonly outsideGrantAt?: number;
}

/** What to remember once the alert for a call has gone out, so a retry or the next call does not repeat it. */
export interface SentAlerts {
  readonly alarmedAt?: number;
  readonly containedAt?: number;
  readonly outsideGrantAt?: number;
}

/** What observing a call needs beyond the event. */
export interface ObserveContext {
  readonly sourceIdentityTrust?: Readonly<Record<string, SourceIdentityTrust>>;
  readonly weights?: CallWeights;
}

/** The call a watched identity made, or why the event is not one the guard counts. */
export function observeCall(
  event: CloudTrailApiCallEvent, matchers: IdentityMatchers, now: number, context: ObserveContext = {},
): ObservedCall | { readonly ignored: string } {
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
  const sourceIdentity = d.userIdentity?.sessionContext?.sourceIdentity || undefined;
  const who = personOf(identity, sessionArn, sourceIdentity, d.userIdentity?.onBehalfOf?.userId);
  const trust = context.sourceIdentityTrust?.[identity.roleName];
  const t = Date.parse(d.eventTime ?? event.time ?? '');
  // A call dated in the future counts now: a clock cannot push calls into a window nobody watches.
  const atMs = Number.isNaN(t) ? now : Math.min(t, now);
  const model = modelIdOf(String((d.requestParameters as { modelId?: unknown } | null | undefined)?.modelId ?? ''));
  return {
    identity,
    ...who,
    // A person the trust does not bind can rename themselves: the role's sessions add up beside the name.
    roleKey: identity.kind === 'role' && !(sourceIdentity && trust === 'bound') ? `role/${issuer?.arn ?? identity.roleName}` : undefined,
    sessionArn,
    sourceIdentity,
    issuerAccount: issuer?.accountId,
    account: d.recipientAccountId ?? event.account,
    call: `${d.eventSource ?? 'bedrock.amazonaws.com'}:${d.eventName}`,
    model,
    region: d.awsRegion ?? event.region ?? '',
    network: networkOf(d.sourceIPAddress),
    sourceIPAddress: d.sourceIPAddress,
    errorCode: d.errorCode,
    eventTime: new Date(atMs).toISOString(),
    bucket: bucketOf(atMs),
    weightUsd: weighCall(model, d.errorCode, context.weights),
  };
}

/** Who a session is, as the guard counts people. */
function personOf(identity: MatchedIdentity, sessionArn: string, sourceIdentity: string | undefined, userId: string | undefined):
{ principal: string; principalKind: PrincipalKind; userId?: string } {
  if (identity.kind === 'permission-set') {
    // Identity Center names the session after the user in every account it provisions (bound, not chosen).
    return userId
      ? { principal: `identity-center-user/${userId}`, principalKind: 'identity-center-user', userId }
      : { principal: `identity-center-name/${sessionArn.split('/').slice(2).join('/')}`, principalKind: 'identity-center-name' };
  }
  return sourceIdentity
    ? { principal: `${sessionArn.slice(0, sessionArn.lastIndexOf('/'))}/source-identity/${sourceIdentity}`, principalKind: 'source-identity' }
    : { principal: sessionArn, principalKind: 'session' };
}

/** The start of the bucket a time falls in, as ISO 8601 (sortable, so a window is a key range). */
export function bucketOf(ms: number): string {
  return new Date(Math.floor(ms / BUCKET_MS) * BUCKET_MS).toISOString();
}

/**
 * The buckets a call's window sums: from the one holding 60 minutes before the call to the one holding
 * the handler's clock. Every call of any 60 minutes that include this call, made before or after it, is
 * in them: so when the last of those calls is counted, the sum holds all of them, whatever order they
 * arrived in and wherever the bucket or hour boundaries fall.
 */
export function windowOf(call: ObservedCall, now: number): { readonly from: string; readonly to: string } {
  return { from: bucketOf(Date.parse(call.eventTime) - WINDOW_MS), to: bucketOf(Math.max(now, Date.parse(call.eventTime))) };
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
 * Thresholds are crossings (`>`) over the sliding 60 minutes, and each alert is remembered once sent
 * (`SentAlerts`), so a retried or duplicated event can neither repeat an alert nor skip one: calls
 * outside the grant once per 60 minutes, the alarm once per 60 minutes, containment at the limit (the
 * person's, or the role's for every session of it) and every 100 calls after, one alert per new network.
 */
export function usageFindings(
  call: ObservedCall, outside: UsageFinding[], state: UsageState, limits: UsageLimitsConfig, now: number,
): UsageFinding[] {
  const quiet = (at: number | undefined) => at === undefined || now - at >= WINDOW_MS;
  const findings: UsageFinding[] = quiet(state.outsideGrantAt) ? [...outside] : [];
  const within = `in the 60 minutes to ${call.eventTime}`;
  const alarm = crossed(state.window, limits.callsPerHourAlarm, limits.usdPerHourAlarm);
  if (alarm && quiet(state.alarmedAt)) {
    findings.push({ kind: 'rate-alarm', reason: `${totals(state.window)} ${within}, over the alarm of ${alarm}` });
  }
  const person = crossed(state.window, limits.callsPerHourLimit, limits.usdPerHourLimit);
  const role = state.roleWindow && crossed(state.roleWindow, limits.roleCallsPerHourLimit, limits.roleUsdPerHourLimit);
  if ((person || role) && (state.containedAt === undefined || state.totalCalls - state.containedAt >= RECONTAIN_EVERY)) {
    findings.push({
      kind: 'rate-limit',
      reason: person
        ? `${totals(state.window)} ${within}, over the hard limit of ${person}`
        : `all sessions of role ${call.identity.roleName} together: ${totals(state.roleWindow!)} ${within}, `
          + `over the role's hard limit of ${role}; whatever name this session chose, it is contained`,
    });
  }
  if (call.network && state.networkIsNew && state.identityWasKnown) {
    findings.push({ kind: 'new-network', reason: `first call from ${call.network} (${call.sourceIPAddress}) in ${limits.newNetworkWindowDays} days` });
  }
  return findings;
}

/** Which threshold a window passed, in words, or undefined. */
function crossed(w: WindowTotals, calls: number, usd: number): string | undefined {
  return w.calls > calls ? `${calls} calls` : w.usd > usd ? `$${usd} (each call weighed at the most it can cost)` : undefined;
}

function totals(w: WindowTotals): string {
  return `${w.calls} model calls that could cost up to $${w.usd.toFixed(2)}`;
}

/** What the store must remember after the findings' alert went out. */
export function sentAlerts(findings: UsageFinding[], state: UsageState, now: number): SentAlerts | undefined {
  const kinds = new Set(findings.map((f) => f.kind));
  const sent: SentAlerts = {
    ...(kinds.has('rate-alarm') ? { alarmedAt: now } : {}),
    ...(kinds.has('rate-limit') ? { containedAt: state.totalCalls } : {}),
    ...(kinds.has('outside-grant') ? { outsideGrantAt: now } : {}),
  };
  return Object.keys(sent).length > 0 ? sent : undefined;
}

/** The grant that applies to a call's identity, if the construct knows it. */
export function grantFor(call: ObservedCall, config: UsageConfig): UsageGrant | undefined {
  return call.identity.kind === 'role' ? config.roleGrants[call.identity.roleName] : config.permissionSetGrants[call.identity.name];
}
