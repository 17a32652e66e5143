import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolveUsageLimits } from './resolve-usage-limits';
import type { UsageConfig, UsageGrant } from './usage-assessment';
import { modelIdOf } from './usage-assessment';
import { UsageFunction } from './usage-function';
import { UsageLimits } from './usage-limits';
import { acknowledgeFinding } from '../access/acknowledge';
import { BedrockMisuseDetection } from '../detection/bedrock-misuse-detection';
import { billedCallPattern, identityMatchers } from '../detection/event-pattern';
import { handlerFunction, handlerFunctionProps } from '../detection/handler-options';
import { managementEventsRule } from '../detection/management-events-rule';
import { watchUsageGuard } from '../detection/self-watch';
import { sourceIdentityTrustByRole } from '../detection/source-identity-trust';
import { ModelReference } from '../models/model-reference';

/** A heavy Claude Code hour is under 600,000 output tokens: about 300 requests of 1,000 to 2,000 each. */
const DEFAULT_OUTPUT_TOKENS_PER_HOUR_ALARM = 1_000_000;

/** Properties of a `BedrockUsageGuard`. */
export interface BedrockUsageGuardProps extends UsageLimits {
  /** The detection whose identities the guard watches, whose bus brings it the calls, and whose topic and containment it uses. */
  readonly detection: BedrockMisuseDetection;

  /**
   * The CloudWatch Logs group Bedrock's model invocation logging writes to in this account and Region,
   * to alarm on output tokens per person too. Enable invocation logging yourself (CloudFormation has no
   * resource for it): `aws bedrock put-model-invocation-logging-configuration`, text delivery off.
   *
   * @default - calls are counted, tokens are not
   */
  readonly invocationLogGroup?: logs.ILogGroup;

  /**
   * With `invocationLogGroup`: alert when one person's output tokens in an hour pass this. A heavy
   * Claude Code hour is about 300 requests of 1,000 to 2,000 output tokens each (under 600,000).
   *
   * @default 1000000
   */
  readonly outputTokensPerHourAlarm?: number;
}

/**
 * Counts every billed model call of the identities a `BedrockMisuseDetection` watches, per person
 * (session ARN), clock hour and model, from the CloudTrail events Bedrock writes for InvokeModel,
 * Converse and their streaming forms, in every account and Region the detection's forwarders cover.
 * It alerts on the first call outside the grant in an hour (another model or Region, or one IAM
 * refused), on a rate above `callsPerHourAlarm`, and on a network the person has not used within
 * `newNetworkWindow`; above `callsPerHourLimit` it asks the detection's containment to revoke the
 * invoke role's sessions.
 *
 * CloudTrail is the source because it is the only one that carries the caller, the model, the Region
 * and the source address together, reaches the central bus from every account through the
 * forwarders, and cannot be written by anyone but AWS. Model invocation logs add token counts but no
 * address, can be written by anyone allowed logs:PutLogEvents, and have no CloudFormation resource;
 * Bedrock's CloudWatch metrics have no caller at all.
 */
export class BedrockUsageGuard extends Construct {
  /** The table of counters: one item per person and hour, per person and network, per person. */
  public readonly table: dynamodb.Table;
  /** The function that counts, alerts and asks for containment. */
  public readonly function: lambda.Function;
  /** The alarm that fires when the guard itself fails, so a broken guard is not a silent one. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The calls per person and hour above which the guard alerts. */
  public readonly callsPerHourAlarm: number;
  /** The calls per person and hour above which the guard contains. */
  public readonly callsPerHourLimit: number;
  /** How many days a network is remembered. */
  public readonly newNetworkWindowDays: number;

  /** The Contributor Insights rule on the invocation log group, when one is given. */
  public readonly tokenRule?: cloudwatch.CfnInsightRule;
  /** The alarm on the busiest person's output tokens per hour, when an invocation log group is given. */
  public readonly tokenAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: BedrockUsageGuardProps) {
    super(scope, id);
    const limits = resolveUsageLimits(props);
    const tokenAlarm = props.outputTokensPerHourAlarm ?? DEFAULT_OUTPUT_TOKENS_PER_HOUR_ALARM;
    if (props.outputTokensPerHourAlarm !== undefined && !props.invocationLogGroup) {
      throw new Error('outputTokensPerHourAlarm needs invocationLogGroup: tokens are read from Bedrock\'s model invocation logs, which CloudTrail does not carry');
    }
    if (!Number.isInteger(tokenAlarm) || tokenAlarm < 1) {
      throw new Error(`outputTokensPerHourAlarm is ${tokenAlarm}; give a whole number of output tokens per hour, 1 or more (the default is ${DEFAULT_OUTPUT_TOKENS_PER_HOUR_ALARM})`);
    }
    this.callsPerHourAlarm = limits.callsPerHourAlarm;
    this.callsPerHourLimit = limits.callsPerHourLimit;
    this.newNetworkWindowDays = limits.newNetworkWindowDays;
    const detection = props.detection;
    const watch = detection._watchScope();

    this.table = new dynamodb.Table(this, 'Counters', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: detection.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Counters rebuild themselves within the window; nothing in them outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const rule of ['NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan', 'PCI.DSS.321-DynamoDBInBackupPlan']) {
      acknowledgeFinding(this.table, rule, 'the table holds counters that expire within the new-network window and rebuild from new calls; point-in-time recovery covers an accidental deletion');
    }

    const containment = detection._containment();
    const fn = handlerFunction(new UsageFunction(this, 'Function', handlerFunctionProps(this, detection, 'Usage',
      'Counts the billed Bedrock calls of watched identities and alerts on unusual use', [
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [detection.alertTopic.topicArn] }),
        new iam.PolicyStatement({ sid: 'PutAlertEvents', actions: ['events:PutEvents'], resources: [detection.eventBus.eventBusArn] }),
        ...(containment ? [containment.requestStatement()] : []),
      ], 10)), detection);
    this.function = fn;
    containment?.admit(fn);
    const covered = containment?.scope();
    const config: UsageConfig = {
      matchers: identityMatchers(watch),
      // Containment says what it may act on; the guard asks for no more.
      containedRoles: covered?.roles ?? [],
      containedPermissionSets: covered?.permissionSets ?? [],
      homeAccount: covered?.homeAccount ?? Stack.of(detection).account,
      sourceIdentityTrust: sourceIdentityTrustByRole(Stack.of(this), detection.watchedRoles),
      roleGrants: Object.fromEntries(detection.watchedRoles.map((r) => [r.roleName, grantOf(r.models, r.sourceRegions)])),
      permissionSetGrants: Object.fromEntries(detection.watchedPermissionSets.map((p) => [p.permissionSetName, grantOf(p.models, p.sourceRegions)])),
      limits,
    };
    fn.addEnvironment('USAGE_CONFIG', Stack.of(this).toJsonString(config));
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    fn.addEnvironment('TOPIC_ARN', detection.alertTopic.topicArn);
    fn.addEnvironment('EVENT_BUS_NAME', detection.eventBus.eventBusName);

    const target = new targets.LambdaFunction(fn, { deadLetterQueue: detection.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(2) });
    const pattern = billedCallPattern(watch);
    managementEventsRule(this, 'LocalCallsRule', { description: 'Billed model calls of watched sessions in this account and Region', targets: [target] }, pattern);
    managementEventsRule(this, 'ForwardedCallsRule', {
      description: 'Billed model calls of watched sessions, forwarded from other Regions and accounts',
      eventBus: detection.eventBus,
      targets: [target],
    }, pattern);
    detection._forwardModelCalls();
    watchUsageGuard(detection._pipelineHealth(), { scope: this, function: fn, table: this.table });

    // CloudWatch publishes to the encrypted topic with the key (SNS developer guide, "Encryption at rest").
    detection.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.failureAlarm = new cloudwatch.Alarm(this, 'GuardFailing', {
      alarmDescription: 'The Bedrock usage guard failed to count calls: rates and new networks are not being watched',
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm.addAlarmAction(new actions.SnsAction(detection.alertTopic));
    const alarms = [this.failureAlarm];
    if (props.invocationLogGroup) {
      const tokens = this.tokenAlarmOn(props.invocationLogGroup, tokenAlarm, detection);
      this.tokenRule = tokens.rule;
      this.tokenAlarm = tokens.alarm;
      alarms.push(tokens.alarm);
    }
    // The topic has a policy of its own, so CloudWatch needs a statement in it (SNS allows no service by default then).
    detection.alertTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'UsageGuardAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [detection.alertTopic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account }, ArnEquals: { 'aws:SourceArn': alarms.map((a) => a.alarmArn) } },
    }));
  }

  /**
   * Output tokens per person from Bedrock's invocation log records (`identity.arn`,
   * `output.outputTokenCount`; Bedrock User Guide, "Monitor model invocation using CloudWatch Logs"),
   * summed by a Contributor Insights rule, with an alarm on its busiest contributor over an hour
   * (`INSIGHT_RULE_METRIC`, `MaxContributorValue`). An alarm only: anyone allowed logs:PutLogEvents on the
   * group can write a record, so nothing is contained on it.
   */
  private tokenAlarmOn(group: logs.ILogGroup, threshold: number, detection: BedrockMisuseDetection):
  { rule: cloudwatch.CfnInsightRule; alarm: cloudwatch.Alarm } {
    const rule = new cloudwatch.CfnInsightRule(this, 'OutputTokensRule', {
      ruleName: `${Names.uniqueResourceName(this, { maxLength: 100 })}-output-tokens`,
      ruleState: 'ENABLED',
      ruleBody: JSON.stringify(outputTokensRule(group.logGroupName)),
    });
    const alarm = new cloudwatch.Alarm(this, 'OutputTokensAlarm', {
      alarmDescription: `One person's Bedrock output tokens passed ${threshold} in an hour (Contributor Insights rule ${rule.ruleName} names who)`,
      metric: new cloudwatch.MathExpression({
        expression: `INSIGHT_RULE_METRIC("${rule.attrRuleName}", "MaxContributorValue")`,
        period: Duration.hours(1),
        label: 'Busiest person\'s output tokens per hour',
      }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(detection.alertTopic));
    return { rule, alarm };
  }
}

/** A Contributor Insights rule summing output tokens per caller over Bedrock's invocation log records. */
export function outputTokensRule(logGroupName: string): Record<string, unknown> {
  return {
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [logGroupName],
    LogFormat: 'JSON',
    Contribution: {
      Keys: ['$.identity.arn'],
      ValueOf: '$.output.outputTokenCount',
      Filters: [{ Match: '$.schemaType', In: ['ModelInvocationLog'] }],
    },
    AggregateOn: 'Sum',
  };
}

/** The ids a caller may name for the models (the profile or its ARN, the foundation model for CountTokens) and the source Regions. */
function grantOf(models: ModelReference[], regions: string[]): UsageGrant {
  return {
    modelIds: [...new Set(models.flatMap((m) => [modelIdOf(m.invocationId), m.modelId]))],
    regions: [...regions],
  };
}
