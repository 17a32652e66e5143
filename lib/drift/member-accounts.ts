import { Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { MEMBER_ROLE_NAME, memberTemplate } from './member-template';
import { validationError } from '../errors/validation-error';

/** The member accounts, checked: 12 digits each, listed once, not this account, and something to watch there. */
export function checkMemberAccounts(scope: IConstruct, accounts: string[], home: string, permissionSets: number): string[] {
  for (const a of accounts) {
    if (!/^\d{12}$/.test(a)) {
      throw validationError(scope, 'memberAccounts', `memberAccounts: '${a}' is not an account id: use the 12-digit id, such as '111122223333'`);
    }
  }
  const dup = accounts.find((a, i) => accounts.indexOf(a) !== i);
  if (dup !== undefined) {
    throw validationError(scope, 'memberAccounts', `memberAccounts lists ${dup} twice: list each account once`);
  }
  if (!Token.isUnresolved(home) && accounts.includes(home)) {
    throw validationError(scope, 'memberAccounts', `memberAccounts lists ${home}, the stack's own account, which the rule already covers: remove it`);
  }
  if (accounts.length > 0 && permissionSets === 0) {
    throw validationError(scope, 'memberAccounts', 'memberAccounts is set but no permission set is watched: only permission-set roles live in other accounts, so add permissionSets or drop memberAccounts');
  }
  return [...accounts];
}

export interface MemberWiring {
  readonly fn: lambda.IFunction;
  readonly role: iam.IRole;
  readonly policy: iam.ManagedPolicy;
  readonly accounts: string[];
  readonly frequency: config.MaximumExecutionFrequency;
}

/**
 * Lets each member account's Config invoke the function (one permission per account, scoped to it),
 * lets the function assume only the evaluation role there, and deploys both with one StackSet.
 */
export function addMemberAccounts(scope: Construct, w: MemberWiring): cloudformation.CfnStackSet {
  const stack = Stack.of(scope);
  const permissions = w.accounts.map((account) => new lambda.CfnPermission(scope, `ConfigMayInvokeFrom${account}`, {
    action: 'lambda:InvokeFunction',
    functionName: w.fn.functionArn,
    principal: 'config.amazonaws.com',
    sourceAccount: account,
  }));
  w.policy.addStatements(new iam.PolicyStatement({
    sid: 'EvaluateInMemberAccounts',
    actions: ['sts:AssumeRole'],
    resources: w.accounts.map((account) => `arn:${stack.partition}:iam::${account}:role/${MEMBER_ROLE_NAME}`),
  }));
  const stackSet = new cloudformation.CfnStackSet(scope, 'MemberAccounts', {
    stackSetName: `${scope.node.id}-members-${stack.stackName}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128),
    description: 'Bedrock least-privilege drift: a Config rule in each member account, evaluated by the platform account',
    permissionModel: 'SELF_MANAGED',
    capabilities: ['CAPABILITY_NAMED_IAM'],
    managedExecution: { Active: true },
    operationPreferences: { failureTolerancePercentage: 10, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
    parameters: [
      { parameterKey: 'EvaluatorFunctionArn', parameterValue: w.fn.functionArn },
      { parameterKey: 'EvaluatorRoleArn', parameterValue: w.role.roleArn },
    ],
    stackInstancesGroup: [{ regions: [stack.region], deploymentTargets: { accounts: w.accounts } }],
    templateBody: JSON.stringify(memberTemplate(w.frequency)),
  });
  // A member's rule is created only once its account may invoke the function.
  permissions.forEach((p) => stackSet.node.addDependency(p));
  return stackSet;
}

/** What synthesis tells the reader: which accounts the rule covers and what each one needs. */
export function coverage(stack: Stack, members: string[]): string {
  const region = Token.isUnresolved(stack.region) ? 'the stack\'s Region' : stack.region;
  const home = Token.isUnresolved(stack.account) ? 'this account' : `this account (${stack.account})`;
  if (members.length === 0) {
    return `Bedrock drift covers ${home} only; it needs an AWS Config recorder in ${region} that records AWS::IAM::Role (and AWS::IAM::Policy for same-minute policy checks).`;
  }
  return `Bedrock drift covers ${home} and member accounts ${members.join(', ')}. Each member account needs an AWS Config recorder in ${region} that records AWS::IAM::Role, `
    + `and the AWSCloudFormationStackSetExecutionRole trusted by ${home}, for the StackSet that adds its rule and the ${MEMBER_ROLE_NAME} role.`;
}
