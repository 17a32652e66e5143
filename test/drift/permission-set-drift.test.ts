import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ResourceNotFoundException,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { copy, exampleDeployment, PERMISSION_SET_ARN } from './fixtures/example-deployment';
import { testHandler } from './fixtures/handler';
import { invokeRoleItem } from './fixtures/role-items';
import { BedrockPermissionSet, ModelReference } from '../../lib';
import { BedrockDriftRule } from '../../lib/drift';
import { isoSeconds } from '../../lib/drift/permission-set-check';
import { containedUsersStatement } from '../../lib/models/identity-center-deny-list';

const config = mockClient(ConfigServiceClient);
const sso = mockClient(SSOAdminClient);
const dep = exampleDeployment();
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

/** What IAM Identity Center answers for the set, as its API reference shapes each response. */
interface SetState {
  inline: any;
  managed: Array<{ Name: string; Arn: string }>;
  customer: Array<{ Name: string; Path: string }>;
  boundary?: { ManagedPolicyArn?: string; CustomerManagedPolicyReference?: { Name: string; Path: string } };
  session: string;
}

const provisioned = (): SetState => ({ inline: copy(dep.setPolicy), managed: [], customer: [], session: 'PT1H' });

function identityCenter(s: SetState): void {
  sso.reset();
  sso.on(DescribePermissionSetCommand).resolves({
    PermissionSet: {
      Name: 'ClaudeCodeBedrock',
      PermissionSetArn: PERMISSION_SET_ARN,
      Description: 'Invoke Claude on Amazon Bedrock',
      CreatedDate: new Date('2026-03-01T12:00:00Z'),
      SessionDuration: s.session,
    },
  });
  // Identity Center returns the inline policy as a JSON string.
  sso.on(GetInlinePolicyForPermissionSetCommand).resolves({ InlinePolicy: s.inline === undefined ? '' : JSON.stringify(s.inline) });
  sso.on(ListManagedPoliciesInPermissionSetCommand).resolves({ AttachedManagedPolicies: s.managed });
  sso.on(ListCustomerManagedPolicyReferencesInPermissionSetCommand).resolves({ CustomerManagedPolicyReferences: s.customer });
  if (s.boundary) {
    sso.on(GetPermissionsBoundaryForPermissionSetCommand).resolves({ PermissionsBoundary: s.boundary });
  } else {
    sso.on(GetPermissionsBoundaryForPermissionSetCommand).rejects(new ResourceNotFoundException({ message: 'Could not find PermissionsBoundary', $metadata: {} }));
  }
}

const scheduled = { invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-03-03T00:00:00.000Z' }), resultToken: 't' };

async function run(s: SetState, event: any = scheduled, context?: any) {
  identityCenter(s);
  const alerts: string[] = [];
  const logs: string[] = [];
  const handler = testHandler({
    log: (l) => logs.push(l),
    sso: new SSOAdminClient({}),
    alert: async (m) => { alerts.push(m); },
    configFor: async () => new ConfigServiceClient({}),
  });
  await handler(event, context);
  return { alerts, logs };
}

beforeEach(() => {
  config.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
  config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: false, resourceTypes: ['AWS::IAM::Role'] } }] });
  config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] });
});

type Case = [string, (s: SetState) => void, RegExp];
const drifts: Case[] = [
  ['the guard reduced to its NotAction deny and InvokeModel allowed on *', (s) => {
    s.inline.Statement = s.inline.Statement.filter((st: any) => st.Effect === 'Allow' || st.NotAction);
    s.inline.Statement.push({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' });
  }, /inline policy statement \w+ removed/],
  ['the inline policy deleted', (s) => { s.inline = undefined; }, /inline policy removed, and the deny guard with it/],
  ['AdministratorAccess attached', (s) => { s.managed.push({ Name: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }); }, /managed policy AdministratorAccess attached/],
  ['a customer-managed policy referenced', (s) => { s.customer.push({ Name: 'ArtifactBucketWrite', Path: '/team/' }); }, /customer-managed policy \/team\/ArtifactBucketWrite attached/],
  ['a boundary added', (s) => { s.boundary = { ManagedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }; }, /boundary arn:aws:iam::aws:policy\/PowerUserAccess added/],
  ['the session raised to 12 hours', (s) => { s.session = 'PT12H'; }, /session PT12H, over 1 h/],
  // Containment's own statement, turned into a grant, is drift like any other.
  ['containment\'s statement turned into an allow', (s) => {
    s.inline.Statement.push({ ...containedUsersStatement(['a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f']), Effect: 'Allow' });
  }, /inline policy new statement ContainedIdentityCenterUsers/],
];

describe('permission-set drift in IAM Identity Center', () => {
  test('the set as deployed raises no alert, and its five reads name the instance and the set', async () => {
    const { alerts, logs } = await run(provisioned());
    expect(alerts).toEqual([]);
    expect(logs).toContain(JSON.stringify({ permissionSet: 'ClaudeCodeBedrock', compliance: 'COMPLIANT', drifts: [] }));
    for (const command of [DescribePermissionSetCommand, GetInlinePolicyForPermissionSetCommand, GetPermissionsBoundaryForPermissionSetCommand]) {
      expect(sso.commandCalls(command as any)[0].args[0].input).toEqual({ InstanceArn: INSTANCE, PermissionSetArn: PERMISSION_SET_ARN });
    }
  });

  test('containment\'s deny on Identity Center users, exactly as it writes it, is not drift', async () => {
    const s = provisioned();
    s.inline.Statement.push(containedUsersStatement(['90676a1b2c-3d4e5f60-1a2b-3c4d-5e6f-7a8b9c0d1e2f', 'a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f']));
    expect((await run(s)).alerts).toEqual([]);
  });

  test.each(drifts)('%s is alerted on the drift topic, naming it', async (_name, mutate, named) => {
    const s = provisioned();
    mutate(s);
    const { alerts } = await run(s);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/^Bedrock drift: permission set ClaudeCodeBedrock in IAM Identity Center \(arn:aws:sso:::permissionSet\/.*\) is now NON_COMPLIANT: /);
    expect(alerts[0]).toMatch(named);
  });

  test('every page of managed policies is read', async () => {
    identityCenter(provisioned());
    sso.on(ListManagedPoliciesInPermissionSetCommand)
      .resolvesOnce({ AttachedManagedPolicies: [], NextToken: 'page-2' })
      .resolvesOnce({ AttachedManagedPolicies: [{ Name: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    const alerts: string[] = [];
    await testHandler({
      sso: new SSOAdminClient({}),
      alert: async (m) => { alerts.push(m); },
    })(scheduled);
    expect(sso.commandCalls(ListManagedPoliciesInPermissionSetCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(alerts[0]).toMatch(/managed policy ReadOnlyAccess attached/);
  });

  test('is compared on the scheduled run only, never on a role change nor for a member account', async () => {
    const change = { invokingEvent: JSON.stringify({ messageType: 'ConfigurationItemChangeNotification', configurationItem: invokeRoleItem({ status: 'ResourceDeleted' }) }), resultToken: 't' };
    await run(provisioned(), change);
    await run(provisioned(), { ...scheduled, accountId: '444455556666' }, { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:drift' });
    expect(sso.calls()).toHaveLength(0);
  });

  test('an Identity Center error fails the invocation, naming the set', async () => {
    identityCenter(provisioned());
    sso.on(DescribePermissionSetCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const handler = testHandler({
      sso: new SSOAdminClient({}),
    });
    await expect(handler(scheduled)).rejects.toThrow(/could not compare permission set ClaudeCodeBedrock: AccessDeniedException: not authorized/);
  });

  test('reads Identity Center\'s ISO 8601 session durations', () => {
    expect([isoSeconds('PT1H'), isoSeconds('PT1H30M'), isoSeconds('PT12H'), isoSeconds('P1D'), isoSeconds('PT')]).toEqual([3600, 5400, 43200, undefined, undefined]);
  });

  test('the rule lets the function publish to the alert topic and use its key, and names the topic in its environment', () => {
    const stack = new Stack(new App(), 'Drift', { env: { region: 'us-east-1', account: '123456789012' } });
    const set = new BedrockPermissionSet(stack, 'Set', { models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6')], instanceArn: INSTANCE });
    const key = new kms.Key(stack, 'Key');
    new BedrockDriftRule(stack, 'Drift', { permissionSets: [set], alertTopic: new sns.Topic(stack, 'Alerts', { masterKey: key }) });
    const template = Template.fromStack(stack);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.Environment.Variables.DRIFT_ALERT_TOPIC).toEqual({ Ref: expect.stringMatching(/^Alerts/) });
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0];
    expect(policy.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'AlertOnDriftConfigCannotShow', Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^Alerts/) } }),
      expect.objectContaining({ Sid: 'EncryptTheAlert', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } }),
    ]));
  });
});
