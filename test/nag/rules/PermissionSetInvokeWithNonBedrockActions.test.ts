import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, INVOKE, newStack, permissionSetWith, usSonnetJson } from '../support';

const RULE = 'BedrockAccess-PermissionSetInvokeWithNonBedrockActions';

describe('PermissionSetInvokeWithNonBedrockActions', () => {
  test('non-compliant: invoke plus S3 inline and ReadOnlyAccess attached', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [...usSonnetJson(), { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }], {
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect(findingsWithPaths(stack)).toEqual([
      `${RULE}[Action::s3:ListAllMyBuckets] App/ClaudeCode`,
      `${RULE}[Policy::ReadOnlyAccess] App/ClaudeCode`,
    ]);
  });

  test('non-compliant: the extra action in a customer managed policy of this app the set references', () => {
    const stack = newStack();
    new iam.ManagedPolicy(stack, 'Extra', {
      managedPolicyName: 'claude-code-extra',
      statements: [new iam.PolicyStatement({ actions: ['logs:GetLogEvents'], resources: ['*'] })],
    });
    permissionSetWith(stack, 'ClaudeCode', usSonnetJson(), { customerManagedPolicyReferences: [{ name: 'claude-code-extra' }] });
    expect(findings(stack)).toEqual([`${RULE}[Action::logs:GetLogEvents]`]);
  });

  test('compliant: invoke only, with a deny guard, whatever else is listed', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [...usSonnetJson(), { Effect: 'Deny', NotAction: INVOKE, Resource: ['*'] }], {
      managedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'],
    });
    permissionSetWith(stack, 'Readers', [{ Effect: 'Allow', Action: ['s3:GetObject', 'bedrock:GetFoundationModel'], Resource: '*' }]);
    expect(findings(stack)).toEqual([]);
  });
});
