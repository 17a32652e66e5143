// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { AttributeValue, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ObservedCall, SentAlerts, UsageState } from './usage-assessment';

/** How long an hour's counter is kept: long enough to read the day after, short enough to cost nothing. */
const COUNTER_TTL_SECONDS = 2 * 24 * 3600;

/** Where the guard keeps what it has seen. */
export interface UsageStore {
  record(call: ObservedCall, windowDays: number, now: number): Promise<UsageState>;
  /** Remembers the alerts sent for the call's hour. */
  remember(call: ObservedCall, sent: SentAlerts): Promise<void>;
}

/**
 * Three small items per identity, each written once per call (three write units, no reads): the
 * hour's counter (with one attribute per model, and the alerts already sent that hour), the network
 * last seen, and the identity last seen. A call that raises an alert writes once more. DynamoDB's TTL
 * deletes what the window no longer needs, so the table stays as small as the team.
 */
export class DynamoUsageStore implements UsageStore {
  constructor(private readonly table: string, private readonly client: DynamoDBClient = new DynamoDBClient({})) {}

  public async record(call: ObservedCall, windowDays: number, now: number): Promise<UsageState> {
    const seconds = Math.floor(now / 1000);
    const windowEnd = String(seconds + windowDays * 24 * 3600);
    const counter = await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: counterKey(call),
      UpdateExpression: 'ADD calls :one, #model :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
      ExpressionAttributeNames: { '#model': `model:${call.model}` },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':ttl': { N: String(seconds + COUNTER_TTL_SECONDS) } },
      ReturnValues: 'ALL_NEW',
    }));
    const seen = async (pk: string) => {
      const old = await this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: { pk: { S: pk } },
        UpdateExpression: 'SET lastSeen = :now, expiresAt = :end',
        ExpressionAttributeValues: { ':now': { N: String(seconds) }, ':end': { N: windowEnd } },
        ReturnValues: 'ALL_OLD',
      }));
      // TTL deletion lags expiry by up to days: an item past its expiresAt counts as gone.
      const expires = Number(old.Attributes?.expiresAt?.N ?? 0);
      return expires > seconds;
    };
    const networkWasSeen = call.network ? await seen(`network#${call.principal}#${call.network}`) : true;
    const identityWasKnown = await seen(`identity#${call.principal}`);
    const item = counter.Attributes ?? {};
    return {
      callsThisHour: Number(item.calls?.N ?? 1),
      networkIsNew: !networkWasSeen,
      identityWasKnown,
      alarmedAt: numberOf(item.alarmedAt),
      containedAt: numberOf(item.containedAt),
      outsideGrantAlerted: item.outsideGrantAlerted?.BOOL === true ? true : undefined,
    };
  }

  public async remember(call: ObservedCall, sent: SentAlerts): Promise<void> {
    const values: Record<string, AttributeValue> = {};
    if (sent.alarmedAt !== undefined) values[':alarmedAt'] = { N: String(sent.alarmedAt) };
    if (sent.containedAt !== undefined) values[':containedAt'] = { N: String(sent.containedAt) };
    if (sent.outsideGrantAlerted) values[':outsideGrantAlerted'] = { BOOL: true };
    await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: counterKey(call),
      UpdateExpression: `SET ${Object.keys(values).map((v) => `${v.slice(1)} = ${v}`).join(', ')}`,
      ExpressionAttributeValues: values,
      ReturnValues: 'NONE',
    }));
  }
}

function counterKey(call: ObservedCall): Record<string, AttributeValue> {
  return { pk: { S: `calls#${call.principal}#${call.hour}` } };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}
