import { boundaryArn, managedArns, RoleBaseline, spendStopArns } from './baseline';
import { RoleConfiguration } from './configuration-item';
import { CONTAINMENT_POLICY, containmentCutoff } from './containment';

/** The IAM calls that bring an invoke role back to its baseline, as data so tests read them. */
export interface RevertPlan {
  readonly roleName: string;
  readonly detach: string[];
  readonly attach: string[];
  readonly deleteInline: string[];
  /** The boundary to put back, when it was removed or replaced. */
  readonly boundary?: string;
  /** The max session to put back, in seconds, when it was raised. */
  readonly maxSession?: number;
  /**
   * True when an inline policy carries containment's name but not its document: it is rewritten as a
   * revoke of every session issued until the revert, so the name cannot shelter a grant and no
   * session it revoked comes back.
   */
  readonly reContain?: boolean;
}

/**
 * What to undo on an invoke role: unexpected managed policies detached, missing ones (the guard)
 * attached again, every inline policy deleted (the role has none) but containment's revoke policy,
 * the boundary restored, the session shortened. The revoke policy is never deleted: that would restore
 * the revoked sessions. One altered into anything else is rewritten with a cut-off at the revert,
 * later than any it held, so it revokes at least what it did.
 * The trust policy is left alone: only the stack knows its exact document.
 */
export function planRevert(config: RoleConfiguration, role: RoleBaseline): RevertPlan | undefined {
  const roleName = config.roleName;
  if (!roleName) {
    return undefined;
  }
  const attached = (config.attachedManagedPolicies ?? []).map((p) => p.policyArn ?? '').filter((a) => a !== '');
  const boundary = config.permissionsBoundary?.permissionsBoundaryArn;
  const session = config.maxSessionDuration;
  const containment = (config.rolePolicyList ?? []).find((p) => p.policyName === CONTAINMENT_POLICY);
  const plan: RevertPlan = {
    roleName,
    // The budget's spend stop stays: detaching it would let the spending go on.
    detach: attached.filter((arn) => !managedArns(role).includes(arn) && !spendStopArns(role).includes(arn)),
    attach: managedArns(role).filter((arn) => !attached.includes(arn)),
    deleteInline: (config.rolePolicyList ?? []).map((p) => p.policyName ?? '').filter((n) => n !== '' && n !== CONTAINMENT_POLICY),
    boundary: boundary === boundaryArn(role) ? undefined : boundaryArn(role),
    maxSession: typeof session === 'number' && session > role.maxSession ? role.maxSession : undefined,
    reContain: containment !== undefined && containmentCutoff(containment.policyDocument) === undefined ? true : undefined,
  };
  const empty = plan.detach.length + plan.attach.length + plan.deleteInline.length === 0 && !plan.boundary && !plan.maxSession && !plan.reContain;
  return empty ? undefined : plan;
}
