import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { detectionStack } from './detection-fixture';
import { cloudTrailCall, kmsCall } from './fixtures/tamper-events';
import { BedrockDriftRule, BedrockUsageGuard, DetectionTrail, ForwarderStackSet } from '../../lib';
import { ACCOUNT, DeployedTemplate, REGION } from '../support/cfn-resolve';
import { matches } from '../support/event-pattern-matcher';

const { stack, role, detection } = detectionStack({
  containment: true,
  trail: DetectionTrail.create(),
  forwarders: ForwarderStackSet.selfManaged({ accounts: ['444455556666'], regions: ['us-east-1'] }),
});
const guard = new BedrockUsageGuard(stack, 'Guard', { detection });
const drift = new BedrockDriftRule(stack, 'Drift', { roles: [role] });
detection.watchConfigRule(drift);
const json = Template.fromStack(stack).toJSON();
const deployed = new DeployedTemplate(json);

const id = (c: IConstruct) => Stack.of(c).getLogicalId(((c.node.defaultChild ?? c) as any));
const name = (c: IConstruct) => deployed.ref(id(c));
const arn = (c: IConstruct) => deployed.getAtt(id(c), 'Arn');

/** Every tamper rule as deployed, with the topic it alerts on. */
const tamperRules = Object.entries(json.Resources as Record<string, any>)
  .filter(([logicalId, r]) => r.Type === 'AWS::Events::Rule' && /Tamper/.test(logicalId))
  .map(([logicalId, r]) => ({ logicalId, pattern: deployed.resolve(r.Properties.EventPattern), topic: r.Properties.Targets[0].Arn.Ref as string }));
const healthTopic = id(detection.healthTopic);
const alertTopic = id(detection.alertTopic);

function alertedOn(event: Record<string, unknown>): string[] {
  return tamperRules.filter((r) => matches(r.pattern, event)).map((r) => r.topic);
}

const alertFn = detection.alertFunction;
const containFn = detection.containmentFunction!;
const queue = (c: IConstruct) => deployed.getAtt(id(c), 'QueueName');
const dlq = detection.deadLetterQueue;
const containmentDlq = detection.containmentQueue!.node.scope!.node.findChild('DeadLetterQueue');
const trail = detection.node.findChild('Trail').node.findChild('Resource');
const localRule = detection.node.findChild('LocalCallsRule');
const forwardedRule = detection.node.findChild('ForwardedCallsRule');
const busName = name(detection.eventBus);
const table = guard.table;
const stackSetName = detection.stackSet!.stackSetName!;
const driftRuleName = name(drift);
const ruleName = (r: IConstruct) => arn(r).split('/').pop()!;

// Each call an attacker (or a careless admin) would make to switch the pipeline off, as CloudTrail records it.
const tamperCalls: Array<[string, Record<string, unknown>]> = [
  ['cloudtrail:StopLogging by trail name', cloudTrailCall('cloudtrail.amazonaws.com', 'StopLogging', { name: name(trail) })],
  ['cloudtrail:StopLogging by trail ARN', cloudTrailCall('cloudtrail.amazonaws.com', 'StopLogging', { name: arn(trail) })],
  ['cloudtrail:DeleteTrail', cloudTrailCall('cloudtrail.amazonaws.com', 'DeleteTrail', { name: arn(trail) })],
  ['cloudtrail:UpdateTrail', cloudTrailCall('cloudtrail.amazonaws.com', 'UpdateTrail', { name: name(trail), isMultiRegionTrail: false })],
  ['cloudtrail:PutEventSelectors', cloudTrailCall('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: name(trail), name: name(trail), eventSelectors: [{ readWriteType: 'WriteOnly' }] })],
  ['cloudtrail:PutInsightSelectors', cloudTrailCall('cloudtrail.amazonaws.com', 'PutInsightSelectors', { name: name(trail), insightSelectors: [] })],
  ['events:DisableRule on the local calls rule', cloudTrailCall('events.amazonaws.com', 'DisableRule', { name: ruleName(localRule) })],
  ['events:DeleteRule on the forwarded calls rule', cloudTrailCall('events.amazonaws.com', 'DeleteRule', { name: ruleName(forwardedRule), eventBusName: busName })],
  ['events:PutRule on the local calls rule', cloudTrailCall('events.amazonaws.com', 'PutRule', { name: ruleName(localRule), eventPattern: '{"source":["nothing"]}' })],
  ['events:RemoveTargets from the forwarded calls rule', cloudTrailCall('events.amazonaws.com', 'RemoveTargets', { rule: ruleName(forwardedRule), eventBusName: busName, ids: ['Target0'] })],
  ['events:PutTargets on the heartbeat rule', cloudTrailCall('events.amazonaws.com', 'PutTargets', { rule: ruleName(detection.node.findChild('Heartbeat').node.findChild('Beat')), targets: [] })],
  ['events:PutPermission on the central bus', cloudTrailCall('events.amazonaws.com', 'PutPermission', { eventBusName: busName, policy: '{}' })],
  ['events:RemovePermission on the central bus by ARN', cloudTrailCall('events.amazonaws.com', 'RemovePermission', { eventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${busName}`, statementId: 'x' })],
  ['events:DeleteEventBus', cloudTrailCall('events.amazonaws.com', 'DeleteEventBus', { name: busName })],
  ['lambda:UpdateFunctionCode on the alert function', cloudTrailCall('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: name(alertFn), zipFile: '<hidden>' })],
  ['lambda:UpdateFunctionConfiguration on the alert function by ARN', cloudTrailCall('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: arn(alertFn), environment: {} })],
  ['lambda:PutFunctionConcurrency 0 on the alert function', cloudTrailCall('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', { functionName: name(alertFn), reservedConcurrentExecutions: 0 })],
  ['lambda:DeleteFunctionConcurrency on the contain function', cloudTrailCall('lambda.amazonaws.com', 'DeleteFunctionConcurrency20171031', { functionName: name(containFn) })],
  ['lambda:AddPermission on the contain function, partial ARN', cloudTrailCall('lambda.amazonaws.com', 'AddPermission20150331v2', { functionName: `${ACCOUNT}:function:${name(containFn)}`, principal: '*' })],
  ['lambda:AddPermission on a qualified ARN', cloudTrailCall('lambda.amazonaws.com', 'AddPermission20150331v2', { functionName: `${arn(alertFn)}:live`, principal: '*' })],
  ['lambda:RemovePermission on the alert function', cloudTrailCall('lambda.amazonaws.com', 'RemovePermission20150331v2', { functionName: name(alertFn), statementId: 'x' })],
  ['lambda:DeleteFunction on the usage guard', cloudTrailCall('lambda.amazonaws.com', 'DeleteFunction20150331', { functionName: name(guard.function) })],
  ['lambda:UpdateFunctionConfiguration on the drift function', cloudTrailCall('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: name(drift.evaluationFunction) })],
  ['lambda:CreateEventSourceMapping to the contain function', cloudTrailCall('lambda.amazonaws.com', 'CreateEventSourceMapping20150331', { functionName: name(containFn), eventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:other' })],
  ['lambda:UpdateEventSourceMapping of the contain function', cloudTrailCall('lambda.amazonaws.com', 'UpdateEventSourceMapping20150331', { uUID: '8f7e6d5c-0000-4000-8000-000000000001', enabled: false }, { responseElements: { uUID: '8f7e6d5c-0000-4000-8000-000000000001', functionArn: arn(containFn), state: 'Disabling' } })],
  ['lambda:DeleteEventSourceMapping of the contain function', cloudTrailCall('lambda.amazonaws.com', 'DeleteEventSourceMapping20150331', { uUID: '8f7e6d5c-0000-4000-8000-000000000001' }, { responseElements: { functionArn: arn(containFn), state: 'Deleting' } })],
  ['sqs:SetQueueAttributes on the alert dead-letter queue', cloudTrailCall('sqs.amazonaws.com', 'SetQueueAttributes', { queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queue(dlq)}`, attributes: { MessageRetentionPeriod: '60' } })],
  ['sqs:PurgeQueue on the containment queue, legacy host', cloudTrailCall('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: `https://queue.amazonaws.com/${ACCOUNT}/${queue(detection.containmentQueue!)}` })],
  ['sqs:DeleteQueue on the containment dead-letter queue', cloudTrailCall('sqs.amazonaws.com', 'DeleteQueue', { queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queue(containmentDlq)}` })],
  ['sns:Unsubscribe from the alert topic', cloudTrailCall('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `${name(detection.alertTopic)}:4f3e2d1c-0000-4000-8000-000000000001` })],
  ['sns:SetTopicAttributes on the alert topic', cloudTrailCall('sns.amazonaws.com', 'SetTopicAttributes', { topicArn: name(detection.alertTopic), attributeName: 'Policy', attributeValue: '{}' })],
  ['sns:Subscribe to the alert topic', cloudTrailCall('sns.amazonaws.com', 'Subscribe', { topicArn: name(detection.alertTopic), protocol: 'email', endpoint: 'mallory@example.com' })],
  ['sns:DeleteTopic of the alert topic', cloudTrailCall('sns.amazonaws.com', 'DeleteTopic', { topicArn: name(detection.alertTopic) })],
  ['sns:SetSubscriptionAttributes on an alert subscription', cloudTrailCall('sns.amazonaws.com', 'SetSubscriptionAttributes', { subscriptionArn: `${name(detection.alertTopic)}:4f3e2d1c-0000-4000-8000-000000000002`, attributeName: 'FilterPolicy', attributeValue: '{"x":["y"]}' })],
  ['dynamodb:UpdateTable on the usage table', cloudTrailCall('dynamodb.amazonaws.com', 'UpdateTable', { tableName: name(table), sSESpecification: { enabled: false } })],
  ['dynamodb:DeleteTable on the usage table by ARN', cloudTrailCall('dynamodb.amazonaws.com', 'DeleteTable', { tableName: arn(table) })],
  ['dynamodb:PutResourcePolicy on the usage table', cloudTrailCall('dynamodb.amazonaws.com', 'PutResourcePolicy', { resourceArn: arn(table), policy: '{}' })],
  ['dynamodb:DeleteResourcePolicy on the usage table', cloudTrailCall('dynamodb.amazonaws.com', 'DeleteResourcePolicy', { resourceArn: arn(table) })],
  ['kms:DisableKey on the alert key', kmsCall('DisableKey', arn(detection.key))],
  ['kms:ScheduleKeyDeletion on the alert key', kmsCall('ScheduleKeyDeletion', arn(detection.key), { pendingWindowInDays: 7 })],
  ['kms:PutKeyPolicy on the alert key', kmsCall('PutKeyPolicy', arn(detection.key), { policyName: 'default', policy: '{}' })],
  ['kms:CreateGrant on the alert key', kmsCall('CreateGrant', arn(detection.key), { granteePrincipal: 'arn:aws:iam::111122223333:role/AdminRole', operations: ['Decrypt'] })],
  ['config:StopConfigurationRecorder', cloudTrailCall('config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' })],
  ['config:DeleteConfigurationRecorder', cloudTrailCall('config.amazonaws.com', 'DeleteConfigurationRecorder', { configurationRecorderName: 'default' })],
  ['config:PutConfigurationRecorder', cloudTrailCall('config.amazonaws.com', 'PutConfigurationRecorder', { configurationRecorder: { name: 'default', recordingGroup: { allSupported: false } } })],
  ['config:DeleteConfigRule on the drift rule', cloudTrailCall('config.amazonaws.com', 'DeleteConfigRule', { configRuleName: driftRuleName })],
  ['config:PutConfigRule on the drift rule', cloudTrailCall('config.amazonaws.com', 'PutConfigRule', { configRule: { configRuleName: driftRuleName, scope: { complianceResourceTypes: [] } } })],
  ['cloudformation:UpdateStackSet on the forwarders', cloudTrailCall('cloudformation.amazonaws.com', 'UpdateStackSet', { stackSetName, templateBody: '{}' })],
  ['cloudformation:DeleteStackInstances of the forwarders by id', cloudTrailCall('cloudformation.amazonaws.com', 'DeleteStackInstances', { stackSetName: `${stackSetName}:0a1b2c3d-0000-4000-8000-000000000001`, accounts: ['444455556666'], regions: ['us-east-1'] })],
  ['cloudformation:DeleteStackSet of the forwarders', cloudTrailCall('cloudformation.amazonaws.com', 'DeleteStackSet', { stackSetName })],
];

describe('the pipeline watches itself', () => {
  test.each(tamperCalls)('%s raises an alert on the health topic', (_what, event) => {
    expect(alertedOn(event)).toEqual([healthTopic]);
  });

  // The same calls on resources that are not the pipeline's stay quiet.
  const unrelated: Array<[string, Record<string, unknown>]> = [
    ['StopLogging on another trail', cloudTrailCall('cloudtrail.amazonaws.com', 'StopLogging', { name: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/team-trail` })],
    ['DisableRule on another rule', cloudTrailCall('events.amazonaws.com', 'DisableRule', { name: 'team-nightly-build' })],
    ['PutFunctionConcurrency on another function', cloudTrailCall('lambda.amazonaws.com', 'PutFunctionConcurrency20171031', { functionName: `${name(alertFn)}-copy`, reservedConcurrentExecutions: 0 })],
    ['AddPermission on a function whose name ends like ours', cloudTrailCall('lambda.amazonaws.com', 'AddPermission20150331v2', { functionName: `x${name(alertFn)}`, principal: '*' })],
    ['PurgeQueue on another queue', cloudTrailCall('sqs.amazonaws.com', 'PurgeQueue', { queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/team-jobs` })],
    ['Unsubscribe from another topic', cloudTrailCall('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:team-news:4f3e2d1c-0000-4000-8000-000000000003` })],
    ['DisableKey on another key', kmsCall('DisableKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/99999999-12ab-34cd-56ef-1234567890ab`)],
    ['DeleteTable on another table', cloudTrailCall('dynamodb.amazonaws.com', 'DeleteTable', { tableName: 'team-orders' })],
    ['DeleteConfigRule on another rule', cloudTrailCall('config.amazonaws.com', 'DeleteConfigRule', { configRuleName: 'team-s3-public' })],
    ['DeleteStackSet of another StackSet', cloudTrailCall('cloudformation.amazonaws.com', 'DeleteStackSet', { stackSetName: 'team-baseline' })],
    ['a read of the alert function', cloudTrailCall('lambda.amazonaws.com', 'GetFunction20150331v2', { functionName: name(alertFn) }, { readOnly: true })],
  ];
  test.each(unrelated)('%s raises nothing', (_what, event) => {
    expect(alertedOn(event)).toEqual([]);
  });

  test('changes to the health topic and its key, and to the tamper rules, are told on the alert topic', () => {
    const healthKey = arn(detection.healthTopic.masterKey!);
    expect(alertedOn(kmsCall('DisableKey', healthKey))).toEqual([alertTopic]);
    expect(alertedOn(cloudTrailCall('sns.amazonaws.com', 'DeleteTopic', { topicArn: name(detection.healthTopic) }))).toEqual([alertTopic]);
    const mainLambdaRule = tamperRules.find((r) => /^DetectionHealthTamperLambda/.test(r.logicalId))!;
    const mainRuleName = deployed.nameOf(mainLambdaRule.logicalId);
    expect(alertedOn(cloudTrailCall('events.amazonaws.com', 'DisableRule', { name: mainRuleName }))).toEqual([alertTopic]);
    // And the other way round: the health side's own rules are watched from the main side.
    const watcher = tamperRules.find((r) => /^DetectionHealthHealthTamperKms/.test(r.logicalId))!;
    expect(alertedOn(cloudTrailCall('events.amazonaws.com', 'DeleteRule', { name: deployed.nameOf(watcher.logicalId) }))).toEqual([healthTopic]);
  });

  test('every tamper rule is enabled and reaches a topic straight from EventBridge, with no function on the way', () => {
    for (const [logicalId, r] of Object.entries(json.Resources as Record<string, any>)) {
      if (r.Type === 'AWS::Events::Rule' && /Tamper/.test(logicalId)) {
        expect(r.Properties.State).toBe('ENABLED');
        expect(r.Properties.Targets.map((t: any) => t.Arn.Ref)).toEqual([expect.stringMatching(/Topic/)]);
      }
    }
  });

  test('the e-mail carries no field a caller can type free-form', () => {
    const transformers = tamperRules.map((r) => (json.Resources as any)[r.logicalId].Properties.Targets[0].InputTransformer.InputPathsMap);
    for (const paths of transformers) {
      expect(Object.values(paths)).not.toContain('$.detail.userAgent');
      expect(Object.values(paths).filter((p) => /requestParameters/.test(p as string))).toEqual([]);
    }
  });
});
