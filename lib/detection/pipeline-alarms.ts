import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An alarm when a handler of the pipeline fails even once in five minutes: a failed alert is an unheard one. */
export function functionErrorAlarm(scope: Construct, id: string, fn: lambda.IFunction, what: string, topic: sns.ITopic): cloudwatch.Alarm {
  // No invocation, no error: silence is the heartbeat's to judge.
  return alarmOnAny(scope, id, topic, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    `The ${what} function of the Bedrock misuse pipeline failed: look at its log group, then the dead-letter queue`);
}

/**
 * An alarm when a dead-letter queue holds a message. SQS publishes metrics of a queue that holds
 * messages (SQS Developer Guide, "Available CloudWatch metrics for Amazon SQS": a queue is active
 * while it contains messages), so missing data means an empty queue.
 */
export function deadLetterAlarm(scope: Construct, id: string, queue: sqs.IQueue, what: string, topic: sns.ITopic): cloudwatch.Alarm {
  return alarmOnAny(scope, id, topic, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    `The ${what} dead-letter queue of the Bedrock misuse pipeline holds messages: alerts or containments that were never delivered. Read them, act on them, then redrive or purge`);
}

/** An alarm when SNS fails to deliver an alert to a subscriber (an endpoint gone, a key it may not use). */
export function deliveryFailureAlarm(scope: Construct, id: string, watched: sns.ITopic, topic: sns.ITopic): cloudwatch.Alarm {
  return alarmOnAny(scope, id, topic, watched.metricNumberOfNotificationsFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
    'SNS failed to deliver Bedrock misuse alerts to a subscriber: check the subscriptions and the key policy');
}

/** An alarm on the first datapoint of one or more in five minutes, missing data as none, notifying `topic`. */
function alarmOnAny(scope: Construct, id: string, topic: sns.ITopic, metric: cloudwatch.IMetric, alarmDescription: string): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}
