import { Alert, CloudTrailApiCallEvent, formatAlert, formatPermissionSetChange, matchIdentity, SourceIdentityTrust } from './alert-message';
import { isCloudTrailDelivered } from './cloudtrail-event-types';
import { deliverAlert } from './deliver-alert';
import type { IdentityMatchers } from './event-pattern';
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


/** Turns a watched session's non-Bedrock CloudTrail call into a readable alert and an alert event. */
export async function handler(event: CloudTrailApiCallEvent): Promise<{ alerted: boolean }> {
  const config = JSON.parse(requireEnv('ALERT_CONFIG')) as AlertConfig;
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
  await deliverAlert(alert, { topicArn: requireEnv('TOPIC_ARN'), eventBusName: requireEnv('EVENT_BUS_NAME'), containmentQueueUrl: process.env.CONTAINMENT_QUEUE_URL }, containment);
  return { alerted: true };
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
