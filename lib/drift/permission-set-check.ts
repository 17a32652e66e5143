// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { PermissionSetBaseline } from './baseline';
import { withoutContainedUsers } from './containment';
import { readPolicy } from './policy-document';
import { Sleep, withThrottlingRetries } from './retry';
import { statementDiff } from './statement-diff';

/** The permission set as IAM Identity Center holds it now. */
export interface DeployedPermissionSet {
  readonly name?: string;
  readonly sessionDuration?: string;
  readonly inlinePolicy?: string;
  readonly managedPolicies: string[];
  /** Customer-managed policy references, each `/path/Name`. */
  readonly customerManagedPolicies: string[];
  /** An AWS-managed policy ARN or a customer-managed `/path/Name`; undefined when the set has none. */
  readonly boundary?: string;
}

/** Reads a permission set with the five calls that together say everything it grants. */
export async function fetchPermissionSet(
  sso: SSOAdminClient, instanceArn: string, permissionSetArn: string, sleep: Sleep,
): Promise<DeployedPermissionSet> {
  const ids = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn };
  const call = <T>(run: () => Promise<T>) => withThrottlingRetries(run, sleep);
  const described = await call(() => sso.send(new DescribePermissionSetCommand(ids)));
  const inline = await call(() => sso.send(new GetInlinePolicyForPermissionSetCommand(ids)));
  const managed: string[] = [];
  let next: string | undefined;
  do {
    const page = await call(() => sso.send(new ListManagedPoliciesInPermissionSetCommand({ ...ids, NextToken: next })));
    managed.push(...(page.AttachedManagedPolicies ?? []).map((p) => p.Arn ?? p.Name ?? '?'));
    next = page.NextToken;
  } while (next);
  const customer: string[] = [];
  do {
    const page = await call(() => sso.send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ ...ids, NextToken: next })));
    customer.push(...(page.CustomerManagedPolicyReferences ?? []).map((r) => `${r.Path ?? '/'}${r.Name ?? ''}`));
    next = page.NextToken;
  } while (next);
  return {
    name: described.PermissionSet?.Name,
    sessionDuration: described.PermissionSet?.SessionDuration,
    inlinePolicy: inline.InlinePolicy,
    managedPolicies: managed,
    customerManagedPolicies: customer,
    boundary: await boundaryOf(sso, ids, sleep),
  };
}

/** A set without a boundary answers ResourceNotFoundException or an empty boundary; both mean none. */
async function boundaryOf(sso: SSOAdminClient, ids: { InstanceArn: string; PermissionSetArn: string }, sleep: Sleep): Promise<string | undefined> {
  try {
    const out = await withThrottlingRetries(() => sso.send(new GetPermissionsBoundaryForPermissionSetCommand(ids)), sleep);
    const b = out.PermissionsBoundary;
    const ref = b?.CustomerManagedPolicyReference;
    return b?.ManagedPolicyArn ?? (ref?.Name ? `${ref.Path ?? '/'}${ref.Name}` : undefined);
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

/**
 * How the permission set in Identity Center differs from what was deployed: every statement of its
 * inline policy exactly, no managed or customer-managed policy, the same boundary, no longer session.
 */
export function permissionSetDrifts(deployed: DeployedPermissionSet, set: PermissionSetBaseline): string[] {
  const drifts: string[] = [];
  const policy = readPolicy(deployed.inlinePolicy);
  if (!deployed.inlinePolicy) {
    drifts.push('inline policy removed, and the deny guard with it');
  } else if (policy === undefined) {
    drifts.push('inline policy cannot be read');
  } else {
    drifts.push(...statementDiff('inline policy', set.statements, withoutContainedUsers(policy)));
  }
  drifts.push(...deployed.managedPolicies.map((arn) => `managed policy ${arn.slice(arn.lastIndexOf('/') + 1)} attached`));
  drifts.push(...deployed.customerManagedPolicies.map((ref) => `customer-managed policy ${ref} attached`));
  if (deployed.boundary !== set.boundary) {
    drifts.push(set.boundary === undefined ? `boundary ${deployed.boundary} added` : deployed.boundary === undefined ? 'permissions boundary removed' : `boundary replaced by ${deployed.boundary}`);
  }
  const seconds = isoSeconds(deployed.sessionDuration);
  if (set.session !== undefined && seconds !== undefined && seconds > set.session) {
    drifts.push(`session ${deployed.sessionDuration}, over ${set.session / 3600} h`);
  }
  return drifts;
}

/** Seconds of an ISO 8601 duration such as `PT1H` or `PT1H30M`, as Identity Center writes them. */
export function isoSeconds(duration: string | undefined): number | undefined {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration ?? '');
  if (!m || !(m[1] || m[2] || m[3])) {
    return undefined;
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
