import { PolicyInput, readPolicy, statementsOf } from './policy-document';
import { statementDigest } from './statement-digest';
import { containedUsersOf } from '../detection/contained-users';
import { REVOKE_POLICY_NAME, revokePolicy } from '../detection/revoke-policy';

/** The name of the inline policy containment writes on a role whose credentials were misused. */
export const CONTAINMENT_POLICY = REVOKE_POLICY_NAME;

/**
 * The cut-off of containment's revoke policy when the document is exactly what containment writes
 * (deny everything to sessions issued before the cut-off); undefined when it is anything else.
 */
export function containmentCutoff(document: unknown): string | undefined {
  const policy = readPolicy(document);
  const statements = policy === undefined ? [] : statementsOf(policy);
  if (statements.length !== 1) {
    return undefined;
  }
  const condition = statements[0].Condition?.DateLessThan?.['aws:TokenIssueTime'];
  const cutoff = Array.isArray(condition) && condition.length === 1 ? condition[0] : condition;
  if (typeof cutoff !== 'string') {
    return undefined;
  }
  const expected = statementsOf(revokePolicy(cutoff) as never)[0];
  return statementDigest(statements[0]) === statementDigest(expected) ? cutoff : undefined;
}

/**
 * A permission set's inline policy without containment's deny on Identity Center users, when that
 * statement is exactly what containment writes: a deny only narrows, and a deploy lifts it.
 */
export function withoutContainedUsers(policy: PolicyInput): PolicyInput {
  return { ...policy, Statement: statementsOf(policy).filter((s) => containedUsersOf(s) === undefined) };
}
