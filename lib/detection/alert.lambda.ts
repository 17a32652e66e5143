// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Alert, CloudTrailApiCallEvent, formatAlert, formatPermissionSetChange, matchIdentity, SourceIdentityTrust } from './alert-message';
import { isCloudTrailDelivered } from './cloudtrail-event-types';
import { deliverAlert } from './deliver-alert';
import { heartbeatRecord, isScheduledTick } from './heartbeat-metric';
import type { IdentityMatchers } from './event-pattern';
import { isPermissionSetChange, WatchedPermissionSet } from './permission-set-changes';

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

/** What one invocation did. */
export interface AlertResult {
  readonly alerted: boolean;
  /** `called` for the schedule's tick, `received` when the call's CloudTrail record came back. */
  readonly heartbeat?: 'called' | 'received';
}

/** Turns a watched session's non-Bedrock CloudTrail call into a readable alert and an alert event. */
export async function handler(event: CloudTrailApiCallEvent, now: () => number = Date.now): Promise<AlertResult> {
  const config = JSON.parse(requireEnv('ALERT_CONFIG')) as AlertConfig;
  if (isScheduledTick(event)) {
    // The heartbeat's call: CloudTrail logs it, and the beat rule brings the record back here.
    await sts.send(new GetCallerIdentityCommand({}));
    return { alerted: false, heartbeat: 'called' };
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
  await deliverAlert(alert, { topicArn: requireEnv('TOPIC_ARN'), eventBusName: requireEnv('EVENT_BUS_NAME'), containmentQueueUrl: process.env.CONTAINMENT_QUEUE_URL });
  return { alerted: true };
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
