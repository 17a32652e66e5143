import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, newStack, permissionSetWith, usSonnetJson } from '../support';

const RULE = 'BedrockAccess-PermissionSetInvokeOnWildcard';

describe('PermissionSetInvokeOnWildcard', () => {
  test('non-compliant: the Anthropic-published policy, on every profile and model', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [{
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ListInferenceProfiles'],
      Resource: ['arn:aws:bedrock:*:*:inference-profile/*', 'arn:aws:bedrock:*:*:application-inference-profile/*', 'arn:aws:bedrock:*:*:foundation-model/*'],
    }]);
    expect(findingsWithPaths(stack)).toEqual([
      `${RULE}[Resource::application-inference-profile/*] App/ClaudeCode`,
      `${RULE}[Resource::foundation-model/*] App/ClaudeCode`,
      `${RULE}[Resource::inference-profile/*] App/ClaudeCode`,
    ]);
  });

  test('non-compliant: an inline policy given as a JSON string', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [], {
      inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'bedrock:*', Resource: '*' } }),
    });
    expect(findings(stack)).toEqual([`${RULE}[Resource::*]`]);
  });

  test('compliant: exact profile and models, the account pinned by ${aws:PrincipalAccount} in the condition', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', usSonnetJson());
    expect(findings(stack)).toEqual([]);
  });

  test('not applicable: the IAM rule does not read permission sets, nor this one IAM policies', () => {
    const stack = newStack();
    new iam.ManagedPolicy(stack, 'Policy', { statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })] });
    expect(findings(stack)).toEqual(['BedrockAccess-InvokeOnWildcard[Resource::*]']);
  });
});
