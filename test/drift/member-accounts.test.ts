import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, BedrockPermissionSet, ModelReference } from '../../lib';
import { BedrockDriftRule, BedrockDriftRuleProps } from '../../lib/drift';
import { MEMBER_ROLE_NAME } from '../../lib/drift/member-template';
import { decide } from '../support/iam-simulator';

const models = [ModelReference.parse('us.anthropic.claude-sonnet-4-6')];
const MEMBERS = ['111122223333', '444455556666'];

function synth(props: (s: { role: BedrockInvokeRole; set: BedrockPermissionSet }) => BedrockDriftRuleProps) {
  const stack = new Stack(new App(), 'Drift', { env: { region: 'us-east-1', account: '123456789012' } });
  const role = new BedrockInvokeRole(stack, 'Invoke', { models, trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
  const set = new BedrockPermissionSet(stack, 'Set', { models, instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' });
  new BedrockDriftRule(stack, 'Drift', props({ role, set }));
  return { stack, template: Template.fromStack(stack) };
}

describe('drift in member accounts', () => {
  const { stack, template } = synth(({ role, set }) => ({ roles: [role], permissionSets: [set], memberAccounts: MEMBERS }));
  const stackSet = Object.values(template.findResources('AWS::CloudFormation::StackSet'))[0];
  const body = JSON.parse(stackSet.Properties.TemplateBody);

  test('a self-managed StackSet deploys to exactly the member accounts, in the rule\'s Region', () => {
    expect(stackSet.Properties).toMatchObject({
      PermissionModel: 'SELF_MANAGED',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ Regions: ['us-east-1'], DeploymentTargets: { Accounts: MEMBERS } }],
    });
    expect(stackSet.Properties.Parameters).toEqual([
      { ParameterKey: 'EvaluatorFunctionArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^DriftEvaluator/), 'Arn'] } },
      { ParameterKey: 'EvaluatorRoleArn', ParameterValue: { 'Fn::GetAtt': [expect.stringMatching(/^DriftEvaluatorRole/), 'Arn'] } },
    ]);
  });

  test('each member gets a custom rule on IAM roles that invokes the central function', () => {
    expect(body.Resources.DriftRule.Properties).toMatchObject({
      Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: { Ref: 'EvaluatorFunctionArn' } },
      Scope: { ComplianceResourceTypes: ['AWS::IAM::Role'] },
    });
    expect(body.Resources.DriftRule.Properties.Source.SourceDetails.map((d: any) => d.MessageType))
      .toEqual(['ConfigurationItemChangeNotification', 'OversizedConfigurationItemChangeNotification', 'ScheduledNotification']);
  });

  test('Config in each member account, and only there, may invoke the function', () => {
    for (const account of MEMBERS) {
      template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'config.amazonaws.com', SourceAccount: account, Action: 'lambda:InvokeFunction' });
    }
    template.resourceCountIs('AWS::Lambda::Permission', 1 + MEMBERS.length);
    expect(stackSet.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ConfigMayInvokeFrom111122223333/)]));
  });

  test('the function may assume only the evaluation role of each member account', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('drift evaluations') } }))[0];
    const assume = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'EvaluateInMemberAccounts');
    expect(assume.Action).toBe('sts:AssumeRole');
    const arns = stack.resolve(assume.Resource).map((r: any) => r['Fn::Join'][1].map((p: any) => (p.Ref === 'AWS::Partition' ? '<partition>' : p)).join(''));
    expect(arns).toEqual(MEMBERS.map((a) => `arn:<partition>:iam::${a}:role/${MEMBER_ROLE_NAME}`));
  });

  test('the evaluation role trusts only the function\'s role and can record evaluations, nothing in IAM', async () => {
    const role = body.Resources.EvaluationRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: { Ref: 'EvaluatorRoleArn' } }, Action: 'sts:AssumeRole' }]);
    const subject = { identityPolicies: role.Policies.map((p: any) => p.PolicyDocument), principal: { account: MEMBERS[0], roleArn: `arn:aws:iam::${MEMBERS[0]}:role/${MEMBER_ROLE_NAME}` } };
    expect(await decide(subject, { action: 'config:PutEvaluations', resource: '*' })).toBe('Allowed');
    expect(await decide(subject, { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${MEMBERS[0]}:role/AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef` })).toBe('ImplicitlyDenied');
    expect(await decide(subject, { action: 'config:DeleteConfigRule', resource: '*' })).toBe('ImplicitlyDenied');
  });

  test('synthesis says which accounts are covered and what each needs', () => {
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('Bedrock drift covers'));
    expect(infos.map((i) => i.entry.data)).toEqual([expect.stringMatching(
      /covers this account \(123456789012\) and member accounts 111122223333, 444455556666\. Each member account needs an AWS Config recorder in us-east-1 that records AWS::IAM::Role, and the AWSCloudFormationStackSetExecutionRole/)]);
  });

  test('without member accounts, no StackSet, and synthesis says only this account is covered', () => {
    const single = synth(({ role }) => ({ roles: [role] }));
    single.template.resourceCountIs('AWS::CloudFormation::StackSet', 0);
    expect(Annotations.fromStack(single.stack).findInfo('*', Match.stringLikeRegexp('covers this account \\(123456789012\\) only'))).toHaveLength(1);
  });

  test.each([
    ['an id that is not 12 digits', { memberAccounts: ['1234'] }, /'1234' is not an account id/],
    ['the same account twice', { memberAccounts: ['111122223333', '111122223333'] }, /lists 111122223333 twice/],
    ['the stack\'s own account', { memberAccounts: ['123456789012'] }, /the stack's own account/],
  ])('refuses %s', (_name, extra, message) => {
    expect(() => synth(({ role, set }) => ({ roles: [role], permissionSets: [set], ...extra }))).toThrow(message);
  });

  test('refuses member accounts when no permission set is watched', () => {
    expect(() => synth(({ role }) => ({ roles: [role], memberAccounts: MEMBERS }))).toThrow(/no permission set is watched/);
  });
});
