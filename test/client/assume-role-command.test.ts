import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assumeRoleScript, CREDENTIAL_CACHE_DIRECTORY } from '../../lib/client/assume-role-command';
import { FakeBedrock, INVOKE_ROLE_SESSION } from '../contract/fake-bedrock';

/**
 * The generated role command, run by the real AWS CLI against a fake STS on 127.0.0.1: how many
 * AssumeRole calls a credential lifetime costs, and what each reader gets. Needs the AWS CLI on PATH.
 */
const ROLE_ARN = 'arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke';
const script = assumeRoleScript({ roleArn: ROLE_ARN, sourceProfile: 'default', sourceIdentity: true });
const fake = new FakeBedrock();
let endpoint = '';
let home = '';

beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'assume-role-'));
  fs.mkdirSync(path.join(home, '.aws'));
  fs.writeFileSync(path.join(home, '.aws', 'config'), '[default]\nregion = us-east-1\n');
  // Keys in AWS's documentation format, only ever sent to the fake STS.
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  fake.sessionSeconds = 3600;
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

interface Ran { readonly status: number; readonly stdout: string; readonly stderr: string }

/** Runs a command without blocking the event loop the fake STS answers on. */
function ran(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => execFile(file, args, { env, encoding: 'utf8' }, (error, stdout, stderr) =>
    resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr })));
}

/** Runs the script as Claude Code runs awsCredentialExport (through a shell), or as the AWS CLI runs credential_process. */
async function runScript(env: Record<string, string> = {}, how: 'shell' | 'credential_process' = 'shell') {
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: home, USER: 'alice', AWS_ENDPOINT_URL_STS: endpoint, AWS_EC2_METADATA_DISABLED: 'true', ...env };
  const result = how === 'shell'
    ? await ran('/bin/sh', ['-c', script], fullEnv)
    // botocore splits credential_process with Python's shlex; the generated profile wraps the script in sh -c '...'.
    : await ran('python3', ['-c', 'import shlex,subprocess,sys; sys.exit(subprocess.run(shlex.split(sys.argv[1])).returncode)', `sh -c '${script}'`], fullEnv);
  expect([result.status, result.stderr]).toEqual([0, '']);
  return JSON.parse(result.stdout);
}
const assumeRoleCalls = () => fake.requests.filter((r) => r.body.includes('Action=AssumeRole')).length;
const cacheDirectory = () => path.join(home, '.cache', CREDENTIAL_CACHE_DIRECTORY);

test('one output serves both readers: the credential_process keys and the Credentials object awsCredentialExport reads', async () => {
  const out = await runScript();
  expect(out.Version).toBe(1);
  for (const key of ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']) {
    expect(out[key]).toEqual(out.Credentials[key]);
  }
  expect(out.AccessKeyId).toBe(INVOKE_ROLE_SESSION.accessKeyId);
});

test('one credential lifetime costs one AssumeRole, whoever asks: awsCredentialExport, credential_process, a second shell', async () => {
  const before = assumeRoleCalls();
  const first = await runScript();
  const again = [await runScript(), await runScript({}, 'credential_process'), await runScript({ USER: '', LOGNAME: 'alice' })];
  expect(assumeRoleCalls() - before).toBe(1);
  expect(again).toEqual([first, first, first]);
});

test('the cache is private to the user: a 700 directory and a 600 file', async () => {
  await runScript();
  const files = fs.readdirSync(cacheDirectory());
  expect(files).toHaveLength(1);
  expect((fs.statSync(cacheDirectory()).mode % 0o1000).toString(8)).toBe('700');
  expect((fs.statSync(path.join(cacheDirectory(), files[0])).mode % 0o1000).toString(8)).toBe('600');
});

test('credentials within ten minutes of their Expiration are replaced, before Claude Code would refuse them', async () => {
  fake.sessionSeconds = 5 * 60;
  const before = assumeRoleCalls();
  await runScript();
  await runScript();
  expect(assumeRoleCalls() - before).toBe(2);
  fake.sessionSeconds = 11 * 60;
  await runScript();
  await runScript();
  expect(assumeRoleCalls() - before).toBe(3);
});

test('a cached Expiration in any offset but UTC (the CLI prints Z or +00:00), or unreadable, counts as expired', async () => {
  await runScript();
  const file = path.join(cacheDirectory(), fs.readdirSync(cacheDirectory())[0]);
  const before = assumeRoleCalls();
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/(Z|\+00:00)"/g, '+05:00"'));
  await runScript();
  fs.writeFileSync(file, '{"Expiration": "soon"}\n');
  await runScript();
  expect(assumeRoleCalls() - before).toBe(2);
});

test('each session name has its own cache: another name never gets alice\'s session', async () => {
  const before = assumeRoleCalls();
  await runScript();
  await runScript({ AWS_ROLE_SESSION_NAME: 'bob' });
  expect(assumeRoleCalls() - before).toBe(2);
  expect(fs.readdirSync(cacheDirectory())).toHaveLength(2);
});

test('XDG_CACHE_HOME moves the cache; with no home at all nothing is cached and every call assumes the role', async () => {
  const xdg = path.join(home, 'xdg');
  await runScript({ XDG_CACHE_HOME: xdg });
  expect(fs.readdirSync(path.join(xdg, CREDENTIAL_CACHE_DIRECTORY))).toHaveLength(1);
  const before = assumeRoleCalls();
  const noHome = { PATH: process.env.PATH ?? '', USER: 'alice', AWS_ENDPOINT_URL_STS: endpoint, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: path.join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials') };
  for (let i = 0; i < 2; i++) {
    expect((await ran('/bin/sh', ['-c', script], noHome)).status).toBe(0);
  }
  expect(assumeRoleCalls() - before).toBe(2);
});

test('a failed AssumeRole is neither cached nor hidden', async () => {
  const result = await ran('/bin/sh', ['-c', script], { PATH: process.env.PATH ?? '', HOME: home, USER: 'alice', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/Could not connect|connect/i);
  expect(fs.existsSync(cacheDirectory()) ? fs.readdirSync(cacheDirectory()) : []).toEqual([]);
});
