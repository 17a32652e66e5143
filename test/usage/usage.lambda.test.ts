import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { MemoryDynamoDb } from './fixtures/memory-dynamodb';
import { callsOver, modelCall, SONNET_PROFILE } from './fixtures/model-calls';
import { identityMatchers, resolveWatchScope } from '../../lib/detection/event-pattern';
import { UsageConfig } from '../../lib/usage/usage-assessment';
import { DynamoUsageStore } from '../../lib/usage/usage-store';
import { handler, useStore } from '../../lib/usage/usage.lambda';
import { INVOKE_ROLE, PERMISSION_SET, roleSession, ssoSession } from '../detection/fixtures/cloudtrail-events';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBClient);
let table: MemoryDynamoDb;

const config: UsageConfig = {
  matchers: identityMatchers(resolveWatchScope({ roleNames: [INVOKE_ROLE], permissionSetNames: [PERMISSION_SET] })),
  containedRoles: [INVOKE_ROLE],
  containedPermissionSets: [],
  homeAccount: '111122223333',
  roleGrants: { [INVOKE_ROLE]: { modelIds: [SONNET_PROFILE, 'anthropic.claude-sonnet-4-6', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'], regions: ['us-east-1'] } },
  permissionSetGrants: { [PERMISSION_SET]: { modelIds: [SONNET_PROFILE], regions: ['us-east-1'] } },
  limits: { callsPerHourAlarm: 1000, callsPerHourLimit: 3000, newNetworkWindowDays: 30 },
};

beforeEach(() => {
  for (const m of [sns, sqs, events, dynamo]) m.reset();
  table = new MemoryDynamoDb();
  dynamo.on(UpdateItemCommand).callsFake((input) => table.updateItem(input));
  sns.on(PublishCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
  useStore(new DynamoUsageStore('usage-counters', new DynamoDBClient({})));
  process.env.USAGE_CONFIG = JSON.stringify(config);
  process.env.TABLE_NAME = 'usage-counters';
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  process.env.CONTAINMENT_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment';
});
afterEach(() => jest.useRealTimers());

/** Delivers events in order, each at its own time on the handler's clock. */
async function deliver(list: Array<Record<string, any>>) {
  const results = [];
  for (const e of list) {
    jest.useFakeTimers({ now: Date.parse(e.detail.eventTime) + 2_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    results.push(await handler(e as any));
  }
  return results;
}
const alerts = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
const containments = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody!));

describe('the usage guard, fed CloudTrail records', () => {
  test('a developer\'s heavy normal day stays quiet: 2,400 calls over 8 hours from home, then from the office the next week', async () => {
    // Learned the week before, from both networks.
    await deliver([modelCall({ at: '2026-11-13T09:00:00Z', ip: '198.51.100.23' }), modelCall({ at: '2026-11-13T15:00:00Z', ip: '203.0.113.77' })]);
    sns.reset();
    sns.on(PublishCommand).resolves({});
    // 300 an hour (one every 12 s), then a 900-call hour of several agents; the home router's address changed within its /24.
    const day = [
      ...[9, 10, 11, 13, 14, 15].flatMap((h) => callsOver(`2026-11-20T${String(h).padStart(2, '0')}:00:00Z`, 60, 250, { ip: '198.51.100.41' })),
      ...callsOver('2026-11-20T16:00:00Z', 60, 900, { ip: '203.0.113.77', model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }),
    ];
    const results = await deliver(day);
    expect(results.every((r) => r.counted)).toBe(true);
    expect(alerts()).toEqual([]);
    expect(containments()).toEqual([]);
    // One counter per hour, with the model kept beside the total.
    expect(table.items.get(`calls#arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com#2026-11-20T16`)).toMatchObject({
      'calls': { N: '900' },
      'model:us.anthropic.claude-haiku-4-5-20251001-v1:0': { N: '900' },
    });
  }, 60_000);

  test('a scripted burst from a new address alarms, then contains the invoke role through the containment queue', async () => {
    await deliver([modelCall({ at: '2026-11-19T10:00:00Z', ip: '198.51.100.23' })]);
    // A reseller's proxy: about one call a second from a network the person never used.
    const burst = callsOver('2026-11-20T02:00:00Z', 50, 3200, { ip: '192.0.2.200' });
    const results = await deliver(burst);
    expect(alerts()).toEqual([
      'Bedrock usage: alice@example.com new-network',
      'Bedrock usage: alice@example.com rate-alarm',
      'Bedrock usage: alice@example.com rate-limit',
      'Bedrock usage: alice@example.com rate-limit',
    ]);
    const asked = containments();
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ reason: 'usage-limit', target: { kind: 'role', roleName: INVOKE_ROLE }, session: { sourceIdentity: 'alice@example.com' } });
    // The request names the call that crossed the limit: the 3,001st.
    expect(asked[0].eventTime).toBe(burst[3000].detail.eventTime);
    expect(results.filter((r) => r.contained)).toHaveLength(2);
  }, 60_000);

  test('a permission-set person over the limit is alerted with the Identity Center runbook, not sent to containment', async () => {
    const burst = callsOver('2026-11-20T02:00:00Z', 50, 3001, { identity: ssoSession() });
    await deliver(burst);
    expect(alerts()).toEqual(['Bedrock usage: bob@example.com rate-alarm', 'Bedrock usage: bob@example.com rate-limit']);
    expect(containments()).toEqual([]);
    const message = sns.commandCalls(PublishCommand)[1].args[0].input.Message;
    expect(message).toMatch(/remove the user's assignment and end their portal session/);
  }, 60_000);

  test('with the set contained, a permission-set person over the limit is sent to containment to be denied in every account', async () => {
    process.env.USAGE_CONFIG = JSON.stringify({ ...config, containedPermissionSets: [PERMISSION_SET] });
    await deliver(callsOver('2026-11-20T02:00:00Z', 50, 3001, { identity: ssoSession() }));
    expect(containments()).toEqual([expect.objectContaining({
      reason: 'usage-limit', target: { kind: 'permission-set', permissionSetName: PERMISSION_SET }, session: expect.objectContaining({ sessionName: 'bob@example.com' }),
    })]);
    expect(sns.commandCalls(PublishCommand)[1].args[0].input.Message).toMatch(/bob@example.com is being denied everything through permission set ClaudeCodeBedrock/);
  }, 60_000);

  test('calls outside the grant alert once an hour, whatever their number', async () => {
    const probes = [
      ...callsOver('2026-11-20T09:00:00Z', 10, 20, { model: 'anthropic.claude-v2', errorCode: 'AccessDeniedException' }),
      modelCall({ at: '2026-11-20T10:05:00Z', region: 'eu-west-1', model: 'eu.anthropic.claude-sonnet-4-6', errorCode: 'AccessDeniedException' }),
    ];
    await deliver(probes);
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com outside-grant', 'Bedrock usage: alice@example.com outside-grant']);
    const text = sns.commandCalls(PublishCommand)[1].args[0].input.Message!;
    expect(text).toMatch(/Region eu-west-1 is not a source Region of the grant/);
    expect(text).toMatch(/model 'eu.anthropic.claude-sonnet-4-6' is not one the identity is granted/);
  });

  test('a failed publish on the crossing call loses nothing: the retry alerts, and the alert is not repeated after', async () => {
    await deliver(callsOver('2026-11-20T09:00:00Z', 30, 1000));
    sns.on(PublishCommand).rejectsOnce(new Error('Throttling')).resolves({});
    const crossing = modelCall({ at: '2026-11-20T09:31:00Z' });
    await expect(deliver([crossing])).rejects.toThrow(/Throttling/);
    // EventBridge retries the same event: it is counted again, and the alarm goes out.
    await deliver([crossing, modelCall({ at: '2026-11-20T09:32:00Z' })]);
    // The refused attempt, then the retry's alert that went out; the next call sends nothing more.
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com rate-alarm', 'Bedrock usage: alice@example.com rate-alarm']);
    expect(sns.commandCalls(PublishCommand)[1].args[0].input.Message).toMatch(/1002 model calls in the hour/);
  }, 60_000);

  test('a role of the same name in another account is alerted on but never contains the home account\'s role', async () => {
    const elsewhere = roleSession(INVOKE_ROLE, 'mallory', '/', 'mallory');
    const other = { ...elsewhere, sessionContext: { ...(elsewhere as any).sessionContext, sessionIssuer: { ...(elsewhere as any).sessionContext.sessionIssuer, accountId: '444455556666', arn: `arn:aws:iam::444455556666:role/${INVOKE_ROLE}` } } };
    await deliver(callsOver('2026-11-20T02:00:00Z', 50, 3001, { identity: other }));
    expect(alerts()).toContain('Bedrock usage: mallory rate-limit');
    expect(containments()).toEqual([]);
  }, 60_000);

  test('forged and replayed events count nothing', async () => {
    const forged = { ...modelCall({ at: '2026-11-20T09:00:00Z' }), source: 'com.example.cloudtrail' };
    const replayed = { ...modelCall({ at: '2026-11-20T09:00:00Z' }), 'replay-name': 'yesterday' };
    expect(await deliver([forged, replayed])).toEqual([
      { counted: false, ignored: 'not a CloudTrail event delivered by AWS' },
      { counted: false, ignored: 'replayed by yesterday' },
    ]);
    expect(table.items.size).toBe(0);
  });

  test('a network last seen beyond the window is new again, even before DynamoDB\'s TTL deletes it', async () => {
    await deliver([modelCall({ at: '2026-10-01T09:00:00Z', ip: '192.0.2.10' }), modelCall({ at: '2026-11-19T09:00:00Z', ip: '198.51.100.23' })]);
    sns.reset();
    sns.on(PublishCommand).resolves({});
    await deliver([modelCall({ at: '2026-11-20T09:00:00Z', ip: '192.0.2.10' })]);
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com new-network']);
  });
});

describe('the in-memory table the scenarios run on', () => {
  test('can fail: an expression it does not model is refused, not guessed', () => {
    expect(() => table.updateItem({ TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'REMOVE calls', ReturnValues: 'ALL_OLD' })).toThrow();
    expect(() => table.updateItem({ TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'SET a = :missing', ReturnValues: 'ALL_OLD' })).toThrow(/unknown value/);
  });

  test('follows DynamoDB: UPDATED_NEW returns only what the update touched, ALL_OLD nothing for a new item', () => {
    const first = table.updateItem({ TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'SET a = :x', ExpressionAttributeValues: { ':x': { N: '1' } }, ReturnValues: 'ALL_OLD' });
    expect(first.Attributes).toBeUndefined();
    const added = table.updateItem({ TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'ADD b :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' });
    expect(added.Attributes).toEqual({ b: { N: '1' } });
  });
});
