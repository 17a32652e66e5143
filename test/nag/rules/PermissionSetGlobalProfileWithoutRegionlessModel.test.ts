import { findings, findingsWithPaths, INVOKE, modelArn, newStack, permissionSetWith, SONNET } from '../support';

const RULE = 'BedrockAccess-PermissionSetGlobalProfileWithoutRegionlessModel';
// One policy for every assigned account: * for the account in Resource, the variable only in conditions.
const PROFILE = `arn:aws:bedrock:eu-west-1:*:inference-profile/global.${SONNET}`;
const CALLERS_PROFILE = `arn:aws:bedrock:eu-west-1:\${aws:PrincipalAccount}:inference-profile/global.${SONNET}`;

describe('PermissionSetGlobalProfileWithoutRegionlessModel', () => {
  test('non-compliant: the global profile and the in-Region model only', () => {
    const stack = newStack('eu-west-1');
    permissionSetWith(stack, 'ClaudeCode', [{ Effect: 'Allow', Action: INVOKE, Resource: [PROFILE, modelArn('eu-west-1', SONNET)] }]);
    expect(findingsWithPaths(stack)).toEqual([`${RULE}[Profile::global.${SONNET}] App/ClaudeCode`]);
  });

  test('compliant: with the Region-less model', () => {
    const stack = newStack('eu-west-1');
    permissionSetWith(stack, 'ClaudeCode', [
      { Effect: 'Allow', Action: INVOKE, Resource: [PROFILE, modelArn('eu-west-1', SONNET)] },
      {
        Effect: 'Allow',
        Action: INVOKE,
        Resource: `arn:aws:bedrock:::foundation-model/${SONNET}`,
        Condition: { StringEquals: { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': CALLERS_PROFILE } },
      },
    ]);
    expect(findings(stack)).toEqual([]);
  });
});
