import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, INVOKE, newStack, roleWith, usSonnetStatements } from '../support';

const RULE = 'BedrockAccess-PolicyVariableOutsideResourceId';
const SHIPPED = 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6';

describe('PolicyVariableOutsideResourceId', () => {
  test('non-compliant: ${aws:PrincipalAccount} as the account of a profile, in an Allow and in a NotResource guard', () => {
    const stack = newStack();
    roleWith(stack, 'ClaudeCode', [
      new iam.PolicyStatement({ actions: INVOKE, resources: [SHIPPED] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: INVOKE, notResources: [SHIPPED.replace('us-east-1', '${aws:RequestedRegion}')] }),
    ]);
    expect(findingsWithPaths(stack)).toEqual(expect.arrayContaining([
      `${RULE}[Resource::${SHIPPED}] App/ClaudeCode/Resource`,
      `${RULE}[Resource::${SHIPPED.replace('us-east-1', '${aws:RequestedRegion}')}] App/ClaudeCode/Resource`,
    ]));
  });

  test('compliant: a variable after the fifth colon, or only in a condition value', () => {
    const stack = newStack();
    roleWith(stack, 'ClaudeCode', [
      ...usSonnetStatements(),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::team-bucket/${aws:PrincipalAccount}/*'] }),
    ]);
    expect(findings(stack).filter((f) => f.startsWith(RULE))).toEqual([]);
  });
});
