import { boundaryArn, managedArns, RoleBaseline } from './baseline';
import { RoleConfiguration } from './configuration-item';
import { CONTAINMENT_POLICY } from './containment';

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
}

/**
 * What to undo on an invoke role: unexpected managed policies detached, missing ones (the guard)
 * attached again, every inline policy deleted (the role has none) but containment's revoke policy,
 * the boundary restored, the session shortened. The revoke policy is never deleted nor rewritten, even
 * when altered: deleting it would restore the revoked sessions, rewriting it could move its cut-off.
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
  const plan: RevertPlan = {
    roleName,
    detach: attached.filter((arn) => !managedArns(role).includes(arn)),
    attach: managedArns(role).filter((arn) => !attached.includes(arn)),
    deleteInline: (config.rolePolicyList ?? []).map((p) => p.policyName ?? '').filter((n) => n !== '' && n !== CONTAINMENT_POLICY),
    boundary: boundary === boundaryArn(role) ? undefined : boundaryArn(role),
    maxSession: typeof session === 'number' && session > role.maxSession ? role.maxSession : undefined,
  };
  const empty = plan.detach.length + plan.attach.length + plan.deleteInline.length === 0 && !plan.boundary && !plan.maxSession;
  return empty ? undefined : plan;
}
