/**
 * Containment for IAM Identity Center users. IAM refuses edits to the `AWSReservedSSO_*` roles, so the
 * deny goes where Identity Center puts it on every account's role: the permission set's inline policy,
 * followed by ProvisionPermissionSet (IAM Identity Center User Guide, "Revoke active IAM role sessions
 * created by permission sets": an explicit deny on the user, in the set's inline policy or an SCP).
 * The user is named through `aws:userid`, which for an Identity Center role session is
 * `<role id>:<user name>` (the session name is the user name, as AWS's own example SCP shows).
 */
export const CONTAINED_USERS_SID = 'ContainedIdentityCenterUsers';

/** The characters an Identity Center user name may carry into a session name; `*` and `?` would widen the match. */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/** The statement that denies every action to the named users' sessions of this permission set. */
export function containedUsersStatement(users: string[]): Record<string, unknown> {
  return {
    Sid: CONTAINED_USERS_SID,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringLike: { 'aws:userid': [...users].sort().map((u) => `*:${u}`) } },
  };
}

/** The users a statement contains, when it is exactly what containment writes; undefined otherwise. */
export function containedUsersOf(statement: unknown): string[] | undefined {
  const s = statement as Record<string, any> | undefined;
  if (!s || s.Sid !== CONTAINED_USERS_SID || s.Effect !== 'Deny' || !isStar(s.Action) || !isStar(s.Resource)
    || Object.keys(s).some((k) => !['Sid', 'Effect', 'Action', 'Resource', 'Condition'].includes(k))) {
    return undefined;
  }
  const condition = s.Condition as Record<string, any> | undefined;
  if (!condition || Object.keys(condition).length !== 1 || !condition.StringLike || Object.keys(condition.StringLike).length !== 1) {
    return undefined;
  }
  const raw = condition.StringLike['aws:userid'];
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  const users = values.map((v) => (typeof v === 'string' && v.startsWith('*:') ? v.slice(2) : ''));
  return users.length > 0 && users.every((u) => USER_NAME.test(u)) ? users : undefined;
}

/**
 * The permission set's inline policy with `user` contained, or undefined when it already is. Throws
 * for a user name that could match others, and for a policy that would outgrow Identity Center's
 * 10,240 characters (without white space).
 */
export function withContainedUser(inlinePolicy: string, user: string): string | undefined {
  if (!USER_NAME.test(user)) {
    throw new Error(`'${user}' is not an Identity Center user name this containment can name exactly (letters, digits and _+=,.@-, up to 64)`);
  }
  const policy = JSON.parse(inlinePolicy) as { Version?: string; Statement?: unknown };
  const statements: unknown[] = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  const existing = statements.find((s) => (s as { Sid?: string })?.Sid === CONTAINED_USERS_SID);
  const users = existing ? containedUsersOf(existing) : [];
  if (users === undefined) {
    throw new Error(`the permission set's statement ${CONTAINED_USERS_SID} is not what containment writes: review it before containing anyone`);
  }
  if (users.includes(user)) {
    return undefined;
  }
  const next = JSON.stringify({
    ...policy,
    Statement: [...statements.filter((s) => s !== existing), containedUsersStatement([...users, user])],
  });
  if (next.replace(/\s/g, '').length > 10_240) {
    throw new Error(`containing ${user} would grow the permission set's inline policy past IAM Identity Center's 10,240 characters: remove their assignment by hand`);
  }
  return next;
}

function isStar(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*');
}
