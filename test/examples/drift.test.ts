import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, DriftWatchedStack } from '../../examples/drift/app';
import { describeCompliance } from '../support/compliance';

/** What CloudFormation would put in place of each intrinsic in the baseline, with names as long as it generates. */
function deployed(value: any, stackName: string): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value['Fn::Join']) {
    return value['Fn::Join'][1].map((p: any) => deployed(p, stackName)).join(value['Fn::Join'][0]);
  }
  if (value.Ref === 'AWS::Partition') {
    return 'aws';
  }
  if (value.Ref) {
    return `arn:aws:iam::123456789012:policy/${stackName}-${value.Ref}-A1B2C3D4E5F6`;
  }
  const [id, attribute] = value['Fn::GetAtt'];
  return attribute === 'RoleId' ? 'AROA3XFRBF23EXAMPLE1' : `arn:aws:iam::123456789012:role/${stackName}-${id}-Q1W2E3R4T5Y6`;
}

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
    const text = deployed(fn.Properties.Environment.Variables.DRIFT_BASELINE, stack.stackName);
    const baseline = JSON.parse(text);
    expect(baseline.roles[0].id).toBe('AROA3XFRBF23EXAMPLE1');
    expect(baseline.sets[0].statements.map((e: string) => e.split('=')[0])).toContain('DenyAllButBedrockInvoke');
    expect(text.length).toBeLessThan(stack.driftRule.baselineCharacters);
    expect(stack.driftRule.baselineCharacters).toBeLessThan(4096 - 100);
  });

  test('synthesizes offline, twice to the same template', () => {
    const again = Template.fromStack(buildApp(new App()).node.children[0] as DriftWatchedStack).toJSON();
    expect(JSON.stringify(again)).toBe(JSON.stringify(template.toJSON()));
  });
});
