import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, EuropeGlobalStack, PlatformAccountStack } from '../../examples/platform-account/app';
import { compliancePacks, complianceReport } from '../../examples/shared/compliance';

describe('the platform-account example app', () => {
  const app = buildApp(new App());
  const stacks = app.node.children;

  test.each(compliancePacks().map((p) => [p.readPackName, p] as const))('%s has no unacknowledged finding', (_name, pack) => {
    const report = pack.validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} on ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('every acknowledgement names the finding and carries a specific reason', () => {
    const lines = complianceReport(app).split('\n').filter((l) => l.startsWith('    '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/: AwsSolutions-IAM5\[Resource::\*\]: .{40,}/);
    }
  });

  test('the US stack grants Sonnet 4.6 and Haiku 4.5 through us. profiles from us-east-1', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.invokeRole.models.map((m) => m.invocationId)).toEqual(['us.anthropic.claude-sonnet-4-6', 'us.anthropic.claude-haiku-4-5-20251001-v1:0']);
    Template.fromStack(us).resourceCountIs('AWS::IAM::Role', 1);
  });

  test('the US stack adds a permission set for the same models, assigned to one group in two accounts', () => {
    const us = stacks.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    expect(us.permissionSet.models).toEqual(us.invokeRole.models);
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

  test('synthesizes offline, twice to the same templates', () => {
    const first = Template.fromStack(buildApp(new App()).node.children[0] as PlatformAccountStack).toJSON();
    const second = Template.fromStack(buildApp(new App()).node.children[0] as PlatformAccountStack).toJSON();
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});
