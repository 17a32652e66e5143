import { DynamoDBClient, GetItemCommand, QueryCommand, TransactionCanceledException, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { call, invokeRoleSession, INVOKE_ROLE, PERMISSION_SET, roleSession } from './fixtures/cloudtrail-events';
import type { AlertDetail } from '../../lib/detection/alert-message';
import { Admission, AlertWindowStore, DynamoAlertWindowStore, WindowKey, windowKey, WindowRecord } from '../../lib/detection/alert-windows';
import { handler, useWindowStore } from '../../lib/detection/alert.lambda';

/**
 * The store's contract as DynamoDB keeps it: the event item's conditional put and the window's
 * update commit together or not at all (TransactWriteItems is all-or-nothing), so a second delivery
 * never counts twice.
 */
class InMemoryWindows implements AlertWindowStore {
  public readonly events = new Set<string>();
  public readonly items = new Map<string, {
    count: number; owner: string; sentAt?: string; summarizedCount?: number; subjectLine: string; lastCall: string;
  }>();

  public async admit(key: WindowKey, eventId: string, detail: AlertDetail, subjectLine: string): Promise<Admission> {
    const k = `${key.window}|${key.subject}`;
    const duplicate = this.events.has(eventId);
    if (!duplicate) {
      this.events.add(eventId);
      const item = this.items.get(k) ?? { count: 0, owner: eventId, subjectLine, lastCall: detail.call };
      this.items.set(k, { ...item, count: item.count + 1, lastCall: detail.call });
    }
    const item = this.items.get(k)!;
    return { duplicate, count: item.count, owner: item.owner, sent: item.sentAt !== undefined };
  }

  public async markSent(key: WindowKey): Promise<void> {
    this.items.get(`${key.window}|${key.subject}`)!.sentAt = 'now';
  }

  public async windows(window: string): Promise<WindowRecord[]> {
    return [...this.items.entries()].filter(([k]) => k.startsWith(`${window}|`)).map(([k, i]) => ({
      window,
      subject: k.slice(window.length + 1),
      count: i.count,
      sent: i.sentAt !== undefined,
      summarized: i.summarizedCount !== undefined,
      subjectLine: i.subjectLine,
      lastCall: i.lastCall,
    }));
  }

  public async claimSummary(key: WindowKey, count: number): Promise<boolean> {
    const item = this.items.get(`${key.window}|${key.subject}`)!;
    if (item.summarizedCount !== undefined) return false;
    item.summarizedCount = count;
    return true;
  }
}

const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
const sts = mockClient(STSClient);
const MATCHERS = { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] };
let store: InMemoryWindows;
// 2026-11-20T09:30:00Z: inside the fixtures' hour (their calls happen at 09:14:07).
const DURING = () => Date.parse('2026-11-20T09:30:00Z');

beforeEach(() => {
  for (const m of [sns, eventBridge, sqs, sts]) m.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
  process.env.ALERT_CONFIG = JSON.stringify({ matchers: MATCHERS, containedRoles: [INVOKE_ROLE], homeAccount: '111122223333' });
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  process.env.CONTAINMENT_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment.fifo';
  delete process.env.HEARTBEAT_ROLE_ARN;
  store = new InMemoryWindows();
  useWindowStore(store);
});
afterAll(() => useWindowStore(undefined));

const denied = () => call({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', errorCode: 'AccessDenied' }, invokeRoleSession());

describe('one alert per identity and cause per hour, with the count', () => {
  test('1,000 denied calls by one session give one e-mail, one containment request, and a summary that says 1000', async () => {
    for (let i = 0; i < 1000; i++) {
      await handler(denied() as any, DURING);
    }
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toMatch(/one summary with the count follows/);

    // The next hour's first tick sums the closed window up, once.
    const tick = { 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'id': 't-1' };
    const next = () => Date.parse('2026-11-20T10:05:00Z');
    await expect(handler(tick as any, next)).resolves.toMatchObject({ heartbeat: 'called', summaries: 1 });
    const summary = sns.commandCalls(PublishCommand)[1].args[0].input;
    expect(summary.Message).toMatch(/2026-11-20T09:00:00.000Z: 1000 calls/);
    expect(summary.Subject).toMatch(/\(x1000\)$/);
    expect(summary.Subject!.length).toBeLessThan(100);
    await handler(tick as any, next);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  test('EventBridge delivering the same CloudTrail event twice counts it once and sends nothing more', async () => {
    const event = denied();
    await expect(handler(event as any, DURING)).resolves.toMatchObject({ alerted: true, count: 1 });
    await expect(handler(event as any, DURING)).resolves.toEqual({ alerted: false, count: 1, duplicate: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('a retry after a failed publish sends the alert that never went out, and only once', async () => {
    const event = denied();
    sns.on(PublishCommand).rejectsOnce(new Error('KMS.DisabledException'));
    await expect(handler(event as any, DURING)).rejects.toThrow(/KMS/);
    // Another call of the same session meanwhile is only counted: the window's alert belongs to the first.
    await expect(handler(denied() as any, DURING)).resolves.toMatchObject({ alerted: false, count: 2 });
    await expect(handler(event as any, DURING)).resolves.toMatchObject({ alerted: true, count: 2 });
    await expect(handler(event as any, DURING)).resolves.toMatchObject({ alerted: false, duplicate: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  test('another session, or the next hour, is another alert', async () => {
    await handler(denied() as any, DURING);
    await expect(handler(call({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }, roleSession(INVOKE_ROLE, 'bob@example.com', '/', 'bob@example.com')) as any, DURING))
      .resolves.toMatchObject({ alerted: true });
    const later = denied() as any;
    later.detail.eventTime = '2026-11-20T10:01:00Z';
    await expect(handler(later, DURING)).resolves.toMatchObject({ alerted: true, count: 1 });
  });

  test('the window is the CloudTrail event\'s hour, so a retry an hour later lands in the same one', () => {
    const detail = { eventTime: '2026-11-20T09:59:59Z', roleName: INVOKE_ROLE, sessionName: 'alice', account: '111122223333' } as AlertDetail;
    expect(windowKey(detail, Date.parse('2026-11-20T11:00:00Z')).window).toBe('2026-11-20T09:00:00.000Z');
  });
});

describe('the DynamoDB store', () => {
  const dynamo = mockClient(DynamoDBClient);
  const key = { window: '2026-11-20T09:00:00.000Z', subject: 'call|111122223333|ClaudeCodeBedrockInvoke|alice|' };
  const detail = { call: 's3.amazonaws.com:ListBuckets' } as AlertDetail;
  beforeEach(() => dynamo.reset());

  test('counts an event with a conditional put of its id and the window update, in one transaction', async () => {
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(GetItemCommand).resolves({ Item: { count: { N: '1' }, owner: { S: 'ev-1' } } });
    const s = new DynamoAlertWindowStore('windows', new DynamoDBClient({}));
    await expect(s.admit(key, 'ev-1', detail, 'subject', 0)).resolves.toEqual({ duplicate: false, count: 1, owner: 'ev-1', sent: false });
    const items = dynamo.commandCalls(TransactWriteItemsCommand)[0].args[0].input.TransactItems!;
    expect(items[0].Put).toMatchObject({ Item: { pk: { S: 'event#ev-1' } }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1].Update).toMatchObject({ Key: { pk: { S: `window#${key.window}` }, sk: { S: key.subject } } });
    expect(items[1].Update!.UpdateExpression).toMatch(/ADD #count :one SET #owner = if_not_exists\(#owner, :event\)/);
    expect(dynamo.commandCalls(GetItemCommand)[0].args[0].input.ConsistentRead).toBe(true);
  });

  test('a cancelled transaction whose first condition failed is a duplicate; any other failure throws', async () => {
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(new TransactionCanceledException({
      message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    }));
    dynamo.on(GetItemCommand).resolves({ Item: { count: { N: '3' }, owner: { S: 'ev-0' }, sentAt: { S: '2026-11-20T09:14:08Z' } } });
    const s = new DynamoAlertWindowStore('windows', new DynamoDBClient({}));
    await expect(s.admit(key, 'ev-1', detail, 'subject', 0)).resolves.toEqual({ duplicate: true, count: 3, owner: 'ev-0', sent: true });
    dynamo.reset();
    dynamo.on(TransactWriteItemsCommand).rejects(new TransactionCanceledException({
      message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
    }));
    await expect(s.admit(key, 'ev-2', detail, 'subject', 0)).rejects.toThrow(/cancelled/);
  });

  test('reads a closed window with a consistent query, and claims its summary once', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: { S: `window#${key.window}` }, sk: { S: key.subject }, count: { N: '1000' }, sentAt: { S: 'x' }, subjectLine: { S: 's' }, lastCall: { S: 'c' } }] });
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    const s = new DynamoAlertWindowStore('windows', new DynamoDBClient({}));
    await expect(s.windows(key.window)).resolves.toEqual([{ ...key, count: 1000, sent: true, summarized: false, subjectLine: 's', lastCall: 'c' }]);
    await expect(s.claimSummary(key, 1000)).resolves.toBe(true);
    await expect(s.claimSummary(key, 1000)).resolves.toBe(false);
    expect(dynamo.commandCalls(UpdateItemCommand)[0].args[0].input.ConditionExpression).toBe('attribute_not_exists(summarizedCount)');
  });
});
