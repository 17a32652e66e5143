import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BedrockInvokeRole, BedrockPermissionSet, ModelReference } from '../../lib';
import { BedrockDriftRule, BedrockDriftRuleProps, ConfigRecorder } from '../../lib/drift';

const models = [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')];

function setup(region = 'us-east-1') {
  const stack = new Stack(new App(), 'Drift', { env: { region, account: '123456789012' } });
  const role = new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: ['us-east-1'], trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
  const set = new BedrockPermissionSet(stack, 'Set', { models, sourceRegions: ['us-east-1'], instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' });
  return { stack, role, set };
}

function rule(props: (s: ReturnType<typeof setup>) => BedrockDriftRuleProps, region?: string) {
  const s = setup(region);
  const drift = new BedrockDriftRule(s.stack, 'Drift', props(s));
  return { ...s, drift, template: Template.fromStack(s.stack) };
}

describe('BedrockDriftRule', () => {
  test('is a custom Lambda rule on IAM role and policy changes and every 24 hours, scoped by type', () => {
    const { template } = rule(({ role, set }) => ({ roles: [role], permissionSets: [set] }));
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftEvaluator'), 'Arn'] },
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'TwentyFour_Hours' },
        ],
      },
      Scope: { ComplianceResourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy'], ComplianceResourceId: Match.absent() },
    });
  });

  test('puts the library\'s managed policies in scope only when invoke roles are watched', () => {
    const { template } = rule(({ role }) => ({ roles: [role], maximumExecutionFrequency: Duration.hours(6) }));
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Scope: { ComplianceResourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy'], ComplianceResourceId: Match.absent() },
      Source: { SourceDetails: Match.arrayWith([Match.objectLike({ MaximumExecutionFrequency: 'Six_Hours' })]) },
    });
    const sets = rule(({ set }) => ({ permissionSets: [set] })).template;
    sets.hasResourceProperties('AWS::Config::ConfigRule', { Scope: { ComplianceResourceTypes: ['AWS::IAM::Role'] } });
  });

  test('lets only Config in this account invoke the function, before the rule exists', () => {
    const { template } = rule(({ role }) => ({ roles: [role] }));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'config.amazonaws.com', SourceAccount: '123456789012',
    });
    const [ruleResource] = Object.values(template.findResources('AWS::Config::ConfigRule'));
    expect(ruleResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/DriftConfigMayInvoke/)]));
  });

  test('gives the function the Config calls, GetRole on the watched role, reads of its expected policies, and no IAM write without auto-revert', () => {
    const { template } = rule(({ role, set }) => ({ roles: [role], permissionSets: [set] }));
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('drift evaluations') } }))[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      expect.objectContaining({
        Action: ['config:PutEvaluations', 'config:GetResourceConfigHistory', 'config:ListDiscoveredResources', 'config:BatchGetResourceConfig',
          'config:DescribeConfigurationRecorders', 'config:DescribeConfigurationRecorderStatus'],
        Resource: '*',
      }),
      expect.objectContaining({ Action: 'iam:GetRole', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Invoke/), 'Arn'] } }),
      // The invoke policy, the guard and the boundary, by reference: nothing else.
      expect.objectContaining({
        Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        Resource: [{ Ref: expect.stringMatching(/Invoke1/) }, { Ref: expect.stringMatching(/Guard/) }, { Ref: expect.stringMatching(/Boundary/) }],
      }),
      // The permission set's five reads, on its instance and itself only.
      expect.objectContaining({
        Sid: 'ReadTheWatchedPermissionSets',
        Action: ['sso:DescribePermissionSet', 'sso:GetInlinePolicyForPermissionSet', 'sso:ListManagedPoliciesInPermissionSet',
          'sso:ListCustomerManagedPolicyReferencesInPermissionSet', 'sso:GetPermissionsBoundaryForPermissionSet'],
        Resource: ['arn:aws:sso:::instance/ssoins-1234567890abcdef', { 'Fn::GetAtt': [expect.stringMatching(/^Set/), 'PermissionSetArn'] }],
      }),
    ]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/iam:(Detach|Attach|Delete|Put|Update)Role/);
  });

  test('with auto-revert, the function may detach anything but the baseline and attach only the baseline, on the invoke role only', () => {
    const { template } = rule(({ role }) => ({ roles: [role], autoRevert: true }));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'DetachOnlyUnexpectedPolicies', Action: 'iam:DetachRolePolicy', Condition: { ArnNotEquals: { 'iam:PolicyARN': Match.anyValue() } } }),
          Match.objectLike({ Sid: 'AttachOnlyTheBaselinePolicies', Action: 'iam:AttachRolePolicy', Condition: { ArnEquals: { 'iam:PolicyARN': Match.anyValue() } } }),
          Match.objectLike({ Sid: 'RestoreOnlyTheBaselineBoundary', Action: 'iam:PutRolePermissionsBoundary', Condition: { ArnEquals: { 'iam:PermissionsBoundary': Match.anyValue() } } }),
          Match.objectLike({ Sid: 'DeleteInlineAndShortenSession', Action: ['iam:DeleteRolePolicy', 'iam:UpdateRole'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Invoke'), 'Arn'] } }),
        ]),
      },
    });
  });

  test('writes the baseline into the function\'s environment with the role id and policy ARNs resolved at deploy', () => {
    const { template, drift } = rule(({ role, set }) => ({ roles: [role], permissionSets: [set] }));
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    const joined = JSON.stringify(fn.Properties.Environment.Variables.DRIFT_BASELINE);
    expect(joined).toMatch(/RoleId/);
    const text = fn.Properties.Environment.Variables.DRIFT_BASELINE['Fn::Join'][1].filter((p: unknown) => typeof p === 'string').join('');
    expect(text).toContain('"sets":[{"name":"ClaudeCodeBedrock"');
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(drift.baselineCharacters).toBeLessThan(4096);
  });

  test('creates a recorder of IAM roles and policies only, a delivery channel to a KMS-encrypted bucket, before the rule', () => {
    const { template } = rule(({ role }) => ({ roles: [role], recorder: ConfigRecorder.create() }));
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: false, IncludeGlobalResourceTypes: false, ResourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy'], RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' } },
    });
    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3KmsKeyArn: Match.anyValue() });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.anyValue(),
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const [ruleResource] = Object.values(template.findResources('AWS::Config::ConfigRule'));
    expect(ruleResource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/DriftRecorder(?!Role)/)]));
  });

  test('relies on the existing recorder by default', () => {
    const { template } = rule(({ role }) => ({ roles: [role] }));
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
  });

  test('tells the alert topic about every compliance change of this rule', () => {
    const { template, stack } = rule(({ role, stack: st }) => ({ roles: [role], alertTopic: new sns.Topic(st, 'Alerts') }));
    void stack;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.config'], 'detail-type': ['Config Rules Compliance Change'], 'detail': { configRuleName: [{ Ref: Match.stringLikeRegexp('^Drift') }] } },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Alerts') }, InputTransformer: Match.anyValue() })],
    });
  });

  test.each([
    ['nothing to watch', () => ({}), /watches nothing: pass roles/],
    ['a frequency Config lacks', ({ role }: any) => ({ roles: [role], maximumExecutionFrequency: Duration.hours(2) }), /2 hours: AWS Config runs periodic rules every 1, 3, 6, 12 or 24 hours/],
    ['auto-revert with only permission sets', ({ set }: any) => ({ permissionSets: [set], autoRevert: true }), /IAM Identity Center owns their roles/],
    ['the same role twice', ({ role }: any) => ({ roles: [role, role] }), /same role or permission set twice/],
  ])('refuses %s with a clear message', (_name, props, message) => {
    expect(() => rule(props as any)).toThrow(message);
  });

  test('refuses a Region that cannot record IAM roles', () => {
    expect(() => rule(({ role }) => ({ roles: [role] }), 'eu-central-2')).toThrow(/eu-central-2 cannot record IAM roles/);
  });

  test('refuses a baseline over Lambda\'s 4 KB, naming the sizes and the fix', () => {
    const s = setup();
    const roles = Array.from({ length: 6 }, (_, i) => new BedrockInvokeRole(s.stack, `Role${i}`, {
      models, sourceRegions: ['us-east-1'], trustedPrincipals: [new iam.AccountPrincipal('111122223333'), new iam.AccountPrincipal('444455556666')],
    }));
    expect(() => new BedrockDriftRule(s.stack, 'Drift', { roles })).toThrow(/over the 4096 Lambda allows: watch fewer roles .* put the rest in a second BedrockDriftRule/);
  });
});
