import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The example account ids from AWS documentation, used as the accounts a policy is evaluated in. */
export const ACCOUNT_A = '111122223333';
export const ACCOUNT_B = '444455556666';

/** An IAM policy document as plain JSON. */
export type PolicyJson = { Version?: string; Statement: any[] };

/** A role's identity policies and boundary, as IAM would evaluate them in one account. */
export interface RolePolicies {
  readonly identityPolicies: PolicyJson[];
  readonly permissionsBoundary?: PolicyJson;
  readonly trustPolicy: PolicyJson;
  readonly managedPolicyLogicalIds: string[];
}

export const ADMINISTRATOR_ACCESS: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** Resolves the intrinsics CDK emits for ARNs (Fn::Join, Ref to pseudo parameters) as CloudFormation would. */
export function resolveIntrinsics(value: any, account: string, partition = 'aws', region = 'us-east-1'): any {
  if (Array.isArray(value)) {
    return value.map((v) => resolveIntrinsics(v, account, partition, region));
  }
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) {
      const [sep, parts] = value['Fn::Join'];
      return parts.map((p: any) => resolveIntrinsics(p, account, partition, region)).join(sep);
    }
    if ('Ref' in value) {
      const pseudo: Record<string, string> = { 'AWS::AccountId': account, 'AWS::Partition': partition, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com' };
      if (value.Ref in pseudo) {
        return pseudo[value.Ref];
      }
      throw new Error(`cannot resolve Ref ${value.Ref} in a test policy`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, account, partition, region)]));
  }
  return value;
}

/** The single role of type AWS::IAM::Role in the stack whose logical id starts with `prefix`. */
export function rolePolicies(stack: Stack, account: string, rolePrefix = ''): RolePolicies {
  const template = Template.fromStack(stack).toJSON();
  const resources: Record<string, any> = template.Resources;
  const roles = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(rolePrefix));
  if (roles.length !== 1) {
    throw new Error(`expected one role starting with '${rolePrefix}', found ${roles.map(([id]) => id).join(', ') || 'none'}`);
  }
  const role = roles[0][1].Properties;
  const policyOf = (ref: any): PolicyJson => {
    const id = ref.Ref;
    const res = resources[id];
    if (!res || res.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(`managed policy ${JSON.stringify(ref)} is not in the stack`);
    }
    return resolveIntrinsics(res.Properties.PolicyDocument, account);
  };
  const inline = (role.Policies ?? []).map((p: any) => resolveIntrinsics(p.PolicyDocument, account));
  const managedRefs: any[] = role.ManagedPolicyArns ?? [];
  return {
    identityPolicies: [...managedRefs.map(policyOf), ...inline],
    permissionsBoundary: role.PermissionsBoundary ? policyOf(role.PermissionsBoundary) : undefined,
    trustPolicy: resolveIntrinsics(role.AssumeRolePolicyDocument, account),
    managedPolicyLogicalIds: managedRefs.map((r) => r.Ref),
  };
}

/** Non-white-space length of a policy, as IAM counts it. */
export function iamSize(doc: PolicyJson): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}
