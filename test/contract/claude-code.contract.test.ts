import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { installedClaudeCode, newestClaudeCodeVersion } from './claude-code-install';
import { FakeBedrock, RecordedRequest, SOURCE_USER_NAME, US_DESTINATIONS } from './fake-bedrock';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, Guardrail, MINIMUM_CLAUDE_CODE_VERSION, ModelReference } from '../../lib';
import { decide, SimRequest, SimulationSubject } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

/**
 * The contract with the real client: the newest Claude Code on npm and MINIMUM_CLAUDE_CODE_VERSION,
 * installed by the test run into the cache the credential isolation contract test shares
 * (claude-code-install.ts), run non-interactively with the generated settings against a fake Bedrock
 * and STS on 127.0.0.1; every request they make is simulated against the synthesized role and
 * permission-set policies.
 *
 * Cost: nothing more to download when the isolation contract test ran (the same two versions); nine
 * Claude Code runs of a few seconds each. Needs the AWS CLI on PATH, as the generated awsCredentialExport does.
 */
const run = promisify(execFile);

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
const versions: string[] = [];
// Per version, per scenario; the guarded runs have the guardrail's settings in the user's file or, to see 2.1.251's approval, in the project's.
const runs: Record<string, Record<string, RecordedRequest[]>> = {};
const guardedRuns: Record<string, Record<string, RecordedRequest[]>> = {};
const GUARDRAIL = Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2');
// What the generated ANTHROPIC_CUSTOM_HEADERS must put on Bedrock requests (InvokeModel takes the guardrail through these headers).
const GUARDRAIL_HEADERS = { 'x-amzn-bedrock-guardrailidentifier': GUARDRAIL.arn, 'x-amzn-bedrock-guardrailversion': '2' };

// The same models with a required guardrail, to see the headers the settings add reach Bedrock.
const guardedStack = new Stack(new App(), 'Guarded', { env: { region: 'us-east-1' } });
const guarded = new ClaudeCodeBedrockAccess(guardedStack, 'ClaudeCode', {
  model: SONNET,
  smallFastModel: HAIKU,
  trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
  guardrail: GUARDRAIL,
  detection: false,
  drift: false,
});

/**
 * Runs Claude Code with one stack's role settings in a fresh HOME, recording each scenario's requests.
 * `projectEnv` moves those env entries from the user's settings into a project's `.claude/settings.json`.
 */
async function runClaudeCode(claude: string, endpoint: string, from: Stack, config: { claudeSettingsJson: string; awsConfig: string },
  scenarios: Record<string, string[]>, into: Record<string, RecordedRequest[]>, projectEnv: string[] = []): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-code-contract-'));
  const project = path.join(home, 'project');
  fs.mkdirSync(path.join(home, '.claude'));
  fs.mkdirSync(path.join(project, '.claude'), { recursive: true });
  fs.mkdirSync(path.join(home, '.aws'));
  const settings = JSON.parse(resolveIntrinsics(from.resolve(config.claudeSettingsJson), ACCOUNT_A));
  const moved = Object.fromEntries(projectEnv.map((k) => [k, settings.env[k]]));
  projectEnv.forEach((k) => delete settings.env[k]);
  fs.writeFileSync(path.join(home, '.claude', 'settings.json'), JSON.stringify(settings));
  fs.writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify(projectEnv.length ? { env: moved } : {}));
  // The source profile: keys in AWS's documentation format, only ever sent to the fake STS.
  fs.writeFileSync(path.join(home, '.aws', 'config'), `[default]\nregion = us-east-1\n\n${resolveIntrinsics(from.resolve(config.awsConfig), ACCOUNT_A)}`);
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    USER: 'alice',
    TERM: 'dumb',
    // Claude Code sends both the control-plane (ListInferenceProfiles) and runtime calls here.
    ANTHROPIC_BEDROCK_BASE_URL: endpoint,
    // The AWS CLI that awsCredentialExport runs takes STS's endpoint from this.
    AWS_ENDPOINT_URL_STS: endpoint,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  try {
    for (const [name, args] of Object.entries(scenarios)) {
      const before = fake.requests.length;
      await run(claude, args, { env, cwd: project, timeout: 120_000 });
      into[name] = fake.requests.slice(before);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const endpoint = await fake.start();
  const newest = newestClaudeCodeVersion();
  versions.push(newest, ...(newest === MINIMUM_CLAUDE_CODE_VERSION ? [] : [MINIMUM_CLAUDE_CODE_VERSION]));
  for (const version of versions) {
    const claude = installedClaudeCode(version);
    // The newest gets every scenario; the minimum the model switch the pins must hold in, to keep the suite's time.
    const scenarios: Record<string, string[]> = { 'the main model': ['-p', 'say OK'], '--model opus': ['-p', 'say OK', '--model', 'opus'] };
    if (version === newest) {
      Object.assign(scenarios, { '--model haiku': ['-p', 'say OK', '--model', 'haiku'], '/context': ['-p', '/context'] });
    }
    runs[version] = {};
    guardedRuns[version] = {};
    await runClaudeCode(claude, endpoint, stack, access.roleClientConfiguration(), scenarios, runs[version]);
    await runClaudeCode(claude, endpoint, guardedStack, guarded.roleClientConfiguration(), { 'user settings': ['-p', 'say OK'] }, guardedRuns[version]);
    if (version === newest) {
      await runClaudeCode(claude, endpoint, guardedStack, guarded.roleClientConfiguration(), { 'project settings': ['-p', 'say OK'] }, guardedRuns[version], ['ANTHROPIC_CUSTOM_HEADERS']);
    }
  }
  if (process.env.CONTRACT_DUMP) {
    fs.writeFileSync(process.env.CONTRACT_DUMP, JSON.stringify({ versions, runs, guardedRuns }, undefined, 1));
  }
}, 900_000);
afterAll(() => fake.stop());

const isAssumeRole = (r: RecordedRequest) => r.method === 'POST' && r.path === '/' && r.body.includes('Action=AssumeRole');
const isSts = (r: RecordedRequest) => r.method === 'POST' && r.path === '/' && /Action=(AssumeRole|GetCallerIdentity)\b/.test(r.body);

const all = (from: Record<string, Record<string, RecordedRequest[]>>, version: string) => Object.values(from[version]).flat();
const isInvocation = (r: RecordedRequest) => /^\/model\/.+\/invoke/.test(r.path);

test('every pinned model is requested, and nothing outside them, in every version', () => {
  for (const version of versions) {
    const invoked = new Set(all(runs, version).map((r) => /^\/model\/(.+?)\/invoke/.exec(r.path)?.[1]).filter((m): m is string => m !== undefined));
    // The minimum runs fewer scenarios, in which it may not call the small/fast model; nothing outside the pins either way.
    const pinned = [SONNET.invocationId, HAIKU.invocationId, OPUS.invocationId];
    expect([version, [...invoked].filter((m) => !pinned.includes(m))]).toEqual([version, []]);
  }
  expect(new Set(all(runs, versions[0]).map((r) => /^\/model\/(.+?)\/invoke/.exec(r.path)?.[1]).filter(Boolean))).toEqual(new Set([SONNET.invocationId, HAIKU.invocationId, OPUS.invocationId]));
  expect(runs[versions[0]]['/context'].some((r) => r.path.endsWith('/count-tokens'))).toBe(true);
});

test('one credential lifetime costs one AssumeRole, however many requests and Claude Code processes', () => {
  for (const version of versions) {
    // Several Claude Code runs in one HOME, each running awsCredentialExport: one AssumeRole in all, through the shared cache.
    const assumes = all(runs, version).filter(isAssumeRole);
    expect([version, assumes.length, runs[version]['the main model'].filter(isAssumeRole).length]).toEqual([version, 1, 1]);
    // The session is named after the login; the source identity is the IAM user's own name, as the trust demands.
    expect(new URLSearchParams(assumes[0].body).get('RoleSessionName')).toBe('alice');
    expect(new URLSearchParams(assumes[0].body).get('SourceIdentity')).toBe(SOURCE_USER_NAME);
  }
  expect(runs[versions[0]]['/context'].filter((r) => !isSts(r)).length).toBeGreaterThan(10);
});

test.each(subjects)('every request Claude Code made is allowed to %s', async (_who, subject) => {
  const denied: string[] = [];
  for (const version of versions) {
    for (const request of all(runs, version).filter((r) => !isSts(r))) {
      for (const evaluated of iamRequests(request)) {
        const decision = await decide(subject, evaluated);
        if (decision !== 'Allowed') {
          denied.push(`${version}: ${evaluated.action} ${evaluated.resource}: ${decision}`);
        }
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

// Claude Code's start-up check (2.1.284 and 2.1.332, read in the client) counts the Opus tier as unpinned when
// ANTHROPIC_DEFAULT_OPUS_MODEL names no Opus model, and then sends its own default Opus a one-token InvokeModel
// (a user message '.') that the policy denies. The generated modelOverrides entry for that default stops it.
const isTierProbe = (r: RecordedRequest) => {
  const body = JSON.parse(r.body || '{}');
  return r.path.endsWith('/invoke') && body.max_tokens === 1 && body.messages?.[0]?.content === '.';
};

test('with no Opus granted, a session start of every version makes no model request outside the grant', async () => {
  const subject = roleSubject(guardedStack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
  for (const version of versions) {
    const requests = all(guardedRuns, version).filter((r) => /^\/model\//.test(r.path));
    expect(requests.length).toBeGreaterThan(0);
    const outside = requests.filter((r) => ![SONNET, HAIKU].some((m) => r.path.includes(m.invocationId)));
    expect([version, outside.map((r) => r.path)]).toEqual([version, []]);
    expect([version, requests.filter(isTierProbe).length]).toEqual([version, 0]);
  }
  // The same probe shape, had it been sent, is what the policy denies: the assertion above can fail.
  const probe: RecordedRequest = { method: 'POST', path: '/model/us.anthropic.claude-opus-5-5/invoke', headers: {}, body: JSON.stringify({ max_tokens: 1, messages: [{ role: 'user', content: '.' }] }), host: '' };
  expect(isTierProbe(probe)).toBe(true);
  expect(await decide(subject, iamRequests(probe)[0])).not.toBe('Allowed');
});

test('with a guardrail in the user\'s settings, every model request of every version carries its two headers, and the guarded role allows exactly those', async () => {
  const subject = roleSubject(guardedStack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
  for (const version of versions) {
    const invocations = guardedRuns[version]['user settings'].filter(isInvocation);
    // Every model request carries them.
    expect(invocations.map((r) => [version, guardrailHeaders(r)])).toEqual(invocations.map(() => [version, GUARDRAIL_HEADERS]));
    expect(invocations.filter((r) => !isTierProbe(r)).length).toBeGreaterThan(0);
    for (const r of invocations.filter((i) => !isTierProbe(i))) {
      // Bedrock evaluates bedrock:GuardrailIdentifier as the ARN with ':<version>' (Bedrock User Guide, guardrails-permissions-id).
      const identifier = `${r.headers['x-amzn-bedrock-guardrailidentifier']}:${r.headers['x-amzn-bedrock-guardrailversion']}`;
      for (const evaluated of iamRequests(r)) {
        expect(await decide(subject, { ...evaluated, context: { ...evaluated.context, 'bedrock:GuardrailIdentifier': identifier } })).toBe('Allowed');
        expect(await decide(subject, evaluated)).not.toBe('Allowed');
      }
    }
  }
});

test('the same headers from a project\'s settings reach Bedrock too in a non-interactive run of the newest version (2.1.251\'s approval is asked interactively)', () => {
  const invocations = guardedRuns[versions[0]]['project settings'].filter(isInvocation);
  expect(invocations.length).toBeGreaterThan(0);
  expect(invocations.map(guardrailHeaders)).toEqual(invocations.map(() => GUARDRAIL_HEADERS));
});

/** The guardrail headers a request carried, by their lower-case names (node's http). */
function guardrailHeaders(r: RecordedRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r.headers).filter(([k]) => k.startsWith('x-amzn-bedrock-guardrail')));
}
