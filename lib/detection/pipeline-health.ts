import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm, deliveryFailureAlarm, functionErrorAlarm } from './pipeline-alarms';
import { PipelineInventory, PipelineTamperRules } from './pipeline-tamper-rule';

/** Properties of `PipelineHealth`. */
export interface PipelineHealthProps {
  /** The topic people read alerts on; it hears about changes to the health topic and its key. */
  readonly alertTopic: sns.ITopic;
  /** Subscribed to the health topic too. */
  readonly emails: string[];
}

/**
 * What watches the watchers. The pipeline's alarms and tamper alerts go to a topic of their own,
 * encrypted with a key of its own, so a disabled alert key or a deleted alert topic is still heard;
 * changes to that topic and key are told on the alert topic in turn. Each side's tamper rules watch
 * the other's.
 */
export class PipelineHealth extends Construct {
  /** The topic alarms and tamper alerts go to. */
  public readonly topic: sns.Topic;
  /** The key of that topic, used for nothing else. */
  public readonly key: kms.Key;
  /** The alarms on the pipeline: handler errors, dead letters, deliveries, the heartbeat. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The resources whose changes alert on the health topic. */
  public readonly inventory = new PipelineInventory();
  private readonly tamper: PipelineTamperRules;

  constructor(scope: Construct, id: string, props: PipelineHealthProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts the Bedrock misuse pipeline\'s health alerts, apart from the alerts they watch',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge (tamper rules) and CloudWatch (alarms) publish to the encrypted topic.
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Bedrock misuse pipeline health', masterKey: this.key, enforceSSL: true });
    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    // The topic has a policy of its own, so CloudWatch needs a statement in it; only this account's alarms.
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PipelineAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
      },
    }));

    // Each set of tamper rules watches the other's rules.
    const own = new PipelineInventory();
    let watchers: PipelineTamperRules | undefined;
    this.tamper = new PipelineTamperRules(this, 'Tamper', {
      inventory: this.inventory,
      topic: this.topic,
      onRule: (rule) => { own.rules.push(rule); watchers?.cover('Events'); },
    });
    watchers = new PipelineTamperRules(this, 'HealthTamper', {
      inventory: own,
      topic: props.alertTopic,
      onRule: (rule) => { this.inventory.rules.push(rule); this.tamper.cover('Events'); },
    });
    own.topicArns.push(this.topic.topicArn);
    own.keyArns.push(this.key.keyArn);
    watchers.cover('Sns');
    watchers.cover('Kms');
    watchers.cover('Events');
    this.alarms.push(deliveryFailureAlarm(this, 'AlertDeliveryFailed', props.alertTopic, this.topic));
    this.watchTopic(props.alertTopic);
  }

  /** Alarms on the function's errors and alerts on any change to it. */
  public watchFunction(id: string, fn: lambda.IFunction, what: string): void {
    this.watchFunctionChanges(fn);
    this.alarms.push(functionErrorAlarm(this, `${id}Failing`, fn, what, this.topic));
  }

  /** Alerts on any change to the function. */
  public watchFunctionChanges(fn: lambda.IFunction): void {
    this.inventory.functions.push({ name: fn.functionName, arn: fn.functionArn });
    this.tamper.cover('Lambda');
  }

  /** Alerts on any change to the queue, and alarms when it holds a message if it is a dead-letter queue. */
  public watchQueue(id: string, queue: sqs.IQueue, deadLetters?: string): void {
    this.inventory.queueNames.push(queue.queueName);
    this.tamper.cover('Sqs');
    if (deadLetters) {
      this.alarms.push(deadLetterAlarm(this, `${id}HoldsMessages`, queue, deadLetters, this.topic));
    }
  }

  public watchTopic(topic: sns.ITopic): void {
    this.inventory.topicArns.push(topic.topicArn);
    this.tamper.cover('Sns');
  }

  public watchKey(key: kms.IKey): void {
    this.inventory.keyArns.push(key.keyArn);
    this.tamper.cover('Kms');
  }

  public watchTable(table: dynamodb.ITable): void {
    this.inventory.tables.push({ name: table.tableName, arn: table.tableArn });
    this.tamper.cover('DynamoDb');
  }

  public watchRule(rule: events.IRule, onCustomBus: boolean): void {
    this.inventory.rules.push({ rule, onCustomBus });
    this.tamper.cover('Events');
  }

  public watchEventBus(name: string): void {
    this.inventory.eventBusNames.push(name);
    this.tamper.cover('Events');
  }

  /** The trail this app created, or, for one it did not, every trail of the account. */
  public watchTrail(trail: cloudtrail.Trail | undefined): void {
    if (trail) {
      this.inventory.trails.push({ name: (trail.node.defaultChild as cloudtrail.CfnTrail).ref, arn: trail.trailArn });
    } else {
      this.inventory.anyTrail = true;
    }
    this.tamper.cover('CloudTrail');
  }

  public watchConfigRule(name: string): void {
    this.inventory.configRuleNames.push(name);
    this.tamper.cover('Config');
  }

  public watchStackSet(name: string): void {
    this.inventory.stackSetNames.push(name);
    this.tamper.cover('StackSets');
  }

  /** Adds an alarm made elsewhere (the heartbeat) to the list. */
  public addAlarm(alarm: cloudwatch.Alarm): void {
    this.alarms.push(alarm);
  }

  /** A stable name for this pipeline's heartbeat metric. */
  public pipelineId(): string {
    return `${Stack.of(this).stackName}/${this.node.path}`;
  }
}
