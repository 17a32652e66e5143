import { PolicyInput, statementsOf } from './policy-document';
import { isContainmentStatement } from '../models/identity-center-deny-list';
import { readRoleContainment, ROLE_CONTAINMENT_POLICY_NAME } from '../models/role-containment-policy';

/** The name of the inline policy containment keeps on a role whose credentials were misused. */
export const CONTAINMENT_POLICY = ROLE_CONTAINMENT_POLICY_NAME;

/**
 * The wider stop's cut-off (or '' when it holds none) of containment's role policy when the document
 * is exactly what containment writes; undefined when it is anything else.
 */
export function containmentCutoff(document: unknown): string | undefined {
  const read = readRoleContainment(typeof document === 'string' ? document : document === undefined ? undefined : JSON.stringify(document));
  return read === undefined ? undefined : read.issuedBefore ?? '';
}

/**
 * A permission set's inline policy without containment's denies (users, wider stop), when they are
 * exactly what containment writes: a deny only narrows, and a deploy lifts it.
 */
export function withoutContainedUsers(policy: PolicyInput): PolicyInput {
  return { ...policy, Statement: statementsOf(policy).filter((s) => !isContainmentStatement(s)) };
}
