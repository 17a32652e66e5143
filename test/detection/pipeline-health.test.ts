import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { IConstruct } from 'constructs';
import { detectionStack } from './detection-fixture';
import { call, INVOKE_ROLE, PERMISSION_SET, roleSession } from './fixtures/cloudtrail-events';
import { BedrockDriftRule, BedrockUsageGuard, DetectionTrail } from '../../lib';
import { handler } from '../../lib/detection/alert.lambda';
import { HEARTBEAT_METRIC, HEARTBEAT_NAMESPACE } from '../../lib/detection/heartbeat-metric';
import { DeployedTemplate } from '../support/cfn-resolve';
import { matches } from '../support/event-pattern-matcher';

const { stack, role, detection } = detectionStack({ containment: true, trail: DetectionTrail.create(), alertEmails: ['security@example.com'] });
const guard = new BedrockUsageGuard(stack, 'Guard', { detection });
const drift = new BedrockDriftRule(stack, 'Drift', { roles: [role] });
detection.watchConfigRule(drift);
const template = Template.fromStack(stack);
const json = template.toJSON();
const deployed = new DeployedTemplate(json);
const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(((c.node.defaultChild ?? c) as any));
const alarms = Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties);
const healthTopicRef = { Ref: logicalId(detection.healthTopic) };

describe('every handler and dead-letter queue has an alarm, on the health topic', () => {
  test.each([
    ['alert', () => detection.alertFunction],
    ['containment', () => detection.containmentFunction!],
    ['drift evaluation', () => drift.evaluationFunction],
  ])('the %s function alarms on a single error', (_what, fn) => {
    const alarm = alarms.find((a) => a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value?.Ref === logicalId(fn()));
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [healthTopicRef] });
  });

  test('the usage guard keeps its own failure alarm', () => {
    const alarm = alarms.find((a) => a.MetricName === 'Errors' && a.Dimensions?.[0]?.Value?.Ref === logicalId(guard.function));
    expect(alarm).toBeDefined();
  });

  test.each([
    ['alert', () => detection.deadLetterQueue],
    ['containment', () => detection.containmentQueue!.node.scope!.node.findChild('DeadLetterQueue')],
  ])('the %s dead-letter queue alarms as soon as it holds one message', (_what, queue) => {
    const alarm = alarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible'
      && a.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === logicalId(queue()));
    expect(alarm).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: 1, TreatMissingData: 'notBreaching', AlarmActions: [healthTopicRef] });
  });

  test('a failed delivery on the alert topic alarms on the health topic', () => {
    expect(alarms.find((a) => a.MetricName === 'NumberOfNotificationsFailed')).toMatchObject({
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [logicalId(detection.alertTopic), 'TopicName'] } }],
      AlarmActions: [healthTopicRef],
    });
  });

  test('the health topic has its own key, CloudWatch and EventBridge may use it, and the alert e-mails are subscribed', () => {
    const topic = json.Resources[logicalId(detection.healthTopic)];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(detection.healthTopic.masterKey!), 'Arn'] });
    expect(logicalId(detection.healthTopic.masterKey!)).not.toBe(logicalId(detection.key));
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com', TopicArn: healthTopicRef });
    const keyPolicy = json.Resources[logicalId(detection.healthTopic.masterKey!)].Properties.KeyPolicy.Statement;
    const services = keyPolicy.map((s: any) => s.Principal?.Service).filter(Boolean);
    expect(services).toEqual(expect.arrayContaining(['events.amazonaws.com', 'cloudwatch.amazonaws.com']));
    const topicPolicy = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::SNS::TopicPolicy' && r.Properties.Topics[0].Ref === logicalId(detection.healthTopic));
    const alarmsMayPublish = topicPolicy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'PipelineAlarms');
    expect(alarmsMayPublish).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' });
    expect(detection.pipelineAlarms.length).toBeGreaterThanOrEqual(6);
  });
});

describe('the heartbeat', () => {
  const heartbeat = alarms.find((a) => a.Metrics?.some((m: any) => m.Expression === 'FILL(beats, 0)'))!;

  test('its alarm treats silence as failure: missing data breaches, and an empty period counts as zero beats', () => {
    expect(heartbeat).toMatchObject({
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      AlarmActions: [healthTopicRef],
    });
    const beats = heartbeat.Metrics.find((m: any) => m.Id === 'beats');
    expect(beats).toMatchObject({ ReturnData: false, MetricStat: { Metric: { Namespace: HEARTBEAT_NAMESPACE, MetricName: HEARTBEAT_METRIC }, Stat: 'Sum', Period: 900 } });
    expect(heartbeat.Metrics.find((m: any) => m.Expression).ReturnData).not.toBe(false);
  });

  test('a schedule wakes the alert function every five minutes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(detection.alertFunction), 'Arn'] } })],
    });
  });

  const beatRule = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Events::Rule' && /heartbeat call back/.test(r.Properties.Description ?? ''))!;
  const pattern = deployed.resolve(beatRule.Properties.EventPattern);
  const alertRoleArn = deployed.getAtt(logicalId(detection.alertFunction.role!), 'Arn');
  const alertRoleName = alertRoleArn.split('/').pop()!;
  const ownBeat = call({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }, roleSession(alertRoleName, 'platform-alert-fn'));

  test('the beat rule sees read-only events and matches only the alert function\'s own GetCallerIdentity', () => {
    expect(beatRule.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(matches(pattern, ownBeat)).toBe(true);
    expect(matches(pattern, call({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }, roleSession('SomeoneElse', 'x')))).toBe(false);
    expect(matches(pattern, call({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' }, roleSession(alertRoleName, 'x')))).toBe(false);
  });

  describe('in the alert function', () => {
    const sts = mockClient(STSClient);
    const sns = mockClient(SNSClient);
    let logged: string[] = [];
    beforeEach(() => {
      sts.reset();
      sns.reset();
      sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: `arn:aws:sts::111122223333:assumed-role/${alertRoleName}/x`, UserId: 'AROA:x' });
      process.env.ALERT_CONFIG = JSON.stringify({ matchers: { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: '^$' }] }, containedRoles: [] });
      process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
      process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
      process.env.HEARTBEAT_ROLE_ARN = alertRoleArn;
      process.env.HEARTBEAT_PIPELINE = 'Platform/Platform/Detection/Health';
      logged = [];
      jest.spyOn(console, 'log').mockImplementation((line: string) => { logged.push(line); });
    });
    afterEach(() => jest.restoreAllMocks());

    test('the schedule\'s tick makes the recognisable call and alerts nobody', async () => {
      const tick = { 'version': '0', 'id': 't-1', 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'account': '111122223333', 'time': '2026-12-01T10:00:00Z', 'region': 'us-east-1', 'resources': ['arn:aws:events:us-east-1:111122223333:rule/x'], 'detail': {} };
      await expect(handler(tick as any)).resolves.toEqual({ alerted: false, heartbeat: 'called' });
      expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    });

    test('the call\'s CloudTrail record, back through the beat rule, writes one heartbeat in embedded metric format', async () => {
      await expect(handler(ownBeat as any, () => 1_764_583_200_000)).resolves.toEqual({ alerted: false, heartbeat: 'received' });
      const record = JSON.parse(logged.find((l) => l.includes('_aws'))!);
      expect(record).toEqual({
        _aws: { Timestamp: 1_764_583_200_000, CloudWatchMetrics: [{ Namespace: HEARTBEAT_NAMESPACE, Dimensions: [['Pipeline']], Metrics: [{ Name: HEARTBEAT_METRIC, Unit: 'Count' }] }] },
        Pipeline: 'Platform/Platform/Detection/Health',
        [HEARTBEAT_METRIC]: 1,
      });
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    });

    test('a GetCallerIdentity by any other role writes no heartbeat', async () => {
      await handler(call({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }, roleSession('SomeoneElse', 'x')) as any);
      expect(logged.some((l) => l.includes('_aws'))).toBe(false);
    });

    test('a heartbeat-shaped event without an AWS source writes no heartbeat', async () => {
      const forged = { ...ownBeat, source: 'my.app' };
      await handler(forged as any);
      expect(logged.some((l) => l.includes('_aws'))).toBe(false);
    });
  });
});

describe('the usage table refuses writes by anyone but the guard', () => {
  const table = json.Resources[logicalId(guard.table)];
  const statements = table.Properties.ResourcePolicy.PolicyDocument.Statement;
  const guardRole = { 'Fn::GetAtt': [logicalId(guard.function.role!), 'Arn'] };

  test('the guard may update items by the table\'s own grant; everyone else is denied every item write', () => {
    expect(statements.find((s: any) => s.Sid === 'UsageGuardUses')).toMatchObject({ Effect: 'Allow', Principal: { AWS: guardRole }, Action: ['dynamodb:UpdateItem', 'dynamodb:Query'], Resource: '*' });
    const deny = statements.find((s: any) => s.Sid === 'OnlyUsageGuardWrites');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': guardRole } } });
    expect(deny.Action).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete']));
  });

  test('table management stays open, so CloudFormation and the account root are never locked out', () => {
    const denied = statements.filter((s: any) => s.Effect === 'Deny').flatMap((s: any) => [s.Action].flat());
    for (const action of ['dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 'dynamodb:DescribeTable', 'dynamodb:UpdateTimeToLive']) {
      expect(denied).not.toContain(action);
    }
  });
});
