import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BedrockUsageGuard } from './bedrock-usage-guard';
import { addSpendRateAlarms, SpendRateAlarmConfig, spendRateAlarmNames } from './spend-rate-alarms';
import { DEFAULT_SPEND_RATE_ALERT_USD, DEFAULT_SPEND_RATE_STOP_USD, DEFAULT_SPEND_RATE_WINDOW_MINUTES } from './spend-rate-defaults';
import { SpendRateFunction } from './spend-rate-function';
import { SpendRateLimits } from './spend-rate-options';
import { resolvePrices } from './spend-rate-prices';
import { spendRateGroups } from './spend-rate-query';
import { ALARM_STATE_CHANGE, CLOUDWATCH_SOURCE, SpendRateConfig } from './spend-rate-stop';
import { BedrockMisuseDetection } from '../detection/bedrock-misuse-detection';
import { handlerFunction, handlerFunctionProps } from '../detection/handler-options';
import { sourceIdentityTrustByRole } from '../detection/source-identity-trust';
import { attributeTo, validationError } from '../errors/validation-error';
import { ModelReference } from '../models/model-reference';

/** The prefix of every spend-rate alarm's name; with the bus name, it is fixed per account and Region. */
export const SPEND_RATE_ALARM_PREFIX = 'bedrock-spend-rate';

/** Properties of a `BedrockSpendRateCap`. */
export interface BedrockSpendRateCapProps extends SpendRateLimits {
  /** The detection whose identities the cap stops, whose bus brings it the alarms, and whose topic and containment it uses. */
  readonly detection: BedrockMisuseDetection;
  /**
   * The usage guard whose counts name the heaviest callers of a window, so an Identity Center stop denies
   * them rather than the whole permission set. The cap reads its table (Query, GetItem) and nothing else.
   *
   * @default - no guard: a stop denies every session of the permission sets
   */
  readonly usageGuard?: BedrockUsageGuard;
  /**
   * The models to price and watch.
   *
   * @default - every model the detection's invoke roles and permission sets grant
   */
  readonly models?: ModelReference[];
}

/**
 * A cap on what the watched identities spend per minute, from Bedrock's own token metrics (which no
 * caller can write) times each model's price: metric math over a rolling window, an alert at one
 * threshold and a stop at another, in this account and Region and, through the detection's forwarder
 * StackSet, in every other account and Region it covers. A stop asks containment to deny the invoke
 * roles and, for Identity Center, the window's heaviest callers (or the whole permission set). See
 * docs/spend-rate-cap.md.
 */
export class BedrockSpendRateCap extends Construct {
  /** The function that alerts and asks for the stop. */
  public readonly function: lambda.Function;
  /** The alarms in this account and Region (the StackSet holds the same ones everywhere else). */
  public readonly alarms: cloudwatch.CfnAlarm[];
  /** Alert when one alarm's window spend passes this, in US dollars. */
  public readonly alertUsd: number;
  /** Stop when one alarm's window spend passes this, in US dollars. */
  public readonly stopUsd: number;
  /** The rolling window, in minutes. */
  public readonly windowMinutes: number;

  private readonly config: SpendRateAlarmConfig;

  constructor(scope: Construct, id: string, props: BedrockSpendRateCapProps) {
    super(scope, id);
    const detection = props.detection;
    this.alertUsd = attributeTo(this, 'alertUsd', () => checkUsd('alertUsd', props.alertUsd ?? DEFAULT_SPEND_RATE_ALERT_USD));
    this.stopUsd = attributeTo(this, 'stopUsd', () => checkUsd('stopUsd', props.stopUsd ?? DEFAULT_SPEND_RATE_STOP_USD));
    this.windowMinutes = props.windowMinutes ?? DEFAULT_SPEND_RATE_WINDOW_MINUTES;
    if (!Number.isInteger(this.windowMinutes) || this.windowMinutes < 1 || this.windowMinutes > 60) {
      throw validationError(this, 'windowMinutes', `spend-rate windowMinutes is ${this.windowMinutes}; give whole minutes from 1 to 60 (the default is ${DEFAULT_SPEND_RATE_WINDOW_MINUTES})`);
    }
    if (this.alertUsd >= this.stopUsd) {
      throw validationError(this, ['alertUsd', 'stopUsd'], `spend-rate alertUsd (${this.alertUsd}) must be below stopUsd (${this.stopUsd}), or the alert never comes before the stop`);
    }
    const models = props.models ?? grantedModels(detection);
    if (models.length === 0) {
      throw validationError(this, 'models', 'the spend-rate cap has no model to watch: the detection watches no invoke role or permission set; pass models');
    }
    this.config = {
      namePrefix: SPEND_RATE_ALARM_PREFIX,
      groups: attributeTo(this, ['prices', 'models'], () => spendRateGroups(resolvePrices(models, props.prices))),
      alertUsd: this.alertUsd,
      stopUsd: this.stopUsd,
      windowMinutes: this.windowMinutes,
    };
    this.alarms = addSpendRateAlarms(this, this.config);

    const containment = detection._containment();
    const table = props.usageGuard?.table;
    this.function = handlerFunction(new SpendRateFunction(this, 'Function', handlerFunctionProps(this, detection, 'SpendRate',
      'Alerts on the Bedrock spend rate and asks containment to stop it', [
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [detection.alertTopic.topicArn] }),
        new iam.PolicyStatement({ sid: 'PutAlertEvents', actions: ['events:PutEvents'], resources: [detection.eventBus.eventBusArn] }),
        ...(containment ? [containment.requestStatement()] : []),
        // Reads who spent from the guard's counters (Query and the key's Decrypt); writes nothing there.
        ...(props.usageGuard?._heaviestCallersStatements() ?? []),
      ], 2)), detection);
    containment?.admit(this.function, true);
    const scopeOf = containment?.scope();
    const forwarders = detection._forwarderAccounts();
    const config: SpendRateConfig = {
      alarms: spendRateAlarmNames(this.config),
      windowMinutes: this.windowMinutes,
      alertUsd: this.alertUsd,
      stopUsd: this.stopUsd,
      homeAccount: Stack.of(this).account,
      accounts: forwarders === undefined ? [] : [...new Set([Stack.of(this).account, ...forwarders])],
      roles: scopeOf?.roles ?? [],
      permissionSets: scopeOf?.permissionSets ?? [],
      sourceIdentityTrust: sourceIdentityTrustByRole(Stack.of(this), detection.watchedRoles),
    };
    this.function.addEnvironment('SPEND_RATE_CONFIG', Stack.of(this).toJsonString(config));
    this.function.addEnvironment('TOPIC_ARN', detection.alertTopic.topicArn);
    this.function.addEnvironment('EVENT_BUS_NAME', detection.eventBus.eventBusName);
    if (table) {
      this.function.addEnvironment('USAGE_TABLE_NAME', table.tableName);
    }

    const target = new targets.LambdaFunction(this.function, {
      deadLetterQueue: detection.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.minutes(30),
    });
    const pattern: events.EventPattern = {
      source: [CLOUDWATCH_SOURCE],
      detailType: [ALARM_STATE_CHANGE],
      detail: { alarmName: config.alarms.map((a) => a.name), state: { value: ['ALARM'] } },
    };
    const rules = [
      // CloudWatch puts this Region's alarm events on the default bus; the forwarders bring the others' to the central bus.
      new events.Rule(this, 'LocalAlarmsRule', { description: 'The spend-rate cap\'s alarms going into ALARM in this account and Region', eventPattern: pattern, targets: [target] }),
      new events.Rule(this, 'ForwardedAlarmsRule', { description: 'The spend-rate cap\'s alarms going into ALARM, forwarded from other accounts and Regions', eventBus: detection.eventBus, eventPattern: pattern, targets: [target] }),
    ];
    const health = detection._pipelineHealth();
    health.watchFunction('SpendRateFunction', this.function, 'spend-rate cap');
    rules.forEach((r, i) => health.watchRule(r, i === 1));
    const alarmConfig = this.config;
    detection._forwardSpendRateAlarms({ alarmNames: config.alarms.map((a) => a.name), addTo: (stack) => addSpendRateAlarms(stack, alarmConfig) });
    // The guard's dashboard shows this Region's spend rate beside the top callers it counts.
    props.usageGuard?.dashboard._addSpendRate(this.spendRateWidgets());
  }

  /**
   * The spend rate of each alarm's models in this account and Region against the alert and stop
   * thresholds, for a dashboard (one graph per alarm).
   */
  public spendRateWidgets(): cloudwatch.IWidget[] {
    return this.config.groups.map((g) => new cloudwatch.GraphWidget({
      title: `Bedrock spend per ${this.windowMinutes} min: ${g.models.join(', ')}`,
      left: [new cloudwatch.MathExpression({
        expression: g.expression,
        usingMetrics: Object.fromEntries(g.metrics.map((m) => [m.id, new cloudwatch.Metric({
          namespace: 'AWS/Bedrock', metricName: m.metricName, dimensionsMap: { ModelId: m.modelId }, statistic: 'Sum', period: Duration.minutes(this.windowMinutes),
        })])),
        label: 'US dollars',
        period: Duration.minutes(this.windowMinutes),
      })],
      leftAnnotations: [{ value: this.alertUsd, label: 'alert' }, { value: this.stopUsd, label: 'stop', color: '#d62728' }],
    }));
  }
}

function checkUsd(name: string, value: number): number {
  if (Token.isUnresolved(value) || !Number.isFinite(value) || value <= 0 || value > 100_000) {
    throw new Error(`spend-rate ${name} is ${value}; give US dollars per window, more than 0 and at most 100000`);
  }
  return value;
}

/** Every model the watched identities may invoke, once each. */
function grantedModels(detection: BedrockMisuseDetection): ModelReference[] {
  const all = [...detection.watchedRoles.flatMap((r) => r.models), ...detection.watchedPermissionSets.flatMap((p) => p.models)];
  const seen = new Set<string>();
  return all.filter((m) => !seen.has(m.invocationId) && seen.add(m.invocationId) !== undefined);
}
