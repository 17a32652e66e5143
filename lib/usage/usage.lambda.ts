import { formatUsageAlert } from './usage-alert';
import { grantFindings, grantFor, ObservedCall, observeCall, sentAlerts, UsageConfig, usageFindings } from './usage-assessment';
import { COUNTED_CALL_EVENT, CountedCallLog } from './usage-log';
import { DynamoUsageStore, UsageStore } from './usage-store';
import { containmentRequestFor } from '../containment/request-from-cloudtrail';
import { CloudTrailApiCallEvent } from '../detection/alert-message';
import { isCloudTrailDelivered } from '../detection/cloudtrail-event-types';
import { deliverAlert } from '../detection/deliver-alert';

let store: UsageStore | undefined;

export interface UsageResult {
  readonly counted: boolean;
  readonly findings?: string[];
  readonly contained?: boolean;
  readonly ignored?: string;
}

/** Counts a watched identity's billed Bedrock call and alerts (and contains) on what is unusual. */
export async function handler(event: CloudTrailApiCallEvent & { readonly 'replay-name'?: string }): Promise<UsageResult> {
  const config = JSON.parse(requireEnv('USAGE_CONFIG')) as UsageConfig;
  if (!isCloudTrailDelivered(event)) {
    return ignore('not a CloudTrail event delivered by AWS', event);
  }
  if (event['replay-name']) {
    // An archive replay would count every call again and contain a person for yesterday's work.
    return ignore(`replayed by ${event['replay-name']}`, event);
  }
  const now = Date.now();
  const call = observeCall(event, config.matchers, now, { sourceIdentityTrust: config.sourceIdentityTrust, weights: config.weights });
  if ('ignored' in call) {
    return ignore(call.ignored, event);
  }
  store ??= new DynamoUsageStore(requireEnv('TABLE_NAME'));
  const outside = grantFindings(call, grantFor(call, config));
  const state = await store.record(call, config.limits.newNetworkWindowDays, now);
  logCountedCall(call);
  const findings = usageFindings(call, outside, state, config.limits, now);
  if (findings.length === 0) {
    return { counted: true };
  }
  const contained = { roles: config.containedRoles, permissionSets: config.containedPermissionSets, homeAccount: config.homeAccount };
  const alert = formatUsageAlert(call, findings, contained, config.sourceIdentityTrust);
  const { containment, roleName, identityName } = alert.detail;
  const request = containment === 'revoke-sessions'
    ? containmentRequestFor(event, { kind: 'role', roleName }, 'usage-limit')
    : containment === 'deny-identity-center-user' ? containmentRequestFor(event, { kind: 'permission-set', permissionSetName: identityName }, 'usage-limit') : undefined;
  const contain = await deliverAlert(alert, {
    topicArn: requireEnv('TOPIC_ARN'),
    eventBusName: requireEnv('EVENT_BUS_NAME'),
    containmentQueueUrl: process.env.CONTAINMENT_QUEUE_URL,
  }, request);
  // Only once everything went out: a failure above retries the event and the alert with it.
  const sent = sentAlerts(findings, state, now);
  if (sent) {
    await store.remember(call, sent);
  }
  return { counted: true, findings: findings.map((f) => f.kind), contained: contain };
}

/**
 * One line per counted call, logged as an object: with the function's JSON log format the runtime nests
 * it under `message` (so a Contributor Insights rule keys on `$.message.principal`), where a string
 * would stay a string nobody can key on (aws-lambda-nodejs-runtime-interface-client, LogPatch.js).
 */
export function logCountedCall(call: ObservedCall): void {
  const line: CountedCallLog = {
    event: COUNTED_CALL_EVENT,
    principal: call.principal,
    principalKind: call.principalKind,
    identityKind: call.identity.kind,
    identityName: call.identity.name,
    model: call.model,
    account: call.account ?? call.issuerAccount ?? '',
    region: call.region,
    weightUsd: call.weightUsd,
  };
  console.log(line);
}

/** For tests: a store other than DynamoDB. */
export function useStore(s: UsageStore | undefined): void {
  store = s;
}

function ignore(reason: string, event: CloudTrailApiCallEvent): UsageResult {
  console.log(JSON.stringify({ ignored: reason, eventId: event.id }));
  return { counted: false, ignored: reason };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockUsageGuard`);
  }
  return value;
}
