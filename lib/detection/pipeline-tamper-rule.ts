import { Aws, Fn, Lazy, Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { API_CALL_DETAIL_TYPE } from './cloudtrail-event-types';

/** A rule of the pipeline and the bus it is on: its name is read from its ARN, whose shape depends on the bus. */
export interface WatchedRule {
  readonly rule: events.IRule;
  readonly onCustomBus: boolean;
  /** The rule's physical name, when the construct chose it. */
  readonly name?: string;
}

/** The resources one set of tamper rules watches, by the identifiers CloudTrail records. Filled as constructs join. */
export class PipelineInventory {
  public readonly functions: Array<{ readonly name: string; readonly arn: string }> = [];
  /** Queue names (the URL in a request may have any host, the path is always /account/name). */
  public readonly queueNames: string[] = [];
  public readonly topicArns: string[] = [];
  public readonly keyArns: string[] = [];
  public readonly tables: Array<{ readonly name: string; readonly arn: string }> = [];
  public readonly rules: WatchedRule[] = [];
  public readonly eventBusNames: string[] = [];
  /** Trails by name and ARN; `anyTrail` watches every trail of the account instead, for a trail we did not create. */
  public readonly trails: Array<{ readonly name: string; readonly arn: string }> = [];
  public anyTrail = false;
  public readonly configRuleNames: string[] = [];
  public readonly stackSetNames: string[] = [];
}

/**
 * Every call CloudTrail logs under these names for these resources changes what the pipeline does.
 * Lambda logs most operations with an API version suffix (AWS Lambda Developer Guide, "Logging AWS
 * Lambda API calls using AWS CloudTrail": UpdateFunctionConfiguration20150331v2,
 * PutFunctionConcurrency20171031, DeleteEventSourceMapping20150331), so Lambda names match by prefix.
 */
export const LAMBDA_FUNCTION_CHANGES = [
  'UpdateFunctionCode', 'UpdateFunctionConfiguration', 'PutFunctionConcurrency', 'DeleteFunctionConcurrency',
  'AddPermission', 'RemovePermission', 'DeleteFunction', 'PutFunctionEventInvokeConfig', 'UpdateFunctionEventInvokeConfig',
  'CreateEventSourceMapping', 'CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig', 'PutFunctionRecursionConfig',
];
/** These name only the mapping's UUID in the request; the response carries the function's ARN. */
export const LAMBDA_MAPPING_CHANGES = ['UpdateEventSourceMapping', 'DeleteEventSourceMapping'];
export const SQS_CHANGES = ['SetQueueAttributes', 'PurgeQueue', 'DeleteQueue', 'AddPermission', 'RemovePermission'];
export const SNS_TOPIC_CHANGES = ['SetTopicAttributes', 'Subscribe', 'DeleteTopic', 'AddPermission', 'RemovePermission'];
export const SNS_SUBSCRIPTION_CHANGES = ['Unsubscribe', 'SetSubscriptionAttributes'];
/** KMS records the key's ARN in `resources` whatever the caller passed (AWS KMS Developer Guide, "DisableKey" CloudTrail example). */
export const KMS_CHANGES = [
  'DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'CreateGrant', 'DisableKeyRotation', 'DeleteImportedKeyMaterial',
  'UpdatePrimaryRegion', 'ReplicateKey',
];
export const DYNAMODB_TABLE_CHANGES = ['UpdateTable', 'DeleteTable', 'UpdateTimeToLive', 'UpdateContinuousBackups'];
export const DYNAMODB_POLICY_CHANGES = ['PutResourcePolicy', 'DeleteResourcePolicy'];
export const EVENTS_RULE_CHANGES = ['DisableRule', 'DeleteRule', 'PutRule'];
export const EVENTS_TARGET_CHANGES = ['PutTargets', 'RemoveTargets'];
export const EVENTS_BUS_CHANGES = ['PutPermission', 'RemovePermission', 'UpdateEventBus'];
export const CLOUDTRAIL_CHANGES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'];
/** An account has one customer-managed recorder per Region, so any change to it matters. */
export const CONFIG_RECORDER_CHANGES = [
  'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'PutConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel',
];
export const CONFIG_RULE_CHANGES = ['DeleteConfigRule', 'DeleteEvaluationResults'];
export const STACK_SET_CHANGES = ['UpdateStackSet', 'DeleteStackSet', 'DeleteStackInstances', 'UpdateStackInstances', 'StopStackSetOperation'];

/** The services whose resources the pipeline is made of, each with a tamper rule of its own. */
export type TamperService = 'Lambda' | 'Sqs' | 'Sns' | 'Kms' | 'DynamoDb' | 'Events' | 'CloudTrail' | 'Config' | 'StackSets';

const SERVICES: Record<TamperService, [string, (inv: PipelineInventory) => Record<string, unknown> | undefined]> = {
  Lambda: ['aws.lambda', lambdaDetail],
  Sqs: ['aws.sqs', sqsDetail],
  Sns: ['aws.sns', snsDetail],
  Kms: ['aws.kms', kmsDetail],
  DynamoDb: ['aws.dynamodb', dynamoDetail],
  Events: ['aws.events', eventsDetail],
  CloudTrail: ['aws.cloudtrail', cloudTrailDetail],
  Config: ['aws.config', configDetail],
  StackSets: ['aws.cloudformation', stackSetDetail],
};

/** Properties of `PipelineTamperRules`. */
export interface PipelineTamperRulesProps {
  /** What to watch; read at synthesis, so resources added later are watched too. */
  readonly inventory: PipelineInventory;
  /** Where the alert goes: a topic that does not depend on what is watched. */
  readonly topic: sns.ITopic;
  /** Told of each rule this set creates, for another set to watch it. */
  readonly onRule?: (rule: WatchedRule) => void;
}

/**
 * One rule per service on the default bus, created when the first resource of that service joins,
 * matching CloudTrail's record of any change to the pipeline's own resources, by anyone,
 * CloudFormation included: CloudTrail does not say which stack a CloudFormation call serves, so a
 * deployment of this app alerts too and the message says `invokedBy cloudformation.amazonaws.com`.
 * The alert goes straight from EventBridge to SNS, so it needs none of the functions it watches.
 */
export class PipelineTamperRules extends Construct {
  /** The rules, by service. */
  public readonly rules: Partial<Record<TamperService, events.Rule>> = {};
  private readonly props: PipelineTamperRulesProps;

  constructor(scope: Construct, id: string, props: PipelineTamperRulesProps) {
    super(scope, id);
    this.props = props;
  }

  /** Makes sure the service's rule exists. */
  public cover(service: TamperService): void {
    if (this.rules[service]) {
      return;
    }
    const [source, detail] = SERVICES[service];
    const inv = this.props.inventory;
    // Named, so two sets of tamper rules can watch each other without a reference cycle.
    const physicalName = Names.uniqueResourceName(new Construct(this, `${service}Name`), { maxLength: 64 });
    const rule = new events.Rule(this, service, {
      ruleName: physicalName,
      description: `Any change to the Bedrock misuse pipeline's own ${service} resources, by anyone`,
      eventPattern: { source: [source] },
      targets: [new targets.SnsTopic(this.props.topic, { message: tamperMessage() })],
    });
    (rule.node.defaultChild as events.CfnRule).eventPattern = Lazy.any({
      produce: () => ({ 'source': [source], 'detail-type': [API_CALL_DETAIL_TYPE], 'detail': detail(inv) }),
    });
    this.rules[service] = rule;
    this.props.onRule?.({ rule, onCustomBus: false, name: physicalName });
  }
}

function oneOf(...branches: Array<Record<string, unknown> | undefined>): Record<string, unknown> | undefined {
  const present = branches.filter((b): b is Record<string, unknown> => b !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : { $or: present };
}

const prefixes = (names: string[]) => names.map((n) => ({ prefix: n }));

function lambdaDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.functions.length === 0) return undefined;
  // A function is named by name, by ARN, by partial ARN (account:function:name), or with a qualifier.
  const names = inv.functions.flatMap((f) => [
    f.name,
    { suffix: `:function:${f.name}` },
    { prefix: `${f.name}:` },
    { wildcard: `*:function:${f.name}:*` },
  ]);
  return {
    eventSource: ['lambda.amazonaws.com'],
    ...oneOf(
      { eventName: prefixes(LAMBDA_FUNCTION_CHANGES), requestParameters: { functionName: names } },
      { eventName: prefixes(LAMBDA_MAPPING_CHANGES), responseElements: { functionArn: inv.functions.map((f) => f.arn) } },
    ),
  };
}

function sqsDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.queueNames.length === 0) return undefined;
  // CloudTrail records the URL as the caller sent it, whatever the host (SQS Developer Guide, CloudTrail examples).
  return {
    eventSource: ['sqs.amazonaws.com'],
    eventName: SQS_CHANGES,
    requestParameters: { queueUrl: inv.queueNames.map((n) => ({ suffix: `/${Aws.ACCOUNT_ID}/${n}` })) },
  };
}

function snsDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.topicArns.length === 0) return undefined;
  return {
    eventSource: ['sns.amazonaws.com'],
    ...oneOf(
      { eventName: SNS_TOPIC_CHANGES, requestParameters: { topicArn: inv.topicArns } },
      // A subscription's ARN is the topic's ARN, a colon and an id.
      { eventName: SNS_SUBSCRIPTION_CHANGES, requestParameters: { subscriptionArn: inv.topicArns.map((a) => ({ prefix: `${a}:` })) } },
    ),
  };
}

function kmsDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.keyArns.length === 0) return undefined;
  return { eventSource: ['kms.amazonaws.com'], eventName: KMS_CHANGES, resources: { ARN: inv.keyArns } };
}

function dynamoDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.tables.length === 0) return undefined;
  return {
    eventSource: ['dynamodb.amazonaws.com'],
    ...oneOf(
      // TableName accepts the name or the ARN.
      { eventName: DYNAMODB_TABLE_CHANGES, requestParameters: { tableName: inv.tables.flatMap((t) => [t.name, t.arn]) } },
      { eventName: DYNAMODB_POLICY_CHANGES, requestParameters: { resourceArn: inv.tables.flatMap((t) => [t.arn, { prefix: `${t.arn}/` }]) } },
    ),
  };
}

function ruleName(r: WatchedRule): string {
  if (r.name) {
    return r.name;
  }
  // arn:...:rule/name on the default bus, arn:...:rule/bus/name on a custom one.
  return Fn.select(r.onCustomBus ? 2 : 1, Fn.split('/', r.rule.ruleArn));
}

function eventsDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.rules.length === 0 && inv.eventBusNames.length === 0) return undefined;
  const names = inv.rules.map(ruleName);
  const buses = inv.eventBusNames.flatMap((b) => [b, { suffix: `:event-bus/${b}` }]);
  return {
    eventSource: ['events.amazonaws.com'],
    ...oneOf(
      names.length > 0 ? { eventName: EVENTS_RULE_CHANGES, requestParameters: { name: names } } : undefined,
      names.length > 0 ? { eventName: EVENTS_TARGET_CHANGES, requestParameters: { rule: names } } : undefined,
      buses.length > 0 ? { eventName: EVENTS_BUS_CHANGES, requestParameters: { eventBusName: buses } } : undefined,
      buses.length > 0 ? { eventName: ['DeleteEventBus'], requestParameters: { name: inv.eventBusNames } } : undefined,
    ),
  };
}

function cloudTrailDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.anyTrail) {
    return { eventSource: ['cloudtrail.amazonaws.com'], eventName: CLOUDTRAIL_CHANGES };
  }
  if (inv.trails.length === 0) return undefined;
  // `name` holds the trail's name or its ARN, as the caller gave it.
  return {
    eventSource: ['cloudtrail.amazonaws.com'],
    eventName: CLOUDTRAIL_CHANGES,
    requestParameters: { name: inv.trails.flatMap((t) => [t.name, t.arn]) },
  };
}

function configDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.configRuleNames.length === 0) return undefined;
  return {
    eventSource: ['config.amazonaws.com'],
    $or: [
      { eventName: CONFIG_RECORDER_CHANGES },
      { eventName: CONFIG_RULE_CHANGES, requestParameters: { configRuleName: inv.configRuleNames } },
      { eventName: ['PutConfigRule'], requestParameters: { configRule: { configRuleName: inv.configRuleNames } } },
    ],
  };
}

function stackSetDetail(inv: PipelineInventory): Record<string, unknown> | undefined {
  if (inv.stackSetNames.length === 0) return undefined;
  // StackSetName accepts the name or its id, `name:uuid`.
  return {
    eventSource: ['cloudformation.amazonaws.com'],
    eventName: STACK_SET_CHANGES,
    requestParameters: { stackSetName: inv.stackSetNames.flatMap((n) => [n, { prefix: `${n}:` }]) },
  };
}

/**
 * A message of fields AWS writes itself or constrains (STS allows only [\w+=,.@-] in a session
 * name): nothing a caller can type free-form, such as the user agent, goes into the e-mail.
 */
function tamperMessage(): events.RuleTargetInput {
  const f = (path: string) => events.EventField.fromPath(path);
  return events.RuleTargetInput.fromText([
    `The Bedrock misuse pipeline was changed: ${f('$.detail.eventSource')} ${f('$.detail.eventName')} (error: ${f('$.detail.errorCode')})`,
    `by ${f('$.detail.userIdentity.arn')} (invoked by: ${f('$.detail.userIdentity.invokedBy')}) from ${f('$.detail.sourceIPAddress')}`,
    `account ${f('$.account')}, region ${f('$.region')}, at ${f('$.detail.eventTime')}, CloudTrail event ${f('$.detail.eventID')}`,
    'A deployment of this app makes such calls through CloudFormation (invoked by cloudformation.amazonaws.com); anything else may be someone switching the alerts off.',
    'Next step: if no deployment ran at that time, find out who holds those credentials, then redeploy the stack to restore the pipeline.',
  ].join('\n'));
}
