import { findings, findingsWithPaths, INVOKE, newStack, permissionSetWith, usSonnetJson } from '../support';

const RULE = 'BedrockAccess-PermissionSetPolicyVariableOutsideResourceId';
const SHIPPED = 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6';

describe('PermissionSetPolicyVariableOutsideResourceId', () => {
  test('non-compliant: the shape that denies every call in every assigned account', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', [{ Effect: 'Allow', Action: INVOKE, Resource: [SHIPPED] }]);
    expect(findingsWithPaths(stack)).toContain(`${RULE}[Resource::${SHIPPED}] App/ClaudeCode`);
  });

  test('compliant: * for the account, pinned by ${aws:PrincipalAccount} in the condition', () => {
    const stack = newStack();
    permissionSetWith(stack, 'ClaudeCode', usSonnetJson());
    expect(findings(stack)).toEqual([]);
  });
});
