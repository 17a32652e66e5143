import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, DriftWatchedStack } from '../../examples/drift/app';
import { DeployedTemplate } from '../drift/fixtures/cloudformation-deploy';
import { describeCompliance } from '../support/compliance';

describe('the drift example app', () => {
  const app = buildApp(new App());
  const stack = app.node.children[0] as DriftWatchedStack;
  const template = Template.fromStack(stack);

  describeCompliance(app);

  test('deploys the rule, its recorder, the alert rule and the reverting function in us-east-1', () => {
    expect(stack.region).toBe('us-east-1');
    template.resourceCountIs('AWS::Config::ConfigRule', 1);
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.resourceCountIs('AWS::Config::DeliveryChannel', 1);
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(JSON.stringify(template.toJSON())).toMatch(/DetachOnlyUnexpectedPolicies/);
  });

  test('the deployed baseline fits Lambda\'s environment with room to spare', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    const d = new DeployedTemplate(template.toJSON().Resources, { account: '123456789012', region: 'us-east-1', stackName: stack.stackName });
    const text = d.resolve(fn.Properties.Environment.Variables.DRIFT_BASELINE);
    const baseline = JSON.parse(text);
    expect(baseline.roles[0].id).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(baseline.sets[0].statements.map((e: string) => e.split('=')[0])).toContain('DenyAllButBedrockInvoke');
    expect(text.length).toBeLessThan(stack.driftRule.baselineCharacters);
    expect(stack.driftRule.baselineCharacters).toBeLessThan(4096 - 100);
  });

  test('synthesizes offline, twice to the same template', () => {
    const again = Template.fromStack(buildApp(new App()).node.children[0] as DriftWatchedStack).toJSON();
    expect(JSON.stringify(again)).toBe(JSON.stringify(template.toJSON()));
  });
});
