import { Annotations, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BedrockUsageDashboard } from './bedrock-usage-dashboard';
import { callCeilingUsd, CallWeights, FALLBACK_CALL_USD } from './call-weight';
import { resolveUsageLimits } from './resolve-usage-limits';
import type { UsageConfig, UsageGrant } from './usage-assessment';
import { modelIdOf } from './usage-assessment';
import { UsageFunction } from './usage-function';
import { UsageLimits } from './usage-limits';
import { topCallersRule } from './usage-log';
import { acknowledgeFinding } from '../access/acknowledge';
import { BedrockMisuseDetection } from '../detection/bedrock-misuse-detection';
import { billedCallPattern, identityMatchers } from '../detection/event-pattern';
import { handlerFunction, handlerFunctionProps } from '../detection/handler-options';
import { managementEventsRule } from '../detection/management-events-rule';
import { watchUsageGuard } from '../detection/self-watch';
import { sourceIdentityTrustByRole } from '../detection/source-identity-trust';
import { attributeTo, validationError } from '../errors/validation-error';
import { ModelReference } from '../models/model-reference';
import { priceOf } from '../models/prices';

/** The props `resolveUsageLimits` checks, for the validation error's prop. */
const USAGE_LIMIT_PROPS = ['callsPerHourAlarm', 'callsPerHourLimit', 'usdPerHourAlarm', 'usdPerHourLimit', 'roleCallsPerHourLimit', 'roleUsdPerHourLimit', 'newNetworkWindow'] as const;

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
 * and over any 60 minutes (a sliding window of 5-minute buckets, so no clock or bucket boundary lets
 * twice a limit through), from the CloudTrail events Bedrock writes for InvokeModel, Converse and their
 * streaming forms, in every account and Region the detection's forwarders cover. A person is an
 * Identity Center user in every account and permission set, or a role's source identity, else its
 * session; the sessions of a role whose names are self-declared are counted together too. Each call
 * weighs what it can cost at most (CloudTrail records no tokens), so the hard limit bounds dollars as
 * well as calls. It alerts on the first call outside the grant (another model or Region, or one IAM
 * refused), on a rate above the alarms, and on a network the person has not used within
 * `newNetworkWindow`; above a hard limit it asks the detection's containment to revoke the person's
 * sessions. A dashboard (`dashboard`) shows the top callers, alerts and containments.
 *
 * CloudTrail is the source because it is the only one that carries the caller, the model, the Region
 * and the source address together, reaches the central bus from every account through the
 * forwarders, and cannot be written by anyone but AWS. Model invocation logs add token counts but no
 * address, can be written by anyone allowed logs:PutLogEvents, and have no CloudFormation resource;
 * Bedrock's CloudWatch metrics have no caller at all.
 */
export class BedrockUsageGuard extends Construct {
  /**
   * The table of counters (partition key `pk`, sort key `sk`): 5-minute buckets per person and per role,
   * a callers index per bucket (`heaviestCallers` reads it), and one item per person and network.
   */
  public readonly table: dynamodb.Table;
  /** The function that counts, alerts and asks for containment. */
  public readonly function: lambda.Function;
  /** The alarm that fires when the guard itself fails, so a broken guard is not a silent one. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The calls per person within 60 minutes above which the guard alerts. */
  public readonly callsPerHourAlarm: number;
  /** The calls per person within 60 minutes above which the guard contains. */
  public readonly callsPerHourLimit: number;
  /** What a person's calls within 60 minutes may cost at most, in US dollars, before the guard alerts. */
  public readonly usdPerHourAlarm: number;
  /** What a person's calls within 60 minutes may cost at most, in US dollars, before the guard contains. */
  public readonly usdPerHourLimit: number;
  /** The calls of all sessions of a role within 60 minutes above which the guard contains each further session. */
  public readonly roleCallsPerHourLimit: number;
  /** What all sessions of a role may cost within 60 minutes, in US dollars, before the guard contains each further session. */
  public readonly roleUsdPerHourLimit: number;
  /** The Contributor Insights rule ranking people by what their calls could cost, over the function's log. */
  public readonly topCallersRule: cloudwatch.CfnInsightRule;
  /** The Contributor Insights rule ranking people by calls. */
  public readonly topCallersByCallsRule: cloudwatch.CfnInsightRule;
  /** The dashboard: top callers, alerts, containments (and the spend rate, when the cap adds it). */
  public readonly dashboard: BedrockUsageDashboard;
  /** How many days a network is remembered. */
  public readonly newNetworkWindowDays: number;

  /** The Contributor Insights rule on the invocation log group, when one is given. */
  public readonly tokenRule?: cloudwatch.CfnInsightRule;
  /** The alarm on the busiest person's output tokens per hour, when an invocation log group is given. */
  public readonly tokenAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: BedrockUsageGuardProps) {
    super(scope, id);
    const limits = attributeTo(this, USAGE_LIMIT_PROPS, () => resolveUsageLimits(props),
      { propFor: (m) => USAGE_LIMIT_PROPS.find((p) => m.includes(p)) });
    const tokenAlarm = props.outputTokensPerHourAlarm ?? DEFAULT_OUTPUT_TOKENS_PER_HOUR_ALARM;
    if (props.outputTokensPerHourAlarm !== undefined && !props.invocationLogGroup) {
      throw validationError(this, 'outputTokensPerHourAlarm', 'outputTokensPerHourAlarm needs invocationLogGroup: tokens are read from Bedrock\'s model invocation logs, which CloudTrail does not carry');
    }
    if (!Number.isInteger(tokenAlarm) || tokenAlarm < 1) {
      throw validationError(this, 'outputTokensPerHourAlarm', `outputTokensPerHourAlarm is ${tokenAlarm}; give a whole number of output tokens per hour, 1 or more (the default is ${DEFAULT_OUTPUT_TOKENS_PER_HOUR_ALARM})`);
    }
    this.callsPerHourAlarm = limits.callsPerHourAlarm;
    this.callsPerHourLimit = limits.callsPerHourLimit;
    this.usdPerHourAlarm = limits.usdPerHourAlarm;
    this.usdPerHourLimit = limits.usdPerHourLimit;
    this.roleCallsPerHourLimit = limits.roleCallsPerHourLimit;
    this.roleUsdPerHourLimit = limits.roleUsdPerHourLimit;
    this.newNetworkWindowDays = limits.newNetworkWindowDays;
    const detection = props.detection;
    const watch = detection._watchScope();

    this.table = new dynamodb.Table(this, 'Counters', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      // A window is a key range: one Query per person, one per bucket for the heaviest callers.
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
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
    const fn = handlerFunction(new UsageFunction(this, 'Function', {
      ...handlerFunctionProps(this, detection, 'Usage', 'Counts the billed Bedrock calls of watched identities and alerts on unusual use', [
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [detection.alertTopic.topicArn] }),
        new iam.PolicyStatement({ sid: 'PutAlertEvents', actions: ['events:PutEvents'], resources: [detection.eventBus.eventBusArn] }),
        ...(containment ? [containment.requestStatement()] : []),
      ], 10),
      // JSON, so the line logged per counted call is a JSON object Contributor Insights can key on.
      loggingFormat: lambda.LoggingFormat.JSON,
    }), detection);
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
      weights: this.callWeights([...detection.watchedRoles, ...detection.watchedPermissionSets].flatMap((w) => w.models)),
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
    this.topCallersRule = this.callersRule('TopCallersByWeightRule', 'weight', 'Sum', fn);
    this.topCallersByCallsRule = this.callersRule('TopCallersByCallsRule', 'calls', 'Count', fn);
    this.dashboard = new BedrockUsageDashboard(this, 'Dashboard', {
      usageFunction: fn,
      topCallersByWeightRuleName: this.topCallersRule.attrRuleName,
      topCallersByCallsRuleName: this.topCallersByCallsRule.attrRuleName,
      alertTopic: detection.alertTopic,
      alertFunction: detection.alertFunction,
      containmentFunction: detection.containmentFunction,
      containmentQueue: detection.containmentQueue,
      alarms: [...alarms, detection.heartbeatAlarm, ...detection.pipelineAlarms],
      usdPerHourAlarm: limits.usdPerHourAlarm,
      usdPerHourLimit: limits.usdPerHourLimit,
    });
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
   * What a function needs to find the heaviest callers of a window (`heaviestCallers` in
   * lib/usage/heaviest-callers.ts, for the spend-rate cap): `dynamodb:Query` on the table and
   * `kms:Decrypt` on its key, nothing that writes. Statements, not a grant, so they go into the
   * function's managed policy (a grant writes an inline policy, which the compliance packs flag).
   *
   * @internal
   */
  public _heaviestCallersStatements(): iam.PolicyStatement[] {
    const key = this.table.encryptionKey;
    return [
      new iam.PolicyStatement({ sid: 'QueryUsageCounters', actions: ['dynamodb:Query'], resources: [this.table.tableArn] }),
      ...(key ? [new iam.PolicyStatement({ sid: 'DecryptUsageCounters', actions: ['kms:Decrypt'], resources: [key.keyArn] })] : []),
    ];
  }

  /** What a call of each granted model can cost at most; a model with no price weighs the fallback, and synthesis says so. */
  private callWeights(models: ModelReference[]): CallWeights {
    const byModel: Record<string, number> = {};
    const unpriced = new Set<string>();
    for (const m of models) {
      const price = priceOf(m.modelId) ?? priceOf(modelIdOf(m.invocationId));
      if (!price) {
        unpriced.add(m.modelId);
      }
      const weight = price ? callCeilingUsd(price) : FALLBACK_CALL_USD;
      for (const id of [modelIdOf(m.invocationId), m.modelId]) {
        byModel[id] = Math.max(byModel[id] ?? 0, weight);
      }
    }
    if (unpriced.size > 0) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:usage-unpriced-model',
        `No price is known for ${[...unpriced].join(', ')}: each call is weighed at $${FALLBACK_CALL_USD}, the most a call of the dearest Claude model can cost, so the dollar limits act early for it. Add the model's price to the catalog.`);
    }
    return { byModel, fallbackUsd: FALLBACK_CALL_USD };
  }

  /** A Contributor Insights rule over the function's log of counted calls, per person. */
  private callersRule(id: string, what: string, aggregateOn: 'Sum' | 'Count', fn: lambda.Function): cloudwatch.CfnInsightRule {
    return new cloudwatch.CfnInsightRule(this, id, {
      ruleName: `${Names.uniqueResourceName(this, { maxLength: 90 })}-top-callers-${what}`,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString(topCallersRule(fn.logGroup.logGroupName, aggregateOn)),
    });
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
