import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALERT_TOPIC_ENV, BASELINE_ENV, BASELINE_VERSION, DriftBaseline } from './baseline';
import { permissionSetBaseline, roleBaseline } from './baseline-builder';
import { deployedLengthBound, LAMBDA_ENVIRONMENT_LIMIT } from './baseline-size';
import { ConfigRecorder } from './config-recorder';
import { EvaluateRoleDriftFunction } from './evaluate-role-drift-function';
import { addMemberAccounts, checkMemberAccounts, coverage } from './member-accounts';
import { CONFIG_EVALUATION_ACTIONS } from './member-template';
import { checkFrequency, checkRecordingRegion, checkWatched } from './rule-input';
import { acknowledgeFinding } from '../access/acknowledge';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';
import { attributeTo, validationError } from '../errors/validation-error';

/** Properties of a `BedrockDriftRule`. */
export interface BedrockDriftRuleProps {
  /**
   * Invoke roles to watch, matched by role id, and by name once deleted and created again.
   *
   * @default - none; give at least one role or permission set
   */
  readonly roles?: BedrockInvokeRole[];

  /**
   * Permission sets whose roles (`AWSReservedSSO_<name>_<suffix>` under `/aws-reserved/sso.amazonaws.com/`)
   * to watch in this account, matched by that path and their exact name rule.
   *
   * @default - none; give at least one role or permission set
   */
  readonly permissionSets?: BedrockPermissionSet[];

  /**
   * How often every watched role is evaluated again, besides on each change: 1, 3, 6, 12 or 24
   * hours. The periodic run also catches a raised max session, which Config does not record.
   *
   * @default Duration.hours(24)
   */
  readonly maximumExecutionFrequency?: Duration;

  /**
   * The recorder the rule reads: the account's own, or one this construct creates.
   *
   * @default ConfigRecorder.existing()
   */
  readonly recorder?: ConfigRecorder;

  /**
   * A topic told each time a watched role changes compliance. Pass the detection construct's topic
   * to get leak and drift alerts in one place.
   *
   * @default - no notification; findings are in the AWS Config console
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * Undo drift on the invoke roles: detach unexpected managed policies, attach the guard again,
   * delete inline policies, restore the boundary and the max session. Never on permission-set roles,
   * which IAM Identity Center owns.
   *
   * @default false
   */
  readonly autoRevert?: boolean;

  /**
   * The Config rule's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly configRuleName?: string;

  /**
   * Other accounts whose permission-set roles to evaluate, such as the accounts the sets are assigned
   * in. A self-managed CloudFormation StackSet gives each one a custom Config rule that invokes this
   * function, and a role the function assumes there to read the roles and record its evaluations.
   * Each account needs a Config recorder in this Region that records `AWS::IAM::Role`, and the
   * `AWSCloudFormationStackSetExecutionRole` trusted by this account.
   *
   * @default - this account only
   */
  readonly memberAccounts?: string[];
}

/**
 * An AWS Config custom rule that marks a Bedrock invoke role, or a permission set's roles,
 * NON_COMPLIANT when its permissions leave the baseline the library built: an extra managed policy,
 * an inline policy that allows more, a missing or altered deny guard, a removed boundary, a wider
 * trust policy, a longer session. The annotation names what drifted.
 *
 * Deploy it in the one Region that records IAM roles (IAM is global).
 */
export class BedrockDriftRule extends Construct {
  /** The Config rule's name. */
  public readonly configRuleName: string;
  /** The Config rule's ARN. */
  public readonly configRuleArn: string;
  /** The function that evaluates each role. */
  public readonly evaluationFunction: lambda.IFunction;
  /** The most characters the baseline takes in the function's environment once deployed. */
  public readonly baselineCharacters: number;
  /** The StackSet that adds the rule and the evaluation role to each member account, when there are any. */
  public readonly memberStackSet?: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: BedrockDriftRuleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const roles = props.roles ?? [];
    const permissionSets = props.permissionSets ?? [];
    checkWatched(this, roles, permissionSets, props.autoRevert ?? false);
    const frequency = checkFrequency(this, props.maximumExecutionFrequency ?? Duration.hours(24));
    checkRecordingRegion(this, stack.region);

    const baseline: DriftBaseline = {
      v: BASELINE_VERSION,
      roles: attributeTo(this, 'roles', () => roles.map(roleBaseline)),
      sets: attributeTo(this, 'permissionSets', () => permissionSets.map(permissionSetBaseline)),
      revert: props.autoRevert ?? false,
    };
    this.baselineCharacters = deployedLengthBound(stack, baseline);
    // The alert topic's ARN travels too, for what a compliance change cannot tell.
    const topicSize = props.alertTopic
      ? ALERT_TOPIC_ENV.length + deployedLengthBound(stack, props.alertTopic.topicArn)
      : 0;
    const environmentSize = BASELINE_ENV.length + this.baselineCharacters + 'AWS_NODEJS_CONNECTION_REUSE_ENABLED1'.length + topicSize;
    if (environmentSize > LAMBDA_ENVIRONMENT_LIMIT) {
      throw validationError(this, ['roles', 'permissionSets'], `the drift baseline needs up to ${environmentSize} characters of Lambda environment, over the ${LAMBDA_ENVIRONMENT_LIMIT} Lambda allows: watch fewer roles or permission sets with this rule (${roles.length} and ${permissionSets.length} now) and put the rest in a second BedrockDriftRule`);
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'EvaluatorRole', {
      description: 'Lets the Bedrock drift rule read IAM role items from AWS Config and record its evaluations',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const policy = new iam.ManagedPolicy(this, 'EvaluatorPolicy', {
      description: 'Reads IAM role items from AWS Config and records the Bedrock drift evaluations',
      roles: [role],
    });
    policy.addStatements(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    policy.addStatements(new iam.PolicyStatement({ actions: [...CONFIG_EVALUATION_ACTIONS], resources: ['*'] }));
    acknowledgeFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
      'PutEvaluations, GetResourceConfigHistory, ListDiscoveredResources, BatchGetResourceConfig and DescribeConfigurationRecorder(Status) take no resource, so IAM grants them only on *');
    const roleArns = roles.map((r) => r.roleArn);
    if (roleArns.length > 0) {
      // Config's role item has no max session, so the function reads it from IAM.
      policy.addStatements(new iam.PolicyStatement({ actions: ['iam:GetRole'], resources: roleArns }));
      // A new default version of an expected policy changes no role item, so the function reads them.
      policy.addStatements(new iam.PolicyStatement({
        actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
        resources: roles.flatMap((r) => [...r.managedPolicyArns, r.permissionsBoundaryArn]),
      }));
    }
    if (props.autoRevert) {
      addRevertPermissions(policy, roles);
    }
    const setArns = permissionSets.flatMap((set) => [set.instanceArn, set.permissionSetArn]);
    if (setArns.length > 0) {
      // The scheduled run compares each set in Identity Center with its baseline: these five reads say all it grants.
      policy.addStatements(new iam.PolicyStatement({
        sid: 'ReadTheWatchedPermissionSets',
        actions: [
          'sso:DescribePermissionSet',
          'sso:GetInlinePolicyForPermissionSet',
          'sso:ListManagedPoliciesInPermissionSet',
          'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
          'sso:GetPermissionsBoundaryForPermissionSet',
        ],
        resources: [...new Set(setArns)],
      }));
    }
    // A deleted invoke role and a changed permission set reach no compliance change: the function tells the topic.
    const alerts = props.alertTopic !== undefined;
    if (alerts) {
      policy.addStatements(new iam.PolicyStatement({ sid: 'AlertOnDriftConfigCannotShow', actions: ['sns:Publish'], resources: [props.alertTopic!.topicArn] }));
      const key = props.alertTopic!.masterKey;
      if (key) {
        policy.addStatements(new iam.PolicyStatement({ sid: 'EncryptTheAlert', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }));
      }
    }

    const fn = new EvaluateRoleDriftFunction(this, 'Evaluator', {
      description: 'Evaluates Bedrock invoke roles and permission-set roles against their least-privilege baseline for AWS Config',
      role,
      logGroup,
      timeout: Duration.minutes(5),
      memorySize: 256,
      environment: { [BASELINE_ENV]: stack.toJsonString(baseline), ...(alerts ? { [ALERT_TOPIC_ENV]: props.alertTopic!.topicArn } : {}) },
    });
    fn.node.addDependency(policy);
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      acknowledgeFinding(logGroup, `${pack}-CloudWatchLogGroupEncrypted`,
        'the log holds role ids, policy names and verdicts that AWS Config shows anyway, never credentials; CloudWatch Logs encrypts it at rest with its own keys');
    }
    acknowledgeNoQueueVpcOrReservation(fn);
    this.evaluationFunction = fn;

    const permission = new lambda.CfnPermission(this, 'ConfigMayInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: stack.account,
    });

    // The library's own managed policies are in scope too, so a new default version of the guard, an
    // invoke policy or the boundary is evaluated on its own change notification, not a day later.
    // Config scopes a rule to one resource id at most, so the scope is by type.
    const resourceTypes = roles.length > 0 ? ['AWS::IAM::Role', 'AWS::IAM::Policy'] : ['AWS::IAM::Role'];
    const rule = new config.CfnConfigRule(this, 'Resource', {
      configRuleName: props.configRuleName,
      description: 'Bedrock least-privilege drift: NON_COMPLIANT when a watched role gains a policy, an inline permission, a wider trust or a longer session, or loses its guard or boundary',
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: fn.functionArn,
        sourceDetails: [
          { eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'ScheduledNotification', maximumExecutionFrequency: frequency },
        ],
      },
      scope: { complianceResourceTypes: resourceTypes },
    });
    rule.node.addDependency(permission);
    const recorder = (props.recorder ?? ConfigRecorder.existing())._bind(this);
    if (recorder) {
      rule.node.addDependency(recorder);
    }
    this.configRuleName = rule.ref;
    this.configRuleArn = rule.attrArn;
    const members = checkMemberAccounts(this, props.memberAccounts ?? [], stack.account, permissionSets.length);
    if (members.length > 0) {
      this.memberStackSet = addMemberAccounts(this, { fn, role, policy, accounts: members, frequency });
    }
    Annotations.of(this).addInfo(coverage(stack, members));

    if (props.alertTopic) {
      const alert = new events.Rule(this, 'ComplianceChange', {
        description: 'Tells the alert topic when a watched Bedrock role changes compliance',
        eventPattern: {
          source: ['aws.config'],
          detailType: ['Config Rules Compliance Change'],
          detail: { configRuleName: [rule.ref] },
        },
      });
      alert.addTarget(new targets.SnsTopic(props.alertTopic, {
        message: events.RuleTargetInput.fromText(
          `Bedrock drift: ${events.EventField.fromPath('$.detail.resourceType')} ${events.EventField.fromPath('$.detail.resourceId')} in account ${events.EventField.account} is now `
          + `${events.EventField.fromPath('$.detail.newEvaluationResult.complianceType')}: ${events.EventField.fromPath('$.detail.newEvaluationResult.annotation')}`),
      }));
    }
  }
}

/** Only what undoing drift needs, only on the watched invoke roles; the guard can never be detached. */
function addRevertPermissions(policy: iam.ManagedPolicy, roles: BedrockInvokeRole[]): void {
  const resources = roles.map((r) => r.roleArn);
  const expected = roles.flatMap((r) => r.managedPolicyArns);
  policy.addStatements(new iam.PolicyStatement({
    sid: 'DetachOnlyUnexpectedPolicies',
    actions: ['iam:DetachRolePolicy'],
    resources,
    conditions: { ArnNotEquals: { 'iam:PolicyARN': expected } },
  }));
  policy.addStatements(new iam.PolicyStatement({
    sid: 'AttachOnlyTheBaselinePolicies',
    actions: ['iam:AttachRolePolicy'],
    resources,
    conditions: { ArnEquals: { 'iam:PolicyARN': expected } },
  }));
  policy.addStatements(new iam.PolicyStatement({
    sid: 'RestoreOnlyTheBaselineBoundary',
    actions: ['iam:PutRolePermissionsBoundary'],
    resources,
    conditions: { ArnEquals: { 'iam:PermissionsBoundary': roles.map((r) => r.permissionsBoundaryArn) } },
  }));
  policy.addStatements(new iam.PolicyStatement({
    sid: 'DeleteInlineAndShortenSession',
    actions: ['iam:DeleteRolePolicy', 'iam:UpdateRole'],
    resources,
  }));
}

function acknowledgeNoQueueVpcOrReservation(fn: lambda.Function): void {
  const reasons: Record<string, string> = {
    'NIST.800.53.R5-LambdaDLQ': 'a failed evaluation is raised as a Lambda error and redone by the next change notification and the periodic run, so a queue would hold nothing to replay',
    'HIPAA.Security-LambdaDLQ': 'a failed evaluation is raised as a Lambda error and redone by the next change notification and the periodic run, so a queue would hold nothing to replay',
    'PCI.DSS.321-LambdaDLQ': 'a failed evaluation is raised as a Lambda error and redone by the next change notification and the periodic run, so a queue would hold nothing to replay',
    'NIST.800.53.R5-LambdaConcurrency': 'Config invokes the rule a few times per role change; reserving concurrency fails to deploy in accounts at the unreserved minimum',
    'HIPAA.Security-LambdaConcurrency': 'Config invokes the rule a few times per role change; reserving concurrency fails to deploy in accounts at the unreserved minimum',
    'NIST.800.53.R5-LambdaInsideVPC': 'the function only calls the AWS Config and IAM APIs and has no inbound path; a VPC would add endpoints, not protection',
    'HIPAA.Security-LambdaInsideVPC': 'the function only calls the AWS Config and IAM APIs and has no inbound path; a VPC would add endpoints, not protection',
    'PCI.DSS.321-LambdaInsideVPC': 'the function only calls the AWS Config and IAM APIs and has no inbound path; a VPC would add endpoints, not protection',
  };
  for (const [id, reason] of Object.entries(reasons)) {
    acknowledgeFinding(fn, id, reason);
  }
}

