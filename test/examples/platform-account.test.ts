import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, EuropeGlobalStack, PlatformAccountStack } from '../../examples/platform-account/app';
import { CommercialRegions } from '../../lib';
import { describeCompliance } from '../support/compliance';

describe('the platform-account example app', () => {
  const app = buildApp(new App());
  const stacks = app.node.children;

  describeCompliance(app);

  test('the US stack grants Sonnet 4.6, Haiku 4.5 and Opus 4.7 through us. profiles from us-east-1', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.access.invokeRole!.models.map((m) => m.invocationId)).toEqual(['us.anthropic.claude-sonnet-4-6', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', 'us.anthropic.claude-opus-4-7']);
    Template.fromStack(us).resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'ClaudeCodeBedrockInvoke' }, 1);
  });

  test('the US stack adds a permission set for the same models, assigned to one group in two accounts', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.access.permissionSet!.models).toEqual(us.access.invokeRole!.models);
    const template = Template.fromStack(us);
    template.resourceCountIs('AWS::SSO::PermissionSet', 1);
    expect(Object.values(template.findResources('AWS::SSO::Assignment')).map((r) => [r.Properties.PrincipalType, r.Properties.TargetId]))
      .toEqual([['GROUP', '111122223333'], ['GROUP', '444455556666']]);
  });

  test('the European stack grants an eu. profile and a global. profile from eu-west-1', () => {
    const eu = stacks.find((s) => s instanceof EuropeGlobalStack) as EuropeGlobalStack;
    expect(eu.invokeRole.sourceRegions).toEqual(['eu-west-1']);
    expect(eu.invokeRole.models.map((m) => m.invocationId)).toEqual(['eu.anthropic.claude-sonnet-4-6', 'global.anthropic.claude-haiku-4-5-20251001-v1:0']);
  });

  test('detection and the usage guard watch at home, and one StackSet forwards from every other Region of the home and assigned accounts', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.region).toBe('us-east-1');
    // Detection's local and forwarded rules, the usage guard's, and the heartbeat's.
    Template.fromStack(us).resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 5);
    Template.fromStack(us).resourceCountIs('AWS::CloudTrail::Trail', 1);
    const [set] = Object.values(Template.fromStack(us).findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties);
    expect(set.StackInstancesGroup[0].Regions).toEqual(CommercialRegions.enabledByDefault());
    // The stack has no account at synth: the home account is added unless it is one of the assigned ones.
    expect(set.StackInstancesGroup[0].DeploymentTargets.Accounts).toEqual({
      'Fn::If': [expect.stringMatching(/HomeAccountListed/), ['111122223333', '444455556666'], [{ Ref: 'AWS::AccountId' }, '111122223333', '444455556666']],
    });
    const body = JSON.parse(set.TemplateBody);
    // The two CloudTrail forwarders, and the spend-rate cap's alarm forwarder with its alert and stop alarm per model.
    expect(Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::Events::Rule')).toHaveLength(3);
    expect(Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm')).toHaveLength(6);
    expect(Object.values(body.Resources).filter((r: any) => r.Type === 'AWS::CloudTrail::Trail')).toHaveLength(1);
  });

  test('the client data configure reads, and the command to run, are stack outputs', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    const outputs = Template.fromStack(us).findOutputs('*');
    expect(JSON.parse(outputs.ClaudeCodeIdentityCenterClient.Value).models.main).toBe('us.anthropic.claude-sonnet-4-6');
    expect(outputs.ClaudeCodeRoleClient).toBeDefined();
    expect(JSON.stringify(outputs.ClaudeCodeClientNextSteps.Value)).toContain('configure --stack');
  });

  test('synthesizes offline, twice to the same templates', () => {
    const first = Template.fromStack(buildApp(new App()).node.children[0] as PlatformAccountStack).toJSON();
    const second = Template.fromStack(buildApp(new App()).node.children[0] as PlatformAccountStack).toJSON();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
