import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BedrockUsageGuard } from '../../lib';
import { outputTokensRule } from '../../lib/usage/bedrock-usage-guard';
import { detectionStack } from '../detection/detection-fixture';

/**
 * Model invocation log records in the shape the Bedrock User Guide documents ("Monitor model
 * invocation using CloudWatch Logs and Amazon S3", log entry format).
 */
const record = (arn: string, outputTokens: number) => ({
  schemaType: 'ModelInvocationLog',
  schemaVersion: '1.0',
  timestamp: '2026-11-20T09:14:07Z',
  accountId: '111122223333',
  region: 'us-east-1',
  requestId: 'b3f5c2a1-7d4e-4f6a-9c8b-0a1b2c3d4e5f',
  operation: 'InvokeModelWithResponseStream',
  modelId: 'us.anthropic.claude-sonnet-4-6',
  identity: { arn },
  input: { inputContentType: 'application/json', inputTokenCount: 41_200 },
  output: { outputContentType: 'application/json', outputTokenCount: outputTokens },
});

/** What a Contributor Insights JSON rule does with one record: the key and the value it adds, or nothing. */
function contribution(rule: any, log: any): { key: string; value: number } | undefined {
  const at = (path: string) => path.replace(/^\$\./, '').split('.').reduce((o: any, k) => (o === undefined ? undefined : o[k]), log);
  if (!rule.Contribution.Filters.every((f: any) => f.In.includes(at(f.Match)))) {
    return undefined;
  }
  const key = at(rule.Contribution.Keys[0]);
  const value = at(rule.Contribution.ValueOf);
  return typeof key === 'string' && typeof value === 'number' ? { key, value } : undefined;
}

test('the rule sums each caller\'s output tokens from invocation log records, and ignores other records', () => {
  const rule = outputTokensRule('/aws/bedrock/modelinvocations');
  const alice = 'arn:aws:sts::111122223333:assumed-role/ClaudeCodeBedrockInvoke/alice';
  const records = [record(alice, 1500), record(alice, 900), record('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6/bob@example.com', 300)];
  const sums = new Map<string, number>();
  for (const r of records) {
    const c = contribution(rule, r);
    if (c) sums.set(c.key, (sums.get(c.key) ?? 0) + c.value);
  }
  expect(sums.get(alice)).toBe(2400);
  expect(sums.size).toBe(2);
  // Can fail: a record of another schema contributes nothing.
  expect(contribution(rule, { ...record(alice, 10), schemaType: 'SomethingElse' })).toBeUndefined();
  expect(rule).toMatchObject({ LogFormat: 'JSON', AggregateOn: 'Sum', LogGroupNames: ['/aws/bedrock/modelinvocations'] });
});

test('with an invocation log group: a Contributor Insights rule and an hourly alarm on the busiest person, to the alert topic', () => {
  const { stack, detection } = detectionStack();
  const group = logs.LogGroup.fromLogGroupName(stack, 'Invocations', '/aws/bedrock/modelinvocations');
  const guard = new BedrockUsageGuard(stack, 'Usage', { detection, invocationLogGroup: group, outputTokensPerHourAlarm: 750_000 });
  const template = Template.fromStack(stack);
  const [rule] = Object.values(template.findResources('AWS::CloudWatch::InsightRule'));
  expect(JSON.parse(rule.Properties.RuleBody)).toEqual(outputTokensRule('/aws/bedrock/modelinvocations'));
  const alarm = template.toJSON().Resources[stack.getLogicalId(guard.tokenAlarm!.node.defaultChild as any)].Properties;
  expect(alarm.Threshold).toBe(750_000);
  expect(alarm.Metrics[0].Expression).toEqual({ 'Fn::Join': ['', ['INSIGHT_RULE_METRIC("', { 'Fn::GetAtt': [stack.getLogicalId(guard.tokenRule!), 'RuleName'] }, '", "MaxContributorValue")']] });
  expect(alarm.Metrics[0].Period).toBe(3600);
  expect(alarm.AlarmActions).toEqual([{ Ref: stack.getLogicalId(detection.alertTopic.node.defaultChild as any) }]);
  // CloudWatch may publish this alarm to the topic as well as the failure alarm.
  const statement = Object.values(template.findResources('AWS::SNS::TopicPolicy')).flatMap((r) => r.Properties.PolicyDocument.Statement).find((st: any) => st.Sid === 'UsageGuardAlarms');
  expect(statement.Condition.ArnEquals['aws:SourceArn']).toContainEqual({ 'Fn::GetAtt': [stack.getLogicalId(guard.tokenAlarm!.node.defaultChild as any), 'Arn'] });
});

test('without one, no token rule (only the guard\'s two top-callers rules); a token threshold alone, or a nonsense one, is refused', () => {
  const { stack, detection } = detectionStack();
  new BedrockUsageGuard(stack, 'Usage', { detection });
  const rules = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::InsightRule');
  expect(rules.map((r) => r.Properties.RuleName)).toEqual([expect.stringMatching(/-top-callers-weight$/), expect.stringMatching(/-top-callers-calls$/)]);
  const other = detectionStack();
  expect(() => new BedrockUsageGuard(other.stack, 'A', { detection: other.detection, outputTokensPerHourAlarm: 5 })).toThrow(/outputTokensPerHourAlarm needs invocationLogGroup/);
  const group = logs.LogGroup.fromLogGroupName(other.stack, 'G', 'g');
  expect(() => new BedrockUsageGuard(other.stack, 'B', { detection: other.detection, invocationLogGroup: group, outputTokensPerHourAlarm: 0 })).toThrow(/outputTokensPerHourAlarm is 0/);
});
