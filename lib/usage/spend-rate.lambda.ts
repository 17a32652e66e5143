// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { heaviestCallers } from './heaviest-callers';
import { AlarmStateChangeEvent, HEAVIEST_CALLERS_ASKED, readAlarmEvent, SpendRateConfig, spendRateAlert, stopRequests } from './spend-rate-stop';
import { requestContainment } from '../containment/request-containment';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from '../detection/alert-message';

const sns = new SNSClient({});
const events = new EventBridgeClient({});

export interface SpendRateResult {
  readonly ignored?: string;
  readonly level?: string;
  /** How many containment requests went on the queue. */
  readonly requested?: number;
}

/**
 * Woken by the cap's alarms going into ALARM, here and (forwarded) in every other account and Region:
 * an alert alarm tells people; a stop alarm asks containment to stop whom the window's spend points at.
 * Anything else (another alarm, OK, INSUFFICIENT_DATA, a replay, a stale or inconsistent event) does nothing.
 */
export async function handler(event: AlarmStateChangeEvent): Promise<SpendRateResult> {
  const config = JSON.parse(requireEnv('SPEND_RATE_CONFIG')) as SpendRateConfig;
  const now = Date.now();
  const alarm = readAlarmEvent(event, config, now);
  if ('ignored' in alarm) {
    console.log(JSON.stringify({ ignored: alarm.ignored, eventId: event.id }));
    return { ignored: alarm.ignored };
  }
  const queueUrl = process.env.CONTAINMENT_QUEUE_URL;
  const table = process.env.USAGE_TABLE_NAME;
  let requests = [] as ReturnType<typeof stopRequests>;
  if (alarm.level === 'stop' && queueUrl) {
    const at = Date.parse(alarm.at);
    const callers = table ? await heaviestCallers(table, at - config.windowMinutes * 60 * 1000, at, HEAVIEST_CALLERS_ASKED) : undefined;
    requests = stopRequests(alarm, callers, config);
    // Queued before anything is told, so a failed publish never leaves the spend running; a retry is de-duplicated.
    for (const request of requests) {
      await requestContainment(queueUrl, request);
    }
  }
  const alert = spendRateAlert(alarm, config, requests);
  await sns.send(new PublishCommand({ TopicArn: requireEnv('TOPIC_ARN'), Subject: alert.subject, Message: alert.message }));
  if (requests.length > 0) {
    // The alert event wakes the contain function at once (it also runs every minute).
    const put = await events.send(new PutEventsCommand({
      Entries: [{ EventBusName: requireEnv('EVENT_BUS_NAME'), Source: ALERT_SOURCE, DetailType: ALERT_DETAIL_TYPE, Detail: JSON.stringify({ spendRate: alarm, containment: 'spend-rate-stop' }) }],
    }));
    if ((put.FailedEntryCount ?? 0) > 0) {
      throw new Error(`the alert event was not accepted: ${JSON.stringify(put.Entries)}`);
    }
  }
  return { level: alarm.level, requested: requests.length };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockSpendRateCap`);
  }
  return value;
}
