import type { IdentityMatchers } from './event-pattern';
import { cleaned, quoted, subjectLine } from './untrusted-text';
import { classifyPermissionSetRole } from '../models/permission-set-role';

/** How much of a caller-controlled value an alert keeps. */
const FIELD_LIMIT = 200;

/** The part of an EventBridge-delivered CloudTrail record the alert reads. Every field may be absent. */
export interface CloudTrailApiCallEvent {
  readonly 'id'?: string;
  readonly 'source'?: string;
  readonly 'account'?: string;
  readonly 'region'?: string;
  readonly 'time'?: string;
  readonly 'detail-type'?: string;
  readonly 'detail'?: {
    readonly eventID?: string;
    readonly eventTime?: string;
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly awsRegion?: string;
    readonly recipientAccountId?: string;
    readonly sourceIPAddress?: string;
    readonly userAgent?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    readonly requestParameters?: Record<string, unknown> | null;
    readonly userIdentity?: {
      readonly type?: string;
      readonly arn?: string;
      readonly accountId?: string;
      readonly accessKeyId?: string;
      /** The workforce user of an identity-enhanced session (CloudTrail User Guide, "CloudTrail userIdentity element"). */
      readonly onBehalfOf?: { readonly userId?: string; readonly identityStoreArn?: string };
      readonly sessionContext?: {
        readonly sourceIdentity?: string;
        readonly attributes?: { readonly creationDate?: string; readonly mfaAuthenticated?: string };
        readonly sessionIssuer?: { readonly userName?: string; readonly arn?: string; readonly accountId?: string };
      };
    };
  };
}

/** A watched identity an event belongs to. */
export interface MatchedIdentity {
  readonly kind: 'role' | 'permission-set';
  /** The role name, or the permission set's name. */
  readonly name: string;
  /** The role the session was issued by. */
  readonly roleName: string;
}

/** The alert as the library publishes it, on SNS for people and on the event bus for machines. */
export interface Alert {
  readonly subject: string;
  readonly message: string;
  readonly detail: AlertDetail;
}

export interface AlertDetail {
  readonly identityKind: 'role' | 'permission-set';
  readonly identityName: string;
  readonly roleName: string;
  readonly roleArn?: string;
  readonly sessionName?: string;
  readonly sourceIdentity?: string;
  readonly accessKeyId?: string;
  readonly sessionIssuedAt?: string;
  readonly call: string;
  readonly errorCode?: string;
  readonly account?: string;
  readonly region?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly eventTime?: string;
  readonly cloudTrailEventId?: string;
  readonly containment: 'revoke-sessions' | 'deny-identity-center-user' | 'manual-identity-center' | 'manual-role' | 'review-change';
  /** For a change to a watched permission set: who made it (the caller's ARN). */
  readonly changedBy?: string;
  /** For a change to a watched permission set: its ARN. */
  readonly permissionSetArn?: string;
  /** For an alert of the usage guard: what was unusual (rate-alarm, rate-limit, new-network, outside-grant). */
  readonly usage?: string[];
}

/**
 * How a watched role's trust ties the source identity to the caller: `bound` (an IAM user's own
 * name), `mixed` (bound for IAM users, declared by role sessions), `self-declared` (whatever the caller typed).
 */
export type SourceIdentityTrust = 'bound' | 'mixed' | 'self-declared';

const TRUST_NOTE: Record<SourceIdentityTrust, string> = {
  'bound': 'bound by the trust policy to the caller\'s own IAM user name',
  'mixed': 'self-declared if a role session set it; an IAM user\'s is bound to its own name',
  'self-declared': 'self-declared: the caller chose it, nothing ties it to a person',
};

/**
 * Whether a session name says who the caller is: IAM Identity Center names its sessions after the
 * signed-in user; anyone who assumes a role names the session as they like.
 */
export function sessionNameNote(kind: MatchedIdentity['kind']): string {
  return kind === 'permission-set'
    ? 'bound: IAM Identity Center sets it to the signed-in user\'s name'
    : 'self-declared: whoever assumed the role chose it';
}

/** The note on a source identity, by how the role's trust policy binds it. */
export function sourceIdentityNote(trust: SourceIdentityTrust | undefined): string {
  return TRUST_NOTE[trust ?? 'self-declared'];
}

/** The event source and detail-type of the library's own alert events on the central bus. */
export const ALERT_SOURCE = 'cdk-bedrock-least-privilege';
export const ALERT_DETAIL_TYPE = 'Bedrock Credential Misuse Alert';

/**
 * Which watched identity issued the session, exactly: a permission set named `Bedrock` matched by
 * prefix must not claim the roles of `Bedrock_Admin`, and a role outside Identity Center's reserved path
 * is no permission set's.
 */
export function matchIdentity(event: CloudTrailApiCallEvent, matchers: IdentityMatchers): MatchedIdentity | undefined {
  const roleName = event.detail?.userIdentity?.sessionContext?.sessionIssuer?.userName;
  if (!roleName) {
    return undefined;
  }
  if (matchers.roleNames.includes(roleName)) {
    return { kind: 'role', name: roleName, roleName };
  }
  // The reserved path and the name together: a role merely named like a permission set's is a look-alike.
  const issuerArn = event.detail?.userIdentity?.sessionContext?.sessionIssuer?.arn;
  const verdict = classifyPermissionSetRole(issuerArn, matchers.permissionSets.map((p) => p.name));
  return verdict.kind === 'permission-set-role' ? { kind: 'permission-set', name: verdict.permissionSetName, roleName } : undefined;
}

/** A message a person reads at a glance: who, what, where, when, and what to do. */
export function formatAlert(
  event: CloudTrailApiCallEvent,
  identity: MatchedIdentity,
  containedRoles: string[],
  sourceIdentityTrust: Readonly<Record<string, SourceIdentityTrust>> = {},
  homeAccount?: string,
): Alert {
  const d = event.detail ?? {};
  const who = d.userIdentity ?? {};
  const session = who.sessionContext ?? {};
  const sessionName = cleaned(who.arn?.split('/').slice(2).join('/') || undefined, FIELD_LIMIT);
  const sourceIdentity = cleaned(session.sourceIdentity, FIELD_LIMIT);
  const call = cleaned(`${d.eventSource ?? 'unknown source'}:${d.eventName ?? 'unknown call'}`, FIELD_LIMIT)!;
  const account = d.recipientAccountId ?? event.account ?? who.accountId;
  const region = d.awsRegion ?? event.region;
  const containment: AlertDetail['containment'] = identity.kind === 'permission-set'
    ? 'manual-identity-center'
    // A role of the same name in another account is someone else's: only the home account's is contained.
    : containedRoles.includes(identity.roleName) && (homeAccount === undefined || session.sessionIssuer?.accountId === homeAccount) ? 'revoke-sessions' : 'manual-role';
  const detail: AlertDetail = {
    identityKind: identity.kind,
    identityName: identity.name,
    roleName: identity.roleName,
    roleArn: session.sessionIssuer?.arn,
    sessionName,
    sourceIdentity,
    accessKeyId: who.accessKeyId,
    sessionIssuedAt: session.attributes?.creationDate,
    call,
    errorCode: d.errorCode,
    account,
    region,
    sourceIPAddress: cleaned(d.sourceIPAddress, FIELD_LIMIT),
    userAgent: cleaned(d.userAgent, FIELD_LIMIT),
    eventTime: d.eventTime ?? event.time,
    cloudTrailEventId: d.eventID,
    containment,
  };
  const denied = d.errorCode ? ` (denied: ${d.errorCode})` : '';
  const owner = identity.kind === 'role' ? `role ${identity.roleName}` : `permission set ${identity.name} (role ${identity.roleName})`;
  const lines = [
    `The Bedrock-only credentials of ${owner} called ${call}${denied}.`,
    'They should call nothing but their Bedrock models: they may have left Claude Code (a subprocess, an MCP server, a copied environment).',
    '',
    'Who',
    '  (values in quotes are what the caller sent, cleaned and cut short)',
    `  session name:     ${sessionName ? `${quoted(sessionName)} (${sessionNameNote(identity.kind)})` : 'not recorded'}`,
    `  source identity:  ${sourceIdentity ? `${quoted(sourceIdentity)} (${sourceIdentityNote(sourceIdentityTrust[identity.roleName])})` : 'not set'}`,
    `  access key:       ${who.accessKeyId ?? 'not recorded'}`,
    `  session issued:   ${session.attributes?.creationDate ?? 'not recorded'}`,
    '  session tags:     on the AssumeRole event that issued this access key (CloudTrail event history, filter by access key)',
    'What',
    `  call:             ${call}${denied}`,
    ...(d.errorMessage ? [`  error:            ${quoted(d.errorMessage, 400)}`] : []),
    'Where',
    `  account:          ${account ?? 'not recorded'}`,
    `  region:           ${region ?? 'not recorded'}`,
    `  source IP:        ${quoted(d.sourceIPAddress) ?? 'not recorded'}`,
    `  user agent:       ${quoted(d.userAgent) ?? 'not recorded'}`,
    'When',
    `  event time:       ${d.eventTime ?? event.time ?? 'not recorded'}`,
    `  CloudTrail event: ${d.eventID ?? 'not recorded'}`,
    '',
    'Next step',
    `  ${nextStep(containment, identity)}`,
  ];
  const subject = subjectLine(`Bedrock credentials misused: ${identity.kind === 'role' ? identity.roleName : identity.name} called ${call}`);
  return { subject, message: lines.join('\n'), detail };
}

function nextStep(containment: AlertDetail['containment'], identity: MatchedIdentity): string {
  switch (containment) {
    case 'revoke-sessions':
      return `Containment is on: this session's holder (its source identity, else the session) is being denied on ${identity.roleName}; a second alert says when it is done. Find out who held it, then rotate whatever it could reach.`;
    case 'manual-role':
      return `Revoke the role's active sessions (IAM console, role ${identity.roleName}, "Revoke active sessions"), then find out who held them.`;
    default:
      return `IAM Identity Center owns role ${identity.roleName}; IAM may not edit it. Runbook: in Identity Center, remove the user's assignment or disable the user and end their portal session; the README section "Operating it" lists the steps.`;
  }
}

/**
 * A change, by anyone, to a watched permission set or its assignments: what it now grants, or to whom,
 * is no longer what the platform team deployed.
 */
export function formatPermissionSetChange(event: CloudTrailApiCallEvent, set: { readonly arn: string; readonly name: string }): Alert {
  const d = event.detail ?? {};
  const who = d.userIdentity ?? {};
  const call = `${d.eventSource ?? 'unknown source'}:${d.eventName ?? 'unknown call'}`;
  const changedBy = who.arn ?? who.type ?? 'unknown';
  const denied = d.errorCode ? ` (denied: ${d.errorCode})` : '';
  const request = quoted(JSON.stringify(d.requestParameters ?? {}), 600);
  const sourceIdentity = cleaned(who.sessionContext?.sourceIdentity, FIELD_LIMIT);
  const detail: AlertDetail = {
    identityKind: 'permission-set',
    identityName: set.name,
    roleName: '',
    call,
    errorCode: d.errorCode,
    account: d.recipientAccountId ?? event.account,
    region: d.awsRegion ?? event.region,
    sourceIPAddress: cleaned(d.sourceIPAddress, FIELD_LIMIT),
    userAgent: cleaned(d.userAgent, FIELD_LIMIT),
    eventTime: d.eventTime ?? event.time,
    cloudTrailEventId: d.eventID,
    containment: 'review-change',
    changedBy,
    permissionSetArn: set.arn,
  };
  const lines = [
    `Permission set ${set.name}, which must grant Amazon Bedrock and nothing else, was changed: ${call}${denied}.`,
    'A deployment of this app does this too; anything else widens what its roles may do, or who holds them.',
    '',
    'Who',
    `  caller:           ${changedBy}`,
    `  source identity:  ${sourceIdentity ? `${quoted(sourceIdentity)} (${TRUST_NOTE['self-declared']})` : 'not set'}`,
    'What',
    `  call:             ${call}${denied}`,
    `  permission set:   ${set.arn}`,
    `  request:          ${request}`,
    'Where',
    `  account:          ${detail.account ?? 'not recorded'}`,
    `  region:           ${detail.region ?? 'not recorded'}`,
    `  source IP:        ${quoted(d.sourceIPAddress) ?? 'not recorded'}`,
    'When',
    `  event time:       ${detail.eventTime ?? 'not recorded'}`,
    `  CloudTrail event: ${d.eventID ?? 'not recorded'}`,
    '',
    'Next step',
    '  If no deployment of this app made the change, revert it (redeploy the stack) and find out who holds the caller\'s credentials.',
  ];
  return { subject: subjectLine(`Bedrock permission set ${set.name} changed: ${d.eventName ?? 'unknown call'}`), message: lines.join('\n'), detail };
}
