// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { Alert, CloudTrailApiCallEvent, formatAlert, formatPermissionSetChange, matchIdentity, SourceIdentityTrust } from './alert-message';
import { AlertWindowStore, DynamoAlertWindowStore, WINDOW_MS, windowKey } from './alert-windows';
import { isCloudTrailDelivered } from './cloudtrail-event-types';
import { deliverAlert } from './deliver-alert';
import type { IdentityMatchers } from './event-pattern';
import { heartbeatRecord, isScheduledTick } from './heartbeat-metric';
import { lookAlikeAlert } from './look-alike-role';
import { isPermissionSetChange, WatchedPermissionSet } from './permission-set-changes';
import { containmentRequestFor } from '../containment/request-from-cloudtrail';

/** What the construct passes in the environment. */
interface AlertConfig {
  readonly matchers: IdentityMatchers;
  readonly containedRoles: string[];
  /** The permission sets whose changes alert, by ARN. */
  readonly watchedPermissionSets?: WatchedPermissionSet[];
  /** How each watched role's trust ties the source identity to the caller; absent means self-declared. */
  readonly sourceIdentityTrust?: Record<string, SourceIdentityTrust>;
  /** The account whose roles containment revokes. */
  readonly homeAccount?: string;
}


const sts = new STSClient({});
const sns = new SNSClient({});
let windows: AlertWindowStore | undefined;

/** For tests: a store other than DynamoDB. */
export function useWindowStore(store: AlertWindowStore | undefined): void {
  windows = store;
}

function windowStore(): AlertWindowStore | undefined {
  const table = process.env.ALERT_TABLE_NAME;
  if (!windows && table) {
    windows = new DynamoAlertWindowStore(table);
  }
  return windows;
}

/** What one invocation did. */
export interface AlertResult {
  readonly alerted: boolean;
  /** The events counted in the alert's window, when alerts are grouped. */
  readonly count?: number;
  /** True when EventBridge delivered an event already counted. */
  readonly duplicate?: boolean;
  /** Summaries sent for windows that closed. */
  readonly summaries?: number;
  /** `called` for the schedule's tick, `received` when the call's CloudTrail record came back. */
  readonly heartbeat?: 'called' | 'received';
}

/** Turns a watched session's non-Bedrock CloudTrail call into a readable alert and an alert event. */
export async function handler(event: CloudTrailApiCallEvent, now: () => number = Date.now): Promise<AlertResult> {
  const config = JSON.parse(requireEnv('ALERT_CONFIG')) as AlertConfig;
  if (isScheduledTick(event)) {
    // The heartbeat's call: CloudTrail logs it, and the beat rule brings the record back here.
    await sts.send(new GetCallerIdentityCommand({}));
    const summaries = await summarizeClosedWindows(now());
    return { alerted: false, heartbeat: 'called', ...(summaries > 0 ? { summaries } : {}) };
  }
  if (isCloudTrailDelivered(event) && isOwnHeartbeat(event)) {
    console.log(JSON.stringify(heartbeatRecord(requireEnv('HEARTBEAT_PIPELINE'), now())));
    return { alerted: false, heartbeat: 'received' };
  }
  if (!isCloudTrailDelivered(event)) {
    // Only AWS may put an `aws.` source; anything else is someone's own event dressed as CloudTrail.
    console.log(JSON.stringify({ ignored: 'not a CloudTrail event delivered by AWS', source: event.source, detailType: event['detail-type'], eventId: event.id }));
    return { alerted: false };
  }
  const alert = alertFor(event, config);
  if (!alert) {
    return { alerted: false };
  }
  const containment = alert.detail.containment === 'revoke-sessions'
    ? containmentRequestFor(event, { kind: 'role', roleName: alert.detail.roleName }, 'misuse')
    : undefined;
  const store = windowStore();
  const destinations = { topicArn: requireEnv('TOPIC_ARN'), eventBusName: requireEnv('EVENT_BUS_NAME'), containmentQueueUrl: process.env.CONTAINMENT_QUEUE_URL };
  if (!store) {
    await deliverAlert(alert, destinations, containment);
    return { alerted: true };
  }
  // One alert per identity and cause per hour; the rest are counted for the summary.
  const eventId = event.detail?.eventID ?? event.id ?? '';
  const key = windowKey(alert.detail, now());
  const admitted = await store.admit(key, eventId, alert.detail, alert.subject, now());
  // The owner's retry sends what a failure kept from going out; anything else is only counted.
  if (admitted.owner !== eventId || admitted.sent) {
    return { alerted: false, count: admitted.count, ...(admitted.duplicate ? { duplicate: true } : {}) };
  }
  await deliverAlert({ ...alert, message: `${alert.message}\n\n${GROUPING_NOTE}` }, destinations, containment);
  await store.markSent(key);
  return { alerted: true, count: admitted.count };
}

const GROUPING_NOTE = 'Further calls by this session this hour are counted, not e-mailed: one summary with the count follows when the hour is over.';

/** One message per closed window that counted more than its first alert. */
async function summarizeClosedWindows(now: number): Promise<number> {
  const store = windowStore();
  if (!store) {
    return 0;
  }
  let sent = 0;
  // The last two closed windows: a tick that failed an hour ago gets another chance.
  for (const back of [1, 2]) {
    const window = new Date((Math.floor(now / WINDOW_MS) - back) * WINDOW_MS).toISOString();
    for (const w of await store.windows(window)) {
      if (!w.sent || w.summarized || w.count < 2) {
        continue;
      }
      await sns.send(new PublishCommand({
        TopicArn: requireEnv('TOPIC_ARN'),
        Subject: `${w.subjectLine.slice(0, 80)} (x${w.count})`.slice(0, 99),
        Message: [
          `Summary of the hour from ${window}: ${w.count} calls of the kind in the first alert, which was "${w.subjectLine}".`,
          `Last call: ${w.lastCall}.`,
          'Each one is in CloudTrail (event history, filter by access key or user name).',
        ].join('\n'),
      }));
      await store.claimSummary(w, w.count);
      sent += 1;
    }
  }
  return sent;
}

/** The CloudTrail record of this function's own heartbeat call: nothing else is issued by its role. */
function isOwnHeartbeat(event: CloudTrailApiCallEvent): boolean {
  const d = event.detail;
  const own = process.env.HEARTBEAT_ROLE_ARN;
  return own !== undefined && d?.eventSource === 'sts.amazonaws.com' && d.eventName === 'GetCallerIdentity'
    && d.userIdentity?.sessionContext?.sessionIssuer?.arn === own;
}

function alertFor(event: CloudTrailApiCallEvent, config: AlertConfig): Alert | undefined {
  if (isPermissionSetChange(event.detail)) {
    const arn = event.detail?.requestParameters?.permissionSetArn;
    const set = (config.watchedPermissionSets ?? []).find((p) => p.arn === arn);
    if (set) {
      return formatPermissionSetChange(event, set);
    }
    // Another set's change: it alerts only if a watched session made it, as any other call would.
  }
  const identity = matchIdentity(event, config.matchers);
  if (!identity) {
    const lookAlike = lookAlikeAlert(event, config.matchers);
    if (lookAlike) {
      return lookAlike;
    }
    // The pattern matched a permission-set prefix that belongs to another set (Bedrock vs Bedrock_Admin).
    console.log(JSON.stringify({ ignored: event.detail?.userIdentity?.sessionContext?.sessionIssuer?.userName, eventId: event.id }));
    return undefined;
  }
  return formatAlert(event, identity, config.containedRoles, config.sourceIdentityTrust, config.homeAccount);
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockMisuseDetection`);
  }
  return value;
}
