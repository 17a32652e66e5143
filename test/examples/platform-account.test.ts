import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, DetectionForwarderStack, EuropeGlobalStack, PlatformAccountStack } from '../../examples/platform-account/app';
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

  test('detection and the usage guard watch the role and the permission set at home and forward from two more Regions', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.region).toBe('us-east-1');
    // Detection's local and forwarded rules, and the usage guard's.
    Template.fromStack(us).resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 4);
    Template.fromStack(us).resourceCountIs('AWS::CloudTrail::Trail', 1);
    const forwarders = stacks.filter((s) => s instanceof DetectionForwarderStack) as DetectionForwarderStack[];
    expect(forwarders.map((f) => f.region)).toEqual(['us-west-2', 'eu-west-1']);
    for (const f of forwarders) {
      Template.fromStack(f).resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 2);
      Template.fromStack(f).hasResourceProperties('AWS::Events::Rule', {
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        Targets: [Match.objectLike({ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:', { Ref: 'AWS::AccountId' }, ':event-bus/bedrock-misuse-detection']] } })],
      });
    }
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
