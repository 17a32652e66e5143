import { DynamoDBClient, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DOCUMENTED_DEFAULT_LIMITS } from './fixtures/default-limits';
import { addDecimal, MemoryDynamoDb } from './fixtures/memory-dynamodb';
import { callsOver, modelCall, SONNET_PROFILE } from './fixtures/model-calls';
import { identityMatchers, resolveWatchScope } from '../../lib/detection/event-pattern';
import { callCeilingUsd, FALLBACK_CALL_USD } from '../../lib/usage/call-weight';
import { heaviestCallers } from '../../lib/usage/heaviest-callers';
import { UsageConfig } from '../../lib/usage/usage-assessment';
import { DynamoUsageStore } from '../../lib/usage/usage-store';
import { handler, useStore } from '../../lib/usage/usage.lambda';
import { INVOKE_ROLE, PERMISSION_SET, roleSession, ssoSession } from '../detection/fixtures/cloudtrail-events';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);
const dynamo = mockClient(DynamoDBClient);
let table: MemoryDynamoDb;
let log: jest.SpyInstance;

const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET_CALL = callCeilingUsd({ inputPerMillionUsd: 3, outputPerMillionUsd: 15, cacheReadPerMillionUsd: 0.3, cacheWritePerMillionUsd: 3.75 });
const HAIKU_CALL = callCeilingUsd({ inputPerMillionUsd: 1, outputPerMillionUsd: 5, cacheReadPerMillionUsd: 0.1, cacheWritePerMillionUsd: 1.25 });

const config: UsageConfig = {
  matchers: identityMatchers(resolveWatchScope({ roleNames: [INVOKE_ROLE], permissionSetNames: [PERMISSION_SET] })),
  containedRoles: [INVOKE_ROLE],
  containedPermissionSets: [],
  homeAccount: '111122223333',
  roleGrants: { [INVOKE_ROLE]: { modelIds: [SONNET_PROFILE, 'anthropic.claude-sonnet-4-6', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'], regions: ['us-east-1'] } },
  permissionSetGrants: { [PERMISSION_SET]: { modelIds: [SONNET_PROFILE], regions: ['us-east-1'] } },
  limits: DOCUMENTED_DEFAULT_LIMITS,
  // List prices (Amazon Bedrock pricing): Sonnet 4.6 $3/$15 per million, Haiku 4.5 $1/$5, cache writes 1.25 times input.
  weights: {
    byModel: {
      [SONNET_PROFILE]: SONNET_CALL,
      'anthropic.claude-sonnet-4-6': SONNET_CALL,
      [HAIKU]: HAIKU_CALL,
    },
    fallbackUsd: FALLBACK_CALL_USD,
  },
};

beforeEach(() => {
  for (const m of [sns, sqs, events, dynamo]) m.reset();
  table = new MemoryDynamoDb();
  dynamo.on(UpdateItemCommand).callsFake((input) => table.updateItem(input));
  dynamo.on(QueryCommand).callsFake((input) => table.query(input));
  sns.on(PublishCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
  useStore(new DynamoUsageStore('usage-counters', new DynamoDBClient({})));
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  process.env.USAGE_CONFIG = JSON.stringify(config);
  process.env.TABLE_NAME = 'usage-counters';
  process.env.TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  process.env.CONTAINMENT_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/containment';
});
afterEach(() => {
  jest.useRealTimers();
  log.mockRestore();
});

/** Delivers events in order, each at its own time on the handler's clock. */
async function deliver(list: Array<Record<string, any>>) {
  const results = [];
  for (const e of list) {
    jest.useFakeTimers({ now: Date.parse(e.detail.eventTime) + 2_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    results.push(await handler(e as any));
  }
  return results;
}
const alerts = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
const loggedCalls = () => log.mock.calls.map((c) => c[0]).filter((l) => typeof l === 'object' && l.event === 'bedrock-usage-call');
/** Identity Center's session of the same user in another account: the role there has its own suffix. */
const ssoSessionIn = (account: string) => {
  const s = ssoSession() as any;
  const role = 'AWSReservedSSO_ClaudeCodeBedrock_0f1e2d3c4b5a6978';
  return {
    ...s,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/bob@example.com`,
    accountId: account,
    sessionContext: { ...s.sessionContext, sessionIssuer: { ...s.sessionContext.sessionIssuer, userName: role, accountId: account, arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/us-east-1/${role}` } },
  };
};
const containments = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody!));

describe('the usage guard, fed CloudTrail records', () => {
  test('a developer\'s heavy normal day stays quiet: 2,400 calls over 8 hours from home, then from the office the next week', async () => {
    // Learned the week before, from both networks.
    await deliver([modelCall({ at: '2026-11-13T09:00:00Z', ip: '198.51.100.23' }), modelCall({ at: '2026-11-13T15:00:00Z', ip: '203.0.113.77' })]);
    sns.reset();
    sns.on(PublishCommand).resolves({});
    // 250 an hour (one every 14 s), then a 900-call hour of several agents; the home router's address changed within its /24.
    const day = [
      ...[9, 10, 11, 13, 14, 15].flatMap((h) => callsOver(`2026-11-20T${String(h).padStart(2, '0')}:00:00Z`, 60, 250, { ip: '198.51.100.41' })),
      ...callsOver('2026-11-20T16:00:00Z', 60, 900, { ip: '203.0.113.77', model: HAIKU }),
    ];
    const results = await deliver(day);
    expect(results.every((r) => r.counted)).toBe(true);
    expect(alerts()).toEqual([]);
    expect(containments()).toEqual([]);
    // One bucket per person and 5 minutes, its calls weighed at the most a Haiku call can cost.
    const person = `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com`;
    expect(table.get(`window#${person}`, '2026-11-20T16:55:00.000Z')).toMatchObject({ calls: { N: '75' }, usd: { N: String(Math.round(75 * HAIKU_CALL * 1e6) / 1e6) } });
  }, 60_000);

  test('a scripted burst from a new address alarms, then contains once it could have cost $2,500, and again every 100 calls', async () => {
    await deliver([modelCall({ at: '2026-11-19T10:00:00Z', ip: '198.51.100.23' })]);
    // A reseller's proxy: about one Sonnet call a second from a network the person never used.
    const burst = callsOver('2026-11-20T02:00:00Z', 30, 1600, { ip: '192.0.2.200' });
    const results = await deliver(burst);
    expect(alerts()).toEqual([
      'Bedrock usage: alice@example.com new-network',
      'Bedrock usage: alice@example.com rate-alarm',
      'Bedrock usage: alice@example.com rate-limit',
      'Bedrock usage: alice@example.com rate-limit',
    ]);
    const asked = containments();
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ reason: 'usage-limit', target: { kind: 'role', roleName: INVOKE_ROLE }, session: { sourceIdentity: 'alice@example.com' } });
    // $2,500 over $1.71 a call: the 1,462nd call of the burst crossed it (the learning call is a day older, outside the window).
    const crossing = Math.floor(2500 / SONNET_CALL) + 1;
    expect(crossing).toBe(1462);
    expect(asked[0].eventTime).toBe(burst[crossing - 1].detail.eventTime);
    expect(results.filter((r) => r.contained)).toHaveLength(2);
    expect(sns.commandCalls(PublishCommand)[2].args[0].input.Message).toMatch(/over the hard limit of \$2500 \(each call weighed at the most it can cost\)/);
  }, 60_000);

  test('a permission-set person over the limit is alerted with the Identity Center runbook, not sent to containment', async () => {
    const burst = callsOver('2026-11-20T02:00:00Z', 50, 1462, { identity: ssoSession() });
    await deliver(burst);
    expect(alerts()).toEqual(['Bedrock usage: bob@example.com rate-alarm', 'Bedrock usage: bob@example.com rate-limit']);
    expect(containments()).toEqual([]);
    const message = sns.commandCalls(PublishCommand)[1].args[0].input.Message;
    expect(message).toMatch(/remove the user's assignment and end their portal session/);
  }, 60_000);

  test('with the set contained, a permission-set person over the limit is sent to containment to be denied in every account', async () => {
    process.env.USAGE_CONFIG = JSON.stringify({ ...config, containedPermissionSets: [PERMISSION_SET] });
    await deliver(callsOver('2026-11-20T02:00:00Z', 50, 1462, { identity: ssoSession() }));
    expect(containments()).toEqual([expect.objectContaining({
      reason: 'usage-limit', target: { kind: 'permission-set', permissionSetName: PERMISSION_SET }, session: expect.objectContaining({ sessionName: 'bob@example.com' }),
    })]);
    expect(sns.commandCalls(PublishCommand)[1].args[0].input.Message).toMatch(/bob@example.com is being denied everything through permission set ClaudeCodeBedrock/);
  }, 60_000);

  test('calls outside the grant alert once per 60 minutes, whatever their number', async () => {
    const probes = [
      ...callsOver('2026-11-20T09:00:00Z', 10, 20, { model: 'anthropic.claude-v2', errorCode: 'AccessDeniedException' }),
      modelCall({ at: '2026-11-20T10:05:00Z', region: 'eu-west-1', model: 'eu.anthropic.claude-sonnet-4-6', errorCode: 'AccessDeniedException' }),
    ];
    await deliver(probes);
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com outside-grant', 'Bedrock usage: alice@example.com outside-grant']);
    const text = sns.commandCalls(PublishCommand)[1].args[0].input.Message!;
    expect(text).toMatch(/Region eu-west-1 is not a source Region of the grant/);
    expect(text).toMatch(/model 'eu.anthropic.claude-sonnet-4-6' is not one the identity is granted/);
  });

  test('a failed publish on the crossing call loses nothing: the retry alerts, and the alert is not repeated after', async () => {
    await deliver(callsOver('2026-11-20T09:00:00Z', 30, 1000, { model: HAIKU }));
    sns.on(PublishCommand).rejectsOnce(new Error('Throttling')).resolves({});
    const crossing = modelCall({ at: '2026-11-20T09:31:00Z', model: HAIKU });
    await expect(deliver([crossing])).rejects.toThrow(/Throttling/);
    // EventBridge retries the same event: it is counted again (too many, never too few), and the alarm goes out.
    await deliver([crossing, modelCall({ at: '2026-11-20T09:32:00Z', model: HAIKU })]);
    // The refused attempt, then the retry's alert that went out; the next call sends nothing more.
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com rate-alarm', 'Bedrock usage: alice@example.com rate-alarm']);
    expect(sns.commandCalls(PublishCommand)[1].args[0].input.Message).toMatch(/1002 model calls that could cost up to \$\d+\.\d\d in the 60 minutes to 2026-11-20T09:31:00.000Z, over the alarm of 1000 calls/);
  }, 60_000);

  test('a role of the same name in another account is alerted on but never contains the home account\'s role', async () => {
    const elsewhere = roleSession(INVOKE_ROLE, 'mallory', '/', 'mallory');
    const other = { ...elsewhere, sessionContext: { ...(elsewhere as any).sessionContext, sessionIssuer: { ...(elsewhere as any).sessionContext.sessionIssuer, accountId: '444455556666', arn: `arn:aws:iam::444455556666:role/${INVOKE_ROLE}` } } };
    await deliver(callsOver('2026-11-20T02:00:00Z', 50, 1462, { identity: other }));
    expect(alerts()).toContain('Bedrock usage: mallory rate-limit');
    expect(containments()).toEqual([]);
  }, 60_000);

  test('forged and replayed events count nothing', async () => {
    const forged = { ...modelCall({ at: '2026-11-20T09:00:00Z' }), source: 'com.example.cloudtrail' };
    const replayed = { ...modelCall({ at: '2026-11-20T09:00:00Z' }), 'replay-name': 'yesterday' };
    expect(await deliver([forged, replayed])).toEqual([
      { counted: false, ignored: 'not a CloudTrail event delivered by AWS' },
      { counted: false, ignored: 'replayed by yesterday' },
    ]);
    expect(table.items.size).toBe(0);
  });

  test('a network last seen beyond the window is new again, even before DynamoDB\'s TTL deletes it', async () => {
    await deliver([modelCall({ at: '2026-10-01T09:00:00Z', ip: '192.0.2.10' }), modelCall({ at: '2026-11-19T09:00:00Z', ip: '198.51.100.23' })]);
    sns.reset();
    sns.on(PublishCommand).resolves({});
    await deliver([modelCall({ at: '2026-11-20T09:00:00Z', ip: '192.0.2.10' })]);
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com new-network']);
  });
});

/** Small limits, so the window's bound can be shown call by call. */
function smallLimits(o: Partial<UsageConfig['limits']> = {}): void {
  process.env.USAGE_CONFIG = JSON.stringify({
    ...config,
    limits: {
      callsPerHourAlarm: 5,
      callsPerHourLimit: 10,
      usdPerHourAlarm: 100_000,
      usdPerHourLimit: 200_000,
      roleCallsPerHourLimit: 10_000,
      roleUsdPerHourLimit: 1_000_000,
      newNetworkWindowDays: 30,
      ...o,
    },
  });
}

/** Delivers events in this order, all at one handler time (the latest event time plus two seconds). */
async function deliverAt(now: string, list: Array<Record<string, any>>) {
  jest.useFakeTimers({ now: Date.parse(now), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const results = [];
  for (const e of list) results.push(await handler(e as any));
  return results;
}

describe('the sliding window: no boundary lets twice the limit through', () => {
  test('the issue\'s split: 2,999 calls from 10:30 and 2,999 from 11:00 are contained at the 3,001st, in the second half', async () => {
    const first = callsOver('2026-11-20T10:30:00Z', 29, 2999, { model: HAIKU });
    const second = callsOver('2026-11-20T11:00:00Z', 29, 2999, { model: HAIKU });
    await deliver([...first, ...second]);
    const asked = containments();
    expect(asked[0].eventTime).toBe(second[1].detail.eventTime);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message).find((m) => /hard limit/.test(m!))).toMatch(/3001 model calls .* over the hard limit of 3000 calls/);
  }, 120_000);

  // Every start minute across an hour and two buckets, and both arrival orders.
  test.each(Array.from({ length: 12 }, (_, i) => [new Date(Date.parse('2026-11-20T10:50:00Z') + i * 60_000).toISOString().slice(11, 16)]).flatMap(([m]) => [[m, 'in order'], [m, 'reversed']]))(
    '11 calls spread over exactly 60 minutes from %s, delivered %s, are contained (limit 10)', async (start, order) => {
      smallLimits();
      const t0 = Date.parse(`2026-11-20T${start}:00Z`);
      // The first at the start, the last 59 minutes 59 seconds later: every one inside one 60-minute span.
      const calls = Array.from({ length: 11 }, (_, i) => modelCall({ at: new Date(t0 + Math.round((i * (3_600_000 - 1000)) / 10)).toISOString() }));
      const list = order === 'reversed' ? [...calls].reverse() : calls;
      const results = await deliverAt(new Date(t0 + 3_600_000 + 1000).toISOString(), list);
      expect(results.map((r) => r.contained ?? false)).toEqual([...Array(10).fill(false), true]);
    });

  test('the window can say no: 11 calls over three hours are never contained', async () => {
    smallLimits();
    const calls = callsOver('2026-11-20T09:00:00Z', 180, 11);
    await deliver(calls);
    expect(containments()).toEqual([]);
  });

  test('events arriving late and out of order across buckets still add up', async () => {
    smallLimits();
    const early = callsOver('2026-11-20T10:40:00Z', 10, 6);
    const late = callsOver('2026-11-20T11:05:00Z', 10, 5);
    // The 11:05 calls arrive first; the 10:40 ones twenty minutes late, at 11:20.
    const results = await deliverAt('2026-11-20T11:20:00Z', [...late, ...early]);
    expect(results.filter((r) => r.contained)).toHaveLength(1);
    expect(results[10].contained).toBe(true);
  });

  test('a call with a forged future time counts now, in the bucket of the handler\'s clock', async () => {
    await deliverAt('2026-11-20T10:02:00Z', [modelCall({ at: '2027-01-01T00:00:00Z' })]);
    const person = `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com`;
    expect(table.get(`window#${person}`, '2026-11-20T10:00:00.000Z')).toMatchObject({ calls: { N: '1' } });
    expect([...table.items.keys()].some((k) => k.includes('2027'))).toBe(false);
  });

  test('a duplicated delivery counts twice (too many, never too few) and repeats no alert', async () => {
    smallLimits();
    const calls = callsOver('2026-11-20T10:00:00Z', 10, 6);
    await deliver([...calls, calls[5], calls[5]]);
    expect(alerts()).toEqual(['Bedrock usage: alice@example.com rate-alarm']);
  });
});

describe('a person is one person, whatever account or name', () => {
  test('many session names on one role add up: once the role is over its limit, each further name is contained', async () => {
    smallLimits({ roleCallsPerHourLimit: 20 });
    // Fresh names, three calls each: none comes near one person's limit of 10.
    const calls = Array.from({ length: 10 }, (_, n) => callsOver(`2026-11-20T10:${String(n * 3).padStart(2, '0')}:00Z`, 2, 3, { identity: roleSession(INVOKE_ROLE, `proxy-${n}`) })).flat();
    await deliver(calls);
    const asked = containments();
    // The 21st call crossed the role's limit (proxy-6's third), then every new name on its first call.
    expect(asked.map((a) => a.session.sessionName)).toEqual(['proxy-6', 'proxy-7', 'proxy-8', 'proxy-9']);
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message).find((m) => /role's hard limit/.test(m!)))
      .toMatch(/all sessions of role ClaudeCodeBedrockInvoke together: 21 model calls .* over the role's hard limit of 20 calls; whatever name this session chose, it is contained/);
  });

  test('a source identity the trust binds to the IAM user is one person; the role is not counted as one', async () => {
    process.env.USAGE_CONFIG = JSON.stringify({ ...JSON.parse(process.env.USAGE_CONFIG!), sourceIdentityTrust: { [INVOKE_ROLE]: 'bound' } });
    await deliver([modelCall({ at: '2026-11-20T10:00:00Z' })]);
    expect([...table.items.keys()].some((k) => k.includes('window#role/'))).toBe(false);
    expect([...table.items.keys()].some((k) => k.includes('source-identity/alice@example.com'))).toBe(true);
  });

  test('one Identity Center user across two accounts is one count: half the calls in each still cross the limit', async () => {
    smallLimits();
    const calls = Array.from({ length: 11 }, (_, i) => modelCall({ at: `2026-11-20T10:${String(i * 2).padStart(2, '0')}:00Z`, identity: i % 2 ? ssoSessionIn('444455556666') : ssoSession() }));
    const results = await deliver(calls);
    expect(results[10].findings).toContain('rate-limit');
    expect([...table.items.keys()].filter((k) => k.includes('person#'))).toEqual([JSON.stringify(['person#identity-center-name/bob@example.com', '-'])]);
  });

  test('with the identity store user id CloudTrail records, the user is counted by it', async () => {
    smallLimits();
    const onBehalfOf = { userId: '906743d2-4011-70c1-b2a6-000000000001', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-1234567890' };
    const calls = Array.from({ length: 11 }, (_, i) => modelCall({ at: `2026-11-20T10:${String(i * 2).padStart(2, '0')}:00Z`, identity: { ...(i % 2 ? ssoSessionIn('444455556666') : ssoSession()), onBehalfOf } }));
    const results = await deliver(calls);
    expect(results[10].findings).toContain('rate-limit');
    expect(table.get('person#identity-center-user/906743d2-4011-70c1-b2a6-000000000001', '-')).toMatchObject({ totalCalls: { N: '11' } });
  });
});

describe('calls weigh what they can cost', () => {
  test('a huge maxTokens in the request changes nothing: CloudTrail does not record it, and the ceiling is used anyway', async () => {
    const call = modelCall({ at: '2026-11-20T10:00:00Z' });
    call.detail.requestParameters = { modelId: SONNET_PROFILE, inferenceConfig: { maxTokens: 100_000_000 } };
    await deliver([call]);
    expect(loggedCalls()[0]).toMatchObject({ weightUsd: SONNET_CALL });
  });

  test('a model without a price weighs the fallback, the most the dearest Claude call can cost; a refused call weighs nothing', async () => {
    await deliver([
      modelCall({ at: '2026-11-20T10:00:00Z', model: 'anthropic.claude-opus-9' }),
      modelCall({ at: '2026-11-20T10:00:05Z', errorCode: 'ThrottlingException' }),
      modelCall({ at: '2026-11-20T10:00:10Z', errorCode: 'ModelStreamErrorException' }),
    ]);
    expect(loggedCalls().map((l) => l.weightUsd)).toEqual([FALLBACK_CALL_USD, 0, SONNET_CALL]);
  });
});

describe('the line logged per counted call', () => {
  test('is an object the JSON log format nests under message, with the fields the Contributor Insights rules key on', async () => {
    await deliver([modelCall({ at: '2026-11-20T10:00:00Z' })]);
    expect(loggedCalls()).toEqual([{
      event: 'bedrock-usage-call',
      principal: `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com`,
      principalKind: 'source-identity',
      identityKind: 'role',
      identityName: INVOKE_ROLE,
      model: SONNET_PROFILE,
      account: '111122223333',
      region: 'us-east-1',
      weightUsd: SONNET_CALL,
    }]);
  });
});

describe('the heaviest callers of a window', () => {
  test('are read with one Query per bucket on its callers index, never a Scan, heaviest first', async () => {
    await deliver([
      ...callsOver('2026-11-20T10:00:00Z', 20, 40, { model: HAIKU }),
      ...callsOver('2026-11-20T10:05:00Z', 20, 30, { identity: ssoSession() }),
      ...callsOver('2026-11-20T10:10:00Z', 10, 5, { identity: roleSession(INVOKE_ROLE, 'carol') }),
    ]);
    table.pageSize = 2;
    dynamo.resetHistory();
    const top = await heaviestCallers('usage-counters', Date.parse('2026-11-20T10:00:00Z'), Date.parse('2026-11-20T10:59:59Z'), 2);
    expect(top).toEqual([
      expect.objectContaining({
        principal: 'identity-center-name/bob@example.com',
        principalKind: 'identity-center-name',
        identity: { kind: 'permission-set', name: PERMISSION_SET, roleName: 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6' },
        sessionArn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6/bob@example.com',
        issuerAccount: '111122223333',
        calls: 30,
        weightUsd: Math.round(30 * SONNET_CALL * 1e6) / 1e6,
      }),
      expect.objectContaining({ principal: `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com`, sourceIdentity: 'alice@example.com', calls: 40 }),
    ]);
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(new Set(queries.map((q) => q.ExpressionAttributeValues![':pk'].S))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => `callers#2026-11-20T10:${String(i * 5).padStart(2, '0')}:00.000Z`)));
    expect(queries.every((q) => q.KeyConditionExpression === 'pk = :pk')).toBe(true);
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  test('refuse a span they cannot read cheaply', async () => {
    await expect(heaviestCallers('t', 0, 2 * 86_400_000, 5)).rejects.toThrow(/span of at most 24 hours/);
    await expect(heaviestCallers('t', 10, 5, 5)).rejects.toThrow(/since before now/);
    await expect(heaviestCallers('t', 0, 10, 0)).rejects.toThrow(/limit is 0/);
  });
});

describe('the in-memory table the scenarios run on', () => {
  test('can fail: an expression it does not model is refused, not guessed', () => {
    expect(() => table.updateItem({ TableName: 't', Key: { pk: { S: 'k' }, sk: { S: '-' } }, UpdateExpression: 'REMOVE calls', ReturnValues: 'ALL_OLD' })).toThrow();
    expect(() => table.updateItem({ TableName: 't', Key: { pk: { S: 'k' }, sk: { S: '-' } }, UpdateExpression: 'SET a = :missing', ReturnValues: 'ALL_OLD' })).toThrow(/unknown value/);
    expect(() => table.updateItem({ TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'SET a = :x', ExpressionAttributeValues: { ':x': { N: '1' } }, ReturnValues: 'NONE' })).toThrow(/Key.sk/);
    expect(() => table.query({ TableName: 't', KeyConditionExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: 'k' } } })).toThrow(/unsupported key condition/);
  });

  test('follows DynamoDB: UPDATED_NEW returns only what the update touched, ALL_OLD nothing for a new item', () => {
    const key = { pk: { S: 'k' }, sk: { S: '-' } };
    const first = table.updateItem({ TableName: 't', Key: key, UpdateExpression: 'SET a = :x', ExpressionAttributeValues: { ':x': { N: '1' } }, ReturnValues: 'ALL_OLD' });
    expect(first.Attributes).toBeUndefined();
    const added = table.updateItem({ TableName: 't', Key: key, UpdateExpression: 'ADD b :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' });
    expect(added.Attributes).toEqual({ b: { N: '1' } });
  });

  test('follows DynamoDB: a Query reads one partition, BETWEEN includes both ends, items come in sort-key order, a page ends with LastEvaluatedKey', () => {
    for (const sk of ['10:05', '10:00', '10:10', '10:15']) {
      table.updateItem({ TableName: 't', Key: { pk: { S: 'w' }, sk: { S: sk } }, UpdateExpression: 'ADD calls :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'NONE' });
    }
    table.updateItem({ TableName: 't', Key: { pk: { S: 'other' }, sk: { S: '10:05' } }, UpdateExpression: 'ADD calls :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'NONE' });
    const range = { TableName: 't', KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':pk': { S: 'w' }, ':a': { S: '10:00' }, ':b': { S: '10:10' } } };
    expect(table.query(range).Items!.map((i) => i.sk.S)).toEqual(['10:00', '10:05', '10:10']);
    table.pageSize = 2;
    const page = table.query(range);
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'w' }, sk: { S: '10:05' } });
    expect(table.query({ ...range, ExclusiveStartKey: page.LastEvaluatedKey }).Items!.map((i) => i.sk.S)).toEqual(['10:10']);
  });

  test('follows DynamoDB: numbers add as exact decimals, and a number it cannot read is refused', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('42.75', '0.57')).toBe('43.32');
    expect(addDecimal('1', '-1.5')).toBe('-0.5');
    expect(() => addDecimal('1e-7', '1')).toThrow(/plain decimal notation/);
  });

  test('follows DynamoDB: every operand of an update reads the item as it was before it', () => {
    const key = { pk: { S: 'k' }, sk: { S: '-' } };
    table.updateItem({ TableName: 't', Key: key, UpdateExpression: 'SET a = :x', ExpressionAttributeValues: { ':x': { N: '1' } }, ReturnValues: 'NONE' });
    const after = table.updateItem({ TableName: 't', Key: key, UpdateExpression: 'SET a = :y, b = if_not_exists(a, :z)', ExpressionAttributeValues: { ':y': { N: '2' }, ':z': { N: '0' } }, ReturnValues: 'ALL_NEW' });
    expect(after.Attributes).toMatchObject({ a: { N: '2' }, b: { N: '1' } });
  });
});
