/**
 * The heartbeat as plain data, shared by the construct and the alert function (which must not load
 * aws-cdk-lib): the metric the function writes in CloudWatch's embedded metric format each time the
 * heartbeat's own CloudTrail record reaches it.
 */
export const HEARTBEAT_NAMESPACE = 'CdkBedrockLeastPrivilege';
export const HEARTBEAT_METRIC = 'PipelineHeartbeat';
export const HEARTBEAT_DIMENSION = 'Pipeline';

/** The log line CloudWatch turns into one heartbeat (CloudWatch User Guide, "Embedded metric format specification"). */
export function heartbeatRecord(pipeline: string, now: number): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: HEARTBEAT_NAMESPACE, Dimensions: [[HEARTBEAT_DIMENSION]], Metrics: [{ Name: HEARTBEAT_METRIC, Unit: 'Count' }] }],
    },
    [HEARTBEAT_DIMENSION]: pipeline,
    [HEARTBEAT_METRIC]: 1,
  };
}

/** True for a scheduled tick of EventBridge: only EventBridge may put the `aws.events` source. */
export function isScheduledTick(event: { readonly 'source'?: string; readonly 'detail-type'?: string }): boolean {
  return event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event';
}
