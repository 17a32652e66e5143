import { App, CfnCondition, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SimulatedDeployment } from './simulated-deployment';

// Shows the deployment stand-in can refuse: each case below is one documented reason an event never reaches a function.
const HOME = '111122223333';
const OTHER = '444455556666';

function app(options: { trail?: boolean; readOnlyRule?: boolean; onlyInOther?: boolean } = {}) {
  const a = new App();
  const stack = new Stack(a, 'S', { env: { account: HOME, region: 'us-east-1' } });
  if (options.trail !== false) {
    new CfnResource(stack, 'Trail', { type: 'AWS::CloudTrail::Trail', properties: { IsLogging: true, IsMultiRegionTrail: true, S3BucketName: 'logs' } });
  }
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=()=>{}') });
  const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.ec2'] }, targets: [new targets.LambdaFunction(fn)] });
  if (options.readOnlyRule) {
    (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  }
  if (options.onlyInOther) {
    const inOther = new CfnCondition(stack, 'InOther', { expression: Fn.conditionEquals(Stack.of(stack).account, OTHER) });
    (rule.node.defaultChild as events.CfnRule).cfnOptions.condition = inOther;
  }
  return stack;
}

const event = (readOnly: boolean) => ({ 'account': HOME, 'region': 'us-east-1', 'source': 'aws.ec2', 'detail-type': 'AWS API Call via CloudTrail', 'detail': { readOnly, eventSource: 'ec2.amazonaws.com' } });
const reached = (stack: Stack, readOnly: boolean) => SimulatedDeployment.of([{ stack }]).deliver(event(readOnly)).reached.length;

test('a write event reaches the function through an ENABLED rule where a multi-Region trail logs it', () => {
  expect(reached(app(), false)).toBe(1);
});

test('an event of another Region goes to that Region\'s bus, where no rule is', () => {
  const stack = app();
  expect(SimulatedDeployment.of([{ stack }]).deliver({ ...event(false), region: 'eu-west-1' }).reached).toEqual([]);
});

test('no trail, no event (EventBridge User Guide, "Events from AWS services")', () => {
  expect(reached(app({ trail: false }), false)).toBe(0);
});

test('a read-only event needs ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS ("Receiving read-only management events")', () => {
  expect(reached(app(), true)).toBe(0);
  expect(reached(app({ readOnlyRule: true }), true)).toBe(1);
});

test('a rule whose condition is false where it deploys is not created', () => {
  expect(reached(app({ onlyInOther: true }), false)).toBe(0);
});
