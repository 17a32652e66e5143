import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AssignmentPrincipalType, BedrockDriftRule, BedrockInvokeRole, BedrockInvokeRoleProps, BedrockSpendLimit, ClaudeCodeBedrockAccess, ConfigRecorder, ModelReference } from '../../lib';
import { BASELINE_ENV, RoleBaseline } from '../../lib/drift/baseline';
import { evaluate } from '../../lib/drift/evaluate';
import { planRevert } from '../../lib/drift/revert-plan';
import { exampleBaseline } from '../drift/fixtures/baseline';
import { GUARD_POLICY_ARN, INVOKE_POLICY_ARN, invokeRoleItem } from '../drift/fixtures/role-items';
import { budgetCounts, CostLineItem } from '../support/budget-filter';
import { decide } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');

function limited(props: { includeMarketplace?: boolean; stop?: boolean } = {}) {
  const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  const role = new BedrockInvokeRole(stack, 'Invoke', { models: [SONNET], roleName: 'ClaudeCodeBedrockInvoke', trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
  const key = new kms.Key(stack, 'Key');
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: key });
  const limit = new BedrockSpendLimit(stack, 'Spend', {
    monthlyLimitUsd: 5000,
    alertTopic: topic,
    alertTopicKey: key,
    stopRoles: props.stop === false ? [] : [role],
    includeMarketplace: props.includeMarketplace,
  });
  return { stack, role, topic, limit, template: Template.fromStack(stack) };
}
const { stack, role, limit, template } = limited();
const json = template.toJSON();
const find = (type: string, test: (r: any) => boolean = () => true) =>
  Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === type && test(r));

test('a monthly cost budget on Bedrock and Marketplace spend, alerting at 80 %, on the forecast, and at the limit', () => {
  const [budget] = find('AWS::Budgets::Budget');
  expect(budget.Properties.Budget).toEqual({
    BudgetType: 'COST',
    TimeUnit: 'MONTHLY',
    BudgetLimit: { Amount: 5000, Unit: 'USD' },
    Metrics: ['UnblendedCost'],
    FilterExpression: {
      And: [
        { Or: [{ Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'] } }, { Dimensions: { Key: 'BILLING_ENTITY', Values: ['AWS Marketplace'] } }] },
        { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT_A] } },
      ],
    },
  });
  const notifications = budget.Properties.NotificationsWithSubscribers
    .map((n: any) => [n.Notification.NotificationType, n.Notification.Threshold, n.Subscribers[0].SubscriptionType]);
  expect(notifications).toEqual([['ACTUAL', 80, 'SNS'], ['FORECASTED', 100, 'SNS'], ['ACTUAL', 100, 'SNS']]);
  const narrow = Object.values(limited({ includeMarketplace: false }).template.toJSON().Resources as Record<string, any>).find((r) => r.Type === 'AWS::Budgets::Budget');
  expect(narrow.Properties.Budget.FilterExpression).toEqual({ And: [{ Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'] } }, { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT_A] } }] });
});

test('a team\'s budget counts only spend carrying its cost allocation tag', () => {
  const s = new Stack(new App(), 'Team', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  new BedrockSpendLimit(s, 'Spend', { monthlyLimitUsd: 800, alertTopic: new sns.Topic(s, 'T'), costAllocationTag: { key: 'team', value: 'payments' }, includeMarketplace: false });
  const [budget] = Object.values(Template.fromStack(s).findResources('AWS::Budgets::Budget'));
  expect(budget.Properties.Budget.FilterExpression).toEqual({
    And: [
      { Dimensions: { Key: 'SERVICE', Values: ['Amazon Bedrock'] } },
      { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [ACCOUNT_A] } },
      { Tags: { Key: 'team', Values: ['payments'], MatchOptions: ['EQUALS'] } },
    ],
  });
  expect(() => new BedrockSpendLimit(s, 'Bad', { monthlyLimitUsd: 800, alertTopic: new sns.Topic(s, 'U'), costAllocationTag: { key: 'aws:team', value: 'x' } }))
    .toThrow(/is not a user cost allocation tag/);
});

test('Budgets may publish to the topic, and use its key, from this account only', () => {
  const topicPolicy = find('AWS::SNS::TopicPolicy')[0].Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'BudgetNotifications');
  expect(topicPolicy).toMatchObject({ Effect: 'Allow', Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT_A } } });
  const keyPolicy = find('AWS::KMS::Key')[0].Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'BudgetNotificationsEncrypt');
  expect(keyPolicy).toMatchObject({ Principal: { Service: 'budgets.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] });
});

test('at the limit an automatic Budgets action attaches the stop policy to the invoke role', () => {
  const [action] = find('AWS::Budgets::BudgetsAction');
  expect(action.Properties).toMatchObject({
    NotificationType: 'ACTUAL',
    ActionType: 'APPLY_IAM_POLICY',
    ActionThreshold: { Type: 'PERCENTAGE', Value: 100 },
    ApprovalModel: 'AUTOMATIC',
    Definition: { IamActionDefinition: { Roles: [stack.resolve(role.roleName)] } },
  });
  expect(limited({ stop: false }).limit.stopAction).toBeUndefined();
});

describe('proved by simulation', () => {
  const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:inference-profile/us.anthropic.claude-sonnet-4-6`;
  const stopDocument = resolveIntrinsics(stack.resolve(limit.stopPolicy!.document.toJSON()), ACCOUNT_A) as PolicyJson;

  test('the stopped role can call nothing on Bedrock; before the stop it could', async () => {
    const before = roleSubject(stack, ACCOUNT_A, { rolePrefix: 'Invoke' });
    const after = { ...before, identityPolicies: [...before.identityPolicies, stopDocument] };
    expect(await decide(before, { action: 'bedrock:InvokeModel', resource: profile })).toBe('Allowed');
    expect(await decide(after, { action: 'bedrock:InvokeModel', resource: profile })).toBe('ExplicitlyDenied');
    expect(await decide(after, { action: 'bedrock:InvokeModelWithResponseStream', resource: profile })).toBe('ExplicitlyDenied');
  });

  test('Budgets\' role may attach the stop policy to the invoke role, and no other policy, and to no other role', async () => {
    const policy = find('AWS::IAM::ManagedPolicy', (r) => r.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'AttachOnlyTheStopPolicyToTheInvokeRoles'))[0];
    const stopArn = `arn:aws:iam::${ACCOUNT_A}:policy/StopPolicy`;
    const roleArn = `arn:aws:iam::${ACCOUNT_A}:role/ClaudeCodeBedrockInvoke`;
    const doc = JSON.parse(JSON.stringify(policy.Properties.PolicyDocument)
      .split(JSON.stringify(stack.resolve(limit.stopPolicy!.managedPolicyArn))).join(JSON.stringify(stopArn))
      .split(JSON.stringify(stack.resolve(role.roleArn))).join(JSON.stringify(roleArn)));
    const subject = { identityPolicies: [doc as PolicyJson], principal: { account: ACCOUNT_A, roleArn: `arn:aws:iam::${ACCOUNT_A}:role/BudgetsAction` } };
    expect(await decide(subject, { action: 'iam:AttachRolePolicy', resource: roleArn, context: { 'iam:PolicyARN': stopArn } })).toBe('Allowed');
    expect(await decide(subject, { action: 'iam:AttachRolePolicy', resource: roleArn, context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } })).toBe('ImplicitlyDenied');
    expect(await decide(subject, { action: 'iam:AttachRolePolicy', resource: `arn:aws:iam::${ACCOUNT_A}:role/Deployer`, context: { 'iam:PolicyARN': stopArn } })).toBe('ImplicitlyDenied');
  });
});

describe('drift and the spend stop', () => {
  const STOP = 'arn:aws:iam::111122223333:policy/ClaudeCodeBedrock-SpendStop-1A2B3C4D';
  const base = exampleBaseline(true);
  const withStop = { ...base, roles: [{ ...base.roles[0], policies: [...base.roles[0].policies, { arn: STOP, kind: 's', statements: [] }] } as RoleBaseline] };

  test('the stop attached by Budgets is not drift, and revert leaves it in place', () => {
    const item = invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, STOP] });
    expect(evaluate(item, withStop).compliance).toBe('COMPLIANT');
    expect(planRevert(item.configuration as any, withStop.roles[0])).toBeUndefined();
    // Not attached is fine too: the budget has not been reached.
    expect(evaluate(invokeRoleItem(), withStop).compliance).toBe('COMPLIANT');
  });

  test('can fail: the same policy on a role whose baseline does not know it is drift, and is detached', () => {
    const item = invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, STOP] });
    expect(evaluate(item, base).compliance).toBe('NON_COMPLIANT');
    expect(planRevert(item.configuration as any, base.roles[0])?.detach).toEqual([STOP]);
  });

  test('the front door builds the limit before the drift rule, so the baseline names the stop policy', () => {
    const s = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    const access = new ClaudeCodeBedrockAccess(s, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], monthlySpendLimitUsd: 20000 });
    expect(access.spendLimit?.stopAction).toBeDefined();
    const t = Template.fromStack(s).toJSON();
    const driftFn = Object.values(t.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[BASELINE_ENV]);
    const stopId = s.getLogicalId(access.spendLimit!.stopPolicy!.node.defaultChild as any);
    expect(JSON.stringify(driftFn.Properties.Environment.Variables[BASELINE_ENV])).toContain(stopId);
  });

  test('a limit added after the drift rule read the baseline is refused at synth, saying what to reorder', () => {
    const s = new Stack(new App(), 'Late', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    const r = new BedrockInvokeRole(s, 'Invoke', { models: [SONNET], roleName: 'ClaudeCodeBedrockInvoke', trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    new BedrockDriftRule(s, 'Drift', { roles: [r], recorder: ConfigRecorder.existing() });
    expect(() => new BedrockSpendLimit(s, 'Spend', { monthlyLimitUsd: 100, alertTopic: new sns.Topic(s, 'T'), stopRoles: [r] }))
      .toThrow(/after its drift rule read the baseline: create the BedrockSpendLimit before the BedrockDriftRule/);
  });
});

test.each([
  [{ monthlyLimitUsd: 0 }, /monthlyLimitUsd is 0; give the month's Bedrock spend in US dollars/],
  [{ monthlyLimitUsd: -10 }, /monthlyLimitUsd is -10/],
  [{ monthlyLimitUsd: Number.POSITIVE_INFINITY }, /monthlyLimitUsd is Infinity/],
  [{ monthlyLimitUsd: 100, alertAtPercent: 100 }, /alertAtPercent is 100; it must lie between 0 and 100/],
  [{ monthlyLimitUsd: 100, alertAtPercent: 0 }, /alertAtPercent is 0/],
])('synthesis refuses %j', (props, message) => {
  const s = new Stack(new App(), 'Bad');
  expect(() => new BedrockSpendLimit(s, 'Spend', { alertTopic: new sns.Topic(s, 'T'), ...props })).toThrow(message);
});

test('the front door refuses a spend limit without detection', () => {
  const s = new Stack(new App(), 'NoDetection', { env: { region: 'us-east-1' } });
  expect(() => new ClaudeCodeBedrockAccess(s, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], detection: false, monthlySpendLimitUsd: 100 }))
    .toThrow(/monthlySpendLimitUsd needs detection/);
});

describe('the budget counts the accounts where the identities live', () => {
  const MEMBER = '444455556666';
  const OTHER_TEAM = '210987654321';
  const bedrock = (account: string): CostLineItem => ({ dimensions: { SERVICE: 'Amazon Bedrock', LINKED_ACCOUNT: account, BILLING_ENTITY: 'AWS' } });
  const marketplace = (account: string): CostLineItem => ({ dimensions: { SERVICE: 'Some SaaS Product', LINKED_ACCOUNT: account, BILLING_ENTITY: 'AWS Marketplace' } });
  const budgetFilter = (t: Template) => Object.values(t.findResources('AWS::Budgets::Budget'))[0].Properties.Budget.FilterExpression;

  test('in a management account, another account\'s Bedrock bill or Marketplace purchase never counts', () => {
    const filter = budgetFilter(template);
    expect(budgetCounts(filter, bedrock(ACCOUNT_A))).toBe(true);
    expect(budgetCounts(filter, marketplace(ACCOUNT_A))).toBe(true);
    expect(budgetCounts(filter, bedrock(OTHER_TEAM))).toBe(false);
    expect(budgetCounts(filter, marketplace(OTHER_TEAM))).toBe(false);
  });

  test('can fail: the filter without the account narrowing counts the other team\'s bill', () => {
    const unnarrowed = budgetFilter(template).And[0];
    expect(budgetCounts(unnarrowed, bedrock(OTHER_TEAM))).toBe(true);
  });

  test('the front door counts the home account and every account the permission set is assigned in', () => {
    const s = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    new ClaudeCodeBedrockAccess(s, 'ClaudeCode', {
      model: SONNET,
      smallFastModel: HAIKU,
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
      identityCenter: {
        instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        startUrl: 'https://example-company.awsapps.com/start',
        assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT_A, MEMBER] }],
      },
      monthlySpendLimitUsd: 20000,
    });
    const filter = budgetFilter(Template.fromStack(s));
    expect(budgetCounts(filter, bedrock(ACCOUNT_A))).toBe(true);
    expect(budgetCounts(filter, bedrock(MEMBER))).toBe(true);
    expect(budgetCounts(filter, bedrock(OTHER_TEAM))).toBe(false);
  });

  test.each([
    [[], /linkedAccounts is empty: a budget that counts no account never fires/],
    [['11112222333'], /linkedAccounts holds '11112222333', which is not a 12-digit AWS account id/],
  ])('synthesis refuses linkedAccounts %j', (linkedAccounts, message) => {
    const s = new Stack(new App(), 'Bad');
    expect(() => new BedrockSpendLimit(s, 'Spend', { monthlyLimitUsd: 100, alertTopic: new sns.Topic(s, 'T'), linkedAccounts })).toThrow(message);
  });
});

describe('the stop always has a managed-policy slot', () => {
  const stopped = (roleProps: Partial<BedrockInvokeRoleProps>, extra = 0) => {
    const s = new Stack(new App(), 'Slots', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    const r = new BedrockInvokeRole(s, 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], ...roleProps });
    for (let i = 0; i < extra; i++) {
      r.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(`ReadOnly${i}`));
    }
    new BedrockSpendLimit(s, 'Spend', { monthlyLimitUsd: 100, alertTopic: new sns.Topic(s, 'T'), stopRoles: [r] });
    return () => Template.fromStack(s);
  };

  test('a role whose every slot is taken is refused at synth, naming the fix', () => {
    expect(stopped({ maxManagedPolicies: 2 })).toThrow(/attaches 2 managed policies and a spend limit's stop needs 1 more, over the 2 IAM allows it .*reservedManagedPolicySlots: 1/);
  });

  test('policies the app attaches later count too', () => {
    expect(stopped({ maxManagedPolicies: 4 }, 2)).toThrow(/attaches 4 managed policies/);
    expect(stopped({ maxManagedPolicies: 4 }, 1)).not.toThrow();
  });

  test('with a reserved slot the invoke policy and the guard leave room for the stop', () => {
    const t = stopped({ maxManagedPolicies: 3, reservedManagedPolicySlots: 1 })();
    const [cfnRole] = Object.values(t.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('^Invokes') } }));
    expect(cfnRole.Properties.ManagedPolicyArns.length).toBeLessThanOrEqual(2);
  });

  test('synthesis refuses a reservation that leaves no room for the invoke policy', () => {
    expect(() => stopped({ maxManagedPolicies: 2, reservedManagedPolicySlots: 1 })).toThrow(/reservedManagedPolicySlots is 1: use a whole number from 0 to 0/);
  });
});
