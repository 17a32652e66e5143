import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GuardDigest, PermissionSetBaseline, RequiredCondition, RoleBaseline, TrustEntry } from './baseline';
import { listOf, StatementInput } from './policy-document';
import { statementDigest } from './statement-digest';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';

/** The baseline of an invoke role, from what it exposes; ids and ARNs stay tokens until deploy. */
export function roleBaseline(role: BedrockInvokeRole): RoleBaseline {
  return {
    id: role.roleId,
    arn: role.roleArn,
    managed: [...role.managedPolicyArns],
    guard: role.guardPolicy.managedPolicyArn,
    boundary: role.permissionsBoundaryArn,
    actions: [...role.allowedActions],
    trust: trustEntries(role, Stack.of(role).resolve(role.assumeRolePolicy.toJSON())),
    maxSession: role.maxSessionDuration.toSeconds(),
  };
}

/** The baseline of a permission set: its exact role-name rule, its actions and a digest of each guard statement. */
export function permissionSetBaseline(set: BedrockPermissionSet): PermissionSetBaseline {
  const policy = Stack.of(set).resolve(set.inlinePolicy.toJSON()) as { Statement: StatementInput[] };
  if (JSON.stringify(policy).includes('"Fn::') || JSON.stringify(policy).includes('"Ref"')) {
    throw new Error(`permission set '${set.permissionSetName}' has an inline policy with values known only at deploy: drift compares its guard statements at synth, so give the set literal Regions and ARNs`);
  }
  const guard: GuardDigest[] = policy.Statement.filter((s) => s.Effect === 'Deny')
    .map((s) => ({ sid: s.Sid ?? '', digest: statementDigest(s) }));
  return {
    name: set.permissionSetName,
    pattern: set.roleNamePattern,
    actions: [...set.allowedActions],
    guard,
    boundary: boundaryOf(set),
  };
}

function boundaryOf(set: BedrockPermissionSet): string | undefined {
  const b = set.permissionsBoundary;
  if (!b) {
    return undefined;
  }
  return b.managedPolicyArn ?? `${b.customerManagedPolicyPath ?? '/'}${b.customerManagedPolicyName}`;
}

/** One entry per principal per trust statement, with the statement's actions and conditions as required. */
function trustEntries(scope: IConstruct, document: { Statement?: StatementInput[] }): TrustEntry[] {
  const entries: TrustEntry[] = [];
  for (const st of document.Statement ?? []) {
    if (st.Effect !== 'Allow' || st.Principal === undefined) {
      continue;
    }
    const principal = typeof st.Principal === 'string' ? { AWS: st.Principal } : st.Principal;
    const conditions: RequiredCondition[] = Object.entries(st.Condition ?? {}).flatMap(([op, keys]) =>
      Object.entries(keys).map(([key, values]) => ({ op, key, values: asList(values).map(asToken) })));
    for (const [type, values] of Object.entries(principal)) {
      for (const value of asList(values)) {
        entries.push({
          principal: `${type}:${asToken(value)}`,
          actions: listOf(st.Action).map((a) => a.toLowerCase()),
          conditions,
        });
      }
    }
  }
  if (entries.length === 0) {
    throw new Error(`${scope.node.path}: the trust policy has no principal to compare with; BedrockInvokeRole always trusts someone, so this is a bug to report`);
  }
  return entries;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** A resolved value back as a string; an intrinsic (such as the partition in an ARN) becomes a token again. */
function asToken(value: unknown): string {
  return typeof value === 'string' ? value : Token.asString(value);
}
