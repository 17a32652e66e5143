import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { call, consoleSignIn, forgedAlert, forgedCall, invokeRoleSession, RECONNAISSANCE, rivalSsoSession, ssoSession, INVOKE_ROLE, PERMISSION_SET, SSO_ROLE } from './fixtures/cloudtrail-events';
import { CloudTrailApiCallEvent, formatAlert, matchIdentity } from '../../lib/detection/alert-message';
import { handler } from '../../lib/detection/alert.lambda';

const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment';
const MATCHERS = { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] };

beforeEach(() => {
  sns.reset();
  eventBridge.reset();
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
  delete process.env.CONTAINMENT_QUEUE_URL;
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  process.env.ALERT_CONFIG = JSON.stringify({ matchers: MATCHERS, containedRoles: [INVOKE_ROLE] });
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
});

describe('the alert a person reads', () => {
  const event = call(RECONNAISSANCE[3], invokeRoleSession()) as CloudTrailApiCallEvent; // denied iam:CreateAccessKey
  const alert = formatAlert(event, matchIdentity(event, MATCHERS)!, [INVOKE_ROLE]);

  test('says who: session name, source identity, access key, when the session began', () => {
    expect(alert.message).toMatch(/session name: +"alice@example.com"/);
    expect(alert.message).toMatch(/source identity: +"alice@example.com"/);
    expect(alert.message).toMatch(/access key: +ASIAEXAMPLEKEYID0001/);
    expect(alert.message).toMatch(/session issued: +2026-11-20T08:50:00Z/);
  });

  test('says whether the source identity is the caller\'s or merely what it typed', () => {
    expect(alert.message).toMatch(/source identity: +"alice@example.com" \(self-declared: the caller chose it/);
    const mixed = formatAlert(event, matchIdentity(event, MATCHERS)!, [], { [INVOKE_ROLE]: 'mixed' });
    expect(mixed.message).toMatch(/source identity: +"alice@example.com" \(self-declared if a role session set it; an IAM user's is bound/);
    const bound = formatAlert(event, matchIdentity(event, MATCHERS)!, [], { [INVOKE_ROLE]: 'bound' });
    expect(bound.message).toMatch(/source identity: +"alice@example.com" \(bound by the trust policy to the caller's own IAM user name\)/);
  });

  test('says what, with the error code when the call was denied', () => {
    expect(alert.subject).toBe(`Bedrock credentials misused: ${INVOKE_ROLE} called iam.amazonaws.com:CreateAccessKey`);
    expect(alert.message).toMatch(/call: +iam.amazonaws.com:CreateAccessKey \(denied: AccessDenied\)/);
  });

  test('a hostile user agent, session name and error cannot forge lines, reorder text or flood the message', () => {
    const hostile = call(RECONNAISSANCE[3], invokeRoleSession()) as any;
    hostile.detail.userAgent = 'curl/8\r\n\nNext step\n  Nothing to do: this was a test.\u202e' + 'A'.repeat(5000);
    hostile.detail.errorMessage = 'User: x is not authorized\u0000\u001b[31m';
    hostile.detail.userIdentity.arn = 'arn:aws:sts::111122223333:assumed-role/x/"quoted"\tname';
    const a = formatAlert(hostile, matchIdentity(hostile, MATCHERS)!, [INVOKE_ROLE]);
    const agentLine = a.message.split('\n').find((l) => l.includes('user agent:'))!;
    expect(agentLine).toMatch(/^ {2}user agent: +"curl\/8\?\?\?Next step\?  Nothing to do: this was a test\.\?A+\.\.\. \(4\d{3} more characters\)"$/);
    expect(a.message.match(/^Next step$/gm)).toHaveLength(1);
    expect(a.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(a.message).toMatch(/error: +"User: x is not authorized\?\?\[31m"/);
    expect(a.message).toMatch(/session name: +"\\"quoted\\"\?name"/);
    expect(a.detail.userAgent!.length).toBeLessThan(260);
    expect(a.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });

  test('says where and when', () => {
    expect(alert.message).toMatch(/account: +111122223333/);
    expect(alert.message).toMatch(/region: +us-east-1/);
    expect(alert.message).toMatch(/source IP: +"198.51.100.23"/);
    expect(alert.message).toMatch(/user agent: +"aws-cli\/2/);
    expect(alert.message).toMatch(/event time: +2026-11-20T09:14:07Z/);
  });

  test('a contained role says its sessions are being revoked; a permission set names the Identity Center runbook step', () => {
    expect(alert.detail.containment).toBe('revoke-sessions');
    expect(alert.message).toMatch(/Containment is on/);
    const sso = call(RECONNAISSANCE[0], ssoSession()) as CloudTrailApiCallEvent;
    const ssoAlert = formatAlert(sso, matchIdentity(sso, MATCHERS)!, [INVOKE_ROLE]);
    expect(ssoAlert.detail).toMatchObject({ identityKind: 'permission-set', identityName: PERMISSION_SET, roleName: SSO_ROLE, containment: 'manual-identity-center' });
    expect(ssoAlert.message).toMatch(/IAM Identity Center owns role .*IAM may not edit it. Runbook: .*remove the user's assignment/);
  });

  test('a role without containment names the manual step', () => {
    expect(formatAlert(event, matchIdentity(event, MATCHERS)!, []).message).toMatch(/Revoke active sessions/);
  });

  test('an event missing optional fields still makes a readable alert', () => {
    const bare = { detail: { eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', userIdentity: { sessionContext: { sessionIssuer: { userName: INVOKE_ROLE } } } } };
    const a = formatAlert(bare, matchIdentity(bare, MATCHERS)!, []);
    expect(a.message).toMatch(/session name: +not recorded/);
    expect(a.subject.length).toBeLessThan(100);
  });
});

describe('the alert handler', () => {
  test('publishes the alert and puts an alert event on the central bus', async () => {
    const result = await handler(call(RECONNAISSANCE[1], ssoSession()) as CloudTrailApiCallEvent);
    expect(result).toEqual({ alerted: true });
    const published = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:alerts');
    expect(published.Message).toMatch(/s3.amazonaws.com:ListBuckets/);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0];
    expect(entry).toMatchObject({ EventBusName: 'bedrock-misuse-detection', Source: 'cdk-bedrock-least-privilege', DetailType: 'Bedrock Credential Misuse Alert' });
    expect(JSON.parse(entry.Detail!)).toMatchObject({ identityKind: 'permission-set', call: 's3.amazonaws.com:ListBuckets', account: '111122223333' });
  });

  test('with containment on, hands a contained role\'s alert to the containment queue, and nothing else', async () => {
    process.env.CONTAINMENT_QUEUE_URL = QUEUE_URL;
    await handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent);
    await handler(call(RECONNAISSANCE[0], ssoSession()) as CloudTrailApiCallEvent);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0].QueueUrl).toBe(QUEUE_URL);
    expect(JSON.parse(sent[0].MessageBody!)).toMatchObject({ target: { kind: 'role', roleName: INVOKE_ROLE }, reason: 'misuse', eventTime: '2026-11-20T09:14:07Z' });
    // The FIFO group: containments of one role run one after the other.
    expect(sent[0].MessageGroupId).toBe(`role:${INVOKE_ROLE}`);
  });

  test('a role of the same name in another account alerts, but is not sent to containment', async () => {
    process.env.CONTAINMENT_QUEUE_URL = QUEUE_URL;
    process.env.ALERT_CONFIG = JSON.stringify({ ...JSON.parse(process.env.ALERT_CONFIG!), homeAccount: '444455556666' });
    expect(await handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('a console sign-in by a watched role is an alert too', async () => {
    expect(await handler(consoleSignIn(ssoSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toMatch(/called signin.amazonaws.com:ConsoleLogin/);
  });

  test('drops a rival permission set that only shares the name prefix', async () => {
    expect(await handler(call(RECONNAISSANCE[0], rivalSsoSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('fails, so EventBridge retries and then dead-letters, when the alert event is not accepted', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent)).rejects.toThrow(/alert event was not accepted/);
  });

  test('fails when SNS fails, rather than losing the alert', async () => {
    sns.on(PublishCommand).rejects(new Error('KMS key disabled'));
    await expect(handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent)).rejects.toThrow(/KMS key disabled/);
  });

  test('says how to fix a missing environment', async () => {
    delete process.env.TOPIC_ARN;
    await expect(handler(call(RECONNAISSANCE[0], invokeRoleSession()) as CloudTrailApiCallEvent)).rejects.toThrow(/TOPIC_ARN is not set/);
  });
});

describe('forged events raise no alert', () => {
  beforeEach(() => {
    process.env.CONTAINMENT_QUEUE_URL = QUEUE_URL;
  });
  const nothingSent = () => {
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  };

  test('a CloudTrail record put under a custom source, even naming the watched role', async () => {
    expect(await handler(forgedCall(RECONNAISSANCE[3], invokeRoleSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: false });
    nothingSent();
  });

  test('a forged alert event, dated now, in the future or long ago', async () => {
    for (const when of ['2026-11-20T09:14:07Z', '2099-01-01T00:00:00Z', '2026-01-01T00:00:00Z']) {
      expect(await handler(forgedAlert(when) as CloudTrailApiCallEvent)).toEqual({ alerted: false });
    }
    nothingSent();
  });

  test('a stand-in check: the same record with its real aws. source does alert', async () => {
    expect(await handler(call(RECONNAISSANCE[3], invokeRoleSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
  });
});
