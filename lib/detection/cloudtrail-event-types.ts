/**
 * What CloudTrail events look like on EventBridge, as plain data: the alert handler reads this module,
 * so it must not load aws-cdk-lib.
 */

/** CloudTrail's detail-type for API calls. */
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
/**
 * Console sign-ins (ConsoleLogin) by a watched role. The EventBridge User Guide spells it "Signin";
 * delivered events and AWS's own samples say "Sign In": both are matched.
 */
export const SIGN_IN_DETAIL_TYPES = ['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail'];
/** The detail-types of the CloudTrail events detection matches, and so the only ones the central bus admits. */
export const CLOUDTRAIL_DETAIL_TYPES = [API_CALL_DETAIL_TYPE, ...SIGN_IN_DETAIL_TYPES];

/** Where Bedrock's runtime and control-plane calls are logged (bedrock-runtime too); Mantle logs as bedrock-mantle. */
export const BEDROCK_EVENT_SOURCE = 'bedrock.amazonaws.com';
/**
 * The CloudTrail event names of every Bedrock action a watched identity may be allowed: the runtime
 * calls Claude Code makes (Converse and ConverseStream are authorized as InvokeModel and
 * InvokeModelWithResponseStream, but logged under their own names), the profile reads, and the
 * guardrail check. CloudTrail names a Bedrock event after its API operation (Amazon Bedrock User
 * Guide, "Log Amazon Bedrock API calls using AWS CloudTrail"). `CallWithBearerToken` authorizes an
 * API key and is logged as the call it authorizes. Any other Bedrock call alerts, denied or not:
 * GetModelInvocationLoggingConfiguration is what credential-abuse tooling checks first.
 */
export const ALLOWED_BEDROCK_EVENT_NAMES = [
  'InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream', 'CountTokens',
  'GetInferenceProfile', 'ListInferenceProfiles', 'ApplyGuardrail',
];
/**
 * The runtime calls that cost money, as CloudTrail names them. Bedrock logs all four as management
 * events (Bedrock User Guide, "Monitor Amazon Bedrock API calls using CloudTrail"); CountTokens is free.
 */
export const BILLED_BEDROCK_EVENT_NAMES = ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'];
/** Bedrock subscribes to a model in AWS Marketplace on the caller's behalf, the one other service the identity may reach. */
export const MARKETPLACE_EVENT_SOURCE = 'aws-marketplace.amazonaws.com';
export const ALLOWED_MARKETPLACE_EVENT_NAMES = ['Subscribe', 'ViewSubscriptions'];
/**
 * Every event AWS services emit has a source starting `aws.`, and PutEvents refuses that prefix to
 * anyone else (PutEventsRequestEntry, Source: "The aws. value prefix is service-reserved").
 */
export const AWS_SOURCE_PREFIX = 'aws.';

/** True for an event only AWS can have put on a bus: an `aws.` source and a CloudTrail detail-type. */
export function isCloudTrailDelivered(event: { readonly 'source'?: string; readonly 'detail-type'?: string }): boolean {
  return typeof event.source === 'string' && event.source.startsWith(AWS_SOURCE_PREFIX)
    && CLOUDTRAIL_DETAIL_TYPES.includes(event['detail-type'] ?? '');
}
