// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Alert, ALERT_DETAIL_TYPE, ALERT_SOURCE } from './alert-message';
import type { ContainmentRequest } from '../containment/containment-request';
import { requestContainment } from '../containment/request-containment';

const sns = new SNSClient({});
const events = new EventBridgeClient({});

/** Where an alert goes, from the function's environment. */
export interface AlertDestinations {
  readonly topicArn: string;
  readonly eventBusName: string;
  /** The containment queue, when containment is on. */
  readonly containmentQueueUrl?: string;
}

/**
 * Queues containment first, so a failed publish never leaves the offender free; then publishes the
 * alert for people (SNS) and puts the alert event, which also wakes the contain function. Returns
 * whether containment was asked. Any failure throws, so the invocation is retried; the request sent
 * again is dropped by the queue's de-duplication or found already done.
 */
export async function deliverAlert(alert: Alert, to: AlertDestinations, containment?: ContainmentRequest): Promise<boolean> {
  const contain = containment !== undefined && to.containmentQueueUrl !== undefined;
  if (contain) {
    await requestContainment(to.containmentQueueUrl!, containment);
  }
  await sns.send(new PublishCommand({ TopicArn: to.topicArn, Subject: alert.subject, Message: alert.message }));
  const put = await events.send(new PutEventsCommand({
    Entries: [{ EventBusName: to.eventBusName, Source: ALERT_SOURCE, DetailType: ALERT_DETAIL_TYPE, Detail: JSON.stringify(alert.detail) }],
  }));
  if ((put.FailedEntryCount ?? 0) > 0) {
    // Failing the invocation sends the event to the dead-letter queue after retries.
    throw new Error(`the alert event was not accepted: ${JSON.stringify(put.Entries)}`);
  }
  return contain;
}
