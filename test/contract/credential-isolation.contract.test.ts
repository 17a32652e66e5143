import { execFile, execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { installedClaudeCode, newestClaudeCodeVersion } from './claude-code-install';
import { DEVELOPER, FakeBedrock, INVOKE_ROLE_SESSION, PERMISSION_SET_SESSION, RecordedRequest } from './fake-bedrock';
import { MINIMUM_CLAUDE_CODE_VERSION, ModelReference, SubprocessCredentials } from '../../lib';
import { awsConfigProfile, claudeCodeSettings, CredentialSource } from '../../lib/client/client-configuration';

/**
 * Credential isolation, proven with the real client: the fake Bedrock plays the model and asks Claude
 * Code to run one Bash command that looks for AWS credentials everywhere a developer's machine keeps
 * them and tries to act as an AWS identity; the fake reads the command's output in the next model
 * request. The HOME holds the developer's own IAM user keys and an Identity Center sign-in beside the
 * generated configuration. Every request any process makes (Claude Code, the AWS CLI) reaches the fakes
 * and is recorded with the key that signed it: AWS hosts through an HTTPS proxy with a test certificate.
 *
 * Needs the AWS CLI v2 (Debian's `awscli`; `aws configure export-credentials` is v2 only), bubblewrap
 * and socat (the sandbox on Linux), openssl; .ci/run installs them. Cost: two Claude Code downloads
 * (newest and MINIMUM_CLAUDE_CODE_VERSION, about 186 MB each, cached in .claude-code-cache/ and shared
 * with claude-code.contract.test.ts), then twelve Claude Code runs (about four minutes on a shared
 * 2-core machine, most of it the probe's AWS CLI calls).
 */
const run = promisify(execFile);
const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-4-7');
const MODELS = { main: SONNET, smallFast: HAIKU, opus: OPUS };
const REGION = 'us-east-1';
const SSO_ACCESS_TOKEN = 'aoaAAAAAGexampleSSOaccessTOKENforTHEportal0123456789';
const SSO_REFRESH_TOKEN = 'aorAAAAAGexampleSSOrefreshTOKENforTHEclient0123456789';
const ROLE: CredentialSource = { kind: 'role', profile: 'claude-code-role', roleArn: 'arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke', sourceProfile: 'default', sourceIdentity: true };
const SSO: CredentialSource = { kind: 'sso', profile: 'claude-code', startUrl: 'https://d-1234567890.awsapps.com/start', ssoRegion: REGION, accountIds: ['111122223333'], roleName: 'ClaudeCodeBedrock' };
const WATCHED = [INVOKE_ROLE_SESSION.accessKeyId, PERMISSION_SET_SESSION.accessKeyId];
// What must never reach the model: every secret on the machine, and every identity the fake STS names.
const SECRETS = [
  DEVELOPER.secretAccessKey, INVOKE_ROLE_SESSION.secretAccessKey, INVOKE_ROLE_SESSION.sessionToken!, PERMISSION_SET_SESSION.secretAccessKey,
  PERMISSION_SET_SESSION.sessionToken!, SSO_ACCESS_TOKEN, SSO_REFRESH_TOKEN, DEVELOPER.arn, INVOKE_ROLE_SESSION.arn, PERMISSION_SET_SESSION.arn,
];

/** The attacker's command: every store, the environment, and the AWS CLI with and without profiles (also with the AWS files put back). */
function probe(stsEndpoint: string): string {
  const sts = `aws sts get-caller-identity --endpoint-url ${stsEndpoint} --output text --cli-connect-timeout 5`;
  return [
    'echo "== env"; env | grep -E "^AWS_|TOKEN|SECRET" | sort',
    'for f in ~/.aws/credentials ~/.aws/config ~/.aws/sso/cache/* ~/.aws/cli/cache/* ~/.aws/login/cache/* ~/.cache/cdk-bedrock-least-privilege/*; do echo "== $f"; cat "$f" 2>&1; done',
    `for p in "" default claude-code claude-code-role; do echo "== sts $p"; ${sts} \${p:+--profile $p} 2>&1; done`,
    `for p in "" default claude-code claude-code-role; do echo "== sts files $p"; AWS_CONFIG_FILE=~/.aws/config AWS_SHARED_CREDENTIALS_FILE=~/.aws/credentials ${sts} \${p:+--profile $p} 2>&1; done`,
    'echo "== done"',
  ].join('\n');
}

/** The AWS CLI v2, wherever it is installed (a v1 first on PATH lacks export-credentials). */
function awsCliV2Directory(): string {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    const aws = path.join(dir, 'aws');
    try {
      if (execFileSync(aws, ['--version'], { encoding: 'utf8' }).startsWith('aws-cli/2.')) {
        return dir;
      }
    } catch {
      // not here, or not runnable
    }
  }
  throw new Error('the credential isolation contract test needs the AWS CLI v2 (Debian: apt-get install awscli)');
}

const fake = new FakeBedrock();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-code-isolation-'));
let endpoint = '';
let proxy = '';
let caFile = '';
let cliPath = '';

/** A developer's machine: own keys, an Identity Center sign-in, and the generated configuration. */
function developerHome(name: string, settings: Record<string, unknown>, awsConfig: string): string {
  const home = path.join(work, name);
  fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
  fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
  fs.writeFileSync(path.join(home, '.claude', 'settings.json'), JSON.stringify(settings, undefined, 2));
  fs.writeFileSync(path.join(home, '.aws', 'config'), `[default]\nregion = ${REGION}\n\n${awsConfig}`);
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), `[default]\naws_access_key_id = ${DEVELOPER.accessKeyId}\naws_secret_access_key = ${DEVELOPER.secretAccessKey}\n`);
  // The token cache `aws sso login` writes for an sso-session: named by the SHA-1 of the session name (botocore SSOTokenLoader).
  const tokenFile = crypto.createHash('sha1').update(SSO.kind === 'sso' ? SSO.profile : '').digest('hex');
  fs.writeFileSync(path.join(home, '.aws', 'sso', 'cache', `${tokenFile}.json`), JSON.stringify({
    startUrl: SSO.kind === 'sso' ? SSO.startUrl : '',
    region: REGION,
    accessToken: SSO_ACCESS_TOKEN,
    expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    clientId: 'exampleClientId',
    clientSecret: 'exampleClientSecret',
    registrationExpiresAt: new Date(Date.now() + 90 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    refreshToken: SSO_REFRESH_TOKEN,
  }));
  return home;
}

interface Session {
  readonly requests: RecordedRequest[];
  readonly probeOutput: string;
  readonly stdout: string;
}

async function claude(binary: string, home: string, args: string[]): Promise<Session> {
  const before = fake.requests.length;
  const results = fake.toolResults.length;
  const env = {
    PATH: cliPath,
    HOME: home,
    USER: 'alice',
    TERM: 'dumb',
    ANTHROPIC_BEDROCK_BASE_URL: endpoint,
    // Every other AWS host (STS, the Identity Center portal) goes to the fakes through the proxy.
    HTTPS_PROXY: proxy,
    https_proxy: proxy,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    AWS_CA_BUNDLE: caFile,
    NODE_EXTRA_CA_CERTS: caFile,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  const { stdout } = await run(binary, args, { env, cwd: home, timeout: 180_000 });
  return { requests: fake.requests.slice(before), probeOutput: fake.toolResults.slice(results).map((r) => r.text).join('\n'), stdout };
}

/** Settings as the developer would have them after allowing the fake's host, so only credentials decide what the probe's `aws` can do. */
function allowingTheFake(settings: Record<string, unknown>): Record<string, unknown> {
  const sandbox = settings.sandbox as Record<string, unknown> | undefined;
  return sandbox ? { ...settings, sandbox: { ...sandbox, network: { allowedDomains: ['127.0.0.1', 'localhost'] } } } : settings;
}

const isolated = (source: CredentialSource) => allowingTheFake(claudeCodeSettings(MODELS, REGION, source));
const inherit = (source: CredentialSource) =>
  claudeCodeSettings(MODELS, REGION, source, undefined, { subprocessCredentials: SubprocessCredentials.INHERIT });
/** The shape generated before isolation: AWS_PROFILE in env, no scrub, no sandbox, and awsAuthRefresh for Identity Center. */
function legacy(source: CredentialSource): Record<string, unknown> {
  const settings = inherit(source);
  const { CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: _scrub, AWS_EC2_METADATA_DISABLED: _imds, ...env } = settings.env as Record<string, string>;
  return source.kind === 'sso' ? { env, awsAuthRefresh: `aws sso login --profile ${source.profile}` } : { ...settings, env };
}

const sessions: Record<string, Session> = {};
const versions: string[] = [];

beforeAll(async () => {
  endpoint = await fake.start();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=amazonaws.com', '-addext',
    `subjectAltName=DNS:*.amazonaws.com,DNS:*.${REGION}.amazonaws.com,DNS:portal.sso.${REGION}.amazonaws.com`,
    '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'cert.pem')], { stdio: 'ignore' });
  caFile = path.join(work, 'cert.pem');
  proxy = await fake.startProxy(fs.readFileSync(path.join(work, 'key.pem'), 'utf8'), fs.readFileSync(caFile, 'utf8'));
  cliPath = [awsCliV2Directory(), ...(process.env.PATH ?? '').split(':')].join(':');
  fake.portalToken = SSO_ACCESS_TOKEN;
  fake.bashCommand = probe(endpoint);
  const newest = newestClaudeCodeVersion();
  versions.push(newest, ...(newest === MINIMUM_CLAUDE_CODE_VERSION ? [] : [MINIMUM_CLAUDE_CODE_VERSION]));
  const lookAround = ['-p', 'look around', '--allowedTools', 'Bash'];
  for (const version of versions) {
    const binary = installedClaudeCode(version);
    for (const [mode, source] of [['role', ROLE], ['identity center', SSO]] as const) {
      const home = developerHome(`${version}-${mode}`, isolated(source), awsConfigProfile(source, REGION));
      // Credentials that end within the role script's ten-minute margin, so each later process renews them.
      fake.sessionSeconds = 120;
      sessions[`${version} ${mode} isolated: start`] = await claude(binary, home, lookAround);
      if (version === versions[0]) {
        sessions[`${version} ${mode} isolated: model switch`] = await claude(binary, home, ['-p', 'say OK', '--model', 'opus']);
        sessions[`${version} ${mode} isolated: renewal`] = await claude(binary, home, ['-p', 'say OK']);
      }
      fake.sessionSeconds = 3600;
    }
  }
  const binary = installedClaudeCode(versions[0]);
  for (const [mode, source] of [['role', ROLE], ['identity center', SSO]] as const) {
    sessions[`${mode} legacy: start`] = await claude(binary, developerHome(`legacy-${mode}`, legacy(source), awsConfigProfile(source, REGION)), lookAround);
    sessions[`${mode} inherit: start`] = await claude(binary, developerHome(`inherit-${mode}`, inherit(source), awsConfigProfile(source, REGION)), lookAround);
  }
}, 1_200_000);
afterAll(async () => {
  // ISOLATION_DUMP=<file> keeps what each session sent and received, to read when a test fails.
  if (process.env.ISOLATION_DUMP) {
    fs.writeFileSync(process.env.ISOLATION_DUMP, JSON.stringify(sessions, undefined, 1));
  }
  await fake.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const leaks = (output: string) => SECRETS.filter((s) => output.includes(s));
const isBedrock = (r: RecordedRequest) => /^\/(model\/[^/]+\/(invoke|invoke-with-response-stream|count-tokens)|inference-profiles(\/.+)?)$/.test(r.path);
const asWatched = (s: Session) => s.requests.filter((r) => r.signedBy && WATCHED.includes(r.signedBy));

// Both versions run the probe inside the sandbox here, as root: before 2.1.284 the sandbox dropped the CAP_SETFCAP
// its seccomp helper needs to map uid 0 and refused every command (apply-seccomp: write /proc/self/uid_map).
test('the probe ran to its end, sandboxed, in every version and mode, and its output reached the fake model', () => {
  for (const [name, session] of Object.entries(sessions).filter(([n]) => n.endsWith('start'))) {
    expect([name, session.probeOutput.includes('== done'), /apply-seccomp|uid_map/.test(session.probeOutput)]).toEqual([name, true, false]);
  }
  for (const version of versions) {
    for (const mode of ['role', 'identity center']) {
      // The sandbox hides the denied stores (no such file), where the unsandboxed opt-out shows them.
      expect([version, mode, sessions[`${version} ${mode} isolated: start`].probeOutput]).toEqual([version, mode, expect.stringMatching(/\/\.aws\/credentials'?: No such file or directory/)]);
    }
  }
});

test('with today\'s configuration the probe finds the developer\'s keys, the sign-in tokens and acts as AWS identities: the probe can fail', () => {
  expect(leaks(sessions['role legacy: start'].probeOutput)).toEqual(expect.arrayContaining([DEVELOPER.secretAccessKey, SSO_REFRESH_TOKEN, INVOKE_ROLE_SESSION.secretAccessKey, INVOKE_ROLE_SESSION.arn, DEVELOPER.arn]));
  expect(leaks(sessions['identity center legacy: start'].probeOutput)).toEqual(expect.arrayContaining([DEVELOPER.secretAccessKey, SSO_ACCESS_TOKEN, PERMISSION_SET_SESSION.arn]));
});

test.each([['role'], ['identity center']])('isolated (%s): no secret and no identity reaches the agent\'s command, in every version', (mode) => {
  for (const version of versions) {
    const session = sessions[`${version} ${mode} isolated: start`];
    expect([version, leaks(session.probeOutput)]).toEqual([version, []]);
    // The probe's AWS CLI found no credential to sign with, so it never reached the STS it names by address.
    expect(session.requests.filter((r) => r.host.startsWith('127.0.0.1') && r.body.includes('Action=GetCallerIdentity'))).toEqual([]);
  }
});

test.each([['role'], ['identity center']])('isolated (%s): Claude Code itself signs its Bedrock calls as the Bedrock-only identity', (mode) => {
  const watched = mode === 'role' ? INVOKE_ROLE_SESSION.accessKeyId : PERMISSION_SET_SESSION.accessKeyId;
  for (const version of versions) {
    const invocations = sessions[`${version} ${mode} isolated: start`].requests.filter((r) => /\/invoke/.test(r.path));
    expect(invocations.length).toBeGreaterThan(0);
    expect([version, [...new Set(invocations.map((r) => r.signedBy))]]).toEqual([version, [watched]]);
  }
});

test.each([['role'], ['identity center']])('isolated (%s): start, model switch and renewal make no call but Bedrock as the watched identity', (mode) => {
  for (const version of versions) {
    for (const step of ['start', 'model switch', 'renewal'].filter((st) => sessions[`${version} ${mode} isolated: ${st}`])) {
      const outside = asWatched(sessions[`${version} ${mode} isolated: ${step}`]).filter((r) => !isBedrock(r)).map((r) => `${r.method} ${r.host}${r.path} ${r.body.slice(0, 60)}`);
      expect([version, step, outside]).toEqual([version, step, []]);
    }
  }
});

test('renewal: the role is assumed again by the source profile, the permission set\'s credentials fetched again from the portal', () => {
  const version = versions[0];
  const assumes = sessions[`${version} role isolated: renewal`].requests.filter((r) => r.body.includes('Action=AssumeRole'));
  expect(assumes.map((r) => r.signedBy)).toEqual([DEVELOPER.accessKeyId]);
  const portal = sessions[`${version} identity center isolated: renewal`].requests.filter((r) => r.path === '/federation/credentials');
  expect(portal.length).toBeGreaterThan(0);
});

test('today\'s Identity Center configuration calls GetCallerIdentity as the permission-set role at session start: the check can fail', () => {
  const outside = asWatched(sessions['identity center legacy: start']).filter((r) => !isBedrock(r));
  expect(outside.some((r) => r.body.includes('Action=GetCallerIdentity'))).toBe(true);
});

test('INHERIT gives subprocesses the Bedrock-only identity and what the machine holds, and Identity Center still makes no STS call as the role', () => {
  expect(leaks(sessions['role inherit: start'].probeOutput)).toEqual(expect.arrayContaining([INVOKE_ROLE_SESSION.arn, DEVELOPER.secretAccessKey]));
  expect(leaks(sessions['identity center inherit: start'].probeOutput)).toEqual(expect.arrayContaining([PERMISSION_SET_SESSION.arn, SSO_ACCESS_TOKEN]));
  // The scrub stays on in the opt-out: the profile reaches the command, no key of Claude Code's environment does.
  expect(sessions['role inherit: start'].probeOutput).toMatch(/^AWS_PROFILE=claude-code-role$/m);
  expect(sessions['role inherit: start'].probeOutput).not.toMatch(/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)=/m);
  const fromClaudeCode = asWatched(sessions['identity center inherit: start']).filter((r) => !isBedrock(r) && !/^aws-cli\//.test(String(r.headers['user-agent'])));
  expect(fromClaudeCode).toEqual([]);
});
