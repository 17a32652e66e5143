import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { PermissionSetBaseline, PolicyBaseline, RequiredCondition, RoleBaseline, TrustEntry } from './baseline';
import { listOf, PolicyInput, StatementInput } from './policy-document';
import { templateEntries, templateOf } from './policy-template';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';
import { partitionOf } from '../models/regions';

/**
 * The baseline of an invoke role, from what it exposes: its policies' documents as synthesized, so
 * the baseline follows whatever shape the policies take. Ids and ARNs stay tokens until deploy. An
 * account id in the template stays literal, even the stack's own: only `AWS::AccountId` is a placeholder.
 */
export function roleBaseline(role: BedrockInvokeRole): RoleBaseline {
  const stack = Stack.of(role);
  const partition = partitionOf(role.sourceRegions[0]);
  const kinds: Array<[iam.ManagedPolicy, PolicyBaseline['kind']]> = [
    ...role.invokePolicies.map((p): [iam.ManagedPolicy, PolicyBaseline['kind']] => [p, 'i']),
    [role.guardPolicy, 'g'],
    [role.permissionsBoundary, 'b'],
    ...role._spendStops().map((p): [iam.ManagedPolicy, PolicyBaseline['kind']] => [p, 's']),
  ];
  const policies: PolicyBaseline[] = kinds.map(([p, kind]) => ({ arn: p.managedPolicyArn, kind, ...policyEntries(p, partition) }));
  const trust = stack.resolve(role.assumeRolePolicy);
  const trustTemplate = templateOf(trust, partition) as PolicyInput | undefined;
  const trustEntriesOf = trustTemplate && templateEntries(trustTemplate);
  return {
    id: role.roleId,
    arn: role.roleArn,
    trust: trustEntries(role, trust),
    maxSession: role.maxSessionDuration.toSeconds(),
    policies,
    trustStatements: trustEntriesOf?.statements,
    ...(trustEntriesOf?.literal ? { trustLiteral: trustEntriesOf.literal } : {}),
  };
}

function policyEntries(policy: iam.ManagedPolicy, partition: string): ReturnType<typeof templateEntries> {
  const template = templateOf(Stack.of(policy).resolve(policy.document), partition) as PolicyInput | undefined;
  if (template === undefined) {
    throw new Error(`${policy.node.path} has a value known only at deploy (such as a guardrail created in the same stack): drift compares every statement exactly, so give the role literal ARNs, or watch it without BedrockDriftRule`);
  }
  return templateEntries(template);
}

/** The baseline of a permission set: its exact role-name rule, its actions and every statement of its inline policy. */
export function permissionSetBaseline(set: BedrockPermissionSet): PermissionSetBaseline {
  const policy = templateOf(Stack.of(set).resolve(set.inlinePolicy.toJSON()), partitionOf(set.sourceRegions[0])) as PolicyInput | undefined;
  if (policy === undefined || JSON.stringify(policy).includes('{{')) {
    throw new Error(`permission set '${set.permissionSetName}' has an inline policy with values known only at deploy: drift compares its statements at synth, so give the set literal Regions and ARNs`);
  }
  return {
    name: set.permissionSetName,
    // Identity Center writes the same document into every account, so nothing in it is a placeholder.
    statements: templateEntries(policy).statements,
    boundary: boundaryOf(set),
    arn: set.permissionSetArn,
    // BedrockPermissionSet keeps its instance ARN private; its resource carries it.
    instance: set.instanceArn,
    session: set.sessionDuration.toSeconds(),
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
