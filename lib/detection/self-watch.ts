import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { PipelineHeartbeat } from './heartbeat';
import { PipelineHealth } from './pipeline-health';
import { DetectionTrailResources } from './trail-resources';
import { acknowledgeFinding } from '../access/acknowledge';

/** The parts of a `BedrockMisuseDetection` the self-watch needs. */
export interface DetectionParts {
  readonly scope: Construct;
  readonly alertTopic: sns.ITopic;
  readonly key: kms.IKey;
  readonly eventBusName: string;
  readonly alertFunction: lambda.Function;
  readonly containmentFunction?: lambda.IFunction;
  readonly containmentQueue?: sqs.IQueue;
  readonly containmentDeadLetterQueue?: sqs.IQueue;
  /** The construct that holds containment's rules. */
  readonly containmentScope?: IConstruct;
  readonly deadLetterQueue: sqs.IQueue;
  readonly stackSet?: cloudformation.CfnStackSet;
  readonly emails: string[];
}

/** The health of a detection: its alarms, its tamper rules, its heartbeat. */
export interface DetectionHealth {
  readonly health: PipelineHealth;
  readonly heartbeat: PipelineHeartbeat;
  readonly alertWindows: dynamodb.Table;
}

/**
 * Watches everything a detection deployed: each function's errors, each dead-letter queue's depth,
 * any change to its functions, queues, topic, key, bus, rules, trail and StackSet, and a heartbeat
 * through the trail, the default bus and the alert function.
 */
export function watchDetection(parts: DetectionParts): DetectionHealth {
  const health = new PipelineHealth(parts.scope, 'Health', { alertTopic: parts.alertTopic, emails: parts.emails });
  health.watchKey(parts.key);
  health.watchEventBus(parts.eventBusName);
  health.watchFunction('AlertFunction', parts.alertFunction, 'alert');
  health.watchQueue('DeadLetterQueue', parts.deadLetterQueue, 'alert');
  if (parts.containmentFunction) {
    health.watchFunction('ContainFunction', parts.containmentFunction, 'containment');
  }
  if (parts.containmentQueue) {
    health.watchQueue('ContainmentQueue', parts.containmentQueue);
  }
  if (parts.containmentDeadLetterQueue) {
    health.watchQueue('ContainmentDeadLetterQueue', parts.containmentDeadLetterQueue, 'containment');
  }
  watchRulesOf(health, parts.scope);
  if (parts.containmentScope) {
    watchRulesOf(health, parts.containmentScope);
  }
  const trail = parts.scope.node.tryFindChild('Trail');
  health.watchTrail(trail instanceof DetectionTrailResources ? trail.trail : undefined);
  if (parts.stackSet?.stackSetName) {
    health.watchStackSet(parts.stackSet.stackSetName);
  }
  const role = parts.alertFunction.role!;
  const heartbeat = new PipelineHeartbeat(parts.scope, 'Heartbeat', {
    alertFunction: parts.alertFunction,
    alertRole: role,
    deadLetterQueue: parts.deadLetterQueue,
    topic: health.topic,
    pipelineId: health.pipelineId(),
  });
  health.addAlarm(heartbeat.alarm);
  health.watchRule(heartbeat.scheduleRule, false);
  health.watchRule(heartbeat.beatRule, false);
  parts.alertFunction.addEnvironment('HEARTBEAT_ROLE_ARN', role.roleArn);
  parts.alertFunction.addEnvironment('HEARTBEAT_PIPELINE', health.pipelineId());
  const alertWindows = alertWindowsTable(parts.scope, parts.key);
  parts.alertFunction.addEnvironment('ALERT_TABLE_NAME', alertWindows.tableName);
  onlyWriter(alertWindows, role, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query'], 'AlertFunction');
  health.watchTable(alertWindows);
  return { health, heartbeat, alertWindows };
}

/**
 * The alert function's windows: one item per CloudTrail event id (to know a second delivery) and one
 * per identity, cause and hour (the count). On demand, so an idle pipeline costs nothing.
 */
function alertWindowsTable(scope: Construct, key: kms.IKey): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'AlertWindows', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: 'expiresAt',
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // Windows last two days; nothing in them outlives the stack.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  for (const rule of ['NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan', 'PCI.DSS.321-DynamoDBInBackupPlan']) {
    acknowledgeFinding(table, rule, 'the table holds alert counts that expire within two days; CloudTrail keeps the events themselves, and point-in-time recovery covers a deletion');
  }
  return table;
}

/** The parts of a `BedrockUsageGuard` the self-watch needs. */
export interface UsageGuardParts {
  readonly scope: Construct;
  readonly function: lambda.IFunction;
  readonly table: dynamodb.Table;
}

/**
 * Watches a usage guard: changes to its function, table and rules alert; item writes to its table by
 * anyone but the guard are refused. The guard's own failure alarm stays where it is.
 */
export function watchUsageGuard(health: PipelineHealth, parts: UsageGuardParts): void {
  health.watchFunctionChanges(parts.function);
  health.watchTable(parts.table);
  watchRulesOf(health, parts.scope);
  onlyWriter(parts.table, parts.function.role!, ['dynamodb:UpdateItem', 'dynamodb:Query'], 'UsageGuard');
}

/** A drift rule: its Config rule and its evaluation function. */
export function watchConfigRule(health: PipelineHealth, configRuleName: string, fn: lambda.IFunction): void {
  health.watchConfigRule(configRuleName);
  health.watchFunction(`DriftFunction${health.inventory.configRuleNames.length}`, fn, 'drift evaluation');
}

/**
 * Only `writer` may write items, and the table's own policy grants it `allowed` (the grant lives here,
 * not in the writer's policy, which would make the table and the role depend on each other). An explicit deny in the table's own policy binds every principal of
 * the account, the root user included, whatever their IAM policies allow. Table management (update,
 * delete, the policy itself) stays open, so CloudFormation and administrators are never locked out,
 * and the tamper rules alert on each such change. Transactions are authorized as the single-item
 * actions (DynamoDB Developer Guide, "Using IAM policies with DynamoDB transactions"); PartiQL has its own.
 */
export function onlyWriter(table: dynamodb.Table, writer: iam.IRole, allowed: string[], sid: string): void {
  // The table's own policy cannot name its ARN without a circular reference; there `*` is the table.
  table.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${sid}Uses`,
    principals: [new iam.ArnPrincipal(writer.roleArn)],
    actions: allowed,
    resources: ['*'],
  }));
  table.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Only${sid}Writes`,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: [
      'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem',
      'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete',
    ],
    resources: ['*'],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': writer.roleArn } },
  }));
}

/** The rules directly under a construct, with the bus each is on. */
function watchRulesOf(health: PipelineHealth, scope: IConstruct): void {
  for (const child of scope.node.children) {
    if (child instanceof events.Rule) {
      health.watchRule(child, (child.node.defaultChild as events.CfnRule).eventBusName !== undefined);
    }
  }
}
