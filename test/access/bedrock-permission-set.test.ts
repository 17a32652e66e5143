import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  AssignmentPrincipalType,
  BedrockPermissionSet,
  BedrockPermissionSetProps,
  Geography,
  ModelCatalog,
  ModelReference,
  PermissionSetBoundary,
} from '../../lib';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';
const USER = 'f6a7b8c9-0123-4567-89ab-cdef01234567';
const MODELS = [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')];

function setIn(props: Partial<BedrockPermissionSetProps> = {}) {
  const stack = new Stack(new App(), 'Sso', { env: { region: 'us-east-1' } });
  const set = new BedrockPermissionSet(stack, 'Bedrock', { instanceArn: INSTANCE, models: MODELS, ...props });
  return { stack, set, get template() { return Template.fromStack(stack); } };
}

describe('BedrockPermissionSet template', () => {
  test('a one-hour permission set whose inline policy names no account', () => {
    const { template, stack } = setIn({ relayState: 'https://console.aws.amazon.com/bedrock/home', tags: [{ key: 'team', value: 'platform' }] });
    template.hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: INSTANCE,
      Name: 'ClaudeCodeBedrock',
      SessionDuration: 'PT1H',
      RelayStateType: 'https://console.aws.amazon.com/bedrock/home',
      Tags: [{ Key: 'team', Value: 'platform' }],
      InlinePolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'InvokeInferenceProfiles',
          Resource: [
            'arn:aws:bedrock:us-east-1:*:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
            'arn:aws:bedrock:us-east-1:*:inference-profile/us.anthropic.claude-sonnet-4-6',
          ],
        }), Match.objectLike({
          Sid: 'ModelsThroughUsAnthropicClaudeSonnet46',
          Resource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
          // A variable is substituted in a condition value, so the account is pinned here.
          Condition: { StringEquals: { 'bedrock:InferenceProfileArn': ['arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6'] } },
        })]),
      },
    });
    const policy = JSON.stringify(Template.fromStack(stack).findResources('AWS::SSO::PermissionSet'));
    expect(policy).not.toMatch(/AWS::AccountId|\d{12}/);
  });

  test('the same statements and guard as the invoke role', () => {
    const { set } = setIn();
    const sids = (set.inlinePolicy.toJSON().Statement as any[]).map((s) => s.Sid);
    expect(sids).toEqual([
      'InvokeInferenceProfiles',
      'ModelsThroughUsAnthropicClaudeSonnet46',
      'ModelsThroughUsAnthropicClaudeHaiku4520251001V10',
      'CountTokens',
      'ListInferenceProfiles',
      'MarketplaceSubscribeThroughBedrock',
      'DenyAllButBedrockInvoke',
      'DenyOtherModelsAndProfiles',
      'DenyModelsThroughOtherProfiles',
      'DenyDirectModelCalls',
      'DenyLongTermApiKeys',
      'DenyMarketplaceOutsideBedrock',
    ]);
  });

  test('session duration in ISO 8601, a customer-managed boundary, and a description', () => {
    const { template } = setIn({ sessionDuration: Duration.hours(8), permissionsBoundary: PermissionSetBoundary.customerManaged('BedrockBoundary', '/boundaries/'), description: 'Claude Code' });
    template.hasResourceProperties('AWS::SSO::PermissionSet', {
      SessionDuration: 'PT8H',
      Description: 'Claude Code',
      PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'BedrockBoundary', Path: '/boundaries/' } },
    });
  });

  test('an AWS-managed boundary', () => {
    const { template } = setIn({ permissionsBoundary: PermissionSetBoundary.awsManaged('arn:aws:iam::aws:policy/PowerUserAccess') });
    template.hasResourceProperties('AWS::SSO::PermissionSet', { PermissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' } });
  });

  test('a group assigned to two accounts and a user to one: one assignment per account', () => {
    const built = setIn({ assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: ['111122223333', '444455556666'] }] });
    built.set.addAssignment({ principalType: AssignmentPrincipalType.USER, principalId: USER, accountIds: ['111122223333'] });
    const template = built.template;
    template.resourceCountIs('AWS::SSO::Assignment', 3);
    for (const [type, id, account] of [['GROUP', GROUP, '111122223333'], ['GROUP', GROUP, '444455556666'], ['USER', USER, '111122223333']]) {
      template.hasResourceProperties('AWS::SSO::Assignment', {
        InstanceArn: INSTANCE,
        PermissionSetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bedrock'), 'PermissionSetArn'] },
        PrincipalType: type,
        PrincipalId: id,
        TargetType: 'AWS_ACCOUNT',
        TargetId: account,
      });
    }
  });

  test('exposes the role-name prefix and an exact matcher for detection and drift', () => {
    const { set } = setIn({ permissionSetName: 'Bedrock' });
    expect(set.roleNamePrefix).toBe('AWSReservedSSO_Bedrock_');
    expect(set.matchesRoleName('AWSReservedSSO_Bedrock_635426549a280cc6')).toBe(true);
    expect(set.matchesRoleName('AWSReservedSSO_Bedrock_Admin_635426549a280cc6')).toBe(false);
    expect(set.matchesRoleName('AWSReservedSSO_BedrockAdmin_635426549a280cc6')).toBe(false);
    expect(set.matchesRoleName('AWSReservedSSO_Bedrock_635426549a280cc')).toBe(false);
    const dotted = setIn({ permissionSetName: 'Team.Bedrock' }).set;
    expect(dotted.matchesRoleName('AWSReservedSSO_TeamXBedrock_635426549a280cc6')).toBe(false);
    expect(dotted.matchesRoleName('AWSReservedSSO_Team.Bedrock_635426549a280cc6')).toBe(true);
  });
});

describe('BedrockPermissionSet bad input', () => {
  test.each<[string, Partial<BedrockPermissionSetProps>, RegExp]>([
    ['a name over 32 characters', { permissionSetName: 'ClaudeCodeBedrockForEveryDeveloperTeam' }, /permission set name 'ClaudeCodeBedrockForEveryDeveloperTeam' is not valid: use 1 to 32/],
    ['a name with a space', { permissionSetName: 'Claude Code' }, /permission set name 'Claude Code' is not valid/],
    ['a malformed instance ARN', { instanceArn: 'arn:aws:sso:::instance/abc' }, /is not an IAM Identity Center instance ARN/],
    ['a session over 12 hours', { sessionDuration: Duration.hours(24) }, /sessionDuration is 1 day: IAM Identity Center allows 1 to 12 hours/],
    ['a malformed group id', { assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'developers', accountIds: ['111122223333'] }] }, /group id 'developers' is not an Identity Store id/],
    ['a malformed account id', { assignments: [{ principalType: AssignmentPrincipalType.USER, principalId: USER, accountIds: ['1111-2222-3333'] }] }, /account id '1111-2222-3333' is not valid: use the 12-digit/],
    ['no accounts', { assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: [] }] }, /lists no accounts/],
    ['an account twice', { assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: ['111122223333', '111122223333'] }] }, /lists '111122223333' twice/],
    ['a relay state that is not a URL', { relayState: 'not a url <script>' }, /relayState 'not a url <script>' is not valid/],
  ])('%s', (_name, props, message) => {
    expect(() => setIn(props)).toThrow(message);
  });

  test('the same group assigned twice in one account', () => {
    const { set } = setIn({ assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: ['111122223333'] }] });
    expect(() => set.addAssignment({ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: ['111122223333'] })).toThrow(/already assigned in account 111122223333/);
  });

  test('more assignments than fit a stack', () => {
    const accounts = Array.from({ length: 401 }, (_, i) => String(100000000000 + i));
    expect(() => setIn({ assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: accounts }] })).toThrow(/401 assignments in one stack, over the 400/);
  });

  test('an inline policy over the 10,240-character limit fails at synth with the size', () => {
    const catalog = ModelCatalog.builtIn();
    // Every model that can still be granted: synthesis refuses a retired one before it counts characters.
    const everything = catalog.modelIds().filter((id) => !catalog.isRetired(id)).flatMap((id) => [
      ...(catalog.routes(id, Geography.US).length > 0 ? [ModelReference.crossRegion(Geography.US, id)] : []),
      ...(catalog.globalSourceRegions(id).length > 0 ? [ModelReference.global(id)] : []),
    ]);
    expect(() => setIn({ models: everything, sourceRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }))
      .toThrow(/the permission set's inline policy needs \d+ characters, over IAM Identity Center's 10240/);
  });

  test('a boundary with a malformed name, path or ARN', () => {
    expect(() => PermissionSetBoundary.customerManaged('my boundary')).toThrow(/boundary policy name 'my boundary' is not valid/);
    expect(() => PermissionSetBoundary.customerManaged('Boundary', 'boundaries')).toThrow(/must start and end with '\/'/);
    expect(() => PermissionSetBoundary.awsManaged('arn:aws:iam::111122223333:policy/Mine')).toThrow(/not an AWS-managed policy ARN/);
  });
});
