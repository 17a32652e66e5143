import { annotate } from './annotation';
import { DriftBaseline, PermissionSetBaseline, RoleBaseline, SSO_INLINE_POLICY, SSO_TRUST } from './baseline';
import { ConfigurationItem, DELETED_STATUSES, partitionOf, roleConfiguration, RoleConfiguration, roleNameOf } from './configuration-item';
import { inlineWidening } from './inline-policy-check';
import { listOf, readPolicy, statementsOf } from './policy-document';
import { statementDigest } from './statement-digest';
import { trustWidening } from './trust-policy-check';

export type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** The rule's answer for one role. */
export interface Verdict {
  readonly compliance: Compliance;
  /** At most 256 characters; names what drifted. */
  readonly annotation: string;
  /** Each way the role left its baseline, in words. */
  readonly drifts: string[];
  /** The invoke role's baseline, when the item is one (the only kind the handler may revert). */
  readonly role?: RoleBaseline;
  /** The permission set's baseline, when the item is one of its roles. */
  readonly permissionSet?: PermissionSetBaseline;
}

/** Which watched role an item is, if any: an invoke role by id, a permission-set role by exact name. */
export function watchedBy(item: ConfigurationItem, baseline: DriftBaseline): { role?: RoleBaseline; permissionSet?: PermissionSetBaseline } {
  const id = item.resourceId ?? roleConfiguration(item)?.roleId;
  const role = baseline.roles.find((r) => r.id === id);
  if (role) {
    return { role };
  }
  const name = roleNameOf(item);
  const permissionSet = name === undefined ? undefined : baseline.sets.find((s) => new RegExp(s.pattern).test(name));
  return { permissionSet };
}

/** Compares one `AWS::IAM::Role` configuration item with the baseline. Pure: no AWS call, no clock. */
export function evaluate(item: ConfigurationItem, baseline: DriftBaseline): Verdict {
  if (item.resourceType !== undefined && item.resourceType !== 'AWS::IAM::Role') {
    return notApplicable(`${item.resourceType} is not an IAM role`);
  }
  if (item.configurationItemStatus !== undefined && DELETED_STATUSES.includes(item.configurationItemStatus)) {
    return notApplicable(`role ${roleNameOf(item) ?? item.resourceId ?? ''} was deleted`.replace('  ', ' '));
  }
  const { role, permissionSet } = watchedBy(item, baseline);
  if (!role && !permissionSet) {
    return notApplicable('out of scope: neither a watched invoke role nor a role of a watched permission set');
  }
  const config = roleConfiguration(item);
  if (config === undefined) {
    const drifts = ['the item carries no role configuration, so nothing proves the role unchanged'];
    return { compliance: 'NON_COMPLIANT', annotation: annotate('Cannot check', drifts), drifts, role, permissionSet };
  }
  const partition = partitionOf(item);
  if (role) {
    return verdict(roleDrifts(config, role, partition), { role }, baseline.revert ? 'Auto-revert restores policies and boundary; trust and session need a redeploy.' : undefined);
  }
  const set = permissionSet!;
  const tail = baseline.revert
    ? `Not reverted: IAM Identity Center owns this role; re-provision permission set ${set.name}.`
    : `Fix: re-provision permission set ${set.name}.`;
  return verdict(permissionSetDrifts(config, set, partition), { permissionSet: set }, tail);
}

function roleDrifts(config: RoleConfiguration, role: RoleBaseline, partition: string): string[] {
  const drifts: string[] = [];
  const attached = (config.attachedManagedPolicies ?? []).map((p) => p.policyArn ?? '');
  if (!attached.includes(role.guard)) {
    drifts.push(`deny guard ${nameOf(role.guard)} detached`);
  }
  drifts.push(...extraManaged(attached, role.managed));
  const boundary = config.permissionsBoundary?.permissionsBoundaryArn;
  if (!boundary) {
    drifts.push('permissions boundary removed');
  } else if (boundary !== role.boundary) {
    drifts.push(`boundary replaced by ${nameOf(boundary)}`);
  }
  drifts.push(...inlineDrifts(config, role.actions));
  drifts.push(...managedPolicyDrifts(config, role));
  drifts.push(...trustWidening(config.assumeRolePolicyDocument, role.trust, partition));
  const session = config.maxSessionDuration;
  if (typeof session === 'number' && session > role.maxSession) {
    drifts.push(`max session ${hours(session)}, over ${hours(role.maxSession)}`);
  }
  return drifts;
}

function permissionSetDrifts(config: RoleConfiguration, set: PermissionSetBaseline, partition: string): string[] {
  const drifts: string[] = [];
  drifts.push(...extraManaged((config.attachedManagedPolicies ?? []).map((p) => p.policyArn ?? ''), []));
  const inline = config.rolePolicyList ?? [];
  if (!inline.some((p) => p.policyName === SSO_INLINE_POLICY)) {
    drifts.push(`inline policy ${SSO_INLINE_POLICY} removed, and the deny guard with it`);
  } else {
    const present = new Set(inline.flatMap((p) => {
      const doc = readPolicy(p.policyDocument);
      return doc ? statementsOf(doc).filter((s) => String(s.Effect).toLowerCase() === 'deny').map(statementDigest) : [];
    }));
    const altered = set.guard.filter((g) => !present.has(g.digest)).map((g) => g.sid);
    if (altered.length > 0) {
      drifts.push(`guard ${altered.join(', ')} missing or altered`);
    }
  }
  drifts.push(...inlineDrifts(config, set.actions));
  drifts.push(...permissionSetBoundaryDrift(config.permissionsBoundary?.permissionsBoundaryArn ?? undefined, set.boundary));
  // The role's own max session is always 12 hours; Identity Center enforces the set's duration itself
  // (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html).
  drifts.push(...trustWidening(config.assumeRolePolicyDocument, [SSO_TRUST], partition));
  return drifts;
}

/**
 * The expected policies' own content: a new default version can widen the role without touching it.
 * Any Allow beyond the allowed actions is drift, and the guard must still deny everything else.
 */
function managedPolicyDrifts(config: RoleConfiguration, role: RoleBaseline): string[] {
  return (config.managedPolicyDocuments ?? []).flatMap(({ policyArn, document }) => {
    const name = nameOf(policyArn);
    const widened = inlineWidening(name, document, role.actions);
    const found = widened === undefined ? [] : [widened.replace(/^inline policy/, 'policy')];
    if (policyArn === role.guard && !deniesAllButAllowed(document, role.actions)) {
      found.push(`guard ${name} no longer denies every action outside the allowed set`);
    }
    return found;
  });
}

function deniesAllButAllowed(document: unknown, actions: readonly string[]): boolean {
  const policy = readPolicy(document);
  const expected = [...actions].map((a) => a.toLowerCase()).sort().join(',');
  return policy !== undefined && statementsOf(policy).some((s) =>
    String(s.Effect).toLowerCase() === 'deny'
    && listOf(s.Resource).includes('*')
    && listOf(s.NotAction).map((a) => a.toLowerCase()).sort().join(',') === expected
    && s.Condition === undefined);
}

/** A customer-managed boundary is compared by path and name: its ARN names each account the set reaches. */
function permissionSetBoundaryDrift(actual: string | undefined, expected: string | undefined): string[] {
  if (expected === undefined) {
    return [];
  }
  if (!actual) {
    return ['permissions boundary removed'];
  }
  const matches = expected.startsWith('arn:') ? actual === expected : actual.endsWith(`:policy${expected}`);
  return matches ? [] : [`boundary replaced by ${nameOf(actual)}`];
}

function extraManaged(attached: string[], expected: readonly string[]): string[] {
  return attached.filter((arn) => !expected.includes(arn)).map((arn) =>
    `extra ${/^arn:[\w-]+:iam::aws:policy\//.test(arn) ? 'AWS-managed' : 'customer-managed'} policy ${nameOf(arn)}`);
}

function inlineDrifts(config: RoleConfiguration, actions: readonly string[]): string[] {
  return (config.rolePolicyList ?? []).flatMap((p) => {
    const finding = inlineWidening(p.policyName ?? '(unnamed)', p.policyDocument, actions);
    return finding === undefined ? [] : [finding];
  });
}

function verdict(drifts: string[], watched: { role?: RoleBaseline; permissionSet?: PermissionSetBaseline }, tail: string | undefined): Verdict {
  const who = watched.role ? `Invoke role ${nameOf(watched.role.arn)}` : `Permission set ${watched.permissionSet!.name} role`;
  if (drifts.length === 0) {
    return { compliance: 'COMPLIANT', annotation: `${who} matches its baseline: nothing widened`, drifts, ...watched };
  }
  return { compliance: 'NON_COMPLIANT', annotation: annotate(`${who} drifted`, drifts, tail), drifts, ...watched };
}

function notApplicable(annotation: string): Verdict {
  return { compliance: 'NOT_APPLICABLE', annotation, drifts: [] };
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

function hours(seconds: number): string {
  return `${+(seconds / 3600).toFixed(2)} h`;
}
