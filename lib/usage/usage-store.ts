// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ObservedCall, UsageState } from './usage-assessment';

/** How long an hour's counter is kept: long enough to read the day after, short enough to cost nothing. */
const COUNTER_TTL_SECONDS = 2 * 24 * 3600;

/** Where the guard keeps what it has seen. */
export interface UsageStore {
  record(call: ObservedCall, outsideGrant: boolean, windowDays: number, now: number): Promise<UsageState>;
}

/**
 * Three small items per identity, each written once per call (three write units, no reads): the
 * hour's counter (with one attribute per model), the network last seen, and the identity last seen.
 * DynamoDB's TTL deletes what the window no longer needs, so the table stays as small as the team.
 */
export class DynamoUsageStore implements UsageStore {
  constructor(private readonly table: string, private readonly client: DynamoDBClient = new DynamoDBClient({})) {}

  public async record(call: ObservedCall, outsideGrant: boolean, windowDays: number, now: number): Promise<UsageState> {
    const seconds = Math.floor(now / 1000);
    const windowEnd = String(seconds + windowDays * 24 * 3600);
    const counter = await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: { S: `calls#${call.principal}#${call.hour}` } },
      UpdateExpression: 'ADD calls :one, #model :one, outsideGrant :outside SET expiresAt = if_not_exists(expiresAt, :ttl)',
      ExpressionAttributeNames: { '#model': `model:${call.model}` },
      ExpressionAttributeValues: { ':one': { N: '1' }, ':outside': { N: outsideGrant ? '1' : '0' }, ':ttl': { N: String(seconds + COUNTER_TTL_SECONDS) } },
      ReturnValues: 'UPDATED_NEW',
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
    return {
      callsThisHour: Number(counter.Attributes?.calls?.N ?? 1),
      outsideGrantThisHour: Number(counter.Attributes?.outsideGrant?.N ?? 0),
      networkIsNew: !networkWasSeen,
      identityWasKnown,
    };
  }
}
