import { findings, findingsWithPaths, INVOKE, modelArn, newStack, permissionSetWith, SONNET, usSonnetJson } from '../support';

const RULE = 'BedrockAccess-PermissionSetCrossRegionProfileWithoutDestinationModels';
// One policy for every assigned account: * for the account in Resource (IAM never substitutes a variable there).
const PROFILE = `arn:aws:bedrock:us-east-1:*:inference-profile/us.${SONNET}`;

describe('PermissionSetCrossRegionProfileWithoutDestinationModels', () => {
  test('non-compliant: a us. profile for every account, with the model in two of three destinations', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [{ Effect: 'Allow', Action: INVOKE, Resource: [PROFILE, modelArn('us-east-1', SONNET), modelArn('us-west-2', SONNET)] }]);
    expect(findingsWithPaths(stack)).toEqual([`${RULE}[Profile::us.${SONNET}@us-east-1] App/ClaudeCode`]);
  });

  test('compliant: every destination', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', usSonnetJson());
    expect(findings(stack)).toEqual([]);
  });

  test('compliant as far as can be told: a customer managed policy that is not in this app may hold the models', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [{ Effect: 'Allow', Action: INVOKE, Resource: PROFILE }], {
      customerManagedPolicyReferences: [{ name: 'bedrock-models', path: '/' }],
    });
    expect(findings(stack)).toEqual([]);
  });
});
