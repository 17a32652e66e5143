// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { DynamoDBClient, GetItemCommand, QueryCommand, TransactionCanceledException, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AlertDetail } from './alert-message';

/** An alert window: one clock hour. */
export const WINDOW_MS = 3600_000;
/** Items outlive their window by a day, for the summary and for late duplicates. */
const KEEP_SECONDS = 2 * 24 * 3600;

/** One identity and cause in one window. */
export interface WindowKey {
  /** The window's start, ISO 8601. */
  readonly window: string;
  /** Who and why, e.g. `call|111122223333|ClaudeCodeBedrockInvoke|alice|`. */
  readonly subject: string;
}

/** What the store knows of a window after counting one delivery. */
export interface Admission {
  /** This CloudTrail event was counted before: EventBridge delivered it again, or the invocation is a retry. */
  readonly duplicate: boolean;
  /** Distinct events counted in the window so far. */
  readonly count: number;
  /** The event that owns the window's one alert. */
  readonly owner: string;
  /** Whether that alert went out. */
  readonly sent: boolean;
}

/** A closed window, for its summary. */
export interface WindowRecord extends WindowKey {
  readonly count: number;
  readonly sent: boolean;
  readonly summarized: boolean;
  readonly subjectLine: string;
  readonly lastCall: string;
}

/** Where the alert function keeps its windows. */
export interface AlertWindowStore {
  admit(key: WindowKey, eventId: string, detail: AlertDetail, subjectLine: string, now: number): Promise<Admission>;
  markSent(key: WindowKey): Promise<void>;
  windows(window: string): Promise<WindowRecord[]>;
  /** Claims the window's summary; false when another invocation already did. */
  claimSummary(key: WindowKey, count: number): Promise<boolean>;
}

/** The window an event falls in: by CloudTrail's event time, which a retry or a second delivery keeps. */
export function windowKey(detail: AlertDetail, now: number): WindowKey {
  const at = Date.parse(detail.eventTime ?? '');
  const t = Number.isFinite(at) ? at : now;
  return { window: new Date(Math.floor(t / WINDOW_MS) * WINDOW_MS).toISOString(), subject: alertSubject(detail) };
}

/** Who and why: the session (and the name it declared) for a call; the caller and the set for a change. */
export function alertSubject(d: AlertDetail): string {
  if (d.containment === 'review-change') {
    return ['change', d.permissionSetArn ?? '', d.changedBy ?? ''].join('|');
  }
  return ['call', d.account ?? '', d.roleName, d.sessionName ?? d.accessKeyId ?? '', d.sourceIdentity ?? ''].join('|');
}

/**
 * DynamoDB: one item per CloudTrail event id (a conditional put, so a second delivery is known) and
 * one per window, written together in a transaction so the count never includes an event twice.
 */
export class DynamoAlertWindowStore implements AlertWindowStore {
  constructor(private readonly table: string, private readonly client: DynamoDBClient = new DynamoDBClient({})) {}

  public async admit(key: WindowKey, eventId: string, detail: AlertDetail, subjectLine: string, now: number): Promise<Admission> {
    const expiresAt = { N: String(Math.floor(now / 1000) + KEEP_SECONDS) };
    let duplicate = false;
    try {
      await this.client.send(new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk: { S: `event#${eventId}` }, sk: { S: '-' }, expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: this.table,
              Key: windowItem(key),
              UpdateExpression: 'ADD #count :one SET #owner = if_not_exists(#owner, :event), subjectLine = if_not_exists(subjectLine, :subject), lastCall = :call, expiresAt = :expires',
              ExpressionAttributeNames: { '#count': 'count', '#owner': 'owner' },
              ExpressionAttributeValues: { ':one': { N: '1' }, ':event': { S: eventId }, ':subject': { S: subjectLine }, ':call': { S: detail.call }, ':expires': expiresAt },
            },
          },
        ],
      }));
    } catch (e) {
      // The first item's condition failed: this event was counted already.
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        duplicate = true;
      } else {
        throw e;
      }
    }
    const item = (await this.client.send(new GetItemCommand({ TableName: this.table, Key: windowItem(key), ConsistentRead: true }))).Item ?? {};
    return { duplicate, count: Number(item.count?.N ?? 0), owner: item.owner?.S ?? '', sent: item.sentAt !== undefined };
  }

  public async markSent(key: WindowKey): Promise<void> {
    await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: windowItem(key),
      UpdateExpression: 'SET sentAt = :now',
      ExpressionAttributeValues: { ':now': { S: new Date().toISOString() } },
    }));
  }

  public async windows(window: string): Promise<WindowRecord[]> {
    const result = await this.client.send(new QueryCommand({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `window#${window}` } },
      ConsistentRead: true,
    }));
    return (result.Items ?? []).map((i) => ({
      window,
      subject: i.sk?.S ?? '',
      count: Number(i.count?.N ?? 0),
      sent: i.sentAt !== undefined,
      summarized: i.summarizedCount !== undefined,
      subjectLine: i.subjectLine?.S ?? '',
      lastCall: i.lastCall?.S ?? '',
    }));
  }

  public async claimSummary(key: WindowKey, count: number): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.table,
        Key: windowItem(key),
        UpdateExpression: 'SET summarizedCount = :count',
        ConditionExpression: 'attribute_not_exists(summarizedCount)',
        ExpressionAttributeValues: { ':count': { N: String(count) } },
      }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') {
        return false;
      }
      throw e;
    }
  }
}

function windowItem(key: WindowKey) {
  return { pk: { S: `window#${key.window}` }, sk: { S: key.subject } };
}
