import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE, CloudTrailApiCallEvent, formatAlert, matchIdentity } from './alert-message';
import { IdentityMatchers } from './event-pattern';

/** What the construct passes in the environment. */
interface AlertConfig {
  readonly matchers: IdentityMatchers;
  readonly containedRoles: string[];
}

const sns = new SNSClient({});
const events = new EventBridgeClient({});

/** Turns a watched session's non-Bedrock CloudTrail call into a readable alert and an alert event. */
export async function handler(event: CloudTrailApiCallEvent): Promise<{ alerted: boolean }> {
  const config = JSON.parse(requireEnv('ALERT_CONFIG')) as AlertConfig;
  const identity = matchIdentity(event, config.matchers);
  if (!identity) {
    // The pattern matched a permission-set prefix that belongs to another set (Bedrock vs Bedrock_Admin).
    console.log(JSON.stringify({ ignored: event.detail?.userIdentity?.sessionContext?.sessionIssuer?.userName, eventId: event.id }));
    return { alerted: false };
  }
  const alert = formatAlert(event, identity, config.containedRoles);
  await sns.send(new PublishCommand({ TopicArn: requireEnv('TOPIC_ARN'), Subject: alert.subject, Message: alert.message }));
  const put = await events.send(new PutEventsCommand({
    Entries: [{ EventBusName: requireEnv('EVENT_BUS_NAME'), Source: ALERT_SOURCE, DetailType: ALERT_DETAIL_TYPE, Detail: JSON.stringify(alert.detail) }],
  }));
  if ((put.FailedEntryCount ?? 0) > 0) {
    // Failing the invocation sends the event to the dead-letter queue after retries, so nothing is lost.
    throw new Error(`the alert event was not accepted: ${JSON.stringify(put.Entries)}`);
  }
  return { alerted: true };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockMisuseDetection`);
  }
  return value;
}
