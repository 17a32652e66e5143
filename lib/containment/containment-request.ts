/**
 * What a part of the library (detection, the usage guard, the spend-rate cap) asks containment to do:
 * stop one session's holder, or (the spend-rate cap only) every session of a role or permission set. It travels as the body of a message on the containment queue, which only
 * the library's own functions may write to; the contain function re-checks every field.
 */
import { ContainedSession, SESSION_NAME } from '../models/role-containment-policy';

/** Why containment is asked, for the outcome alert. */
export type ContainmentReason = 'misuse' | 'usage-limit' | 'spend-limit';

/** The identity whose sessions containment edits: an invoke role in the home account, or a permission set administered here. */
export type ContainmentTarget =
  | { readonly kind: 'role'; readonly roleName: string }
  | { readonly kind: 'permission-set'; readonly permissionSetName: string };

export interface ContainmentRequest {
  readonly version: 1;
  readonly reason: ContainmentReason;
  readonly target: ContainmentTarget;
  /** The session whose holder to stop; absent for a whole stop. */
  readonly session?: ContainedSession;
  /**
   * The whole stop: every session of the target, whoever holds it, until lifted. Only for the spend
   * limit (Bedrock's metrics name no caller); a request carries it or a session, never both.
   */
  readonly everySession?: true;
  /** When the call that prompted the request was made. */
  readonly eventTime: string;
  /** The call, as `<event source>:<event name>`, for the outcome alert. */
  readonly call: string;
  readonly cloudTrailEventId?: string;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const REASONS: readonly ContainmentReason[] = ['misuse', 'usage-limit', 'spend-limit'];

/** The session name of an assumed-role session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), or undefined. */
export function sessionNameOf(sessionArn: string | undefined): string | undefined {
  return /^arn:[\w-]+:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(sessionArn ?? '')?.[1];
}

/** The FIFO message group: one per role or permission set, so two containments of one never race on its policy. */
export function containmentGroup(request: ContainmentRequest): string {
  return request.target.kind === 'role' ? `role:${request.target.roleName}` : `permission-set:${request.target.permissionSetName}`;
}

/** A request read from a queue message, or why it is not one: every field an attacker could shape is checked. */
export function parseContainmentRequest(body: string | undefined): ContainmentRequest | { readonly ignored: string } {
  let r: any;
  try {
    r = JSON.parse(body ?? '');
  } catch {
    return { ignored: 'the message is not JSON' };
  }
  if (r?.version !== 1 || !REASONS.includes(r.reason)) {
    return { ignored: 'the message is not a containment request of this version' };
  }
  const t = r.target;
  const target: ContainmentTarget | undefined = t?.kind === 'role' && ROLE_NAME.test(t.roleName ?? '')
    ? { kind: 'role', roleName: t.roleName }
    : t?.kind === 'permission-set' && PERMISSION_SET_NAME.test(t.permissionSetName ?? '')
      ? { kind: 'permission-set', permissionSetName: t.permissionSetName }
      : undefined;
  if (!target) {
    return { ignored: 'the request names no valid role or permission set' };
  }
  if (typeof r.eventTime !== 'string' || Number.isNaN(Date.parse(r.eventTime))) {
    return { ignored: 'the request has no valid event time' };
  }
  const common = {
    version: 1 as const,
    reason: r.reason as ContainmentReason,
    target,
    eventTime: r.eventTime as string,
    call: String(r.call ?? 'unknown call').slice(0, 200),
  };
  if (r.everySession !== undefined) {
    if (r.everySession !== true || r.session !== undefined || r.reason !== 'spend-limit') {
      return { ignored: 'a whole stop is asked only for the spend limit, with no session' };
    }
    return { ...common, everySession: true };
  }
  const s = r.session;
  if (typeof s?.sessionName !== 'string' || !SESSION_NAME.test(s.sessionName)) {
    return { ignored: 'the request names no valid session' };
  }
  if (s.sourceIdentity !== undefined && (typeof s.sourceIdentity !== 'string' || !SESSION_NAME.test(s.sourceIdentity))) {
    return { ignored: 'the source identity is not one STS would issue' };
  }
  if (s.issuedAt !== undefined && Number.isNaN(Date.parse(s.issuedAt))) {
    return { ignored: `the session's issue time '${String(s.issuedAt).slice(0, 40)}' is not a time` };
  }
  return {
    ...common,
    session: { sessionName: s.sessionName, sourceIdentity: s.sourceIdentity, issuedAt: s.issuedAt },
    cloudTrailEventId: typeof r.cloudTrailEventId === 'string' ? r.cloudTrailEventId.slice(0, 64) : undefined,
  };
}

/**
 * CloudTrail writes `creationDate` as ISO 8601 (`2026-11-20T08:50:00Z`); older records used the compact
 * form (`20131102T010628Z`, CloudTrail User Guide, "CloudTrail userIdentity element"). Both become ISO.
 */
export function normalizeIssueTime(creationDate: string | undefined): string | undefined {
  if (!creationDate) {
    return undefined;
  }
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(creationDate);
  const iso = compact ? `${compact[1]}-${compact[2]}-${compact[3]}T${compact[4]}:${compact[5]}:${compact[6]}Z` : creationDate;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
