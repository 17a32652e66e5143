import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseContainmentRequest } from '../../lib/containment/containment-request';
import { CloudTrailApiCallEvent } from '../../lib/detection/alert-message';
import { handler } from '../../lib/detection/alert.lambda';
import { call, INVOKE_ROLE, invokeRoleSession, PERMISSION_SET, RECONNAISSANCE, roleSession, ssoSession, SSO_ROLE } from '../detection/fixtures/cloudtrail-events';

const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment.fifo';
const MATCHERS = { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] };
const order: string[] = [];

beforeEach(() => {
  for (const m of [sns, eventBridge, sqs]) m.reset();
  order.length = 0;
  sqs.on(SendMessageCommand).callsFake(() => { order.push('queue'); return { MessageId: 'q-1' }; });
  sns.on(PublishCommand).callsFake(() => { order.push('publish'); return { MessageId: 'm-1' }; });
  eventBridge.on(PutEventsCommand).callsFake(() => { order.push('event'); return { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] }; });
  process.env.ALERT_CONFIG = JSON.stringify({ matchers: MATCHERS, containedRoles: [INVOKE_ROLE], homeAccount: '111122223333' });
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  process.env.CONTAINMENT_QUEUE_URL = QUEUE_URL;
});

describe('containment is queued first, and does not depend on publishing', () => {
  test('the request goes on the queue before the alert is published or put on the bus', async () => {
    await handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent);
    expect(order).toEqual(['queue', 'publish', 'event']);
  });

  test('a publish that fails (a disabled key, throttling) still leaves the request on the queue', async () => {
    sns.on(PublishCommand).rejects(new Error('KMSDisabledException'));
    await expect(handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent)).rejects.toThrow(/KMSDisabled/);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  test('the request names the session by what it carries: source identity, session name, issue time', async () => {
    await handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent);
    const sent = sqs.commandCalls(SendMessageCommand)[0].args[0].input;
    expect(parseContainmentRequest(sent.MessageBody)).toEqual({
      version: 1,
      reason: 'misuse',
      target: { kind: 'role', roleName: INVOKE_ROLE },
      session: { sessionName: 'alice@example.com', sourceIdentity: 'alice@example.com', issuedAt: '2026-11-20T08:50:00.000Z' },
      eventTime: '2026-11-20T09:14:07Z',
      call: 'sts.amazonaws.com:GetCallerIdentity',
      cloudTrailEventId: expect.stringMatching(/^e1a2b3c4-/),
    });
    expect(sent.MessageGroupId).toBe(`role:${INVOKE_ROLE}`);
  });
});

describe('a look-alike role frames nobody', () => {
  const lookAlike = () => roleSession(SSO_ROLE, 'carol@example.com', '/');

  test('a role named AWSReservedSSO_<set>_<16 hex> at path / raises an alert that a look-alike exists, naming no user, asking no containment', async () => {
    expect(await handler(call(RECONNAISSANCE[0], lookAlike()) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
    const published = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.Subject).toBe(`Look-alike Identity Center role ${SSO_ROLE} in 111122223333`);
    expect(published.Message).toMatch(/at path \/ instead of \/aws-reserved\/sso.amazonaws.com\//);
    expect(published.Message).not.toMatch(/carol@example.com/);
    expect(published.Message).not.toMatch(/disable the user/);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    const detail = JSON.parse(eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0].Detail!);
    expect(detail.sessionName).toBeUndefined();
    expect(detail.identityKind).toBe('role');
  });

  test('a stand-in check: the real permission-set role, under the reserved path, names its user', async () => {
    await handler(call(RECONNAISSANCE[0], ssoSession()) as CloudTrailApiCallEvent);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toMatch(/bob@example.com/);
  });
});
