// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Alert, ALERT_DETAIL_TYPE, ALERT_SOURCE } from './alert-message';
import { containmentGroup } from './containment-group';

const sns = new SNSClient({});
const events = new EventBridgeClient({});
const sqs = new SQSClient({});

/** Where an alert goes, from the function's environment. */
export interface AlertDestinations {
  readonly topicArn: string;
  readonly eventBusName: string;
  /** The containment queue, when containment is on. */
  readonly containmentQueueUrl?: string;
}

/**
 * Publishes an alert for people (SNS), hands it to containment when it asks for it (on the queue only
 * the library's functions may write to), and puts the alert event for any other target. Returns
 * whether containment was asked. Any failure throws, so the invocation is retried and nothing is lost.
 */
export async function deliverAlert(alert: Alert, to: AlertDestinations): Promise<boolean> {
  await sns.send(new PublishCommand({ TopicArn: to.topicArn, Subject: alert.subject, Message: alert.message }));
  const contain = to.containmentQueueUrl !== undefined
    && (alert.detail.containment === 'revoke-sessions' || alert.detail.containment === 'deny-identity-center-user');
  if (contain) {
    await sqs.send(new SendMessageCommand({
      QueueUrl: to.containmentQueueUrl,
      MessageBody: JSON.stringify(alert.detail),
      MessageGroupId: containmentGroup(alert.detail),
    }));
  }
  const put = await events.send(new PutEventsCommand({
    Entries: [{ EventBusName: to.eventBusName, Source: ALERT_SOURCE, DetailType: ALERT_DETAIL_TYPE, Detail: JSON.stringify(alert.detail) }],
  }));
  if ((put.FailedEntryCount ?? 0) > 0) {
    // Failing the invocation sends the event to the dead-letter queue after retries.
    throw new Error(`the alert event was not accepted: ${JSON.stringify(put.Entries)}`);
  }
  return contain;
}
