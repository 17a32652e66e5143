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
  const attributes = {
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

describe('alerts reach containment only from the alert function', () => {
  const { template, json, queuePolicy, queueId, alertRoleId, attributes } = synthesized();
  const containId = Object.keys(json).find((id) => json[id].Type === 'AWS::Lambda::Function' && json[id].Properties.Environment?.Variables?.CONTAINED_ROLES)!;
  const send = (roleArn: string) => resourceDecision({
    roleArn, action: 'sqs:SendMessage', resource: attributes[`${queueId}.Arn`], resourceAccount: ACCOUNT_A, resourcePolicy: queuePolicy,
  });

  test('no EventBridge rule targets the containment function: an alert on the bus moves nothing', () => {
    const targets = Object.values(template.findResources('AWS::Events::Rule')).flatMap((r) => r.Properties.Targets ?? []);
    expect(targets.some((t: any) => JSON.stringify(t.Arn).includes(containId))).toBe(false);
    expect(Object.values(template.findResources('AWS::Lambda::Permission')).some((p) => JSON.stringify(p.Properties.FunctionName).includes(containId))).toBe(false);
  });

  test('its one trigger is the containment queue', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties).toMatchObject({ FunctionName: { Ref: containId }, EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, BatchSize: 1 });
  });

  test('the queue refuses every sender but the alert function\'s role, administrators of this account included', async () => {
    expect(await send(`arn:aws:iam::${ACCOUNT_A}:role/AlertFunctionRole`)).toBe('Allowed');
    expect(await send(`arn:aws:iam::${ACCOUNT_A}:role/Administrator`)).toBe('ExplicitlyDenied');
    expect(await send(`arn:aws:iam::${ACCOUNT_B}:role/AlertFunctionRole`)).toBe('ExplicitlyDenied');
  });

  test('the handler checks the sender SQS reports against the alert function\'s role id', () => {
    expect(json[containId].Properties.Environment.Variables.ALERT_ROLE_ID).toEqual({ 'Fn::GetAtt': [alertRoleId, 'RoleId'] });
  });
});
