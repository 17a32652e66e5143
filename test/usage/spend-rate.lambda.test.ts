import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseContainmentRequest } from '../../lib/containment/containment-request';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from '../../lib/detection/alert-message';
import { HeaviestCaller } from '../../lib/usage/heaviest-callers';
import { AlarmStateChangeEvent, SpendRateConfig } from '../../lib/usage/spend-rate-stop';
import { handler } from '../../lib/usage/spend-rate.lambda';

jest.mock('../../lib/usage/heaviest-callers', () => ({ heaviestCallers: jest.fn(async () => []) }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const callers = require('../../lib/usage/heaviest-callers').heaviestCallers as jest.Mock;

const sqs = mockClient(SQSClient);
const sns = mockClient(SNSClient);
const bus = mockClient(EventBridgeClient);
const HOME = '111122223333';
const MEMBER = '444455556666';
const NOW = Date.parse('2026-11-20T09:20:00Z');
const config: SpendRateConfig = {
  alarms: [
    { name: 'bedrock-spend-rate-alert-1', level: 'alert', models: ['us.anthropic.claude-sonnet-4-6'] },
    { name: 'bedrock-spend-rate-stop-1', level: 'stop', models: ['us.anthropic.claude-sonnet-4-6'] },
  ],
  windowMinutes: 5,
  alertUsd: 10,
  stopUsd: 20,
  homeAccount: HOME,
  accounts: [HOME, MEMBER],
  roles: ['ClaudeCodeBedrockInvoke'],
  permissionSets: ['ClaudeCodeBedrock'],
};

/**
 * An alarm state change as EventBridge delivers it (CloudWatch User Guide, "Alarm events and
 * EventBridge": source aws.cloudwatch, the alarm ARN in resources, times like 2026-11-20T09:18:30.123+0000).
 */
interface EventOptions {
  name?: string; account?: string; region?: string; state?: string; previous?: string; at?: string; source?: string; extra?: object;
}
function alarmEvent(over: EventOptions = {}): AlarmStateChangeEvent {
  const name = over.name ?? 'bedrock-spend-rate-stop-1';
  const account = over.account ?? HOME;
  const region = over.region ?? 'us-east-1';
  return {
    'id': 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'source': over.source ?? 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    account,
    region,
    'resources': [`arn:aws:cloudwatch:${region}:${account}:alarm:${name}`],
    'detail': {
      alarmName: name,
      state: { value: over.state ?? 'ALARM', reason: 'Threshold Crossed: 1 datapoint [23.4] was greater than the threshold (20.0).', timestamp: over.at ?? '2026-11-20T09:18:30.123+0000' },
      previousState: { value: over.previous ?? 'OK' },
    },
    ...over.extra,
  } as AlarmStateChangeEvent;
}
const sent = () => sqs.commandCalls(SendMessageCommand).map((c) => parseContainmentRequest(c.args[0].input.MessageBody));
const heavy = (over: Partial<HeaviestCaller>): HeaviestCaller => ({
  principal: 'user:9067a1b2c3',
  identity: { kind: 'permission-set', name: 'ClaudeCodeBedrock', roleName: 'AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef' },
  sessionArn: `arn:aws:sts::${MEMBER}:assumed-role/AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef/bob@example.com`,
  issuerAccount: MEMBER,
  weightUsd: 18,
  ...over,
});

beforeEach(() => {
  for (const m of [sqs, sns, bus]) m.reset();
  sqs.on(SendMessageCommand).resolves({});
  sns.on(PublishCommand).resolves({});
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  callers.mockReset().mockResolvedValue([]);
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate'] });
  process.env.SPEND_RATE_CONFIG = JSON.stringify(config);
  process.env.TOPIC_ARN = `arn:aws:sns:us-east-1:${HOME}:alerts`;
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  process.env.CONTAINMENT_QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${HOME}/Containment.fifo`;
  process.env.USAGE_TABLE_NAME = 'Counters';
});
afterEach(() => jest.useRealTimers());

test('a stop in the home account with nobody told apart stops the invoke role and the whole permission set, and wakes containment', async () => {
  expect(await handler(alarmEvent())).toEqual({ level: 'stop', requested: 2 });
  expect(sent()).toEqual([
    expect.objectContaining({ reason: 'spend-limit', target: { kind: 'role', roleName: 'ClaudeCodeBedrockInvoke' }, everySession: true, eventTime: '2026-11-20T09:18:30.123Z' }),
    expect.objectContaining({ target: { kind: 'permission-set', permissionSetName: 'ClaudeCodeBedrock' }, everySession: true }),
  ]);
  expect(callers).toHaveBeenCalledWith('Counters', Date.parse('2026-11-20T09:13:30.123Z'), Date.parse('2026-11-20T09:18:30.123Z'), 10);
  expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('Bedrock spend STOP: over $20 in 5 min in 111122223333 us-east-1');
  expect(bus.commandCalls(PutEventsCommand)[0].args[0].input.Entries![0]).toMatchObject({ Source: ALERT_SOURCE, DetailType: ALERT_DETAIL_TYPE });
  // That is the event containment's wake-up rule matches (lib/containment: wakeUpPattern).
});

test('in a member account, the window\'s heaviest Identity Center callers are stopped, not the set and not the role', async () => {
  callers.mockResolvedValue([heavy({}), heavy({ sessionArn: heavy({}).sessionArn.replace('bob', 'carol'), weightUsd: 12 }), heavy({ sessionArn: heavy({}).sessionArn.replace('bob', 'dave'), weightUsd: 2 })]);
  expect(await handler(alarmEvent({ account: MEMBER, region: 'us-west-2' }))).toEqual({ level: 'stop', requested: 2 });
  expect(sent().map((r) => !('ignored' in r) && r.session?.sessionName)).toEqual(['bob@example.com', 'carol@example.com']);
  expect(sent().every((r) => !('ignored' in r) && r.target.kind === 'permission-set' && !r.everySession)).toBe(true);
});

test('an invoke role\'s caller with a bound source identity is stopped alone; a self-declared one stops the role', async () => {
  const roleCaller = (sourceIdentity: string) => heavy({
    identity: { kind: 'role', name: 'ClaudeCodeBedrockInvoke', roleName: 'ClaudeCodeBedrockInvoke' },
    sessionArn: `arn:aws:sts::${HOME}:assumed-role/ClaudeCodeBedrockInvoke/${sourceIdentity}`,
    issuerAccount: HOME,
    sourceIdentity,
  });
  callers.mockResolvedValue([roleCaller('alice')]);
  process.env.SPEND_RATE_CONFIG = JSON.stringify({ ...config, sourceIdentityTrust: { ClaudeCodeBedrockInvoke: 'bound' } });
  await handler(alarmEvent());
  expect(sent()).toEqual([expect.objectContaining({ target: { kind: 'role', roleName: 'ClaudeCodeBedrockInvoke' }, session: expect.objectContaining({ sourceIdentity: 'alice' }) })]);
  expect(sent().some((r) => !('ignored' in r) && r.everySession)).toBe(false);
  // Can fail: the same caller on a role whose trust lets the caller pick the name stops the whole role.
  sqs.resetHistory();
  process.env.SPEND_RATE_CONFIG = JSON.stringify({ ...config, sourceIdentityTrust: { ClaudeCodeBedrockInvoke: 'self-declared' } });
  await handler(alarmEvent());
  expect(sent()).toEqual([expect.objectContaining({ target: { kind: 'role', roleName: 'ClaudeCodeBedrockInvoke' }, everySession: true })]);
});

test('a member account\'s alarm never stops the invoke role, which lives in the home account', async () => {
  expect(await handler(alarmEvent({ account: MEMBER }))).toEqual({ level: 'stop', requested: 1 });
  expect(sent()).toEqual([expect.objectContaining({ target: { kind: 'permission-set', permissionSetName: 'ClaudeCodeBedrock' }, everySession: true })]);
});

test('an alert alarm tells people and stops nothing', async () => {
  expect(await handler(alarmEvent({ name: 'bedrock-spend-rate-alert-1' }))).toEqual({ level: 'alert', requested: 0 });
  expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toMatch(/Nothing is stopped yet: at \$20 in 5 minutes/);
});

test.each([
  ['OK', { state: 'OK', previous: 'ALARM' }, /went to OK: nothing to do/],
  ['INSUFFICIENT_DATA', { state: 'INSUFFICIENT_DATA' }, /went to INSUFFICIENT_DATA/],
  ['a repeat while in ALARM', { previous: 'ALARM' }, /in ALARM already/],
  ['another alarm', { name: 'my-cpu-alarm' }, /is not one of the spend-rate cap's/],
  ['another account', { account: '999988887777' }, /account 999988887777 is not one the cap covers/],
  ['a custom source (PutEvents refuses aws. to callers)', { source: 'aws-lookalike.cloudwatch' }, /not an alarm state change delivered by CloudWatch/],
  ['an archive replay', { extra: { 'replay-name': 'yesterday' } }, /replayed by yesterday/],
  ['an old event', { at: '2026-11-20T07:00:00.000+0000' }, /not within the last hour/],
  ['a time from the future', { at: '2026-11-21T09:00:00.000+0000' }, /not within the last hour/],
  ['a resource that is not the alarm', { extra: { resources: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:other'] } }, /resource is not the alarm it names/],
])('%s does nothing', async (_what, over, why) => {
  expect((await handler(alarmEvent(over as any))).ignored).toMatch(why);
  expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
});

test('the same ALARM delivered twice asks the same requests: the FIFO queue drops the copy, containment finds it done', async () => {
  await handler(alarmEvent());
  await handler(alarmEvent());
  const bodies = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody);
  expect(bodies).toHaveLength(4);
  expect(bodies.slice(0, 2)).toEqual(bodies.slice(2));
});

test('containment off: the stop alarm alerts and says nothing can be contained', async () => {
  delete process.env.CONTAINMENT_QUEUE_URL;
  expect(await handler(alarmEvent())).toEqual({ level: 'stop', requested: 0 });
  expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toMatch(/Nothing here can be contained/);
});
