import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BedrockUsageGuard, ForwarderStackSet } from '../../lib';
import { detectionStack } from '../detection/detection-fixture';
import { ACCOUNT, forgedCall, INVOKE_ROLE, invokeRoleSession, otherRoleSession, ssoSession } from '../detection/fixtures/cloudtrail-events';
import { matches } from '../support/event-pattern-matcher';
import { decide } from '../support/iam-simulator';
import { PolicyJson, resolveIntrinsics } from '../support/template-policies';
import { modelCall } from './fixtures/model-calls';

function guarded(containment = true) {
  const built = detectionStack({ containment, forwarders: ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['us-east-1', 'eu-west-1'] }) });
  const guard = new BedrockUsageGuard(built.stack, 'Usage', { detection: built.detection });
  return { ...built, guard, template: Template.fromStack(built.stack) };
}
const { stack, guard, template, detection, permissionSet } = guarded();
const json = template.toJSON();
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

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
  expect(config.limits).toEqual({ callsPerHourAlarm: 1000, callsPerHourLimit: 3000, newNetworkWindowDays: 30 });
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
});
