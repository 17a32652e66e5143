import { annotate } from './annotation';
import { boundaryArn, DriftBaseline, guardArn, managedArns, PermissionSetBaseline, RoleBaseline, spendStopArns, SSO_INLINE_POLICY, SSO_TRUST } from './baseline';
import { ConfigurationItem, DELETED_STATUSES, partitionOf, roleConfiguration, RoleConfiguration, roleNameOf } from './configuration-item';
import { CONTAINMENT_POLICY, containmentCutoff, withoutContainedUsers } from './containment';
import { inlineWidening } from './inline-policy-check';
import { PolicyInput, readPolicy } from './policy-document';
import { arnParts, expectedEntries, withAccountPlaceholder } from './policy-template';
import { statementDiff } from './statement-diff';
import { trustWidening } from './trust-policy-check';
import { roleArnOf, roleArnParts, watchedBy } from './watched-role';

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

/** Compares one `AWS::IAM::Role` configuration item with the baseline. Pure: no AWS call, no clock. */
export function evaluate(item: ConfigurationItem, baseline: DriftBaseline): Verdict {
  if (item.resourceType !== undefined && item.resourceType !== 'AWS::IAM::Role') {
    return notApplicable(`${item.resourceType} is not an IAM role`);
  }
  const watched = watchedBy(item, baseline);
  const { role, permissionSet } = watched;
  if (item.configurationItemStatus !== undefined && DELETED_STATUSES.includes(item.configurationItemStatus)) {
    // Config's guidance for deleted resources; the handler alerts when a watched invoke role goes.
    const name = roleNameOf(item) ?? item.resourceId ?? '';
    return { ...notApplicable(role ? `Invoke role ${name} was deleted: a role created again under its name is judged against this baseline` : `role ${name} was deleted`), ...(role ? { role } : {}) };
  }
  if (watched.lookAlike) {
    const drifts = [`named like permission set ${watched.lookAlike.set}'s role but at path ${watched.lookAlike.path}, outside /aws-reserved/sso.amazonaws.com/: IAM Identity Center did not create it`];
    return { compliance: 'NON_COMPLIANT', annotation: annotate('Look-alike role', drifts, 'Delete it unless you know who made it and why.'), drifts };
  }
  if (watched.unprovable) {
    const drifts = [`named like permission set ${watched.unprovable}'s role, but the item has no ARN to show the reserved path`];
    return { compliance: 'NON_COMPLIANT', annotation: annotate('Cannot check', drifts), drifts };
  }
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
    const recreated = watched.recreatedFrom !== undefined ? ` (recreated as ${item.resourceId ?? config.roleId})` : '';
    return verdict([...pathDrift(item, role), ...roleDrifts(config, role, partition)], { role }, baseline.revert ? 'Auto-revert restores policies and boundary; trust and session need a redeploy.' : undefined, recreated);
  }
  const set = permissionSet!;
  const tail = baseline.revert
    ? `Not reverted: IAM Identity Center owns this role; re-provision permission set ${set.name}.`
    : `Fix: re-provision permission set ${set.name}.`;
  return verdict(permissionSetDrifts(config, set, partition), { permissionSet: set }, tail);
}

/** A role created again under the invoke role's name but at another path is not the role the stack made. */
function pathDrift(item: ConfigurationItem, role: RoleBaseline): string[] {
  const actual = roleArnParts(roleArnOf(item));
  const expected = roleArnParts(role.arn);
  return actual && expected && actual.path !== expected.path ? [`role at path ${actual.path}, deployed at ${expected.path}`] : [];
}

function roleDrifts(config: RoleConfiguration, role: RoleBaseline, partition: string): string[] {
  const drifts: string[] = [];
  const attached = (config.attachedManagedPolicies ?? []).map((p) => p.policyArn ?? '');
  const managed = managedArns(role);
  for (const arn of managed.filter((a) => !attached.includes(a))) {
    drifts.push(`${arn === guardArn(role) ? 'deny guard' : 'policy'} ${nameOf(arn)} detached`);
  }
  drifts.push(...extraManaged(attached, [...managed, ...spendStopArns(role)]));
  const boundary = config.permissionsBoundary?.permissionsBoundaryArn;
  if (!boundary) {
    drifts.push('permissions boundary removed');
  } else if (boundary !== boundaryArn(role)) {
    drifts.push(`boundary replaced by ${nameOf(boundary)}`);
  }
  drifts.push(...inlineDrifts(config, []));
  const { account } = arnParts(config.arn ?? role.arn);
  drifts.push(...managedPolicyDrifts(config, role, account));
  const widening = trustWidening(config.assumeRolePolicyDocument, role.trust, partition);
  drifts.push(...widening);
  const trust = readPolicy(config.assumeRolePolicyDocument);
  if (widening.length === 0 && role.trustStatements && trust) {
    drifts.push(...statementDiff('trust', expectedEntries(role.trustStatements, role.trustLiteral, account), withAccountPlaceholder(trust, account) as PolicyInput));
  }
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
  const own = inline.find((p) => p.policyName === SSO_INLINE_POLICY);
  const document = own && readPolicy(own.policyDocument);
  if (!own) {
    drifts.push(`inline policy ${SSO_INLINE_POLICY} removed, and the deny guard with it`);
  } else if (!document) {
    drifts.push(`inline policy ${SSO_INLINE_POLICY} cannot be read`);
  } else {
    // The same document in every account the set reaches: compared as it stands.
    drifts.push(...statementDiff(SSO_INLINE_POLICY, set.statements, withoutContainedUsers(document)));
  }
  drifts.push(...inlineDrifts(config, [SSO_INLINE_POLICY]));
  drifts.push(...permissionSetBoundaryDrift(config.permissionsBoundary?.permissionsBoundaryArn ?? undefined, set.boundary));
  // The role's own max session is always 12 hours; Identity Center enforces the set's duration itself
  // (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html).
  drifts.push(...trustWidening(config.assumeRolePolicyDocument, [SSO_TRUST], partition));
  return drifts;
}

/**
 * The expected policies' own content: a new default version can change the role without touching
 * it. Every statement must be exactly as deployed: none removed, changed or added.
 */
function managedPolicyDrifts(config: RoleConfiguration, role: RoleBaseline, account: string | undefined): string[] {
  return (config.managedPolicyDocuments ?? []).flatMap(({ policyArn, document }) => policyDrifts(policyArn, document, role, account));
}

/** How one of the role's own managed policies (or its boundary) differs from what was deployed. */
export function policyDrifts(policyArn: string, document: unknown, role: RoleBaseline, account: string | undefined): string[] {
  const expected = role.policies.find((p) => p.arn === policyArn);
  if (expected === undefined) {
    return [];
  }
  const label = { g: 'guard', b: 'boundary', i: `policy ${nameOf(policyArn)}`, s: `spend stop ${nameOf(policyArn)}` }[expected.kind];
  const policy = readPolicy(document);
  if (policy === undefined) {
    return [`${label} cannot be read`];
  }
  const entries = expectedEntries(expected.statements, expected.literal, account);
  return statementDiff(label, entries, withAccountPlaceholder(policy, account) as PolicyInput);
}

/**
 * Compares the default version of one of the library's own managed policies (an `AWS::IAM::Policy`
 * item) with the baseline of every watched role that uses it. Pure, like `evaluate`.
 */
export function evaluatePolicy(policyArn: string, document: unknown, baseline: DriftBaseline): Verdict {
  const roles = baseline.roles.filter((r) => r.policies.some((p) => p.arn === policyArn));
  if (roles.length === 0) {
    return notApplicable('out of scope: not a policy of a watched invoke role');
  }
  const { account } = arnParts(policyArn);
  const drifts = [...new Set(roles.flatMap((r) => policyDrifts(policyArn, document, r, account)))];
  const who = `Policy ${nameOf(policyArn)}`;
  if (drifts.length === 0) {
    return { compliance: 'COMPLIANT', annotation: annotate(`${who} matches its baseline`, []), drifts, role: roles[0] };
  }
  return { compliance: 'NON_COMPLIANT', annotation: annotate(`${who} drifted`, drifts, 'Fix: make the deployed version the default again (iam set-default-policy-version).'), drifts, role: roles[0] };
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

/**
 * Every inline policy is drift, but for the ones the baseline names (`known`) and containment's revoke
 * policy while it is exactly what containment writes.
 */
function inlineDrifts(config: RoleConfiguration, known: readonly string[]): string[] {
  return (config.rolePolicyList ?? []).flatMap((p) => {
    const name = p.policyName ?? '(unnamed)';
    if (known.includes(name)) {
      return [];
    }
    if (name === CONTAINMENT_POLICY) {
      return containmentCutoff(p.policyDocument) === undefined ? [`containment policy ${name} altered (deleting it would restore revoked sessions: revert rewrites it to revoke every session until then)`] : [];
    }
    const allows = inlineWidening(name, p.policyDocument, []);
    return [allows ? `new ${allows}` : `new inline policy ${name}`];
  });
}

function verdict(drifts: string[], watched: { role?: RoleBaseline; permissionSet?: PermissionSetBaseline }, tail: string | undefined, note = ''): Verdict {
  const who = watched.role ? `Invoke role ${nameOf(watched.role.arn)}${note}` : `Permission set ${watched.permissionSet!.name} role`;
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
