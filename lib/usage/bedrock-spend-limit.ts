import { Aws, Stack, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { attributeTo, validationError } from '../errors/validation-error';

/** Properties of a `BedrockSpendLimit`. */
export interface BedrockSpendLimitProps {
  /** The monthly Bedrock spend, in US dollars, at which the invoke roles stop. */
  readonly monthlyLimitUsd: number;

  /** Where the budget's notifications go: the detection's alert topic, for one inbox. */
  readonly alertTopic: sns.ITopic;

  /**
   * The key that encrypts `alertTopic`, if any: AWS Budgets must be allowed to use it.
   *
   * @default - the topic is not encrypted with a customer-managed key
   */
  readonly alertTopicKey?: kms.IKey;

  /**
   * Alert when the month's actual spend passes this share of the limit, in percent.
   *
   * @default 80
   */
  readonly alertAtPercent?: number;

  /**
   * Invoke roles an AWS Budgets action stops at the limit, by attaching a policy that denies every
   * Bedrock call (until someone reverses the action in the Budgets console).
   *
   * @default - none: the budget alerts only
   */
  readonly stopRoles?: BedrockInvokeRole[];

  /**
   * Count AWS Marketplace charges too. Anthropic's models have been billed through AWS Marketplace
   * under per-model names, and AWS's own cost reports now show them under Amazon Bedrock; counting both
   * never misses Claude spend, at the price of counting any other Marketplace purchase in the account.
   *
   * @default true
   */
  readonly includeMarketplace?: boolean;

  /**
   * Count only spend carrying this cost allocation tag, for a team's budget (the tag `TeamInferenceProfiles`
   * puts on the team's profiles, activated under Cost allocation tags).
   *
   * @default - all Bedrock spend in the account
   */
  readonly costAllocationTag?: CostAllocationTag;

  /**
   * The accounts whose spend the budget counts. In an Organizations management account a budget
   * otherwise counts every member account's spend (consolidated billing), so another team's Bedrock
   * bill, or any Marketplace purchase in the organization, would stop these roles.
   *
   * @default - the stack's own account only
   */
  readonly linkedAccounts?: string[];
}

/** A cost allocation tag and the value a budget counts. */
export interface CostAllocationTag {
  /** The tag key, such as `team`. */
  readonly key: string;
  /** The value, such as `payments`. */
  readonly value: string;
}

/** The Cost Explorer service name of Amazon Bedrock, and the billing entity of AWS Marketplace charges. */
const BEDROCK_SERVICE = 'Amazon Bedrock';
const MARKETPLACE_BILLING_ENTITY = 'AWS Marketplace';

/**
 * A monthly AWS Budgets cost budget on Bedrock spend in this account: alerts as actual spend passes
 * `alertAtPercent` and as the forecast passes the limit, and at the limit an AWS Budgets action that
 * attaches a deny-all-Bedrock policy to the invoke roles. Budgets refreshes up to three times a day,
 * 8 to 12 hours apart, and Bedrock charges reach billing within a day: this is the backstop for a
 * month, not the fast stop. The usage guard's hourly limit is the fast stop.
 */
export class BedrockSpendLimit extends Construct {
  /** The budget. */
  public readonly budget: budgets.CfnBudget;
  /** The policy the budget action attaches at the limit, when there are roles to stop. */
  public readonly stopPolicy?: iam.ManagedPolicy;
  /** The budget action, when there are roles to stop. */
  public readonly stopAction?: budgets.CfnBudgetsAction;

  constructor(scope: Construct, id: string, props: BedrockSpendLimitProps) {
    super(scope, id);
    const limit = props.monthlyLimitUsd;
    if (Token.isUnresolved(limit) || !Number.isFinite(limit) || limit <= 0) {
      throw validationError(this, 'monthlyLimitUsd', `monthlyLimitUsd is ${limit}; give the month's Bedrock spend in US dollars at which to stop, above 0 (such as 5000)`);
    }
    const alertAt = props.alertAtPercent ?? 80;
    if (!Number.isFinite(alertAt) || alertAt <= 0 || alertAt >= 100) {
      throw validationError(this, 'alertAtPercent', `alertAtPercent is ${alertAt}; it must lie between 0 and 100 (exclusive), below the limit itself, such as 80`);
    }
    const tag = props.costAllocationTag;
    if (tag && (tag.key.trim() === '' || tag.key.startsWith('aws:') || tag.value.trim() === '')) {
      throw validationError(this, 'costAllocationTag', `costAllocationTag ${JSON.stringify(tag)} is not a user cost allocation tag: give a key (not 'aws:...') and a value, such as { key: 'team', value: 'payments' }`);
    }
    const stack = Stack.of(this);
    const accounts = attributeTo(this, 'linkedAccounts', () => checkLinkedAccounts(props.linkedAccounts ?? [stack.account]));
    const service = { dimensions: { key: 'SERVICE', values: [BEDROCK_SERVICE] } };
    const subscriber = { subscriptionType: 'SNS', address: props.alertTopic.topicArn };
    const notify = (notificationType: string, threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers: [subscriber],
    });
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: limit, unit: 'USD' },
        // A filter expression needs its metric named (AWS Budgets API, Budget: FilterExpression and Metrics).
        metrics: ['UnblendedCost'],
        filterExpression: narrowed(props.includeMarketplace ?? true
          ? { or: [service, { dimensions: { key: 'BILLING_ENTITY', values: [MARKETPLACE_BILLING_ENTITY] } }] }
          : service, accounts, props.costAllocationTag),
      },
      notificationsWithSubscribers: [notify('ACTUAL', alertAt), notify('FORECASTED', 100), notify('ACTUAL', 100)],
    });

    // Budgets publishes to the topic and, encrypted, with its key (AWS Budgets User Guide, "Creating an Amazon SNS topic for budget notifications").
    const fromBudgets = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:budgets::${stack.account}:*` },
    };
    props.alertTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BudgetNotifications',
      principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [props.alertTopic.topicArn],
      conditions: fromBudgets,
    }));
    props.alertTopicKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'BudgetNotificationsEncrypt',
      principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));

    const roles = props.stopRoles ?? [];
    if (roles.length === 0) {
      return;
    }
    this.stopPolicy = new iam.ManagedPolicy(this, 'StopPolicy', {
      description: `Attached by AWS Budgets when Bedrock spend passes ${limit} USD in a month: denies every Bedrock call`,
      statements: [new iam.PolicyStatement({ sid: 'StopBedrockAtSpendLimit', effect: iam.Effect.DENY, actions: ['bedrock:*'], resources: ['*'] })],
    });
    for (const role of roles) {
      role._addSpendStop(this.stopPolicy);
    }
    const executionRole = new iam.Role(this, 'ActionRole', {
      assumedBy: new iam.ServicePrincipal('budgets.amazonaws.com', { conditions: fromBudgets }),
      description: 'Lets AWS Budgets attach (and, on reversal, detach) the spend-stop policy to the Bedrock invoke roles',
    });
    executionRole.addManagedPolicy(new iam.ManagedPolicy(this, 'ActionPolicy', {
      statements: [new iam.PolicyStatement({
        sid: 'AttachOnlyTheStopPolicyToTheInvokeRoles',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: roles.map((r) => r.roleArn),
        conditions: { ArnEquals: { 'iam:PolicyARN': this.stopPolicy.managedPolicyArn } },
      })],
    }));
    this.stopAction = new budgets.CfnBudgetsAction(this, 'StopAction', {
      budgetName: this.budget.ref,
      notificationType: 'ACTUAL',
      actionType: 'APPLY_IAM_POLICY',
      actionThreshold: { type: 'PERCENTAGE', value: 100 },
      definition: { iamActionDefinition: { policyArn: this.stopPolicy.managedPolicyArn, roles: roles.map((r) => r.roleName) } },
      executionRoleArn: executionRole.roleArn,
      approvalModel: 'AUTOMATIC',
      subscribers: [{ type: 'SNS', address: props.alertTopic.topicArn }],
    });
  }
}

/** The spend filter, narrowed to the linked accounts and, for a team's budget, to one cost allocation tag's value. */
function narrowed(
  filter: budgets.CfnBudget.ExpressionProperty, accounts: string[], tag: CostAllocationTag | undefined,
): budgets.CfnBudget.ExpressionProperty {
  return {
    and: [
      filter,
      { dimensions: { key: 'LINKED_ACCOUNT', values: accounts } },
      ...(tag ? [{ tags: { key: tag.key, values: [tag.value], matchOptions: ['EQUALS'] } }] : []),
    ],
  };
}

function checkLinkedAccounts(accounts: string[]): string[] {
  if (accounts.length === 0) {
    throw new Error('linkedAccounts is empty: a budget that counts no account never fires; list the accounts whose Bedrock spend it counts, such as [\'111122223333\'], or leave it out for the stack\'s own account');
  }
  const bad = accounts.find((a) => !Token.isUnresolved(a) && !/^\d{12}$/.test(a));
  if (bad !== undefined) {
    throw new Error(`linkedAccounts holds '${bad}', which is not a 12-digit AWS account id: list account ids such as '111122223333'`);
  }
  return [...new Set(accounts)];
}
