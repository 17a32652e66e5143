import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { detectionStack } from './detection-fixture';
import { BedrockInvokeRole, BedrockMisuseDetection, CommercialRegions, ForwarderStackSet, ModelReference, NonBedrockCallForwarder, StackSetCaller } from '../../lib';
import { MAX_PATTERN_LENGTH } from '../../lib/detection/event-pattern';
import { matches } from '../support/event-pattern-matcher';
import { call, invokeRoleSession, RECONNAISSANCE, INVOKE_ROLE } from './fixtures/cloudtrail-events';

const BUS = 'arn:aws:events:us-east-1:111122223333:event-bus/bedrock-misuse-detection';

function forwarderIn(region: string, props: object = {}) {
  const stack = new Stack(new App(), `Forwarder-${region}`, { env: { region, account: '444455556666' } });
  new NonBedrockCallForwarder(stack, 'Forwarder', { centralEventBusArn: BUS, roleNames: [INVOKE_ROLE], permissionSetNames: ['ClaudeCodeBedrock'], ...props });
  return stack;
}

describe('NonBedrockCallForwarder', () => {
  test('a rule on the default bus, seeing read-only events, forwarding to the central bus with a role and a dead-letter queue', () => {
    const template = Template.fromStack(forwarderIn('eu-west-1'));
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventBusName: Match.absent(),
      Targets: [Match.objectLike({ Arn: BUS, RoleArn: Match.anyValue(), DeadLetterConfig: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [{ Sid: 'PutOnCentralBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS }] } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'UndeliveredForwards', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: Match.anyValue() } })]) },
    });
  });

  test('its pattern matches what the central one does', () => {
    const template = Template.fromStack(forwarderIn('eu-west-1'));
    const pattern = Object.values(template.findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    expect(matches(pattern, call(RECONNAISSANCE[2], invokeRoleSession()))).toBe(true);
  });

  test('a pattern over the default quota warns; over EventBridge\'s limit, synthesis fails', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `ClaudeCodeBedrockInvokeRoleNumber${String(i).padStart(3, '0')}`);
    expect(Annotations.fromStack(forwarderIn('eu-west-1', { roleNames: many(60) })).findWarning('*', Match.stringLikeRegexp('default quota of 2048'))).toHaveLength(1);
    expect(() => forwarderIn('eu-west-1', { roleNames: many(120) })).toThrow(new RegExp(`over EventBridge's ${MAX_PATTERN_LENGTH}: watch fewer`));
  });
});

describe('ForwarderStackSet', () => {
  test('service-managed: auto-deploys to the organizational units in every listed Region', () => {
    const { stack } = detectionStack({
      organizationId: 'o-a1b2c3d4e5',
      forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['us-east-1', 'eu-west-1'], callAs: StackSetCaller.DELEGATED_ADMIN }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_IAM'],
      StackInstancesGroup: [{ Regions: ['us-east-1', 'eu-west-1'], DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] } }],
      Parameters: Match.arrayWith([{ ParameterKey: 'CentralEventBusArn', ParameterValue: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DetectionBus'), 'Arn'] } }]),
    });
  });

  test('self-managed: a list of accounts', () => {
    const { stack } = detectionStack({
      sourceAccounts: ['111122223333', '444455556666'],
      forwarders: ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: CommercialRegions.all() }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SELF_MANAGED',
      StackInstancesGroup: [{ Regions: CommercialRegions.all(), DeploymentTargets: { Accounts: ['444455556666'] } }],
    });
  });

  test('the template: the forwarder, skipped in the home Region of the home account, with no CDK bootstrap parameter', () => {
    const { stack } = detectionStack({ organizationId: 'o-a1b2c3d4e5', forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['r-ab12'], regions: ['us-east-1'] }) });
    const set = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'))[0];
    const body = JSON.parse(set.Properties.TemplateBody);
    expect(Object.keys(body.Parameters).sort()).toEqual(['CentralEventBusArn', 'HomeAccountId', 'HomeRegion']);
    const resources = Object.values(body.Resources) as any[];
    expect([...new Set(resources.map((r) => r.Type))].sort()).toEqual(['AWS::Events::Rule', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']);
    resources.forEach((r) => expect(r.Condition).toBe('NotHomeRegionOfHomeAccount'));
    const rule = resources.find((r) => r.Type === 'AWS::Events::Rule');
    expect(rule.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule.Properties.Targets[0].Arn).toEqual({ Ref: 'CentralEventBusArn' });
    expect(body.Conditions.NotHomeRegionOfHomeAccount).toEqual({
      'Fn::Not': [{ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'HomeAccountId' }] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, { Ref: 'HomeRegion' }] }] }],
    });
  });

  test('the template does not grow with the number of accounts', () => {
    const body = (n: number) => {
      const accounts = Array.from({ length: n }, (_, i) => String(100000000000 + i));
      const { stack } = detectionStack({ sourceAccounts: accounts.slice(0, 5), forwarders: ForwarderStackSet.selfManaged({ accounts, regions: ['us-east-1'] }) });
      return Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'))[0].Properties.TemplateBody;
    };
    expect(body(200)).toBe(body(1));
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no us-east-1', () => ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['eu-west-1'] }), /leave out us-east-1, where IAM's CloudTrail events arrive/],
    ['no Region', () => ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: [] }), /covers no Region/],
    ['a malformed Region', () => ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['us-east-1', 'Ireland'] }), /'Ireland' is not an AWS Region name/],
    ['a malformed account', () => ForwarderStackSet.selfManaged({ accounts: ['4444'], regions: ['us-east-1'] }), /account id '4444' is not valid/],
    ['a malformed OU', () => ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['Engineering'], regions: ['us-east-1'] }), /'Engineering' is not an organizational unit or root id/],
  ])('bad input: %s', (_n, build, message) => {
    expect(build).toThrow(message);
  });

  test('a watched role without a fixed name cannot go into a StackSet template, and the message says how to fix it', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { region: 'us-east-1' } });
    const role = new BedrockInvokeRole(stack, 'R', { models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6')], trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
    expect(() => new BedrockMisuseDetection(stack, 'D', { roles: [role], forwarders: ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['us-east-1'] }) }))
      .toThrow(/give the BedrockInvokeRole a roleName/);
  });
});

test('CommercialRegions lists the commercial partition only, sorted, us-east-1 included', () => {
  const regions = CommercialRegions.all();
  expect(regions).toContain('us-east-1');
  expect(regions).toContain('eu-west-1');
  expect(regions.some((r) => r.startsWith('us-gov-') || r.startsWith('cn-'))).toBe(false);
  expect([...regions].sort()).toEqual(regions);
});
