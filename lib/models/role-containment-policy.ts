import { countedSize, DENY_LIST_BUDGET, sizeWarning } from './deny-list-size';

/** Role session names, source identities and Identity Center user names: no `*` or `?` that could widen a match. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** The session to contain, as CloudTrail recorded it. */
export interface ContainedSession {
  /** The role session name; for an Identity Center session, the user name. */
  readonly sessionName: string;
  /** The source identity the session carries, if any: it cannot be changed for the life of the session. */
  readonly sourceIdentity?: string;
  /** When the session was issued (CloudTrail `sessionContext.attributes.creationDate`), ISO 8601. */
  readonly issuedAt?: string;
}

/** The inline policy containment keeps on a contained invoke role. */
export const ROLE_CONTAINMENT_POLICY_NAME = 'BedrockContainment';

/** Who a role's containment policy denies. */
export interface RoleContainment {
  /** Every session that carries one of these source identities, whenever it was issued. */
  readonly sourceIdentities: readonly string[];
  /** Single sessions, by session name and issue time: a colleague's session of the same name at another time is not one. */
  readonly sessions: readonly { readonly sessionName: string; readonly issuedAt: string }[];
  /** The wider stop: every session issued before this time (the console's "Revoke active sessions"). */
  readonly issuedBefore?: string;
  /** The whole stop (the spend-rate cap's): every session, whenever issued, until someone lifts it. */
  readonly everySession?: boolean;
}

export const NO_CONTAINMENT: RoleContainment = { sourceIdentities: [], sessions: [] };

const SOURCE_IDENTITIES_SID = 'ContainedSourceIdentities';
const SESSION_SID = /^ContainedSession\d+$/;
const WIDE_SID = 'DenySessionsIssuedBefore';
/** The whole stop's statement: a deny with no condition, so no session of the role can act. */
export const EVERY_SESSION_SID = 'DenyEverySession';
// CloudTrail's creationDate has whole seconds; a second either side absorbs rounding without reaching a colleague.
const SESSION_WINDOW_MS = 1000;

const deny = (sid: string, condition: Record<string, unknown>) => ({ Sid: sid, Effect: 'Deny', Action: '*', Resource: '*', Condition: condition });
const at = (ms: number) => new Date(ms).toISOString();

/** The policy document for a containment; an empty containment has no statements (the handler then deletes the policy). */
export function roleContainmentPolicy(c: RoleContainment): { Version: string; Statement: Record<string, unknown>[] } {
  const statements: Record<string, unknown>[] = [];
  if (c.sourceIdentities.length > 0) {
    // aws:SourceIdentity is set once, at the first AssumeRole, and no session can change it (IAM User Guide, "Monitor and control actions taken with assumed roles").
    statements.push(deny(SOURCE_IDENTITIES_SID, { StringEquals: { 'aws:SourceIdentity': [...c.sourceIdentities].sort() } }));
  }
  [...c.sessions].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt) || a.sessionName.localeCompare(b.sessionName)).forEach((s, i) => {
    const issued = Date.parse(s.issuedAt);
    // A role session's aws:userid is '<role id>:<session name>', and the policy sits on this role only.
    statements.push(deny(`ContainedSession${i + 1}`, {
      StringLike: { 'aws:userid': `*:${s.sessionName}` },
      DateGreaterThanEquals: { 'aws:TokenIssueTime': at(issued - SESSION_WINDOW_MS) },
      DateLessThanEquals: { 'aws:TokenIssueTime': at(issued + SESSION_WINDOW_MS) },
    }));
  });
  if (c.issuedBefore !== undefined) {
    statements.push(deny(WIDE_SID, { DateLessThan: { 'aws:TokenIssueTime': c.issuedBefore } }));
  }
  if (c.everySession) {
    statements.push({ Sid: EVERY_SESSION_SID, Effect: 'Deny', Action: '*', Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy that revokes every session issued before `before`, as drift's revert writes it. */
export function revokePolicy(before: string): { Version: string; Statement: Record<string, unknown>[] } {
  return roleContainmentPolicy({ ...NO_CONTAINMENT, issuedBefore: before });
}

/**
 * The containment a document holds, when it is exactly what containment writes (IAM returns it
 * URL-encoded); undefined for anything else, so nobody can shelter a grant under the policy's name.
 */
export function readRoleContainment(document: string | undefined): RoleContainment | undefined {
  if (document === undefined) {
    return undefined;
  }
  let parsed: any;
  try {
    parsed = JSON.parse(document.trimStart().startsWith('{') ? document : decodeURIComponent(document));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed?.Statement)) {
    return undefined;
  }
  const statements: any[] = parsed.Statement;
  const sourceIdentities: string[] = [];
  const sessions: { sessionName: string; issuedAt: string }[] = [];
  let issuedBefore: string | undefined;
  let everySession = false;
  for (const s of statements) {
    const c = s?.Condition ?? {};
    if (s?.Sid === SOURCE_IDENTITIES_SID) {
      const values = [c.StringEquals?.['aws:SourceIdentity']].flat();
      if (!values.every((v) => typeof v === 'string' && SESSION_NAME.test(v))) {
        return undefined;
      }
      sourceIdentities.push(...values);
    } else if (SESSION_SID.test(s?.Sid ?? '')) {
      const name = /^\*:([\w+=,.@-]{2,64})$/.exec(c.StringLike?.['aws:userid'] ?? '')?.[1];
      const from = Date.parse(c.DateGreaterThanEquals?.['aws:TokenIssueTime'] ?? '');
      const to = Date.parse(c.DateLessThanEquals?.['aws:TokenIssueTime'] ?? '');
      if (!name || to - from !== 2 * SESSION_WINDOW_MS) {
        return undefined;
      }
      sessions.push({ sessionName: name, issuedAt: at(from + SESSION_WINDOW_MS) });
    } else if (s?.Sid === WIDE_SID && typeof c.DateLessThan?.['aws:TokenIssueTime'] === 'string') {
      issuedBefore = c.DateLessThan['aws:TokenIssueTime'];
    } else if (s?.Sid === EVERY_SESSION_SID) {
      everySession = true;
    } else {
      return undefined;
    }
  }
  const read: RoleContainment = { sourceIdentities, sessions, issuedBefore, ...(everySession ? { everySession } : {}) };
  // Same statements, same order, nothing added: the document is containment's own.
  return JSON.stringify(roleContainmentPolicy(read)) === JSON.stringify({ Version: parsed.Version, Statement: statements }) ? read : undefined;
}

/** How a session is (or would be) contained. */
export type ContainedBy = 'source-identity' | 'session' | 'issued-before' | 'every-session';

/** Whether the containment already stops this session, and by what. */
export function coveredBy(c: RoleContainment, session: ContainedSession, eventTime: string): ContainedBy | undefined {
  if (c.everySession) {
    return 'every-session';
  }
  if (session.sourceIdentity !== undefined && c.sourceIdentities.includes(session.sourceIdentity)) {
    return 'source-identity';
  }
  const issuedAt = session.issuedAt === undefined ? NaN : Date.parse(session.issuedAt);
  if (c.sessions.some((s) => s.sessionName === session.sessionName && Date.parse(s.issuedAt) === issuedAt)) {
    return 'session';
  }
  // Without its issue time, a session is known to be older than its own call.
  const issued = Date.parse(session.issuedAt ?? eventTime);
  return c.issuedBefore !== undefined && issued < Date.parse(c.issuedBefore) ? 'issued-before' : undefined;
}

export interface RoleContainmentChange {
  /** The containment to write, or undefined when the session is already stopped: no write, no moved cut-off. */
  readonly next?: RoleContainment;
  readonly by: ContainedBy;
  /** The deny list is filling up: say so in the outcome alert. */
  readonly warning?: string;
}

/**
 * Adds one session's holder to a role's containment: by source identity when the session carries one,
 * else the session itself. When that would push the policy past the budget, the wider stop takes over
 * instead, with its cut-off just after the offending session's issue time (never later than `now`),
 * and drops the single sessions it now covers: the list cannot be exhausted, and the offender is stopped.
 */
export function containSession(
  current: RoleContainment, session: ContainedSession, eventTime: string, now: number, roleName: string,
): RoleContainmentChange {
  const covered = coveredBy(current, session, eventTime);
  if (covered) {
    return { by: covered };
  }
  const named: RoleContainment | undefined = session.sourceIdentity !== undefined
    ? { ...current, sourceIdentities: [...current.sourceIdentities, session.sourceIdentity] }
    : session.issuedAt !== undefined
      ? { ...current, sessions: [...current.sessions, { sessionName: session.sessionName, issuedAt: at(Date.parse(session.issuedAt)) }] }
      : undefined;
  const what = `the containment policy of role ${roleName}`;
  if (named && sizeOf(named) <= DENY_LIST_BUDGET) {
    return { next: named, by: named.sourceIdentities.length > current.sourceIdentities.length ? 'source-identity' : 'session', warning: sizeWarning(what, sizeOf(named)) };
  }
  const issued = session.issuedAt !== undefined ? Date.parse(session.issuedAt) + SESSION_WINDOW_MS : Date.parse(eventTime);
  // Never earlier than a stop in force, never later than the handler's clock.
  const cutoff = Math.max(Date.parse(current.issuedBefore ?? '') || 0, Math.min(issued, now));
  const issuedBefore = at(cutoff);
  const next: RoleContainment = {
    sourceIdentities: current.sourceIdentities,
    sessions: current.sessions.filter((s) => Date.parse(s.issuedAt) + SESSION_WINDOW_MS >= cutoff),
    issuedBefore,
  };
  const full = named ? `${what} is full, so ` : '';
  return {
    next,
    by: 'issued-before',
    warning: `${full}every session of ${roleName} issued before ${issuedBefore} is revoked, colleagues' included: ${sizeWarning(what, sizeOf(next)) ?? 'lift entries no longer needed (npx cdk-bedrock-least-privilege containment list).'}`,
  };
}

/**
 * The role's containment with the whole stop added: every session is denied, the entries already there
 * stay (lifting the whole stop leaves the people contained before it contained). Undefined when the
 * whole stop is in force already: no write.
 */
export function stopEverySession(c: RoleContainment): RoleContainment | undefined {
  return c.everySession ? undefined : { ...c, everySession: true };
}

/** The containment without one entry, for lifting. */
export function liftFromRole(
  c: RoleContainment, entry: { sourceIdentity?: string; sessionName?: string; issuedBefore?: boolean; everySession?: boolean },
): RoleContainment {
  const everySession = entry.everySession ? false : c.everySession ?? false;
  return {
    sourceIdentities: c.sourceIdentities.filter((s) => s !== entry.sourceIdentity),
    sessions: c.sessions.filter((s) => s.sessionName !== entry.sessionName),
    issuedBefore: entry.issuedBefore ? undefined : c.issuedBefore,
    ...(everySession ? { everySession } : {}),
  };
}

export function isEmpty(c: RoleContainment): boolean {
  return c.sourceIdentities.length === 0 && c.sessions.length === 0 && c.issuedBefore === undefined && !c.everySession;
}

function sizeOf(c: RoleContainment): number {
  return countedSize(JSON.stringify(roleContainmentPolicy(c)));
}
