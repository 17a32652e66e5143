import { Annotations, Aws, CfnCondition, Duration, Fn, ICfnConditionExpression, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertFunction } from './alert-function';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from './alert-message';
import { AWS_SOURCE_PREFIX, CLOUDTRAIL_DETAIL_TYPES } from './cloudtrail-event-types';
import { DetectionTrail } from './detection-trail';
import { checkPatternLength, identityMatchers, nonBedrockCallPattern, resolveWatchScope, ResolvedWatchScope, WATCH_PROPS } from './event-pattern';
import { ForwarderStackSet } from './forwarder-stack-set';
import { ForwardedAlarms, forwarderTemplate } from './forwarder-template';
import { handlerFunction, handlerFunctionProps } from './handler-options';
import { managementEventsRule } from './management-events-rule';
import { NonBedrockCallForwarder, NonBedrockCallForwarderProps } from './non-bedrock-call-forwarder';
import { permissionSetChangePattern, WatchedPermissionSet } from './permission-set-changes';
import { PipelineHealth } from './pipeline-health';
import { DetectionHealth, watchConfigRule, watchDetection } from './self-watch';
import { sourceIdentityTrustByRole } from './source-identity-trust';
import { DetectionTrailResources } from './trail-resources';
import { WatchScopeProps } from './watch-scope';
import { WatchedConfigRule } from './watched-config-rule';
import { acknowledgeFinding } from '../access/acknowledge';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';
import { Containment } from '../containment/containment';
import { attributeTo, validationError } from '../errors/validation-error';

/** EventBridge's detail-type for a CloudWatch alarm's change of state, which the spend-rate cap's forwarders send. */
const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';

const DEFAULT_BUS_NAME = 'bedrock-misuse-detection';

/** Properties of a `BedrockMisuseDetection`. */
export interface BedrockMisuseDetectionProps extends WatchScopeProps {
  /**
   * Accounts whose forwarders may put events on the central bus.
   *
   * @default - this stack's account only, unless organizationId is given
   */
  readonly sourceAccounts?: string[];

  /**
   * An AWS Organization (`o-...`) whose accounts may put events on the central bus.
   *
   * @default - no organization
   */
  readonly organizationId?: string;

  /**
   * E-mail addresses that receive alerts (each must confirm the subscription).
   *
   * @default - no e-mail; subscribe to `alertTopic` or add targets with `addAlertTarget`
   */
  readonly alertEmails?: string[];

  /**
   * Where the CloudTrail events come from: a trail this construct creates, or one that exists.
   *
   * @default - none: synthesis warns that no event will arrive unless a trail logs management events
   */
  readonly trail?: DetectionTrail;

  /**
   * Deny the holder of a misused session of a watched invoke role in this account, and nobody else: by
   * the session's source identity when it carries one, else the session itself (its name and issue
   * time); past the deny list's budget, every session issued before the offending one. For a
   * `BedrockUsageGuard`'s hard limit it also denies the Identity Center user (by Identity Store user id)
   * through a watched permission set administered in this account and Region, in every account; other
   * alerts on permission-set roles name the manual step instead. See docs/containment.md.
   *
   * @default false
   */
  readonly containment?: boolean;

  /**
   * Deploy the regional forwarders to accounts and Regions with a CloudFormation StackSet.
   *
   * @default - no StackSet; place `NonBedrockCallForwarder` in your own per-Region stacks
   */
  readonly forwarders?: ForwarderStackSet;

  /**
   * A name for the central event bus.
   *
   * @default 'bedrock-misuse-detection'
   */
  readonly eventBusName?: string;
}

/**
 * The central half of leak detection, in the platform account's home Region: a bus that receives
 * every call the watched sessions make in any Region or account beyond the Bedrock calls they may
 * make (console sign-ins included), a rule on changes to the watched permission sets, an alert in
 * plain words on an encrypted SNS topic, an alert event for any other target, and optional
 * containment fed only by the alert function.
 */
export class BedrockMisuseDetection extends Construct {
  /**
   * The ARN of the central bus, for forwarders in stacks of other Regions, which cannot import it.
   *
   * @param homeRegion the Region of the stack that holds the BedrockMisuseDetection
   * @param account the account of that stack
   * @param eventBusName the bus name, if you changed it
   */
  public static eventBusArn(homeRegion: string, account: string, eventBusName: string = DEFAULT_BUS_NAME): string {
    return `arn:${Aws.PARTITION}:events:${homeRegion}:${account}:event-bus/${eventBusName}`;
  }

  /** The central bus forwarders send to. */
  public readonly eventBus: events.EventBus;
  /** The encrypted topic alerts are published on. */
  public readonly alertTopic: sns.Topic;
  /** The key that encrypts the topic and the queues. */
  public readonly key: kms.Key;
  /** The function that turns a CloudTrail event into an alert. */
  public readonly alertFunction: lambda.Function;
  /** The function that denies a misused session's holder, when containment is on. */
  public readonly containmentFunction?: lambda.Function;
  /** The queue that carries containment requests from the library's functions, when containment is on; nobody else may write to it. */
  public readonly containmentQueue?: sqs.Queue;
  /** Where events go that could not be delivered to the alert function or a target. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The rule that matches the library's alert events on the central bus; `addAlertTarget` adds to it. */
  public readonly alertRule: events.Rule;
  /** The StackSet of regional forwarders, when requested. */
  public readonly stackSet?: cloudformation.CfnStackSet;
  /** The invoke roles watched, whose grants a usage guard checks calls against. */
  public readonly watchedRoles: BedrockInvokeRole[];
  /** The permission sets watched, whose grants a usage guard checks calls against. */
  public readonly watchedPermissionSets: BedrockPermissionSet[];
  /**
   * Where the pipeline's own alarms and tamper alerts go: a topic with a key of its own, so a broken
   * alert topic or key is still heard. `alertEmails` are subscribed to it too.
   */
  public readonly healthTopic: sns.Topic;
  /** The alarm that fires when the heartbeat stops crossing the trail, the rules and the alert function. */
  public readonly heartbeatAlarm: cloudwatch.Alarm;
  /** Every alarm on the pipeline itself: handler errors, dead letters, failed deliveries, the heartbeat. */
  public readonly pipelineAlarms: cloudwatch.Alarm[];

  private readonly watch: ResolvedWatchScope;
  private readonly selfWatch: DetectionHealth;
  private readonly props: BedrockMisuseDetectionProps;
  /** The one way to stop an identity, when containment is on. */
  private readonly containmentHome?: Containment;
  /** Whether a usage guard needs the forwarders to send billed model calls too. */
  private modelCallsForwarded = false;
  private forwarderPropsRead = false;
  /** The spend-rate cap's alarms, which the StackSet deploys and forwards too. */
  private spendRate?: ForwardedAlarms;
  /** What the central bus admits from the forwarders: CloudTrail's events, and the cap's alarm events. */
  private readonly admittedDetailTypes: string[] = [...CLOUDTRAIL_DETAIL_TYPES];
  /** The permission sets whose users containment may deny: watched, containment on, administered here. */
  private readonly containedPermissionSets: BedrockPermissionSet[];

  constructor(scope: Construct, id: string, props: BedrockMisuseDetectionProps) {
    super(scope, id);
    this.props = props;
    this.watch = attributeTo(this, WATCH_PROPS, () => resolveWatchScope(props));
    this.watchedRoles = [...(props.roles ?? [])];
    this.watchedPermissionSets = [...(props.permissionSets ?? [])];
    const quotaWarning = attributeTo(this, WATCH_PROPS, () => checkPatternLength(this.watch));
    if (quotaWarning) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:PatternQuota', quotaWarning);
    }
    checkSources(this, props);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts Bedrock misuse alerts and their dead-letter queue',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge and CloudWatch Logs put encrypted messages on the topic and queue.
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFinding(this.deadLetterQueue, 'AwsSolutions-SQS3', 'this queue is the dead-letter queue of the alert path; a dead-letter queue of its own would never be read');
    this.alertTopic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'Bedrock credential misuse',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.alertEmails ?? []) {
      if (!Token.isUnresolved(email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        throw validationError(this, 'alertEmails', `alertEmails: '${email}' is not an e-mail address`);
      }
      this.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? DEFAULT_BUS_NAME });
    this.admitSources(stack);

    const matchers = identityMatchers(this.watch);
    const containedRoles = props.containment ? (props.roles ?? []).map((r) => r.roleName) : [];
    const watchedPermissionSets = this.watchablePermissionSets(stack);
    // Only sets administered here can be edited by this account's containment.
    this.containedPermissionSets = props.containment
      ? this.watchedPermissionSets.filter((p) => watchedPermissionSets.some((w) => w.arn === p.permissionSetArn))
      : [];
    if (props.containment && containedRoles.length === 0 && this.containedPermissionSets.length === 0) {
      throw validationError(this, 'containment', 'containment is on but nothing here can be contained: it revokes sessions of BedrockInvokeRoles in this account, and denies users of BedrockPermissionSets administered in this account and Region');
    }
    this.containmentHome = props.containment ? new Containment(this, 'Containment', {
      key: this.key,
      deadLetterQueue: this.deadLetterQueue,
      topic: this.alertTopic,
      eventBus: this.eventBus,
      wakeUpPattern: { source: [ALERT_SOURCE], detailType: [ALERT_DETAIL_TYPE] },
      roles: props.roles ?? [],
      permissionSets: this.containedPermissionSets,
    }) : undefined;
    this.containmentQueue = this.containmentHome?.queue;
    this.containmentFunction = this.containmentHome?.function;
    this.alertFunction = this.handlerFunction(new AlertFunction(this, 'AlertFunction', this.functionProps('Alert',
      'Turns a Bedrock-only session\'s non-Bedrock call into an alert', [
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [this.alertTopic.topicArn] }),
        new iam.PolicyStatement({ sid: 'PutAlertEvents', actions: ['events:PutEvents'], resources: [this.eventBus.eventBusArn] }),
        ...(this.containmentHome ? [this.containmentHome.requestStatement()] : []),
      ])));
    this.containmentHome?.admit(this.alertFunction);
    // The alert says whether the name a session carries was bound to the caller or typed by it.
    const trust = sourceIdentityTrustByRole(stack, props.roles ?? []);
    this.alertFunction.addEnvironment('ALERT_CONFIG', stack.toJsonString({ matchers, containedRoles, watchedPermissionSets, sourceIdentityTrust: trust, homeAccount: stack.account }));
    this.alertFunction.addEnvironment('TOPIC_ARN', this.alertTopic.topicArn);
    this.alertFunction.addEnvironment('EVENT_BUS_NAME', this.eventBus.eventBusName);

    const pattern = nonBedrockCallPattern(this.watch);
    const alertTarget = new targets.LambdaFunction(this.alertFunction, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
    });
    // Calls in this account and Region arrive on the default bus; forwarded ones on the central bus.
    managementEventsRule(this, 'LocalCallsRule', { description: 'Non-Bedrock calls by watched sessions in this account and Region', targets: [alertTarget] }, pattern);
    managementEventsRule(this, 'ForwardedCallsRule', {
      description: 'Non-Bedrock calls by watched sessions, forwarded from other Regions and accounts',
      eventBus: this.eventBus,
      targets: [alertTarget],
    }, pattern);
    if (watchedPermissionSets.length > 0) {
      const rule = new events.Rule(this, 'PermissionSetChangesRule', {
        description: 'Changes, by anyone, to the watched permission sets or their assignments',
        eventPattern: { source: ['aws.sso'] },
        targets: [alertTarget],
      });
      (rule.node.defaultChild as events.CfnRule).eventPattern = permissionSetChangePattern(watchedPermissionSets.map((p) => p.arn));
    }

    this.alertRule = new events.Rule(this, 'AlertRule', {
      description: 'Alerts raised by BedrockMisuseDetection, for the targets you add (containment takes its own queue, not this rule)',
      eventBus: this.eventBus,
      eventPattern: { source: [ALERT_SOURCE], detailType: [ALERT_DETAIL_TYPE] },
    });
    this.stackSet = props.forwarders ? this.forwarderStackSet(props.forwarders, stack) : undefined;
    this.trailSetup(props.trail);
    this.selfWatch = watchDetection({
      scope: this,
      alertTopic: this.alertTopic,
      key: this.key,
      eventBusName: this.eventBus.eventBusName,
      alertFunction: this.alertFunction,
      containmentFunction: this.containmentFunction,
      containmentQueue: this.containmentQueue,
      containmentDeadLetterQueue: this.containmentHome?.deadLetterQueue,
      containmentScope: this.containmentHome,
      deadLetterQueue: this.deadLetterQueue,
      stackSet: this.stackSet,
      emails: props.alertEmails ?? [],
    });
    this.healthTopic = this.selfWatch.health.topic;
    this.heartbeatAlarm = this.selfWatch.heartbeat.alarm;
    this.pipelineAlarms = this.selfWatch.health.alarms;
  }

  /**
   * Watches a Config rule of the pipeline, such as a `BedrockDriftRule`: its function's errors alarm,
   * and any change to the rule, its function or the account's configuration recorder alerts.
   */
  public watchConfigRule(rule: WatchedConfigRule): void {
    watchConfigRule(this.selfWatch.health, rule.configRuleName, rule.evaluationFunction);
  }

  /**
   * What watches the pipeline, for the usage guard to add its own parts.
   *
   * @internal
   */
  public _pipelineHealth(): PipelineHealth {
    return this.selfWatch.health;
  }

  /**
   * The containment detection, the usage guard and the spend limit ask, when it is on.
   *
   * @internal
   */
  public _containment(): Containment | undefined {
    return this.containmentHome;
  }

  /**
   * The identities watched, resolved to names.
   *
   * @internal
   */
  public _watchScope(): ResolvedWatchScope {
    return this.watch;
  }

  /**
   * Makes the StackSet's forwarders send the watched sessions' billed model calls too, for a usage guard.
   *
   * @internal
   */
  public _forwardModelCalls(): void {
    if (this.forwarderPropsRead) {
      throw validationError(this, undefined, 'a usage guard was added after forwarderProps() was read, so forwarders built from those props would not send model calls: create the BedrockUsageGuard first');
    }
    this.modelCallsForwarded = true;
    if (this.stackSet) {
      this.stackSet.templateBody = this.forwarderTemplateBody();
    }
    // Forwarders placed by hand in this app must carry the model calls too, or the guard misses their Regions.
    this.node.addValidation({ validate: () => this.forwardersMissingModelCalls() });
  }

  /**
   * Deploys the spend-rate cap's alarms with the StackSet's forwarders, which send their state changes
   * to the central bus; the bus admits that one more AWS event type.
   *
   * @internal
   */
  public _forwardSpendRateAlarms(alarms: ForwardedAlarms): void {
    if (this.spendRate) {
      throw new Error('a BedrockMisuseDetection takes one spend-rate cap: remove the second BedrockSpendRateCap');
    }
    this.spendRate = alarms;
    this.admittedDetailTypes.push(ALARM_STATE_CHANGE);
    if (this.stackSet) {
      this.stackSet.templateBody = this.forwarderTemplateBody();
    }
    this.node.addValidation({
      validate: () => this._handPlacedForwarders().map((f) => `forwarder ${f.node.path} was placed by hand, so the spend-rate cap has no alarm in its `
        + 'account and Region: spend there is not capped. Deploy the forwarders with the detection\'s StackSet (forwarders), or turn the cap off'),
    });
  }

  /**
   * The accounts the StackSet deploys to with the home one, or undefined when it is service-managed
   * (any account of the organization).
   *
   * @internal
   */
  public _forwarderAccounts(): string[] | undefined {
    const f = this.props.forwarders;
    return f?.permissionModel === 'SERVICE_MANAGED' ? undefined : f?.accounts ?? [];
  }

  /**
   * The NonBedrockCallForwarders of this app that watch these identities, for the coverage check.
   *
   * @internal
   */
  public _handPlacedForwarders(): NonBedrockCallForwarder[] {
    const watched = new Set([...this.watch.roleNames, ...this.watch.permissionSetNames.map((n) => `set:${n}`)]);
    return this.node.root.node.findAll().filter((c): c is NonBedrockCallForwarder => c instanceof NonBedrockCallForwarder
      && [...c.roleNames, ...c.permissionSetNames.map((n) => `set:${n}`)].some((n) => watched.has(n)));
  }

  private forwardersMissingModelCalls(): string[] {
    return this._handPlacedForwarders().filter((f) => !f.forwardsModelCalls).map((f) =>
      `forwarder ${f.node.path} watches the identities of ${this.node.path}, whose usage guard counts model calls, but does not forward them, `
      + 'so that Region\'s Bedrock calls are never counted: set forwardModelCalls: true on it (or build it from detection.forwarderProps())');
  }

  private forwarderTemplateBody(): string {
    const memberTrail = this.props.trail?.creates ?? false;
    return JSON.stringify(forwarderTemplate(this.watch, { forwardModelCalls: this.modelCallsForwarded, memberTrail, alarms: this.spendRate }));
  }

  /** Sends every alert event (JSON: who, what, where, when) to another target, with the dead-letter queue. */
  public addAlertTarget(target: events.IRuleTarget): void {
    this.alertRule.addTarget(target);
  }

  /** The properties for a `NonBedrockCallForwarder` in one of your own per-Region stacks. */
  public forwarderProps(): NonBedrockCallForwarderProps {
    this.forwarderPropsRead = true;
    return {
      centralEventBusArn: this.eventBus.eventBusArn,
      roleNames: this.watch.roleNames,
      permissionSetNames: this.watch.permissionSetNames,
      allowedEventSources: this.watch.allowedEventSources,
      allowedEventNames: this.watch.allowedEventNames,
      forwardModelCalls: this.modelCallsForwarded,
    };
  }

  private functionProps(name: string, description: string, statements: iam.PolicyStatement[], reservedConcurrency?: number): lambda.FunctionOptions {
    return handlerFunctionProps(this, this, name, description, statements, reservedConcurrency);
  }

  private handlerFunction(fn: lambda.Function): lambda.Function {
    return handlerFunction(fn, this);
  }

  /**
   * The permission sets whose changes this construct can see: sso-admin calls are logged only in the
   * account and Region where Identity Center is administered, which is where the set's stack deploys.
   */
  private watchablePermissionSets(stack: Stack): WatchedPermissionSet[] {
    const sets: WatchedPermissionSet[] = [];
    for (const set of this.props.permissionSets ?? []) {
      const home = Stack.of(set);
      const sameEnv = home === stack || (!Token.isUnresolved(home.account) && !Token.isUnresolved(home.region)
        && home.account === stack.account && home.region === stack.region);
      if (sameEnv) {
        sets.push({ arn: set.permissionSetArn, name: set.permissionSetName });
      } else {
        Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:PermissionSetChangesUnwatched',
          `permission set '${set.permissionSetName}' is deployed in another account or Region than this detection, so changes to it are not watched: `
          + 'place the BedrockMisuseDetection in the account and Region where IAM Identity Center is administered');
      }
    }
    return sets;
  }

  /**
   * Admits the forwarders, and only what they send: CloudTrail events, whose `aws.` source nobody but
   * AWS can put (EventBridge User Guide, "Example policy: Send events to a custom bus in a different
   * account" conditions PutEvents on events:source and events:detail-type).
   */
  private admitSources(stack: Stack): void {
    const onlyCloudTrail = {
      'ForAllValues:StringLike': { 'events:source': [`${AWS_SOURCE_PREFIX}*`] },
      'ForAllValues:StringEquals': { 'events:detail-type': Lazy.list({ produce: () => this.admittedDetailTypes }) },
      // ForAllValues is true of an absent key: demand that both are present.
      'Null': { 'events:source': 'false', 'events:detail-type': 'false' },
    };
    if (this.props.organizationId) {
      this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'OrganizationForwarders',
        actions: ['events:PutEvents'],
        principals: [new iam.AnyPrincipal()],
        resources: [this.eventBus.eventBusArn],
        conditions: { ...onlyCloudTrail, StringEquals: { 'aws:PrincipalOrgID': this.props.organizationId } },
      }));
    }
    const accounts = this.props.sourceAccounts ?? (this.props.organizationId ? [] : [stack.account]);
    if (accounts.length > 0) {
      this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AccountForwarders',
        actions: ['events:PutEvents'],
        principals: accounts.map((a) => new iam.AccountPrincipal(a)),
        resources: [this.eventBus.eventBusArn],
        conditions: onlyCloudTrail,
      }));
    }
  }

  private forwarderStackSet(targetsOf: ForwarderStackSet, stack: Stack): cloudformation.CfnStackSet {
    const serviceManaged = targetsOf.permissionModel === 'SERVICE_MANAGED';
    if (!this.props.organizationId && serviceManaged) {
      throw validationError(this, ['forwarders', 'organizationId'], 'a service-managed StackSet deploys forwarders across the organization: set organizationId (o-...) so the central bus admits its accounts');
    }
    return new cloudformation.CfnStackSet(this, 'Forwarders', {
      stackSetName: `${this.node.id}-forwarders-${stack.stackName}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128),
      description: 'Forwards non-Bedrock calls by Bedrock-only sessions to the central detection bus',
      permissionModel: targetsOf.permissionModel,
      autoDeployment: serviceManaged ? { enabled: true, retainStacksOnAccountRemoval: false } : undefined,
      callAs: targetsOf.callAs,
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      parameters: [
        { parameterKey: 'CentralEventBusArn', parameterValue: this.eventBus.eventBusArn },
        { parameterKey: 'HomeAccountId', parameterValue: stack.account },
        { parameterKey: 'HomeRegion', parameterValue: stack.region },
      ],
      stackInstancesGroup: [{
        regions: targetsOf.regions,
        deploymentTargets: serviceManaged
          ? { organizationalUnitIds: targetsOf.organizationalUnitIds }
          : { accounts: this.targetAccounts(targetsOf, stack) },
      }],
      templateBody: this.forwarderTemplateBody(),
    });
  }

  /**
   * The self-managed targets, with the home account when asked: when its id is known only at deploy,
   * a condition leaves it out if it is listed already, since one account may not appear twice.
   */
  private targetAccounts(targetsOf: ForwarderStackSet, stack: Stack): string[] {
    const listed = targetsOf.accounts;
    if (!targetsOf.includesHomeAccount) {
      return listed;
    }
    if (!Token.isUnresolved(stack.account) || listed.length === 0) {
      return [...new Set([stack.account, ...listed])];
    }
    const equals = listed.map((a) => Fn.conditionEquals(stack.account, a));
    // Fn::Or takes two to ten conditions.
    const anyOf = (conditions: ICfnConditionExpression[]): ICfnConditionExpression => (conditions.length === 1 ? conditions[0]
      : conditions.length <= 10 ? Fn.conditionOr(...conditions)
        : anyOf(chunks(conditions, 10).map(anyOf)));
    const listedAlready = new CfnCondition(this, 'HomeAccountListed', { expression: anyOf(equals) });
    return Token.asList(Fn.conditionIf(listedAlready.logicalId, listed, [stack.account, ...listed]));
  }

  private trailSetup(trail: DetectionTrail | undefined): void {
    if (!trail) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:NoTrail',
        'no trail is configured: EventBridge receives CloudTrail events only where a trail logs them, so no alert will ever fire. Pass trail: DetectionTrail.create() or DetectionTrail.existing(\'...\')');
      return;
    }
    if (trail.creates) {
      new DetectionTrailResources(this, 'Trail', { key: this.key });
    }
  }
}

function checkSources(scope: Construct, props: BedrockMisuseDetectionProps): void {
  for (const account of props.sourceAccounts ?? []) {
    if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      throw validationError(scope, 'sourceAccounts', `sourceAccounts: '${account}' is not a 12-digit AWS account id`);
    }
  }
  if (props.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(props.organizationId)) {
    throw validationError(scope, 'organizationId', `organizationId '${props.organizationId}' is not an AWS Organizations id such as 'o-a1b2c3d4e5'`);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
}
