import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FakeBedrock, RecordedRequest, SOURCE_USER_NAME, US_DESTINATIONS } from './fake-bedrock';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, Guardrail, ModelReference } from '../../lib';
import { decide, SimRequest, SimulationSubject } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

/**
 * The contract with the real client: a pinned Claude Code, installed from npm in the test run, runs
 * non-interactively with the generated settings against a fake Bedrock and STS on 127.0.0.1; every
 * request it makes is simulated against the synthesized role and permission-set policies.
 *
 * Cost: one download of about 77 MB (the linux-x64 binary package) into .claude-code-cache/, kept
 * between runs; each Claude Code run takes a few seconds. Needs the AWS CLI on PATH, as the generated
 * awsCredentialExport does.
 */
const CLAUDE_CODE_VERSION = '2.1.197';
const CACHE = path.join(__dirname, '..', '..', '.claude-code-cache', CLAUDE_CODE_VERSION);
const run = promisify(execFile);

function installedClaudeCode(): string {
  const scope = path.join(CACHE, 'node_modules', '@anthropic-ai');
  const find = () => fs.existsSync(scope)
    ? fs.readdirSync(scope).filter((d) => d.startsWith('claude-code-')).map((d) => path.join(scope, d, 'claude')).find((f) => fs.existsSync(f))
    : undefined;
  if (!find()) {
    fs.mkdirSync(CACHE, { recursive: true });
    // --ignore-scripts: the binary comes in the platform package; the wrapper's postinstall only copies it.
    execFileSync('npm', ['install', '--prefix', CACHE, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`], { stdio: 'ignore' });
  }
  const binary = find();
  if (!binary) {
    throw new Error(`npm installed @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} without a binary for ${process.platform}-${process.arch}`);
  }
  return binary;
}

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-4-7');

const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1' } });
const access = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
  model: SONNET,
  smallFastModel: HAIKU,
  opusModel: OPUS,
  trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
  identityCenter: {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT_A] }],
  },
  detection: false,
  drift: false,
});
const subjects: Array<[string, SimulationSubject]> = [
  ['the invoke role', roleSubject(stack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' })],
  ['the permission set', {
    identityPolicies: [resolveIntrinsics(stack.resolve(access.permissionSet!.inlinePolicy.toJSON()), ACCOUNT_A) as PolicyJson],
    principal: { account: ACCOUNT_A, roleArn: `arn:aws:iam::${ACCOUNT_A}:role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6` },
  }],
];

/** What IAM evaluates for one Bedrock request, as the Bedrock User Guide describes inference-profile calls. */
function iamRequests(r: RecordedRequest): SimRequest[] {
  const profileArn = (id: string) => `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:inference-profile/${id}`;
  if (r.method === 'GET' && r.path === '/inference-profiles') {
    return [{ action: 'bedrock:ListInferenceProfiles', resource: '*' }];
  }
  const profile = /^\/inference-profiles\/(.+)$/.exec(r.path);
  if (profile) {
    return [{ action: 'bedrock:GetInferenceProfile', resource: profileArn(profile[1]) }];
  }
  const call = /^\/model\/(.+)\/(invoke|invoke-with-response-stream|count-tokens)$/.exec(r.path);
  if (!call) {
    throw new Error(`Claude Code made a request this test does not know how to evaluate: ${r.method} ${r.path}`);
  }
  const [, id, verb] = call;
  if (verb === 'count-tokens') {
    return [{ action: 'bedrock:CountTokens', resource: `arn:aws:bedrock:us-east-1::foundation-model/${id}` }];
  }
  const action = verb === 'invoke' ? 'bedrock:InvokeModel' : 'bedrock:InvokeModelWithResponseStream';
  const model = id.replace(/^[a-z-]+\.(?=anthropic\.)/, '');
  // The profile in the source Region, then the model in whichever destination Region Bedrock picks.
  return [
    { action, resource: profileArn(id) },
    ...US_DESTINATIONS.map((region) => ({ action, resource: `arn:aws:bedrock:${region}::foundation-model/${model}`, context: { 'bedrock:InferenceProfileArn': profileArn(id) } })),
  ];
}

const fake = new FakeBedrock();
const runs: Record<string, RecordedRequest[]> = {};
const guardedRuns: Record<string, RecordedRequest[]> = {};

// The same models with a required guardrail, to see the headers the settings add reach Bedrock.
const guardedStack = new Stack(new App(), 'Guarded', { env: { region: 'us-east-1' } });
const guarded = new ClaudeCodeBedrockAccess(guardedStack, 'ClaudeCode', {
  model: SONNET,
  smallFastModel: HAIKU,
  trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
  guardrail: Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2'),
  detection: false,
  drift: false,
});

/** Runs the installed Claude Code with one stack's role settings in a fresh HOME, recording each scenario's requests. */
async function runClaudeCode(claude: string, endpoint: string, from: Stack, config: { claudeSettingsJson: string; awsConfig: string },
  scenarios: Record<string, string[]>, into: Record<string, RecordedRequest[]>): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-code-contract-'));
  fs.mkdirSync(path.join(home, '.claude'));
  fs.mkdirSync(path.join(home, '.aws'));
  fs.writeFileSync(path.join(home, '.claude', 'settings.json'), resolveIntrinsics(from.resolve(config.claudeSettingsJson), ACCOUNT_A));
  // The source profile: keys in AWS's documentation format, only ever sent to the fake STS.
  fs.writeFileSync(path.join(home, '.aws', 'config'), `[default]\nregion = us-east-1\n\n${resolveIntrinsics(from.resolve(config.awsConfig), ACCOUNT_A)}`);
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    USER: 'alice',
    TERM: 'dumb',
    // Claude Code 2.1.197 sends both the control-plane (ListInferenceProfiles) and runtime calls here.
    ANTHROPIC_BEDROCK_BASE_URL: endpoint,
    // The AWS CLI that awsCredentialExport runs takes STS's endpoint from this.
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  try {
    for (const [name, args] of Object.entries(scenarios)) {
      const before = fake.requests.length;
      await run(claude, args, { env, cwd: home, timeout: 120_000 });
      into[name] = fake.requests.slice(before);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const claude = installedClaudeCode();
  const endpoint = await fake.start();
  await runClaudeCode(claude, endpoint, stack, access.roleClientConfiguration(), {
    'the main model': ['-p', 'say OK'],
    '--model opus': ['-p', 'say OK', '--model', 'opus'],
    '--model haiku': ['-p', 'say OK', '--model', 'haiku'],
    '/context': ['-p', '/context'],
  }, runs);
  await runClaudeCode(claude, endpoint, guardedStack, guarded.roleClientConfiguration(), { 'the main model': ['-p', 'say OK'] }, guardedRuns);
}, 600_000);
afterAll(() => fake.stop());

const isAssumeRole = (r: RecordedRequest) => r.method === 'POST' && r.path === '/' && r.body.includes('Action=AssumeRole');
const isSts = (r: RecordedRequest) => r.method === 'POST' && r.path === '/' && /Action=(AssumeRole|GetCallerIdentity)\b/.test(r.body);

test('every pinned model is requested, and nothing outside them', () => {
  const all = Object.values(runs).flat();
  const invoked = new Set(all.map((r) => /^\/model\/(.+?)\/invoke/.exec(r.path)?.[1]).filter((m): m is string => m !== undefined));
  expect(invoked).toEqual(new Set([SONNET.invocationId, HAIKU.invocationId, OPUS.invocationId]));
  expect(runs['/context'].some((r) => r.path.endsWith('/count-tokens'))).toBe(true);
});

test('one credential lifetime costs one AssumeRole, however many requests and Claude Code processes', () => {
  // Four Claude Code runs in one HOME, each reading awsCredentialExport and the AWS_PROFILE profile: one AssumeRole in all.
  const assumes = Object.values(runs).flat().filter(isAssumeRole);
  expect(assumes).toHaveLength(1);
  expect(runs['the main model'].filter(isAssumeRole)).toHaveLength(1);
  // The session is named after the login; the source identity is the IAM user's own name, as the trust demands.
  expect(new URLSearchParams(assumes[0].body).get('RoleSessionName')).toBe('alice');
  expect(new URLSearchParams(assumes[0].body).get('SourceIdentity')).toBe(SOURCE_USER_NAME);
  expect(runs['/context'].filter((r) => !isSts(r)).length).toBeGreaterThan(10);
});

test.each(subjects)('every request Claude Code made is allowed to %s', async (_who, subject) => {
  const denied: string[] = [];
  for (const request of Object.values(runs).flat().filter((r) => !isSts(r))) {
    for (const evaluated of iamRequests(request)) {
      const decision = await decide(subject, evaluated);
      if (decision !== 'Allowed') {
        denied.push(`${evaluated.action} ${evaluated.resource}: ${decision}`);
      }
    }
  }
  expect(denied).toEqual([]);
});

test('the evaluation can fail: a model the policy does not grant is denied', async () => {
  const other = iamRequests({ method: 'POST', path: '/model/us.anthropic.claude-3-7-sonnet-20250219-v1:0/invoke', headers: {}, body: '', host: '' });
  for (const [, subject] of subjects) {
    expect(await decide(subject, other[0])).not.toBe('Allowed');
  }
});

// Claude Code 2.1.197 checks each model tier at start: a tier whose variable names a model of another
// tier (here the Opus slot, pinned to Sonnet because no Opus is granted) counts as unpinned, and it
// probes its own default for that tier with a one-token InvokeModel, without the custom headers.
// The policy denies it (as it should); Claude Code then carries on. Known gap, reported on issue 14.
const isTierProbe = (r: RecordedRequest) => r.body === JSON.stringify({ max_tokens: 1, messages: [{ role: 'user', content: '.' }], anthropic_version: 'bedrock-2023-05-31' });

test('with no Opus granted, the only other request is Claude Code\'s start-up probe of its default Opus, which the policy denies', async () => {
  const outside = Object.values(guardedRuns).flat().filter((r) => /^\/model\//.test(r.path) && !r.path.includes(SONNET.invocationId));
  expect(outside.every(isTierProbe)).toBe(true);
  expect(outside.map((r) => r.path)).toEqual([expect.stringMatching(/^\/model\/us\.anthropic\.claude-opus-[^/]+\/invoke$/)]);
  const subject = roleSubject(guardedStack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
  expect(await decide(subject, iamRequests(outside[0])[0])).not.toBe('Allowed');
});

test('with a guardrail, every model request carries it, and the guarded role allows exactly those requests', async () => {
  const invocations = Object.values(guardedRuns).flat().filter((r) => /^\/model\/.+\/invoke/.test(r.path) && !isTierProbe(r));
  expect(invocations.length).toBeGreaterThan(0);
  const subject = roleSubject(guardedStack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
  for (const r of invocations) {
    expect([r.headers['x-amzn-bedrock-guardrailidentifier'], r.headers['x-amzn-bedrock-guardrailversion']])
      .toEqual([`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2']);
    // Bedrock evaluates bedrock:GuardrailIdentifier as the ARN with ':<version>' (Bedrock User Guide, guardrails-permissions-id).
    const identifier = `${r.headers['x-amzn-bedrock-guardrailidentifier']}:${r.headers['x-amzn-bedrock-guardrailversion']}`;
    for (const evaluated of iamRequests(r)) {
      expect(await decide(subject, { ...evaluated, context: { ...evaluated.context, 'bedrock:GuardrailIdentifier': identifier } })).toBe('Allowed');
      expect(await decide(subject, evaluated)).not.toBe('Allowed');
    }
  }
});
