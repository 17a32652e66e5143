import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, ModelReference } from '../../lib';

const GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';

function platform(accountIds: string[]) {
  const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: '123456789012' } });
  const access = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
    model: ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
    smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
    identityCenter: {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds }],
    },
  });
  return { stack, access };
}

describe('the front door\'s drift', () => {
  test('covers every account the permission set is assigned in, and says so', () => {
    const { stack, access } = platform(['111122223333', '123456789012', '444455556666']);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
      Description: Match.stringLikeRegexp('^Bedrock least-privilege drift'),
      StackInstancesGroup: [{ Regions: ['us-east-1'], DeploymentTargets: { Accounts: ['111122223333', '444455556666'] } }],
    });
    expect(access.drift?.memberStackSet).toBeDefined();
    expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('member accounts 111122223333, 444455556666\\. Each member account needs'))).toHaveLength(1);
  });

  test('needs no StackSet when the set is assigned only in the platform account', () => {
    const { stack } = platform(['123456789012']);
    const drift = Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet', { Properties: { Description: Match.stringLikeRegexp('drift') } });
    expect(Object.keys(drift)).toEqual([]);
  });
});
