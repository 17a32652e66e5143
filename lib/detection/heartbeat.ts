import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { API_CALL_DETAIL_TYPE } from './cloudtrail-event-types';
import { HEARTBEAT_DIMENSION, HEARTBEAT_METRIC, HEARTBEAT_NAMESPACE } from './heartbeat-metric';
import { managementEventsRule } from './management-events-rule';

/** How often the alert function makes its recognisable call. */
export const HEARTBEAT_RATE = Duration.minutes(5);
/** The alarm's period; it fires after two periods without a beat, half an hour at most. */
export const HEARTBEAT_PERIOD = Duration.minutes(15);

/** Properties of `PipelineHeartbeat`. */
export interface PipelineHeartbeatProps {
  readonly alertFunction: lambda.IFunction;
  /** The alert function's role: its own calls are the heartbeat. */
  readonly alertRole: iam.IRole;
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the alarm goes. */
  readonly topic: sns.ITopic;
  /** The metric dimension that tells this pipeline's beats from another's. */
  readonly pipelineId: string;
}

/**
 * Proves the path end to end: every five minutes a schedule wakes the alert function, which calls
 * sts:GetCallerIdentity (no permission needed, logged by CloudTrail as a read-only management
 * event); the trail logs it, EventBridge delivers the record through a rule on the default bus to the
 * same function, which writes one heartbeat. A stopped trail, a disabled rule, a function held at zero
 * concurrency, a key its logs can no longer use: each stops the beats, and the alarm treats the
 * silence as failure.
 */
export class PipelineHeartbeat extends Construct {
  /** The alarm that fires when no heartbeat arrived for two periods. */
  public readonly alarm: cloudwatch.Alarm;
  /** The schedule that wakes the alert function. */
  public readonly scheduleRule: events.Rule;
  /** The rule that brings the heartbeat's CloudTrail record back to the alert function. */
  public readonly beatRule: events.Rule;

  constructor(scope: Construct, id: string, props: PipelineHeartbeatProps) {
    super(scope, id);
    const target = () => new targets.LambdaFunction(props.alertFunction, {
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.minutes(15),
    });
    this.scheduleRule = new events.Rule(this, 'Schedule', {
      description: 'Wakes the Bedrock misuse alert function to make its heartbeat call',
      schedule: events.Schedule.rate(HEARTBEAT_RATE),
      targets: [target()],
    });
    this.beatRule = managementEventsRule(this, 'Beat', {
      description: 'Brings the alert function\'s own heartbeat call back to it through CloudTrail',
      targets: [target()],
    }, heartbeatPattern(props.alertRole.roleArn));

    const beats = new cloudwatch.Metric({
      namespace: HEARTBEAT_NAMESPACE,
      metricName: HEARTBEAT_METRIC,
      dimensionsMap: { [HEARTBEAT_DIMENSION]: props.pipelineId },
      statistic: 'Sum',
      period: HEARTBEAT_PERIOD,
    });
    this.alarm = new cloudwatch.Alarm(this, 'Stopped', {
      alarmDescription: 'No heartbeat crossed the Bedrock misuse pipeline for 30 minutes: the trail, a rule, the alert function or its key is broken or switched off, and misuse would go unseen. Check the trail is logging, the rules are enabled, the function runs',
      // A period with no beat has no datapoint at all: FILL makes it a zero, and missing data breaches besides.
      metric: new cloudwatch.MathExpression({ expression: 'FILL(beats, 0)', usingMetrics: { beats }, period: HEARTBEAT_PERIOD, label: 'Heartbeats' }),
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}

/** The heartbeat's CloudTrail record: GetCallerIdentity by a session of the alert function's role. */
export function heartbeatPattern(alertRoleArn: string): Record<string, unknown> {
  return {
    'source': ['aws.sts'],
    'detail-type': [API_CALL_DETAIL_TYPE],
    'detail': {
      eventSource: ['sts.amazonaws.com'],
      eventName: ['GetCallerIdentity'],
      userIdentity: { sessionContext: { sessionIssuer: { arn: [alertRoleArn] } } },
    },
  };
}
