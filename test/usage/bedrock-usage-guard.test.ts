import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockUsageGuard, ForwarderStackSet } from '../../lib';
import { detectionStack } from '../detection/detection-fixture';
import { ACCOUNT, forgedCall, INVOKE_ROLE, invokeRoleSession, otherRoleSession, ssoSession } from '../detection/fixtures/cloudtrail-events';
import { matches } from '../support/event-pattern-matcher';
import { decide } from '../support/iam-simulator';
import { PolicyJson, resolveIntrinsics } from '../support/template-policies';
import { DOCUMENTED_DEFAULT_LIMITS } from './fixtures/default-limits';
import { modelCall } from './fixtures/model-calls';
import * as prices from '../../lib/models/prices';
import { FALLBACK_CALL_USD } from '../../lib/usage/call-weight';
import { topCallersRule } from '../../lib/usage/usage-log';

function guarded(containment = true) {
  const built = detectionStack({ containment, forwarders: ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['us-east-1', 'eu-west-1'] }) });
  const guard = new BedrockUsageGuard(built.stack, 'Usage', { detection: built.detection });
  return { ...built, guard, template: Template.fromStack(built.stack) };
}
const { stack, guard, template, detection, permissionSet } = guarded();
const json = template.toJSON();
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

/** An Fn::Join of strings and intrinsics as one JSON text, each intrinsic written inside its string as its own JSON. */
function joined(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  const [sep, parts] = value['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : JSON.stringify(JSON.stringify(p)).slice(1, -1))).join(sep);
}

function dashboardBody(s: Stack = stack): any {
  const dash = Object.values(Template.fromStack(s).toJSON().Resources as Record<string, any>).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  return JSON.parse(joined(dash.Properties.DashboardBody));
}

/**
 * What a Contributor Insights rule counts for one log event (CloudWatch User Guide, "Contributor
 * Insights rule syntax"): the keys' values and ValueOf when every filter matches and every key exists;
 * nothing otherwise. JSON paths here are dotted (`$.a.b`), the only form the library's rules use.
 */
function contribution(rule: any, event: any): { key: unknown[]; value: number } | undefined {
  const at = (path: string) => path.slice(2).split('.').reduce((o: any, k) => (o && typeof o === 'object' ? o[k] : undefined), event);
  if (!rule.Contribution.Filters.every((f: any) => f.In.includes(at(f.Match)))) {
    return undefined;
  }
  const key = rule.Contribution.Keys.map(at);
  if (key.some((k: unknown) => k === undefined)) {
    return undefined;
  }
  return { key, value: rule.AggregateOn === 'Sum' ? Number(at(rule.Contribution.ValueOf)) : 1 };
}

test('counters live in a KMS-encrypted, on-demand table whose items expire', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    BillingMode: 'PAY_PER_REQUEST',
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
});

test('two rules, local and forwarded, take billed model calls of the watched sessions only, read-only events included', () => {
  const rules = Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Events::Rule' && /Billed model calls/.test(r.Properties.Description));
  expect(rules).toHaveLength(2);
  for (const rule of rules) {
    expect(rule.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    const pattern = rule.Properties.EventPattern;
    expect(matches(pattern, modelCall({ at: '2026-11-20T09:00:00Z' }))).toBe(true);
    expect(matches(pattern, modelCall({ at: '2026-11-20T09:00:00Z', identity: ssoSession() }))).toBe(true);
    expect(matches(pattern, modelCall({ at: '2026-11-20T09:00:00Z', eventName: 'Converse' }))).toBe(true);
    // The pattern can fail: other identities, free calls, and anything not put by AWS.
    expect(matches(pattern, modelCall({ at: '2026-11-20T09:00:00Z', identity: otherRoleSession() }))).toBe(false);
    expect(matches(pattern, modelCall({ at: '2026-11-20T09:00:00Z', eventName: 'CountTokens' }))).toBe(false);
    expect(matches(pattern, forgedCall({ eventSource: 'bedrock.amazonaws.com', eventName: 'InvokeModel' }, invokeRoleSession()))).toBe(false);
  }
  expect(rules.some((r) => r.Properties.EventBusName !== undefined)).toBe(true);
});

test('the function may alert and ask for containment, and nothing else; it counts by the table\'s own grant', () => {
  const policy = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && /Counts the billed Bedrock calls/.test(r.Properties.Description));
  const statements = policy.Properties.PolicyDocument.Statement.map((s: any) => [s.Sid, s.Action]);
  expect(statements).toEqual([
    ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ['DeadLetterQueue', 'sqs:SendMessage'],
    ['EncryptedTopicAndQueue', ['kms:GenerateDataKey', 'kms:Decrypt']],
    ['PublishAlerts', 'sns:Publish'],
    ['PutAlertEvents', 'events:PutEvents'],
    ['RequestContainment', 'sqs:SendMessage'],
  ]);
});

test('the containment queue admits the alert function and the usage guard, and nobody else', () => {
  const queuePolicy = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::SQS::QueuePolicy'
    && r.Properties.PolicyDocument.Statement.some((s: any) => s.Sid === 'OnlyTheLibrarysFunctionsSend'));
  const deny = queuePolicy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'OnlyTheLibrarysFunctionsSend');
  expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([
    { 'Fn::GetAtt': [stack.getLogicalId(detection.alertFunction.role!.node.defaultChild as any), 'Arn'] },
    { 'Fn::GetAtt': [stack.getLogicalId(guard.function.role!.node.defaultChild as any), 'Arn'] },
  ]);
  const containEnv = json.Resources[logicalId(detection.containmentFunction!)].Properties.Environment.Variables;
  expect(containEnv.REQUESTER_ROLE_IDS).toEqual({
    'Fn::Join': [',', [
      { 'Fn::GetAtt': [stack.getLogicalId(detection.alertFunction.role!.node.defaultChild as any), 'RoleId'] },
      { 'Fn::GetAtt': [stack.getLogicalId(guard.function.role!.node.defaultChild as any), 'RoleId'] },
    ]],
  });
});

test('the handler gets the watched identities, their grants and the limits', () => {
  const env = json.Resources[logicalId(guard.function)].Properties.Environment.Variables;
  const config = JSON.parse(env.USAGE_CONFIG);
  expect(config.containedRoles).toEqual([INVOKE_ROLE]);
  expect(config.roleGrants[INVOKE_ROLE].modelIds).toEqual(expect.arrayContaining(['us.anthropic.claude-sonnet-4-6', 'anthropic.claude-sonnet-4-6']));
  expect(config.roleGrants[INVOKE_ROLE].regions).toEqual(expect.arrayContaining(['us-east-1']));
  expect(config.limits).toEqual(DOCUMENTED_DEFAULT_LIMITS);
  // Every id a caller may name for a granted model has a weight: 200,000 input tokens at the cache-write
  // price plus 64,000 output tokens, at the table's price (the most one Sonnet 4.6 call can cost).
  const p = prices.priceOf('anthropic.claude-sonnet-4-6')!;
  const ceiling = (200_000 * p.cacheWritePerMillionUsd + 64_000 * p.outputPerMillionUsd) / 1_000_000;
  expect(config.weights.fallbackUsd).toBe(FALLBACK_CALL_USD);
  expect(config.weights.byModel['us.anthropic.claude-sonnet-4-6']).toBeCloseTo(ceiling, 6);
  expect(config.weights.byModel['anthropic.claude-sonnet-4-6']).toBeCloseTo(ceiling, 6);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('No price is known'))).toHaveLength(0);
});

test('a granted model without a price is named at synthesis, with the weight its calls get', () => {
  // A model the table does not know yet (the table lags a launch).
  const unpriced = jest.spyOn(prices, 'priceOf').mockReturnValue(undefined);
  try {
    const built = detectionStack();
    const g = new BedrockUsageGuard(built.stack, 'Usage', { detection: built.detection });
    const warnings = Annotations.fromStack(built.stack).findWarning('*', Match.stringLikeRegexp('No price is known for .*anthropic.claude-sonnet-4-6'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(new RegExp(`weighed at \\$${FALLBACK_CALL_USD}`));
    const fnId = built.stack.getLogicalId(g.function.node.defaultChild as any);
    const env = Template.fromStack(built.stack).toJSON().Resources[fnId].Properties.Environment.Variables;
    expect(JSON.parse(env.USAGE_CONFIG).weights.byModel['us.anthropic.claude-sonnet-4-6']).toBe(FALLBACK_CALL_USD);
  } finally {
    unpriced.mockRestore();
  }
});

test('the window is a key range: the table has a sort key, and the guard may Query it', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  const table = json.Resources[stack.getLogicalId(guard.table.node.defaultChild as any)];
  const uses = table.Properties.ResourcePolicy.PolicyDocument.Statement.find((st: any) => st.Sid === 'UsageGuardUses');
  expect(uses.Action).toEqual(['dynamodb:UpdateItem', 'dynamodb:Query']);
});

test('the function logs as JSON, and two Contributor Insights rules rank callers by the fields of its per-call line', () => {
  const fn = json.Resources[logicalId(guard.function)];
  expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
  const rules = Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::InsightRule');
  const bodies = rules.map((r) => JSON.parse(joined(r.Properties.RuleBody)));
  const logGroup = { Ref: stack.getLogicalId(guard.function.logGroup.node.defaultChild as any) };
  expect(bodies).toEqual(expect.arrayContaining([
    expect.objectContaining({ AggregateOn: 'Sum', LogFormat: 'JSON', Contribution: { Keys: ['$.message.principal'], ValueOf: '$.message.weightUsd', Filters: [{ Match: '$.message.event', In: ['bedrock-usage-call'] }] } }),
    expect.objectContaining({ AggregateOn: 'Count', Contribution: { Keys: ['$.message.principal'], Filters: [{ Match: '$.message.event', In: ['bedrock-usage-call'] }] } }),
  ]));
  for (const body of bodies) {
    expect(body.LogGroupNames).toEqual([JSON.stringify(logGroup)]);
  }
});

test('the rule keys on what the runtime writes: a logged object under message matches, a logged string does not', () => {
  const rule = topCallersRule('/aws/lambda/usage', 'Sum');
  const line = { event: 'bedrock-usage-call', principal: 'identity-center-name/bob@example.com', weightUsd: 1.71 };
  // The Node.js runtime's JSON format (LogPatch.js): one object logged is the message itself.
  const asObject = { timestamp: '2026-11-20T10:00:00.000Z', level: 'INFO', requestId: 'r', message: line };
  const asString = { ...asObject, message: JSON.stringify(line) };
  expect(contribution(rule, asObject)).toEqual({ key: ['identity-center-name/bob@example.com'], value: 1.71 });
  expect(contribution(rule, asString)).toBeUndefined();
});

test('the dashboard shows the top callers, alerts, containments and alarms, and the spend-rate cap can add its row', () => {
  const body = dashboardBody();
  const widgets = body.widgets;
  const insight = widgets.filter((w: any) => w.properties.insightRule);
  expect(insight.map((w: any) => w.properties.insightRule.ruleName)).toEqual([
    JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(guard.topCallersRule), 'RuleName'] }),
    JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(guard.topCallersByCallsRule), 'RuleName'] }),
  ]);
  const titles = widgets.map((w: any) => w.properties.title).filter(Boolean);
  expect(titles).toEqual(expect.arrayContaining(['Alerts published', 'Containment', 'Alarms', expect.stringMatching(/^Containments applied/)]));
  const published = widgets.find((w: any) => w.properties.title === 'Alerts published').properties.metrics;
  expect(JSON.stringify(published)).toMatch(/AWS\/SNS.*NumberOfMessagesPublished/);
  const query = widgets.find((w: any) => /^Containments applied/.test(w.properties.title ?? '')).properties;
  expect(query.query).toMatch(/filter @message like \/"contained":true\//);
  expect(JSON.stringify(widgets.find((w: any) => w.type === 'alarm').properties.alarms)).toContain(stack.getLogicalId(guard.failureAlarm.node.defaultChild as any));
  expect(widgets.find((w: any) => w.type === 'text').properties.markdown).toMatch(/alarm \$1000, hard limit \$2500/);
  // No row for the spend rate until the cap adds one.
  expect(JSON.stringify(body)).not.toMatch(/Spend rate by model/);
  const { stack: s, detection: d } = detectionStack();
  const g = new BedrockUsageGuard(s, 'Usage', { detection: d });
  g.dashboard._addSpendRate([new cloudwatch.TextWidget({ markdown: 'spend', width: 24 })]);
  g.dashboard._addSpendRate([]);
  expect(JSON.stringify(dashboardBody(s))).toMatch(/Spend rate by model.*spend/);
});

test('the spend-rate cap\'s function may Query the table and decrypt it, nothing that writes', () => {
  const { stack: s, detection: d } = detectionStack();
  const g = new BedrockUsageGuard(s, 'Usage', { detection: d });
  const role = new iam.Role(s, 'SpendRateStop', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new iam.ManagedPolicy(s, 'SpendRateStopPolicy', { statements: g._heaviestCallersStatements(), roles: [role] });
  const t = Template.fromStack(s);
  const policy = Object.values(t.toJSON().Resources as Record<string, any>).find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles ?? []).includes(s.getLogicalId(role.node.defaultChild as any)));
  expect(policy.Properties.PolicyDocument.Statement.map((st: any) => st.Action)).toEqual(['dynamodb:Query', 'kms:Decrypt']);
});

test('the StackSet forwarders send billed model calls to the central bus too', () => {
  const set = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
  const member = JSON.parse(set.Properties.TemplateBody);
  const rules = Object.values(member.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Events::Rule');
  expect(rules.map((r) => r.Properties.Description)).toEqual(expect.arrayContaining([expect.stringMatching(/billed model calls/)]));
});

test('a broken guard alarms on the alert topic, whose policy lets CloudWatch publish that alarm only', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'Errors',
    Threshold: 1,
    AlarmActions: [{ Ref: stack.getLogicalId(detection.alertTopic.node.defaultChild as any) }],
  });
  // A topic with a policy of its own takes no service's publish without a statement for it.
  const statements = Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SNS::TopicPolicy').flatMap((r) => r.Properties.PolicyDocument.Statement);
  const alarm = statements.find((st: any) => st.Sid === 'UsageGuardAlarms');
  expect(alarm).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' });
  expect(alarm.Condition.ArnEquals['aws:SourceArn']).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(guard.failureAlarm.node.defaultChild as any), 'Arn'] }]);
});

test('a guard added after forwarderProps() was read is refused: those forwarders would not send model calls', () => {
  const { stack: s, detection: d } = detectionStack();
  d.forwarderProps();
  expect(() => new BedrockUsageGuard(s, 'Late', { detection: d })).toThrow(/a usage guard was added after forwarderProps\(\) was read/);
});

test('the containment queue is FIFO, so containments of one role or set never race', () => {
  template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: true });
});

test('containment covers the permission set administered here: its users can be denied, and nothing else', async () => {
  const env = json.Resources[logicalId(guard.function)].Properties.Environment.Variables;
  expect(JSON.parse(env.USAGE_CONFIG).containedPermissionSets).toEqual(['ClaudeCodeBedrock']);
  const containEnv = json.Resources[logicalId(detection.containmentFunction!)].Properties.Environment.Variables;
  expect(JSON.stringify(containEnv.CONTAINED_PERMISSION_SETS)).toMatch(/ClaudeCodeBedrock.*arn:aws:sso:::instance\/ssoins-1234567890abcdef/);
  const policy = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::IAM::ManagedPolicy' && /Denies the holder of a misused Bedrock session/.test(r.Properties.Description));
  // The set's ARN is known once Identity Center creates it: stand in an ARN of the documented shape for its GetAtt.
  const setArn = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
  const getAtt = JSON.stringify(stack.resolve(permissionSet.permissionSetArn));
  const document = JSON.parse(JSON.stringify(policy.Properties.PolicyDocument).split(getAtt).join(JSON.stringify(setArn)));
  // The other statements name the function's own log group, queues and key; only this one reaches Identity Center.
  document.Statement = document.Statement.filter((st: any) => st.Sid === 'DenyUsersOfWatchedPermissionSetsOnly');
  expect(document.Statement).toHaveLength(1);
  const subject = { identityPolicies: [resolveIntrinsics(document, ACCOUNT) as PolicyJson], principal: { account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/Contain` } };
  const other = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-ffffffffffffffff';
  for (const action of ['sso:PutInlinePolicyToPermissionSet', 'sso:GetInlinePolicyForPermissionSet', 'sso:ProvisionPermissionSet']) {
    expect([action, await decide(subject, { action, resource: setArn })]).toEqual([action, 'Allowed']);
    expect([action, await decide(subject, { action, resource: other })]).toEqual([action, 'ImplicitlyDenied']);
  }
  for (const action of ['sso:DeletePermissionSet', 'sso:CreateAccountAssignment', 'sso:AttachManagedPolicyToPermissionSet']) {
    expect([action, await decide(subject, { action, resource: setArn })]).toEqual([action, 'ImplicitlyDenied']);
  }
});

test('without containment the guard alerts only, and the queue stays the alert function\'s', () => {
  const { template: t } = guarded(false);
  const fn = Object.values(t.toJSON().Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.USAGE_CONFIG);
  expect(fn.Properties.Environment.Variables.CONTAINMENT_QUEUE_URL).toBeUndefined();
  expect(JSON.parse(fn.Properties.Environment.Variables.USAGE_CONFIG).containedRoles).toEqual([]);
});

test('synthesis refuses nonsense limits, naming the value and the fix', () => {
  const { stack: s, detection: d } = detectionStack();
  expect(() => new BedrockUsageGuard(s, 'A', { detection: d, callsPerHourLimit: 0 })).toThrow(/callsPerHourLimit is 0; it must be a whole number/);
  expect(() => new BedrockUsageGuard(s, 'B', { detection: d, callsPerHourAlarm: 5000 })).toThrow(/callsPerHourLimit \(3000\) must be above callsPerHourAlarm \(5000\)/);
  expect(() => new BedrockUsageGuard(s, 'C', { detection: d, newNetworkWindow: Duration.minutes(30) })).toThrow(/newNetworkWindow is 30 minutes/);
  expect(() => new BedrockUsageGuard(s, 'D', { detection: d, usdPerHourLimit: 500 })).toThrow(/usdPerHourLimit \(500\) must be above usdPerHourAlarm \(1000\)/);
  expect(() => new BedrockUsageGuard(s, 'E', { detection: d, roleUsdPerHourLimit: 100 })).toThrow(/a role's limits .* must be at least one person's/);
});
