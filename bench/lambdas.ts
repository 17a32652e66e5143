import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { Section, TargetResult } from './report';
import { median, perCall, perCallSync, Summary } from './stats';
import { bytes, kb, ms, us } from './table';
import { BASELINE_ENV } from '../lib/drift/baseline';
import { ConfigurationItem } from '../lib/drift/configuration-item';
import { evaluate } from '../lib/drift/evaluate';
import { call, invokeRoleSession, INVOKE_ROLE, PERMISSION_SET, RECONNAISSANCE, rivalSsoSession, roleSession, ssoSession } from '../test/detection/fixtures/cloudtrail-events';
import { exampleBaseline, examplePermissionSet } from '../test/drift/fixtures/baseline';
import { ACCOUNT, GUARD_POLICY_ARN, INVOKE_POLICY_ARN, invokeRoleItem, invokeTrust, ssoRoleItem } from '../test/drift/fixtures/role-items';
import { MemoryDynamoDb } from '../test/usage/fixtures/memory-dynamodb';
import { modelCall, SONNET_PROFILE } from '../test/usage/fixtures/model-calls';

const REPO = path.join(__dirname, '..');
const ITEMS = 10_000;
const ROUNDS = 5;
const LOAD_RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 15);
const MAX_BUNDLE = 100 * 1024;
const MAX_EVALUATION_MS = 1;

interface Bundle {
  readonly name: string;
  readonly file: string;
  readonly lambda: boolean;
}

const BUNDLES: Bundle[] = [
  { name: 'alert (detection)', file: 'assets/lib/detection/alert.lambda/index.js', lambda: true },
  { name: 'contain (containment)', file: 'assets/lib/containment/contain.lambda/index.js', lambda: true },
  { name: 'evaluate-role-drift (drift)', file: 'assets/lib/drift/evaluate-role-drift.lambda/index.js', lambda: true },
  { name: 'command-line tool (not a Lambda)', file: 'assets/lib/cli/main/cdk-bedrock-least-privilege.js', lambda: false },
  { name: 'usage (usage guard)', file: 'assets/lib/usage/usage.lambda/index.js', lambda: true },
  { name: 'spend-rate (spend-rate cap)', file: 'assets/lib/usage/spend-rate.lambda/index.js', lambda: true },
];

/** The AWS SDK packages a bundle leaves to the Lambda runtime. */
function externalSdk(code: string): string[] {
  return [...new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]))].sort();
}

interface LoadTime {
  readonly sdk: number;
  readonly handler: number;
}

/** In a fresh process: require the SDK clients the bundle uses, then the bundle; both timed. */
function loadOnce(file: string, sdk: string[]): LoadTime {
  const script = [
    'const t0 = performance.now();',
    `for (const m of ${JSON.stringify(sdk)}) require(m);`,
    'const t1 = performance.now();',
    `require(${JSON.stringify(file)});`,
    'const t2 = performance.now();',
    'process.stdout.write(JSON.stringify({ sdk: t1 - t0, handler: t2 - t1 }));',
  ].join('\n');
  // The CLI runs its main on load; --help keeps it quick and offline.
  const child = spawnSync(process.execPath, ['-e', script, '--', '--help'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } });
  if (child.status !== 0) {
    throw new Error(`loading ${file} failed: ${child.stderr}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as LoadTime;
}

/** Runs `fn` with console.log silenced: the handlers log one line per call. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

/** Realistic role items: as deployed, and the drifts a platform team fears. */
function driftItems(): ConfigurationItem[] {
  const { inlinePolicy } = examplePermissionSet();
  const sso = [{ policyName: 'AwsSSOInlinePolicy', policyDocument: inlinePolicy }];
  const allow = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
  return [
    invokeRoleItem(),
    invokeRoleItem({ tags: [{ key: 'cost-center', value: 'ml-platform' }] }),
    invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess'] }),
    invokeRoleItem({ inline: [{ policyName: 'debug-s3', policyDocument: allow('s3:*') }] }),
    invokeRoleItem({ managed: [INVOKE_POLICY_ARN] }),
    invokeRoleItem({ boundary: null }),
    invokeRoleItem({ trust: invokeTrust({ principal: '*' }) }),
    invokeRoleItem({ maxSessionDuration: 43200 }),
    ssoRoleItem(sso),
    ssoRoleItem(sso, { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] }),
    ssoRoleItem([...sso, { policyName: 'extra', policyDocument: allow('*') }]),
    { ...invokeRoleItem(), resourceId: 'AROA3XFRBF23EXAMPLE9', resourceName: 'ci-deployer' },
  ];
}

interface Evaluation {
  readonly what: string;
  readonly where: string;
  readonly perItem: Summary;
}

async function evaluations(): Promise<Evaluation[]> {
  const items = driftItems();
  const baseline = exampleBaseline();
  const out: Evaluation[] = [];

  out.push({
    what: `drift: evaluate(item, baseline), ${items.length} kinds of item cycled`,
    where: 'lib/drift/evaluate.ts, in-process (the target)',
    perItem: perCallSync((i) => evaluate(items[i % items.length], baseline), { count: ITEMS, rounds: ROUNDS, warmup: 1000 }),
  });

  const config = mockClient(ConfigServiceClient);
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  // The handler also reads the invoke role's own policies (a new version changes no role item).
  const driftIam = mockClient(IAMClient);
  // Not the deployed guard: the handler then also finds drift, which is the costlier path to measure.
  const guard = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotAction: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], Resource: '*' }] };
  driftIam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
  driftIam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(guard)) } });
  process.env[BASELINE_ENV] = JSON.stringify(baseline);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const drift = require(path.join(REPO, BUNDLES[2].file)) as { handler(e: unknown): Promise<void> };
  const events = items.map((item) => ({
    invokingEvent: JSON.stringify({ configurationItem: item, notificationCreationTime: '2026-03-02T09:16:00.000Z', messageType: 'ConfigurationItemChangeNotification' }),
    resultToken: 'result-token-1',
    configRuleName: 'bedrock-drift',
  }));
  out.push({
    what: 'drift: the whole handler on a change notification (parse, read the role\'s policies, evaluate, PutEvaluations)',
    where: 'bundle, Config and IAM clients stubbed',
    perItem: await quietly(() => perCall((i) => drift.handler(events[i % events.length]), { count: ITEMS, rounds: 3, warmup: 500 })),
  });
  config.restore();
  driftIam.restore();

  // The contain function reads its requests from the FIFO queue itself (never from the event); SQS sets SenderId.
  const iam = mockClient(IAMClient);
  let rolePolicy: string | undefined;
  iam.on(GetRolePolicyCommand).callsFake(() => {
    if (rolePolicy === undefined) throw new NoSuchEntityException({ message: 'not found', $metadata: {} });
    return { PolicyDocument: encodeURIComponent(rolePolicy) };
  });
  iam.on(PutRolePolicyCommand).callsFake((input) => { rolePolicy = input.PolicyDocument; return {}; });
  const queue = mockClient(SQSClient);
  const containSns = mockClient(SNSClient);
  containSns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  queue.on(DeleteMessageCommand).resolves({});
  process.env.CONTAINMENT_QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/Containment.fifo`;
  process.env.TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
  process.env.REQUESTER_ROLE_IDS = 'AROAEXAMPLEALERTFN01';
  process.env.CONTAINED_ROLES = INVOKE_ROLE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const contain = require(path.join(REPO, BUNDLES[1].file)) as { handler(e: unknown): Promise<unknown> };
  // Recent enough that the handler believes it; one new session per request, so each writes the policy.
  const base = Date.now() - 60 * 60 * 1000;
  const requestFor = (i: number) => ({
    MessageId: `m-${i}`,
    ReceiptHandle: `rh-${i}`,
    Attributes: { SenderId: 'AROAEXAMPLEALERTFN01:awslambda_812', SentTimestamp: String(base + (i % 3600) * 1000 + 500) },
    Body: JSON.stringify({
      version: 1,
      reason: 'misuse',
      target: { kind: 'role', roleName: INVOKE_ROLE },
      session: { sessionName: 'claude-code', sourceIdentity: `dev${i % 40}@example.com` },
      eventTime: new Date(base + (i % 3600) * 1000).toISOString(),
      call: 'sts.amazonaws.com:GetCallerIdentity',
    }),
  });
  let next = 0;
  // Each invocation receives one request, then finds the queue empty.
  let handedOut = false;
  queue.on(ReceiveMessageCommand).callsFake(() => {
    if (handedOut) { handedOut = false; return { Messages: [] }; }
    handedOut = true;
    return { Messages: [requestFor(next++)] };
  });
  out.push({
    what: 'containment: one request from its queue (read the role\'s policy, deny the source identity, write, tell)',
    where: 'bundle, SQS, IAM and SNS clients stubbed',
    perItem: await quietly(() => perCall(() => {
      rolePolicy = undefined;
      return contain.handler({});
    }, { count: ITEMS, rounds: ROUNDS, warmup: 500 })),
  });
  iam.restore();
  containSns.restore();
  // Left in place: the usage guard below asks containment through the same queue.
  queue.on(SendMessageCommand).resolves({ MessageId: 'q-1' });

  const sns = mockClient(SNSClient);
  const bus = mockClient(EventBridgeClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  process.env.ALERT_CONFIG = JSON.stringify({
    matchers: { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] },
    containedRoles: [INVOKE_ROLE],
  });
  process.env.TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
  process.env.EVENT_BUS_NAME = 'bedrock-misuse-detection';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const alert = require(path.join(REPO, BUNDLES[0].file)) as { handler(e: unknown): Promise<unknown> };
  const sessions = [invokeRoleSession, ssoSession, rivalSsoSession];
  const trail = Array.from({ length: 60 }, (_, i) => call(RECONNAISSANCE[i % RECONNAISSANCE.length], sessions[i % sessions.length]()));
  out.push({
    what: 'alert: a CloudTrail event (match the identity, format, publish, put the alert event)',
    where: 'bundle, SNS and EventBridge clients stubbed',
    perItem: await quietly(() => perCall((i) => alert.handler(trail[i % trail.length]), { count: ITEMS, rounds: ROUNDS, warmup: 500 })),
  });

  // The usage guard on a busy team's billed calls: four people, each call three DynamoDB writes.
  const dynamo = mockClient(DynamoDBClient);
  const table = new MemoryDynamoDb();
  dynamo.on(UpdateItemCommand).callsFake((input) => table.updateItem(input));
  dynamo.on(QueryCommand).callsFake((input) => table.query(input));
  process.env.USAGE_CONFIG = JSON.stringify({
    matchers: { roleNames: [INVOKE_ROLE], permissionSets: [{ name: PERMISSION_SET, pattern: `^AWSReservedSSO_${PERMISSION_SET}_[0-9a-f]{16}$` }] },
    containedRoles: [INVOKE_ROLE],
    containedPermissionSets: [],
    roleGrants: { [INVOKE_ROLE]: { modelIds: [SONNET_PROFILE, 'anthropic.claude-sonnet-4-6'], regions: ['us-east-1'] } },
    permissionSetGrants: {},
    homeAccount: ACCOUNT,
    // High enough that no call alerts: the bench measures counting, not alerting.
    limits: {
      callsPerHourAlarm: 1_000_000,
      callsPerHourLimit: 2_000_000,
      usdPerHourAlarm: 1_000_000,
      usdPerHourLimit: 2_000_000,
      roleCallsPerHourLimit: 6_000_000,
      roleUsdPerHourLimit: 6_000_000,
      newNetworkWindowDays: 30,
    },
    weights: { byModel: { [SONNET_PROFILE]: 2.4, 'anthropic.claude-sonnet-4-6': 2.4 }, fallbackUsd: 9.41 },
  });
  process.env.TABLE_NAME = 'usage-counters';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const usage = require(path.join(REPO, BUNDLES[4].file)) as { handler(e: unknown): Promise<unknown> };
  const people = [invokeRoleSession, ssoSession, () => roleSession(INVOKE_ROLE, 'carol'), () => roleSession(INVOKE_ROLE, 'dan')];
  const recent = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const calls = Array.from({ length: 400 }, (_, i) => modelCall({ at: recent, identity: people[i % people.length](), ip: `198.51.100.${i % 7}` }));
  out.push({
    what: 'usage: a billed model call (match, the counter writes and the window Query, no finding)',
    where: 'bundle, DynamoDB stubbed by an in-memory UpdateItem and Query, SNS and EventBridge stubbed',
    perItem: await quietly(() => perCall((i) => usage.handler(calls[i % calls.length]), { count: ITEMS, rounds: ROUNDS, warmup: 500 })),
  });
  dynamo.restore();
  sns.restore();
  bus.restore();
  return out;
}

export async function measureLambdas(): Promise<Section> {
  const sizes = BUNDLES.map((b) => {
    const file = path.join(REPO, b.file);
    if (!fs.existsSync(file)) {
      throw new Error(`${b.file} is missing: run \`npm run bench\`, which bundles first (or \`npx projen bundle\`)`);
    }
    const code = fs.readFileSync(file);
    const sdk = externalSdk(code.toString('utf8'));
    const loads = Array.from({ length: LOAD_RUNS }, () => loadOnce(file, b.lambda ? sdk : []));
    return { b, size: code.length, gzip: zlib.gzipSync(code, { level: 9 }).length, sdk, loads };
  });
  const evals = await evaluations();

  const bundleTable = {
    title: `Bundles and module load time (fresh process each, median of ${LOAD_RUNS})`,
    headers: ['Bundle', 'Size', 'Gzipped', 'External AWS SDK clients', 'Load: SDK clients', 'Load: handler code', 'Load: total'],
    rows: sizes.map((s) => [
      s.b.name, `${bytes(s.size)} B (${kb(s.size)})`, kb(s.gzip), s.b.lambda ? s.sdk.map((m) => m.replace('@aws-sdk/', '')).join(', ') || 'none' : 'bundled in',
      s.b.lambda ? ms(median(s.loads.map((l) => l.sdk)), 1) : '-',
      ms(median(s.loads.map((l) => l.handler)), 1),
      ms(median(s.loads.map((l) => l.sdk + l.handler)), 1),
    ]),
    numeric: [1, 2, 4, 5, 6],
  };
  const evalTable = {
    title: `Time per evaluation over ${bytes(ITEMS)} items or events (median of the rounds, min and max of the rounds)`,
    headers: ['What', 'Where', 'Per item', 'Min', 'Max'],
    rows: evals.map((e) => [e.what, e.where, us(e.perItem.median * 1000), us(e.perItem.min * 1000), us(e.perItem.max * 1000)]),
    numeric: [2, 3, 4],
  };

  const lambdas = sizes.filter((s) => s.b.lambda);
  const biggest = lambdas.reduce((a, b) => (a.size > b.size ? a : b));
  const pure = evals[0].perItem.median;
  const targets: TargetResult[] = [
    {
      target: `drift evaluation under ${MAX_EVALUATION_MS} ms per item, in-process`,
      measured: `${us(pure * 1000)} per item (whole handler with Config and IAM stubbed: ${us(evals[1].perItem.median * 1000)})`,
      met: pure < MAX_EVALUATION_MS,
    },
    {
      target: `each handler bundle under ${MAX_BUNDLE / 1024} KB`,
      measured: lambdas.map((s) => `${s.b.name.split(' ')[0]} ${kb(s.size)}`).join(', '),
      met: lambdas.every((s) => s.size < MAX_BUNDLE),
      note: lambdas.every((s) => s.size < MAX_BUNDLE)
        ? `the AWS SDK clients are left to the Lambda runtime (largest: ${biggest.b.name}); the command-line tool, ${kb(sizes[3].size)}, bundles its SDK clients and is not deployed as a Lambda.`
        : undefined,
    },
  ];
  return {
    title: '3. Lambda handlers',
    method: [
      'Bundles are the files `projen bundle` writes (the same step `npm run bench` runs first). Load time is measured in a fresh `node` process: first the AWS SDK clients the bundle requires (external, as the Lambda runtime provides them; here the devDependency versions), then the bundle itself.',
      `Evaluations run in this process on the bundles (the drift rule also on its pure function from the sources), with the AWS clients stubbed by aws-sdk-client-mock and console.log silenced; ${bytes(ITEMS)} calls per round after a warm-up, ${ROUNDS} rounds (3 for the drift handler). Drift items are the test fixtures' role items (as deployed, AdministratorAccess attached, s3:* inline, guard detached, boundary removed, trust opened, 12-hour sessions, permission-set roles, an unwatched role); alert events are the test fixtures' CloudTrail events.`,
    ],
    tables: [bundleTable, evalTable],
    notes: [
      'The stubbed clients still run the SDK\'s middleware stack (serialization is skipped by the mock), so the per-event figures of the handlers are upper bounds of the code\'s own cost, not of a real call, which waits tens of milliseconds on the network.',
    ],
    targets,
  };
}
