import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, BedrockInvokeRoleProps, ModelReference } from '../../lib';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');

function roleIn(props: Partial<BedrockInvokeRoleProps> = {}, region: string | null = 'us-east-1') {
  const stack = new Stack(new App(), 'Test', region ? { env: { region } } : {});
  const role = new BedrockInvokeRole(stack, 'Invoke', {
    models: [SONNET, HAIKU],
    trustedPrincipals: [new iam.AccountPrincipal('111122223333')],
    ...props,
  });
  return { stack, role, get template() { return Template.fromStack(stack); } };
}

describe('BedrockInvokeRole template', () => {
  test('a one-hour role with the boundary and the invoke and guard policies attached', () => {
    const { template } = roleIn();
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      PermissionsBoundary: { Ref: Match.stringLikeRegexp('^InvokeBoundary') },
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^InvokeInvoke1') }, { Ref: Match.stringLikeRegexp('^InvokeGuard') }],
    });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 3);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('trust requires a source identity by default: an IAM user\'s own name, any name from a role session', () => {
    const { template } = roleIn();
    const principal = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } };
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Principal: principal,
          Condition: { StringEquals: { 'sts:SourceIdentity': '${aws:username}', 'aws:PrincipalType': 'User' } },
        }, {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Principal: principal,
          Condition: { StringLike: { 'sts:SourceIdentity': '*' }, StringNotEquals: { 'aws:PrincipalType': 'User' } },
        }],
      },
    });
  });

  test('session tags, a source identity pattern and an external id, on every trusted principal', () => {
    const { template } = roleIn({
      trustedPrincipals: [new iam.AccountPrincipal('111122223333'), new iam.ArnPrincipal('arn:aws:iam::444455556666:role/Developers')],
      requiredSessionTags: ['developer', 'team'],
      requireSourceIdentity: true,
      sourceIdentityPattern: '*@example.com',
      externalId: 'claude-code',
      maxSessionDuration: Duration.hours(4),
    });
    const like = { 'aws:RequestTag/developer': '?*', 'aws:RequestTag/team': '?*', 'sts:SourceIdentity': '*@example.com' };
    const users = { StringLike: like, StringEquals: { 'sts:ExternalId': 'claude-code', 'sts:SourceIdentity': '${aws:username}', 'aws:PrincipalType': 'User' } };
    const others = { StringLike: like, StringEquals: { 'sts:ExternalId': 'claude-code' }, StringNotEquals: { 'aws:PrincipalType': 'User' } };
    const actions = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'];
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 14400,
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: actions, Condition: users }),
          Match.objectLike({ Action: actions, Condition: others }),
          // A role's sessions have no user name to bind to: one statement, the name declared.
          { Effect: 'Allow', Action: actions, Condition: { StringLike: like, StringEquals: { 'sts:ExternalId': 'claude-code' } }, Principal: { AWS: 'arn:aws:iam::444455556666:role/Developers' } },
        ]),
      },
    });
  });

  test('an OIDC provider keeps its own audience and subject conditions next to the attribution', () => {
    const stack = new Stack(new App(), 'Oidc', { env: { region: 'us-east-1' } });
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'GitHub', 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com');
    new BedrockInvokeRole(stack, 'Invoke', {
      models: [SONNET, HAIKU],
      trustedPrincipals: [new iam.OpenIdConnectPrincipal(provider, {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/example-repo:*' },
      })],
      requiredSessionTags: ['developer'],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/example-repo:*', 'aws:RequestTag/developer': '?*' },
          },
        }],
      },
    });
  });

  test('a service principal cannot carry attribution, and the synth says so', () => {
    const { stack, template } = roleIn({ trustedPrincipals: [new iam.ServicePrincipal('ec2.amazonaws.com')] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] },
    });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings.map((w) => String(w.data))).toEqual([expect.stringMatching(/ec2.amazonaws.com.*is an AWS service: its sessions cannot carry a source identity/)]);
  });

  test('exposes what detection and drift need', () => {
    const { stack, role } = roleIn({ roleName: 'ClaudeCodeBedrock' });
    expect(stack.resolve(role.roleId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Invoke/), 'RoleId'] });
    // A given name stays a plain string, usable by stacks in other Regions.
    expect(role.roleName).toBe('ClaudeCodeBedrock');
    const unnamed = roleIn();
    expect(unnamed.stack.resolve(unnamed.role.roleName)).toEqual({ Ref: expect.stringMatching(/^Invoke/) });
    expect(role.allowedActions).toContain('bedrock:InvokeModel');
    expect(role.sourceRegions).toEqual(['us-east-1']);
    expect(role.invokePolicies).toHaveLength(1);
    expect(role.maxSessionDuration.toHours()).toBe(1);
  });

  test('grantAssumeRole gives a principal exactly the STS actions the trust policy asks for', () => {
    const { stack, role } = roleIn({ requiredSessionTags: ['developer'] });
    const developers = new iam.Role(stack, 'Developers', { assumedBy: new iam.AccountRootPrincipal() });
    role.grantAssumeRole(developers);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Invoke'), 'Arn'] } }] },
    });
  });

  test('an environment-agnostic stack works when source Regions are listed', () => {
    const { template } = roleIn({ sourceRegions: ['us-west-2'] }, null);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CountTokens',
          Resource: ['arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0', 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6'],
        })]),
      },
    });
  });
});

describe('BedrockInvokeRole bad input', () => {
  test.each<[string, Partial<BedrockInvokeRoleProps>, RegExp]>([
    ['session over 12 hours', { maxSessionDuration: Duration.hours(13) }, /maxSessionDuration is 13 hours: IAM allows 1 to 12 hours/],
    ['session under 1 hour', { maxSessionDuration: Duration.minutes(30) }, /maxSessionDuration is 30 minutes/],
    ['empty session tag key', { requiredSessionTags: [''] }, /'' is not a session tag key/],
    ['reserved session tag key', { requiredSessionTags: ['aws:user'] }, /starts with 'aws:', which AWS reserves/],
    ['duplicate session tag keys', { requiredSessionTags: ['Developer', 'developer'] }, /lists 'developer' twice \(tag keys are case-insensitive\)/],
    ['no attribution at all', { requireSourceIdentity: false }, /sessions must name their person/],
    ['nobody trusted', { trustedPrincipals: [] }, /trustedPrincipals is empty/],
    ['a malformed external id', { externalId: 'a b' }, /externalId 'a b' is not valid/],
    ['an impossible policy count', { maxManagedPolicies: 1 }, /maxManagedPolicies is 1: use a whole number from 2 to 25/],
    ['a source Region that is a token', { sourceRegions: [Token.asString({ Ref: 'AWS::Region' })] }, /sourceRegions holds an unresolved token/],
  ])('%s', (_name, props, message) => {
    expect(() => roleIn(props)).toThrow(message);
  });

  test('an environment-agnostic stack with no source Regions', () => {
    expect(() => roleIn({}, null)).toThrow(/stack 'Test' has no Region at synth time and sourceRegions is not set: pass sourceRegions/);
  });
});
