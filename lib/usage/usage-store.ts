// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { AttributeValue, DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ObservedCall, SentAlerts, UsageState, WindowTotals } from './usage-assessment';
import { windowOf } from './usage-assessment';

/**
 * How long a bucket is kept: the window, the two hours EventBridge may hold an event for the guard
 * (the target's `maxEventAge`), and room for the spend-rate cap to look back.
 */
export const BUCKET_TTL_MS = 6 * 60 * 60_000;
/** The sort key of items that are one per partition. */
export const SINGLE = '-';

/** Where the guard keeps what it has seen. */
export interface UsageStore {
  record(call: ObservedCall, windowDays: number, now: number): Promise<UsageState>;
  /** Remembers the alerts sent for the call's person. */
  remember(call: ObservedCall, sent: SentAlerts): Promise<void>;
}

/** The partition of a person's (or a role's) 5-minute buckets; the sort key is the bucket's start. */
export const windowPartition = (key: string) => `window#${key}`;
/** The partition listing everyone counted in one bucket, by person: what `heaviestCallers` reads. */
export const callersPartition = (bucket: string) => `callers#${bucket}`;

/**
 * Per call, four or five small writes and one or two reads, no scan:
 * - the person's bucket (`window#<person>`, sort key the bucket's start): calls and weight, added;
 * - for a role whose person is self-declared, the role's bucket the same way (`window#role/<arn>`);
 * - the bucket's callers index (`callers#<bucket>`, sort key the person): the same sums, and who it is;
 * - the network last seen, and the person (`person#<person>`): last seen, every call counted, the alerts sent;
 * then a consistent Query of the person's (and the role's) buckets over the window. TTL deletes the
 * buckets after six hours and the rest after the new-network window.
 */
export class DynamoUsageStore implements UsageStore {
  constructor(private readonly table: string, private readonly client: DynamoDBClient = new DynamoDBClient({})) {}

  public async record(call: ObservedCall, windowDays: number, now: number): Promise<UsageState> {
    const seconds = Math.floor(now / 1000);
    const windowEnd = String(seconds + windowDays * 24 * 3600);
    const bucketTtl = String(Math.floor((Date.parse(call.bucket) + BUCKET_TTL_MS) / 1000));
    const weight = { ':one': { N: '1' }, ':w': { N: String(call.weightUsd) }, ':ttl': { N: bucketTtl } };
    const add = (pk: string, sk: string, extra: Record<string, AttributeValue> = {}) => this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: { S: pk }, sk: { S: sk } },
      UpdateExpression: `ADD calls :one, usd :w SET expiresAt = if_not_exists(expiresAt, :ttl)${Object.keys(extra).map((k) => `, ${k.slice(1)} = ${k}`).join('')}`,
      ExpressionAttributeValues: { ...weight, ...extra },
      ReturnValues: 'NONE',
    }));
    await add(windowPartition(call.principal), call.bucket);
    if (call.roleKey) {
      await add(windowPartition(call.roleKey), call.bucket);
    }
    await add(callersPartition(call.bucket), call.principal, whoOf(call, now));
    const seen = async (pk: string, update = 'SET lastSeen = :now, expiresAt = :end', values: Record<string, AttributeValue> = {}) => {
      const old = await this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: pk }, sk: { S: SINGLE } },
        UpdateExpression: update,
        ExpressionAttributeValues: { ':now': { N: String(seconds) }, ':end': { N: windowEnd }, ...values },
        ReturnValues: 'ALL_OLD',
      }));
      return old.Attributes ?? {};
    };
    // TTL deletion lags expiry by up to days: an item past its expiresAt counts as gone.
    const live = (item: Record<string, AttributeValue>) => Number(item.expiresAt?.N ?? 0) > seconds;
    const networkWasSeen = call.network ? live(await seen(`network#${call.principal}#${call.network}`)) : true;
    const person = await seen(`person#${call.principal}`, 'ADD totalCalls :one SET lastSeen = :now, expiresAt = :end', { ':one': { N: '1' } });
    const { from, to } = windowOf(call, now);
    return {
      window: await this.sum(windowPartition(call.principal), from, to),
      roleWindow: call.roleKey ? await this.sum(windowPartition(call.roleKey), from, to) : undefined,
      totalCalls: Number(person.totalCalls?.N ?? 0) + 1,
      networkIsNew: !networkWasSeen,
      identityWasKnown: live(person),
      alarmedAt: numberOf(person.alarmedAt),
      containedAt: numberOf(person.containedAt),
      outsideGrantAt: numberOf(person.outsideGrantAt),
    };
  }

  public async remember(call: ObservedCall, sent: SentAlerts): Promise<void> {
    const values: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(sent)) {
      if (value !== undefined) values[`:${name}`] = { N: String(value) };
    }
    await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: { S: `person#${call.principal}` }, sk: { S: SINGLE } },
      UpdateExpression: `SET ${Object.keys(values).map((v) => `${v.slice(1)} = ${v}`).join(', ')}`,
      ExpressionAttributeValues: values,
      ReturnValues: 'NONE',
    }));
  }

  /** The sums of a partition's buckets from `from` to `to`, read consistently so this call's own write is in them. */
  private async sum(pk: string, from: string, to: string): Promise<WindowTotals> {
    let calls = 0;
    let usd = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': { S: pk }, ':from': { S: from }, ':to': { S: to } },
        ProjectionExpression: '#calls, #usd',
        ExpressionAttributeNames: { '#calls': 'calls', '#usd': 'usd' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      for (const item of page.Items ?? []) {
        calls += Number(item.calls?.N ?? 0);
        usd += Number(item.usd?.N ?? 0);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { calls, usd: Math.round(usd * 1_000_000) / 1_000_000 };
  }
}

/** Who a callers-index entry is: enough for the spend-rate cap to contain them without reading CloudTrail. */
function whoOf(call: ObservedCall, now: number): Record<string, AttributeValue> {
  const s = (v: string | undefined) => (v === undefined ? undefined : { S: v });
  const entries: Array<[string, AttributeValue | undefined]> = [
    [':principalKind', s(call.principalKind)],
    [':identityKind', s(call.identity.kind)],
    [':identityName', s(call.identity.name)],
    [':roleName', s(call.identity.roleName)],
    [':sessionArn', s(call.sessionArn)],
    [':sourceIdentity', s(call.sourceIdentity)],
    [':issuerAccount', s(call.issuerAccount)],
    [':userId', s(call.userId)],
    [':lastCallAt', { N: String(Math.min(Date.parse(call.eventTime), now)) }],
  ];
  return Object.fromEntries(entries.filter((e): e is [string, AttributeValue] => e[1] !== undefined));
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}
