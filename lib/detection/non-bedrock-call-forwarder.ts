import { Annotations, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { billedCallPattern, checkPatternLength, nonBedrockCallPattern, resolveWatchScope, WATCH_PROPS } from './event-pattern';
import { managementEventsRule } from './management-events-rule';
import { WatchScopeProps } from './watch-scope';
import { acknowledgeFinding } from '../access/acknowledge';
import { attributeTo } from '../errors/validation-error';

/** Properties of a `NonBedrockCallForwarder`. */
export interface NonBedrockCallForwarderProps extends WatchScopeProps {
  /** The central event bus of a `BedrockMisuseDetection`, in its home Region and account. */
  readonly centralEventBusArn: string;

  /**
   * Also forward the watched sessions' billed model calls (InvokeModel, Converse and their streaming
   * forms), for a `BedrockUsageGuard` on the central bus to count. Set it either way: left out,
   * synthesis warns, and a usage guard on the same identities in this app fails synthesis.
   *
   * @default false
   */
  readonly forwardModelCalls?: boolean;

  /**
   * Also forward the state changes of these CloudWatch alarms in this account and Region (the
   * spend-rate cap's, which the detection's StackSet deploys with the forwarders).
   *
   * @default - no alarm events are forwarded
   */
  readonly alarmNames?: string[];
}

/**
 * In one Region of one account: a rule on the default event bus that sends every call of the
 * watched sessions beyond the Bedrock calls they may make (and their console sign-ins) to the central bus. Place one in each Region you cover (IAM's events arrive in
 * us-east-1 only), or let `BedrockMisuseDetection` deploy them with a StackSet.
 */
export class NonBedrockCallForwarder extends Construct {
  /** The forwarding rule. */
  public readonly rule: events.Rule;
  /** The rule that forwards billed model calls, when `forwardModelCalls` is set. */
  public readonly modelCallsRule?: events.Rule;
  /** The rule that forwards the named alarms' state changes, when `alarmNames` is set. */
  public readonly alarmsRule?: events.Rule;
  /** Where events go when the central bus does not take them. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role names watched. */
  public readonly roleNames: string[];
  /** The permission set names watched. */
  public readonly permissionSetNames: string[];
  /** Whether billed model calls are forwarded too. */
  public readonly forwardsModelCalls: boolean;

  constructor(scope: Construct, id: string, props: NonBedrockCallForwarderProps) {
    super(scope, id);
    const watch = attributeTo(this, WATCH_PROPS, () => resolveWatchScope(props));
    const warning = attributeTo(this, WATCH_PROPS, () => checkPatternLength(watch));
    if (warning) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:PatternQuota', warning);
    }
    this.roleNames = watch.roleNames;
    this.permissionSetNames = watch.permissionSetNames;
    this.forwardsModelCalls = props.forwardModelCalls ?? false;
    if (props.forwardModelCalls === undefined) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:ModelCallsNotForwarded',
        'forwardModelCalls is not set, so this Region\'s model calls never reach a BedrockUsageGuard on the central bus: '
        + 'set forwardModelCalls: true if the central stack has a usage guard (the front door adds one by default), or false to say it has none');
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFinding(this.deadLetterQueue, 'AwsSolutions-SQS3', 'this queue is the dead-letter queue of the forwarding rule; a dead-letter queue of its own would never be read');
    // A customer-managed policy rather than the inline one CDK's EventBus target would write.
    const role = new iam.Role(this, 'PutEventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets the forwarding rule put watched sessions\' non-Bedrock calls on the central detection bus',
      managedPolicies: [new iam.ManagedPolicy(this, 'PutEventsPolicy', {
        statements: [new iam.PolicyStatement({ sid: 'PutOnCentralBus', actions: ['events:PutEvents'], resources: [props.centralEventBusArn] })],
      })],
    });
    this.rule = managementEventsRule(this, 'Rule', {
      description: 'Forwards CloudTrail calls by Bedrock-only sessions that are not Bedrock calls',
    }, nonBedrockCallPattern(watch));
    this.modelCallsRule = this.forwardsModelCalls
      ? managementEventsRule(this, 'ModelCallsRule', { description: 'Forwards the billed model calls of Bedrock-only sessions, for the usage guard' }, billedCallPattern(watch))
      : undefined;
    this.alarmsRule = props.alarmNames?.length ? new events.Rule(this, 'AlarmsRule', {
      description: 'Forwards the spend-rate cap\'s alarm state changes to the central bus',
      eventPattern: { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'], detail: { alarmName: props.alarmNames } },
    }) : undefined;
    const rules = [this.rule, ...(this.modelCallsRule ? [this.modelCallsRule] : []), ...(this.alarmsRule ? [this.alarmsRule] : [])];
    for (const rule of rules) {
      (rule.node.defaultChild as events.CfnRule).targets = [{
        id: 'CentralBus',
        arn: props.centralEventBusArn,
        roleArn: role.roleArn,
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      }];
    }
    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'UndeliveredForwards',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rules.length === 1 ? this.rule.ruleArn : rules.map((r) => r.ruleArn) } },
    }));
  }
}
