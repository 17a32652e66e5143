import { Template } from 'aws-cdk-lib/assertions';
import { detectionStack } from './detection-fixture';
import { call, forgedAlert, forgedCall, invokeRoleSession, RECONNAISSANCE } from './fixtures/cloudtrail-events';
import { resourceDecision, resolveWith } from './resource-policy';
import { matches } from '../support/event-pattern-matcher';
import { ACCOUNT_A, ACCOUNT_B } from '../support/template-policies';

const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT_A}:event-bus/bedrock-misuse-detection`;
const FORWARDER_ROLE = `arn:aws:iam::${ACCOUNT_B}:role/BedrockMisuseForwarder-PutEventsRole`;
const API_CALL = 'AWS API Call via CloudTrail';

/** The synthesized parts an attacker meets: the bus policy, the watching rules, the containment path. */
function synthesized(props: object = {}) {
  const { stack } = detectionStack({ sourceAccounts: [ACCOUNT_A, ACCOUNT_B], containment: true, ...props });
  const template = Template.fromStack(stack);
  const json = template.toJSON().Resources as Record<string, any>;
  const idOf = (type: string, prefix: string) => Object.keys(json).find((id) => json[id].Type === type && id.startsWith(prefix))!;
  const busId = idOf('AWS::Events::EventBus', 'DetectionBus');
  const alertRoleId = idOf('AWS::IAM::Role', 'DetectionAlertRole');
  const queueId = idOf('AWS::SQS::Queue', 'DetectionContainmentQueue');
  const containRoleId = idOf('AWS::IAM::Role', 'DetectionContainmentContainRole');
  const attributes = {
    [`${containRoleId}.Arn`]: `arn:aws:iam::${ACCOUNT_A}:role/ContainFunctionRole`,
    [`${busId}.Arn`]: BUS_ARN,
    [`${alertRoleId}.Arn`]: `arn:aws:iam::${ACCOUNT_A}:role/AlertFunctionRole`,
    [`${queueId}.Arn`]: `arn:aws:sqs:us-east-1:${ACCOUNT_A}:containment`,
  };
  const busPolicy = {
    Version: '2012-10-17',
    Statement: Object.values(template.findResources('AWS::Events::EventBusPolicy')).map((p) => resolveWith(p.Properties.Statement, ACCOUNT_A, attributes)),
  };
  const queuePolicy = resolveWith(Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .find((p) => p.Properties.Queues[0].Ref === queueId)!.Properties.PolicyDocument, ACCOUNT_A, attributes);
  // The heartbeat's rule sees read-only events too, but only the alert function's own call.
  const watching = Object.values(template.findResources('AWS::Events::Rule', { Properties: { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' } }))
    .filter((r) => !/heartbeat/.test(r.Properties.Description))
    .map((r) => r.Properties.EventPattern as Record<string, unknown>);
  return { template, json, busPolicy, queuePolicy, watching, queueId, alertRoleId, attributes };
}

const putEvents = (busPolicy: any, source: string, detailType: string, roleArn = FORWARDER_ROLE) => resourceDecision({
  roleArn,
  action: 'events:PutEvents',
  resource: BUS_ARN,
  resourceAccount: ACCOUNT_A,
  resourcePolicy: busPolicy,
  context: { 'events:source': [source], 'events:detail-type': [detailType] },
});

describe('the central bus admits only CloudTrail events, from the admitted accounts', () => {
  const { busPolicy } = synthesized();

  test('a forwarder of an admitted account puts a CloudTrail event', async () => {
    expect(await putEvents(busPolicy, 'aws.iam', API_CALL)).toBe('Allowed');
  });

  test('an admitted account may not put a CloudTrail-shaped event under a source of its own', async () => {
    expect(await putEvents(busPolicy, 'com.example.cloudtrail', API_CALL)).toBe('ImplicitlyDenied');
  });

  test('nor an alert event', async () => {
    expect(await putEvents(busPolicy, 'cdk-bedrock-least-privilege', 'Bedrock Credential Misuse Alert')).toBe('ImplicitlyDenied');
  });

  test('nor an AWS event of a detail-type the rules do not use', async () => {
    expect(await putEvents(busPolicy, 'aws.ec2', 'EC2 Instance State-change Notification')).toBe('ImplicitlyDenied');
  });

  test('an account not admitted may put nothing', async () => {
    expect(await putEvents(busPolicy, 'aws.iam', API_CALL, 'arn:aws:iam::999988887777:role/Elsewhere')).toBe('ImplicitlyDenied');
  });

  test('the organization\'s accounts are held to the same condition', async () => {
    const org = synthesized({ sourceAccounts: undefined, organizationId: 'o-a1b2c3d4e5' }).busPolicy;
    const inOrg = { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' };
    const put = (source: string, detailType: string, context: Record<string, string> = inOrg) => resourceDecision({
      roleArn: FORWARDER_ROLE,
      action: 'events:PutEvents',
      resource: BUS_ARN,
      resourceAccount: ACCOUNT_A,
      resourcePolicy: org,
      context: { 'events:source': [source], 'events:detail-type': [detailType], ...context },
    });
    expect(await put('aws.s3', API_CALL)).toBe('Allowed');
    expect(await put('com.example.cloudtrail', API_CALL)).toBe('ImplicitlyDenied');
    expect(await put('aws.s3', API_CALL, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' })).toBe('ImplicitlyDenied');
  });
});

describe('the watching rules take only what AWS delivered', () => {
  const { watching } = synthesized();

  test('a CloudTrail record under a custom source, naming the watched role, matches no rule', () => {
    for (const c of RECONNAISSANCE) {
      watching.forEach((p) => expect(matches(p, forgedCall(c, invokeRoleSession()))).toBe(false));
    }
  });

  test('a forged alert, dated now, in the future or long ago, matches no rule', () => {
    for (const when of ['2026-11-20T09:14:07Z', '2099-01-01T00:00:00Z', '2025-01-01T00:00:00Z']) {
      watching.forEach((p) => expect(matches(p, forgedAlert(when))).toBe(false));
    }
  });

  test('a stand-in check: the real record matches both rules', () => {
    expect(watching).toHaveLength(2);
    watching.forEach((p) => expect(matches(p, call(RECONNAISSANCE[0], invokeRoleSession()))).toBe(true));
  });
});

describe('requests reach containment only from the library\'s functions', () => {
  const { template, json, queuePolicy, queueId, alertRoleId, attributes } = synthesized();
  const containId = Object.keys(json).find((id) => json[id].Type === 'AWS::Lambda::Function' && json[id].Properties.Environment?.Variables?.CONTAINED_ROLES !== undefined)!;
  const onQueue = (roleArn: string, action: string) => resourceDecision({
    roleArn, action, resource: attributes[`${queueId}.Arn`], resourceAccount: ACCOUNT_A, resourcePolicy: queuePolicy,
  });

  test('no event source mapping hands the function a message: it receives from the queue itself, where SQS records the sender', () => {
    expect(Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(0);
    expect(json[containId].Properties.Environment.Variables.CONTAINMENT_QUEUE_URL).toEqual({ Ref: queueId });
  });

  test('what wakes it (the alert event, a one-minute schedule) carries no request it reads', () => {
    const wakers = Object.values(template.findResources('AWS::Events::Rule')).filter((r) => (r.Properties.Targets ?? []).some((t: any) => JSON.stringify(t.Arn).includes(containId)));
    expect(wakers.map((r) => r.Properties.ScheduleExpression ?? r.Properties.EventPattern)).toEqual([
      { 'source': ['cdk-bedrock-least-privilege'], 'detail-type': ['Bedrock Credential Misuse Alert'] },
      'rate(1 minute)',
    ]);
  });

  test('the queue refuses every sender but the alert function\'s role, administrators of this account included', async () => {
    expect(await onQueue(`arn:aws:iam::${ACCOUNT_A}:role/AlertFunctionRole`, 'sqs:SendMessage')).toBe('Allowed');
    expect(await onQueue(`arn:aws:iam::${ACCOUNT_A}:role/Administrator`, 'sqs:SendMessage')).toBe('ExplicitlyDenied');
    expect(await onQueue(`arn:aws:iam::${ACCOUNT_B}:role/AlertFunctionRole`, 'sqs:SendMessage')).toBe('ExplicitlyDenied');
  });

  test('nobody but the contain function may receive or delete a request, so nobody can make containment skip one', async () => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']) {
      expect([action, await onQueue(`arn:aws:iam::${ACCOUNT_A}:role/Administrator`, action)]).toEqual([action, 'ExplicitlyDenied']);
      expect([action, await onQueue(`arn:aws:iam::${ACCOUNT_A}:role/AlertFunctionRole`, action)]).toEqual([action, 'ExplicitlyDenied']);
      expect([action, await onQueue(`arn:aws:iam::${ACCOUNT_A}:role/ContainFunctionRole`, action)]).toEqual([action, 'Allowed']);
    }
  });

  test('the handler checks the sender SQS reports against the requesters\' role ids', () => {
    expect(json[containId].Properties.Environment.Variables.REQUESTER_ROLE_IDS).toEqual({ 'Fn::GetAtt': [alertRoleId, 'RoleId'] });
  });
});
