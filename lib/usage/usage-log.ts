/**
 * The log line the usage function writes for every counted call, and the Contributor Insights rule
 * that ranks callers by it. The function's log format is JSON: Lambda's Node.js runtime writes
 * `{"timestamp","level","requestId","message": <the object logged>}`, so each field is under
 * `$.message` (AWS Lambda Developer Guide, "Log and monitor Node.js Lambda functions"; the runtime's
 * LogPatch.js puts a single logged object, not its string, in `message`).
 */
export const COUNTED_CALL_EVENT = 'bedrock-usage-call';

export interface CountedCallLog {
  readonly event: typeof COUNTED_CALL_EVENT;
  readonly principal: string;
  readonly principalKind: string;
  readonly identityKind: string;
  readonly identityName: string;
  readonly model: string;
  readonly account: string;
  readonly region: string;
  readonly weightUsd: number;
}

/** The JSON paths the rules read, as the log group stores them. */
export const LOG_PATHS = {
  event: '$.message.event',
  principal: '$.message.principal',
  identityKind: '$.message.identityKind',
  identityName: '$.message.identityName',
  model: '$.message.model',
  account: '$.message.account',
  region: '$.message.region',
  weightUsd: '$.message.weightUsd',
} as const;

/**
 * A rule summing `weightUsd` (or counting calls) per person over the usage function's log group:
 * Contributor Insights rule syntax (CloudWatch User Guide, "Contributor Insights rule syntax"), JSON
 * log format, filtered to counted calls so the function's other lines never count.
 */
export function topCallersRule(logGroupName: string, aggregateOn: 'Sum' | 'Count', keys: string[] = [LOG_PATHS.principal]): Record<string, unknown> {
  return {
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [logGroupName],
    LogFormat: 'JSON',
    Contribution: {
      Keys: keys,
      ...(aggregateOn === 'Sum' ? { ValueOf: LOG_PATHS.weightUsd } : {}),
      Filters: [{ Match: LOG_PATHS.event, In: [COUNTED_CALL_EVENT] }],
    },
    AggregateOn: aggregateOn,
  };
}
