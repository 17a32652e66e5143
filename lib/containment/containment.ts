import { Aws, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ContainFunction } from './contain-function';
import { acknowledgeFinding } from '../access/acknowledge';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';
import { handlerFunction, handlerFunctionProps } from '../detection/handler-options';

/** What containment may act on, for the parts that ask it. */
export interface ContainmentScope {
  /** Invoke roles, by name, in `homeAccount`. */
  readonly roles: string[];
  /** Permission sets, by name, administered in this account and Region. */
  readonly permissionSets: string[];
  /** A role of the same name in another account is someone else's. */
  readonly homeAccount: string;
}

export interface ContainmentProps {
  /** Encrypts the queues and the function's logs. */
  readonly key: kms.IKey;
  /** Where the function's failed invocations go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the outcome of each containment is told. */
  readonly topic: sns.ITopic;
  /** The bus whose alert events wake the function at once (the schedule wakes it every minute anyway). */
  readonly eventBus: events.IEventBus;
  /** The event pattern of the alerts that may carry a containment request. */
  readonly wakeUpPattern: events.EventPattern;
  readonly roles: readonly BedrockInvokeRole[];
  readonly permissionSets: readonly BedrockPermissionSet[];
}

/**
 * The one way the library stops an identity: a FIFO queue that only the library's own functions may
 * write to, and a function that reads its requests from that queue alone and denies the offending
 * session's holder, nobody else. Detection, the usage guard and the spend limit ask through `admit`.
 */
export class Containment extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: lambda.Function;
  private readonly requesters: iam.Role[] = [];
  private readonly wholeStopRequesters: iam.Role[] = [];
  private readonly props: ContainmentProps;

  constructor(scope: Construct, id: string, props: ContainmentProps) {
    super(scope, id);
    this.props = props;
    // FIFO, grouped by role or permission set: two containments of one never race on its policy.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFinding(this.deadLetterQueue, 'AwsSolutions-SQS3', 'this queue is the dead-letter queue of the containment queue; a dead-letter queue of its own would never be read');
    this.queue = new sqs.Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: true,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.hours(12),
      // Longer than the function spends on one request (it follows a provisioning for up to three minutes).
      visibilityTimeout: Duration.minutes(10),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.function = this.containFunction();
    this.guardQueue();
    const wake = new targets.LambdaFunction(this.function, {
      deadLetterQueue: props.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.minutes(10),
    });
    new events.Rule(this, 'WakeOnAlert', {
      description: 'Wakes the contain function when an alert is raised; the function reads its requests from the containment queue, never from the event',
      eventBus: props.eventBus,
      eventPattern: props.wakeUpPattern,
      targets: [wake],
    });
    new events.Rule(this, 'WakeEveryMinute', {
      description: 'Wakes the contain function every minute, so a request is acted on even when no alert event went out',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [wake],
    });
  }

  /** What containment may act on. */
  public scope(): ContainmentScope {
    return {
      roles: this.props.roles.map((r) => r.roleName),
      permissionSets: this.props.permissionSets.map((p) => p.permissionSetName),
      homeAccount: Stack.of(this).account,
    };
  }

  /** The statement a requester's policy needs to put requests on the queue. */
  public requestStatement(): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid: 'RequestContainment', actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] });
  }

  /**
   * Lets a function ask for containment: the queue admits its role, and the function learns the queue.
   * With `wholeStop`, the function may also ask that every session of a role or set be denied.
   */
  public admit(fn: lambda.Function, wholeStop = false): void {
    this.requesters.push(fn.role as iam.Role);
    if (wholeStop) {
      this.wholeStopRequesters.push(fn.role as iam.Role);
    }
    fn.addEnvironment('CONTAINMENT_QUEUE_URL', this.queue.queueUrl);
  }

  /** An explicit deny in the queue policy binds principals of this account too, whatever their own policies allow. */
  private guardQueue(): void {
    const requesters = this.requesters;
    this.queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheLibrarysFunctionsSend',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [this.queue.queueArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => requesters.map((r) => r.roleArn) }) } },
    }));
    // Whoever could receive or delete a request could make containment skip it.
    this.queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyTheContainFunctionReceives',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
      resources: [this.queue.queueArn],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.function.role!.roleArn } },
    }));
  }

  private containFunction(): lambda.Function {
    const p = this.props;
    const context = { key: p.key, deadLetterQueue: p.deadLetterQueue };
    const sets = p.permissionSets;
    const options = handlerFunctionProps(this, context, 'Contain', 'Denies the holder of a misused Bedrock session, and nobody else', [
      ...(p.roles.length > 0 ? [new iam.PolicyStatement({
        sid: 'ContainSessionsOfWatchedRolesOnly',
        actions: ['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
        resources: p.roles.map((r) => r.roleArn),
      })] : []),
      ...(sets.length > 0 ? [
        new iam.PolicyStatement({
          // ProvisionPermissionSet to all provisioned accounts also names the account resource (Service Authorization Reference, IAM Identity Center).
          sid: 'DenyUsersOfWatchedPermissionSetsOnly',
          actions: ['sso:GetInlinePolicyForPermissionSet', 'sso:PutInlinePolicyToPermissionSet', 'sso:ProvisionPermissionSet',
            'sso:ListAccountsForProvisionedPermissionSet', 'sso:DescribePermissionSetProvisioningStatus', 'sso:DescribeInstance'],
          resources: [...new Set(sets.map((s) => s.instanceArn)), ...sets.map((s) => s.permissionSetArn), `arn:${Aws.PARTITION}:sso:::account/*`],
        }),
        new iam.PolicyStatement({
          sid: 'FindIdentityCenterUserIds',
          actions: ['identitystore:GetUserId'],
          resources: [`arn:${Aws.PARTITION}:identitystore::${Aws.ACCOUNT_ID}:identitystore/*`, `arn:${Aws.PARTITION}:identitystore:::user/*`],
        }),
      ] : []),
      new iam.PolicyStatement({ sid: 'TellOutcome', actions: ['sns:Publish'], resources: [p.topic.topicArn] }),
      new iam.PolicyStatement({
        sid: 'ReadContainmentQueue',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        resources: [this.queue.queueArn],
      }),
    ], 2);
    const fn = handlerFunction(new ContainFunction(this, 'Function', { ...options, timeout: Duration.minutes(8) }), context);
    if (sets.length > 0) {
      acknowledgeFinding(this.node.findChild('ContainPolicy'), 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sso:::account/*]',
        'ProvisionPermissionSet to all provisioned accounts is authorized against the account resource of each; the set and instance are named exactly');
      acknowledgeFinding(this.node.findChild('ContainPolicy'), 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore::<AWS::AccountId>:identitystore/*]',
        'the identity store id is known only at run time (DescribeInstance); GetUserId reads one id and changes nothing');
      acknowledgeFinding(this.node.findChild('ContainPolicy'), 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore:::user/*]',
        'the user is found by the name the session carries; GetUserId reads one id and changes nothing');
      fn.addEnvironment('CONTAINED_PERMISSION_SETS', Stack.of(this).toJsonString(sets.map((s) => ({ name: s.permissionSetName, instanceArn: s.instanceArn, permissionSetArn: s.permissionSetArn }))));
    }
    fn.addEnvironment('CONTAINED_ROLES', p.roles.map((r) => r.roleName).join(','));
    fn.addEnvironment('CONTAINMENT_QUEUE_URL', this.queue.queueUrl);
    fn.addEnvironment('TOPIC_ARN', p.topic.topicArn);
    // SQS names a role session's sender '<role id>:<session>'; the handler trusts only the requesters' role ids.
    const roleId = (r: iam.Role) => (r.node.defaultChild as iam.CfnRole).attrRoleId;
    fn.addEnvironment('REQUESTER_ROLE_IDS', Lazy.string({ produce: () => Fn.join(',', this.requesters.map(roleId)) }));
    // Fn::Join takes no empty list: with no whole-stop requester the variable is empty, and the handler admits none.
    fn.addEnvironment('WHOLE_STOP_REQUESTER_ROLE_IDS', Lazy.string({ produce: () => (this.wholeStopRequesters.length > 0 ? Fn.join(',', this.wholeStopRequesters.map(roleId)) : '') }));
    return fn;
  }
}
