import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { detectionStack, MODELS } from './detection-fixture';
import {
  identityCenterCall, invokeRoleSession, OTHER_PERMISSION_SET_ARN, otherRoleSession, PERMISSION_SET, WATCHED_PERMISSION_SET_ARN, INVOKE_ROLE,
} from './fixtures/cloudtrail-events';
import { BedrockMisuseDetection, BedrockPermissionSet } from '../../lib';
import { CloudTrailApiCallEvent } from '../../lib/detection/alert-message';
import { handler } from '../../lib/detection/alert.lambda';
import { PERMISSION_SET_CHANGE_EVENT_NAMES } from '../../lib/detection/permission-set-changes';
import { matches } from '../support/event-pattern-matcher';

const { stack } = detectionStack({ containment: true });
const template = Template.fromStack(stack);
const json = template.toJSON().Resources as Record<string, any>;
const setId = Object.keys(json).find((id) => json[id].Type === 'AWS::SSO::PermissionSet')!;
const [ruleId, rule] = Object.entries(json).find(([, r]) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.EventPattern ?? {}).includes('sso.amazonaws.com'))!;
/** The deployed pattern, with the permission set's ARN as CloudFormation fills it in. */
const pattern = JSON.parse(JSON.stringify(rule.Properties.EventPattern).replace(
  JSON.stringify({ 'Fn::GetAtt': [setId, 'PermissionSetArn'] }), JSON.stringify(WATCHED_PERMISSION_SET_ARN)));

describe('changes to a watched permission set, by anyone', () => {
  test('one rule on the default bus, for the set\'s own ARN, to the alert function', () => {
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.EventPattern.detail.requestParameters.permissionSetArn).toEqual([{ 'Fn::GetAtt': [setId, 'PermissionSetArn'] }]);
    template.hasResourceProperties('AWS::Lambda::Permission', { SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] } });
  });

  test.each(PERMISSION_SET_CHANGE_EVENT_NAMES)('%s on the watched set matches, made by any role', (name) => {
    expect(matches(pattern, identityCenterCall(name, WATCHED_PERMISSION_SET_ARN))).toBe(true);
  });

  test('the same change to another permission set, or a read of the watched one, does not', () => {
    expect(matches(pattern, identityCenterCall('PutInlinePolicyToPermissionSet', OTHER_PERMISSION_SET_ARN))).toBe(false);
    expect(matches(pattern, identityCenterCall('DescribePermissionSet', WATCHED_PERMISSION_SET_ARN))).toBe(false);
  });

  test('a change put on a bus under a source of its own does not', () => {
    expect(matches(pattern, { ...identityCenterCall('PutInlinePolicyToPermissionSet', WATCHED_PERMISSION_SET_ARN), source: 'com.example.sso' })).toBe(false);
  });

  test('a permission set deployed in another account or Region cannot be watched from here, and synthesis says so', () => {
    const app = new App();
    const identityCenter = new Stack(app, 'IdentityCenter', { env: { account: '999988887777', region: 'us-west-2' } });
    const set = new BedrockPermissionSet(identityCenter, 'Set', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', models: MODELS, permissionSetName: 'Elsewhere' });
    const platform = new Stack(app, 'Platform', { env: { account: '111122223333', region: 'us-east-1' } });
    new BedrockMisuseDetection(platform, 'Detection', { permissionSets: [set] });
    Annotations.fromStack(platform).hasWarning('*', Match.stringLikeRegexp("permission set 'Elsewhere' is deployed in another account or Region"));
  });
});

describe('the alert for a permission-set change', () => {
  const sns = mockClient(SNSClient);
  const eventBridge = mockClient(EventBridgeClient);
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    sns.reset();
    eventBridge.reset();
    sqs.reset();
    sns.on(PublishCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    process.env.ALERT_CONFIG = JSON.stringify({
      matchers: { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] },
      containedRoles: [INVOKE_ROLE],
      watchedPermissionSets: [{ arn: WATCHED_PERMISSION_SET_ARN, name: PERMISSION_SET }],
    });
    process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
    process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
    process.env.CONTAINMENT_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment';
  });

  test('names the set, the call, the caller and the request, and revokes nothing', async () => {
    expect(await handler(identityCenterCall('AttachManagedPolicyToPermissionSet', WATCHED_PERMISSION_SET_ARN) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
    const published = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(published.Subject).toBe(`Bedrock permission set ${PERMISSION_SET} changed: AttachManagedPolicyToPermissionSet`);
    expect(published.Message).toMatch(/caller: +arn:aws:sts::111122223333:assumed-role\/DeploymentPipeline\/build-4711/);
    expect(published.Message).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(JSON.parse(eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0].Detail!))
      .toMatchObject({ containment: 'review-change', permissionSetArn: WATCHED_PERMISSION_SET_ARN, identityName: PERMISSION_SET });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('a change to another set by an unwatched role is no alert; by a watched session it is the usual misuse alert', async () => {
    expect(await handler(identityCenterCall('PutInlinePolicyToPermissionSet', OTHER_PERMISSION_SET_ARN, otherRoleSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: false });
    expect(await handler(identityCenterCall('PutInlinePolicyToPermissionSet', OTHER_PERMISSION_SET_ARN, invokeRoleSession()) as CloudTrailApiCallEvent)).toEqual({ alerted: true });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toMatch(/^Bedrock credentials misused: /);
  });
});
