// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { BUCKET_MS, bucketOf, PrincipalKind } from './usage-assessment';
import { callersPartition } from './usage-store';
import type { MatchedIdentity } from '../detection/alert-message';

/** One person the usage guard counted in a window, with what their calls in it could cost. */
export interface HeaviestCaller {
  /** The person as the guard counts them (an Identity Center user id, a bound source identity, or a session). */
  readonly principal: string;
  readonly identity: MatchedIdentity;
  /** The last session ARN the guard saw for the person in the window. */
  readonly sessionArn: string;
  /** The session's source identity, when it had one. */
  readonly sourceIdentity?: string;
  /** The account the session's role lives in. */
  readonly issuerAccount?: string;
  /** What the person's calls in the window could cost, in US dollars, as the guard weighs them. */
  readonly weightUsd: number;
  /** The person's billed calls in the window. */
  readonly calls?: number;
  /** How the person was told apart: `identity-center-user`, `identity-center-name`, `source-identity` or `session`. */
  readonly principalKind?: PrincipalKind;
  /** The identity store user id, when CloudTrail recorded one. */
  readonly userId?: string;
}

/** A day of 5-minute buckets at most: 288 Queries; a wider span is a mistake, not a question. */
const MAX_SPAN_MS = 24 * 60 * 60_000;

let shared: DynamoDBClient | undefined;

/**
 * The callers with the greatest weight between `since` and `now` (epoch milliseconds), heaviest first,
 * at most `limit`. Contract shared by the spend-rate cap's stop and the usage guard: one Query per
 * 5-minute bucket of the span on the bucket's callers index (`pk = callers#<bucket start>`), never a
 * Scan. Buckets are whole, so the span read starts at the bucket holding `since` (up to 5 minutes more).
 * Needs `dynamodb:Query` on the guard's table and `kms:Decrypt` on its key.
 */
export async function heaviestCallers(tableName: string, since: number, now: number, limit: number): Promise<HeaviestCaller[]> {
  if (!tableName || !Number.isFinite(since) || !Number.isFinite(now) || since > now || now - since > MAX_SPAN_MS) {
    throw new Error(`heaviestCallers: give a table name and a span of at most 24 hours, since before now (got ${tableName}, ${since}, ${now})`);
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`heaviestCallers: limit is ${limit}; give a whole number of callers, 1 or more`);
  }
  shared ??= new DynamoDBClient({});
  const byPrincipal = new Map<string, HeaviestCaller & { lastCallAt: number }>();
  for (let t = Math.floor(since / BUCKET_MS) * BUCKET_MS; t <= now; t += BUCKET_MS) {
    for (const item of await bucketItems(shared, tableName, bucketOf(t))) {
      const caller = callerOf(item);
      if (!caller) {
        continue;
      }
      const before = byPrincipal.get(caller.principal);
      // The sums add up; who it is comes from the latest call.
      const latest = !before || caller.lastCallAt >= before.lastCallAt ? caller : before;
      byPrincipal.set(caller.principal, {
        ...latest,
        weightUsd: Math.round(((before?.weightUsd ?? 0) + caller.weightUsd) * 1_000_000) / 1_000_000,
        calls: (before?.calls ?? 0) + (caller.calls ?? 0),
      });
    }
  }
  return [...byPrincipal.values()]
    .sort((a, b) => b.weightUsd - a.weightUsd || (b.calls ?? 0) - (a.calls ?? 0) || a.principal.localeCompare(b.principal))
    .slice(0, limit)
    .map(({ lastCallAt: _, ...caller }) => caller);
}

async function bucketItems(client: DynamoDBClient, tableName: string, bucket: string): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: callersPartition(bucket) } },
      ExclusiveStartKey: start,
    }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** An index entry as a caller, or undefined for an item the guard did not write in this shape. */
function callerOf(item: Record<string, AttributeValue>): (HeaviestCaller & { lastCallAt: number }) | undefined {
  const kind = item.identityKind?.S;
  const principal = item.sk?.S;
  if (!principal || (kind !== 'role' && kind !== 'permission-set') || !item.identityName?.S || !item.roleName?.S || !item.sessionArn?.S) {
    return undefined;
  }
  return {
    principal,
    identity: { kind, name: item.identityName.S, roleName: item.roleName.S },
    sessionArn: item.sessionArn.S,
    sourceIdentity: item.sourceIdentity?.S,
    issuerAccount: item.issuerAccount?.S,
    weightUsd: Number(item.usd?.N ?? 0),
    calls: Number(item.calls?.N ?? 0),
    principalKind: item.principalKind?.S as PrincipalKind | undefined,
    userId: item.userId?.S,
    lastCallAt: Number(item.lastCallAt?.N ?? 0),
  };
}

/** For tests: the client the next calls use. */
export function _useClient(client: DynamoDBClient | undefined): void {
  shared = client;
}
