import { countedSize, DENY_LIST_BUDGET, IAM_INLINE_LIMIT, sizeWarning } from './deny-list-size';

/**
 * Containment of IAM Identity Center users. IAM refuses edits to the `AWSReservedSSO_*` roles, so the deny
 * goes where Identity Center puts it on every account's role: the permission set's inline policy, then
 * ProvisionPermissionSet. It names the user by `identitystore:UserId`, which AWS calls deterministic and
 * globally unique, where `aws:userid` changes when the user is renamed or re-synced (IAM Identity Center
 * User Guide, "Revoke active user permissions with a deny policy").
 */
export const CONTAINED_USERS_SID = 'ContainedIdentityCenterUsers';
const WIDE_SID = 'DenySessionsIssuedBefore';
/** The whole stop (the spend-rate cap's, when nobody can be told apart): every user of the set, in every account. */
export const EVERY_SESSION_SID = 'DenyEverySessionOfTheSet';
const EVERY_SESSION: Statement = { Sid: EVERY_SESSION_SID, Effect: 'Deny', Action: '*', Resource: '*' };

/** An Identity Store user id (IdentityStore API Reference, User: UserId). */
export const USER_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

type Statement = Record<string, any>;
interface Policy { Version?: string; Statement: Statement[] }

/** The statement that denies every action to the named users' sessions of this permission set. */
export function containedUsersStatement(userIds: readonly string[]): Statement {
  return { Sid: CONTAINED_USERS_SID, Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'identitystore:UserId': [...userIds].sort() } } };
}

function wideStatement(before: string): Statement {
  return { Sid: WIDE_SID, Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': before } } };
}

/** The users a statement contains, when it is exactly what containment writes; undefined otherwise. */
export function containedUsersOf(statement: unknown): string[] | undefined {
  const s = statement as Statement | undefined;
  if (s?.Sid !== CONTAINED_USERS_SID) {
    return undefined;
  }
  const values = [s.Condition?.StringEquals?.['identitystore:UserId']].flat();
  const users = values.filter((v): v is string => typeof v === 'string' && USER_ID.test(v));
  const exact = JSON.stringify(s) === JSON.stringify(containedUsersStatement(users));
  return users.length === values.length && users.length > 0 && exact ? users : undefined;
}

/** The cut-off of containment's wider stop in a statement, when it is exactly what containment writes. */
export function wideStopOf(statement: unknown): string | undefined {
  const s = statement as Statement | undefined;
  const before = s?.Condition?.DateLessThan?.['aws:TokenIssueTime'];
  return s?.Sid === WIDE_SID && typeof before === 'string' && JSON.stringify(s) === JSON.stringify(wideStatement(before)) ? before : undefined;
}

/** Whether a statement is exactly containment's whole stop. */
export function isEveryUserStop(statement: unknown): boolean {
  return JSON.stringify(statement) === JSON.stringify(EVERY_SESSION);
}

/** Whether a statement is one containment writes into a permission set (drift leaves those alone). */
export function isContainmentStatement(statement: unknown): boolean {
  return containedUsersOf(statement) !== undefined || wideStopOf(statement) !== undefined || isEveryUserStop(statement);
}

/** Who a permission set's inline policy contains. */
export interface PermissionSetContainment {
  readonly userIds: string[];
  readonly issuedBefore?: string;
  /** The whole stop: every session of the set is denied until someone lifts it. */
  readonly everySession?: boolean;
}

export function readPermissionSetContainment(inlinePolicy: string): PermissionSetContainment {
  const { statements } = parse(inlinePolicy);
  const users = statements.map(containedUsersOf).find((u) => u !== undefined) ?? [];
  const before = statements.map(wideStopOf).find((b) => b !== undefined);
  return { userIds: users, issuedBefore: before, ...(statements.some(isEveryUserStop) ? { everySession: true } : {}) };
}

/**
 * The set's inline policy with the whole stop added, or undefined when it is in force already. A
 * statement of that name that is not exactly containment's is refused, never overwritten blind.
 */
export function withEveryUserStopped(inlinePolicy: string, setName: string): string | undefined {
  const { policy, statements } = parse(inlinePolicy);
  const named = statements.filter((s) => s?.Sid === EVERY_SESSION_SID);
  if (named.some((s) => !isEveryUserStop(s))) {
    throw new Error(`permission set ${setName}: a statement named ${EVERY_SESSION_SID} is not what containment writes; review it before containing anyone`);
  }
  if (named.length > 0) {
    return undefined;
  }
  const next = JSON.stringify({ ...policy, Statement: [...statements, EVERY_SESSION] });
  if (countedSize(next) > IAM_INLINE_LIMIT) {
    throw new Error(`the inline policy of permission set ${setName} has no room for the whole stop (${countedSize(next)} of ${IAM_INLINE_LIMIT} characters): remove the set's assignments by hand (docs/containment.md)`);
  }
  return next;
}

export interface PermissionSetChange {
  /** The inline policy to put, or undefined when the user is already contained. */
  readonly next?: string;
  readonly by: 'user-id' | 'issued-before' | 'every-session';
  readonly warning?: string;
}

/**
 * The permission set's inline policy with the user contained. When the user id would push the policy
 * past the budget, every session of the set issued until `issuedBefore` is revoked instead.
 */
export function withContainedUser(inlinePolicy: string, userId: string, sessionIssuedBefore: string, setName: string): PermissionSetChange {
  if (!USER_ID.test(userId)) {
    throw new Error(`'${userId}' is not an Identity Store user id`);
  }
  const { policy, statements } = parse(inlinePolicy);
  const ours = statements.filter((s) => s?.Sid === CONTAINED_USERS_SID || s?.Sid === WIDE_SID);
  if (ours.some((s) => !isContainmentStatement(s))) {
    throw new Error(`permission set ${setName}: a statement named ${CONTAINED_USERS_SID} or ${WIDE_SID} is not what containment writes; review it before containing anyone`);
  }
  const current = readPermissionSetContainment(inlinePolicy);
  const stopped = current.issuedBefore !== undefined && Date.parse(sessionIssuedBefore) <= Date.parse(current.issuedBefore);
  if (current.userIds.includes(userId) || stopped || current.everySession) {
    return { by: current.userIds.includes(userId) ? 'user-id' : current.everySession ? 'every-session' : 'issued-before' };
  }
  const others = statements.filter((s) => !ours.includes(s));
  const compose = (c: PermissionSetContainment) => JSON.stringify({
    ...policy,
    Statement: [
      ...others,
      ...(c.userIds.length > 0 ? [containedUsersStatement(c.userIds)] : []),
      ...(c.issuedBefore ? [wideStatement(c.issuedBefore)] : []),
    ],
  });
  const what = `the inline policy of permission set ${setName}`;
  const named = compose({ ...current, userIds: [...current.userIds, userId] });
  if (countedSize(named) <= DENY_LIST_BUDGET) {
    return { next: named, by: 'user-id', warning: sizeWarning(what, countedSize(named)) };
  }
  const wide = compose({ ...current, issuedBefore: sessionIssuedBefore });
  if (countedSize(wide) > IAM_INLINE_LIMIT) {
    throw new Error(`${what} has no room even for the wider stop (${countedSize(wide)} of ${IAM_INLINE_LIMIT} characters): remove the user's assignment by hand (docs/containment.md)`);
  }
  return { next: wide, by: 'issued-before', warning: `${what} is full, so every session of the set issued before ${sessionIssuedBefore} is revoked, in every account, colleagues' included` };
}

/** The inline policy without a user (or without the wider stop, or the whole stop), for lifting. */
export function withoutContainedUser(inlinePolicy: string, lift: { userId?: string; issuedBefore?: boolean; everySession?: boolean }): string {
  const { policy, statements } = parse(inlinePolicy);
  const current = readPermissionSetContainment(inlinePolicy);
  const users = current.userIds.filter((u) => u !== lift.userId);
  const before = lift.issuedBefore ? undefined : current.issuedBefore;
  const every = !lift.everySession && current.everySession;
  return JSON.stringify({
    ...policy,
    Statement: [
      ...statements.filter((s) => !isContainmentStatement(s)),
      ...(users.length > 0 ? [containedUsersStatement(users)] : []),
      ...(before ? [wideStatement(before)] : []),
      ...(every ? [EVERY_SESSION] : []),
    ],
  });
}

function parse(inlinePolicy: string): { policy: Policy; statements: Statement[] } {
  const policy = JSON.parse(inlinePolicy || '{"Version":"2012-10-17","Statement":[]}') as { Version?: string; Statement?: unknown };
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : []) as Statement[];
  return { policy: { ...policy, Version: policy.Version ?? '2012-10-17', Statement: statements }, statements };
}
