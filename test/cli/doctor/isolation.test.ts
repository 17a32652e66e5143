import * as fs from 'fs';
import * as path from 'path';
import { Finding } from '../../../lib/cli/findings';
import { GOOD_AWS_CONFIG, GOOD_ENV, ISOLATION_SETTINGS, Sandbox } from '../cli-harness';
import { EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SESSION_TOKEN } from '../fixtures/aws-examples';

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
});
afterEach(() => box.cleanup());

/** What the machine holds besides Claude Code's settings: the developer's own keys, an SSO sign-in, our session cache. */
function developerMachine(): void {
  box.awsConfig(`${GOOD_AWS_CONFIG}\n[default]\nregion = us-east-1\n`);
  const write = (rel: string, text: string) => {
    const file = path.join(box.home, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  write('.aws/credentials', `[default]\naws_access_key_id = ${EXAMPLE_ACCESS_KEY_ID}\naws_secret_access_key = ${EXAMPLE_SECRET_ACCESS_KEY}\n`);
  write('.aws/sso/cache/0123abcd.json', JSON.stringify({ startUrl: 'https://example.awsapps.com/start', accessToken: EXAMPLE_SESSION_TOKEN, refreshToken: EXAMPLE_SESSION_TOKEN, expiresAt: '2026-12-01T20:00:00Z' }));
  write('.cache/cdk-bedrock-least-privilege/arn_aws_iam__111122223333_role_ClaudeCodeBedrockInvoke_dev.json', JSON.stringify({ Version: 1, SecretAccessKey: EXAMPLE_SECRET_ACCESS_KEY }));
}

/** The settings in force after isolation: no AWS_PROFILE, the scrub, the sandbox and deny rules, the SSO export. */
const ISOLATED_ENV = { ...GOOD_ENV, AWS_PROFILE: undefined };
const ISOLATED_USER_SETTINGS = {
  ...ISOLATION_SETTINGS,
  env: Object.fromEntries(Object.entries(ISOLATED_ENV).filter(([, v]) => v !== undefined)),
  awsCredentialExport: 'aws configure export-credentials --profile claude-code --format process',
};

async function doctor(env: Record<string, string> = {}): Promise<{ code: number; byId: Map<string, Finding[]>; text: string }> {
  const { code, stdout } = await box.run(['doctor', '--json', '--offline'], env);
  const byId = new Map<string, Finding[]>();
  (JSON.parse(stdout).findings as Finding[]).forEach((f) => byId.set(f.id, [...(byId.get(f.id) ?? []), f]));
  return { code, byId, text: stdout };
}

describe('the machine of the issue, before and after isolation', () => {
  test('with the settings from before isolation (AWS_PROFILE, no scrub, no sandbox, no deny rules), every store and the other profiles are named, with the fix', async () => {
    developerMachine();
    const { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: _scrub, ...before } = GOOD_ENV;
    box.settings('user', { env: before, awsAuthRefresh: 'aws sso login --profile claude-code' });
    const { byId, code, text } = await doctor();
    expect(byId.get('sandbox-off')![0].severity).toBe('high');
    expect(byId.get('isolation-inherit')![0].title).toContain('AWS_PROFILE=claude-code');
    const keys = byId.get('credential-store-readable-shared-credentials-file')![0];
    expect(keys).toMatchObject({ severity: 'high', title: 'shell commands and the Read tool can read ~/.aws/credentials: access keys of profile default' });
    expect(keys.fix).toContain('"denyRead": ["~/.aws"]');
    expect(keys.fix).toContain('Read(~/.aws/**)');
    expect(byId.get('credential-store-readable-sso-token-cache')![0].title).toContain('every account and permission set assigned to you');
    expect(byId.get('credential-store-readable-invoke-role-cache')![0].title).toContain('~/.cache/cdk-bedrock-least-privilege');
    const others = byId.get('other-profiles-reachable')![0];
    expect(others.title).toContain('default (long-term access keys)');
    expect(others.title).toContain('platform-admin (Identity Center AdministratorAccess in 111122223333)');
    expect(others.title).not.toContain('claude-code (');
    expect(code).toBe(2);
    // Names, never contents.
    [EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SESSION_TOKEN].forEach((secret) => expect(text).not.toContain(secret));
  });

  test('with the isolated settings, no store is readable and the other profiles are only noted', async () => {
    developerMachine();
    box.settings('user', ISOLATED_USER_SETTINGS);
    const { byId, code } = await doctor();
    expect([...byId.keys()].filter((id) => id.startsWith('credential-store-readable-'))).toEqual([]);
    expect(byId.get('credential-stores-denied')![0].severity).toBe('info');
    expect(byId.get('other-profiles-held-back')![0].title).toContain('default (long-term access keys)');
    expect(byId.get('isolation-none')![0].severity).toBe('info');
    expect(byId.get('sandbox-ready')![0].title).toContain('bubblewrap and socat');
    // The identity comes from the export command, with no AWS_PROFILE.
    expect(byId.get('identity')![0].title).toContain("permission set 'ClaudeCodeBedrock' in account 111122223333");
    expect(code).toBe(0);
  });

  test('a sandbox deny without a Read rule leaves the Read tool, and says so', async () => {
    developerMachine();
    box.settings('user', { ...ISOLATED_USER_SETTINGS, permissions: { deny: [] } });
    const { byId } = await doctor();
    const keys = byId.get('credential-store-readable-shared-credentials-file')![0];
    expect(keys.title).toMatch(/^the Read tool can read/);
    expect(keys.detail).toContain('No permissions.deny rule');
  });

  test('deny rules add up across files, and a wildcard deny in the middle of a path counts for nothing', async () => {
    developerMachine();
    box.settings('user', { ...ISOLATED_USER_SETTINGS, permissions: { deny: ['Read(~/.aws/**)'] } });
    box.settings('managed', { permissions: { deny: ['Read(~/.cache/cdk-bedrock-least-privilege/**)'] } });
    expect([...(await doctor()).byId.keys()].filter((id) => id.startsWith('credential-store-readable-'))).toEqual([]);
    box.settings('managed', { permissions: { deny: ['Read(~/.cache/*/cdk-bedrock-least-privilege/**)'] } });
    expect([...(await doctor()).byId.keys()].filter((id) => id.startsWith('credential-store-readable-'))).toEqual(['credential-store-readable-invoke-role-cache']);
  });

  test('a higher-precedence file that turns the sandbox off wins, and the finding names it', async () => {
    developerMachine();
    box.settings('user', ISOLATED_USER_SETTINGS);
    const file = box.settings('local', { sandbox: { enabled: false } });
    const { byId } = await doctor();
    expect(byId.get('sandbox-off')![0].title).toBe(`The sandbox is turned off (sandbox.enabled false in ${file})`);
    // With the sandbox off, shell commands reach every store, whatever denyRead says.
    expect(byId.get('credential-store-readable-shared-credentials-file')![0].title).toMatch(/^shell commands can read/);
  });
});

describe('whether the sandbox can run here', () => {
  test('on Linux without bubblewrap: Claude Code refuses to start with failIfUnavailable (high), runs unsandboxed without it (critical)', async () => {
    box.tools = { ...box.tools, onPath: (c) => c === 'socat' };
    box.settings('user', ISOLATED_USER_SETTINGS);
    const strict = (await doctor()).byId.get('sandbox-unavailable')![0];
    expect(strict).toMatchObject({ severity: 'high' });
    expect(strict.title).toContain('bwrap is not on PATH; Claude Code will refuse to start');
    expect(strict.fix).toContain('apt-get install bubblewrap socat');
    box.settings('user', { ...ISOLATED_USER_SETTINGS, sandbox: { ...ISOLATION_SETTINGS.sandbox, failIfUnavailable: false } });
    expect((await doctor()).byId.get('sandbox-unavailable')![0].severity).toBe('critical');
  });
});

describe('the Claude Code version', () => {
  test.each([
    ['2.1.332 (Claude Code)', 'claude-code-version', 'info'],
    ['2.1.284 (Claude Code)', 'claude-code-version', 'info'],
    ['2.1.283 (Claude Code)', 'claude-code-too-old', 'high'],
    ['2.1.197 (Claude Code)', 'claude-code-too-old', 'high'],
    [undefined, 'claude-code-version-unknown', 'medium'],
  ])('claude --version printing %s: %s (%s)', async (printed, id, severity) => {
    box.tools = { ...box.tools, claudeVersion: () => printed };
    box.settings('user', ISOLATED_USER_SETTINGS);
    expect((await doctor()).byId.get(id)![0].severity).toBe(severity);
  });
});

describe('credentials in the environment Claude Code starts with', () => {
  test('without the scrub they reach every subprocess: high, naming the variables and never their values', async () => {
    box.settings('user', { ...ISOLATED_USER_SETTINGS, env: { ...ISOLATED_USER_SETTINGS.env, CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '0' } });
    const { byId, text } = await doctor({ AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: EXAMPLE_SESSION_TOKEN });
    expect(byId.get('env-scrub-off')![0]).toMatchObject({ severity: 'high', title: 'Subprocesses inherit AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN from this environment: CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is not on' });
    expect(text).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
  });

  test('with the scrub on, nothing is raised about them', async () => {
    box.settings('user', ISOLATED_USER_SETTINGS);
    expect((await doctor({ AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY })).byId.get('env-scrub-off')).toBeUndefined();
  });
});
