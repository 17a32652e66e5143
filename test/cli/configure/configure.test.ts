import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedOutputs, describeStacksAnswer, frontDoor, platformStack } from './deployed-stack';
import { main } from '../../../lib/cli/main';
import { ACCOUNT_A } from '../../support/template-policies';
import { Sandbox } from '../cli-harness';

const cloudFormation = mockClient(CloudFormationClient);

/** The outputs of a deployed front door with a role, a permission set, or both. */
function deployed(withRole: boolean, withIdentityCenter: boolean) {
  const stack = platformStack();
  frontDoor(stack, withRole, withIdentityCenter);
  return deployedOutputs(stack);
}

const hasPython = spawnSync('python3', ['--version']).status === 0;
/** The sections the AWS CLI reads from a config file (botocore: configparser, strict), or the error that stops it. */
function sectionsAsAwsCliReads(text: string): string {
  const script = 'import configparser,sys\ncp=configparser.RawConfigParser()\ntry:\n  cp.read_string(sys.stdin.read())\nexcept configparser.Error as e:\n  print("ERROR "+type(e).__name__); sys.exit(0)\nprint(",".join(cp.sections()))';
  return execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' }).trim();
}

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = new Sandbox();
  cloudFormation.reset();
});
afterEach(() => sandbox.cleanup());

const settingsFile = () => path.join(sandbox.home, '.claude', 'settings.json');
const configFile = () => path.join(sandbox.home, '.aws', 'config');

describe('configure', () => {
  test('writes both files from the stack\'s outputs, after showing them, with --yes', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'ClaudeCodePlatform' }).resolves(describeStacksAnswer(deployed(true, false)));
    const run = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`--- ${settingsFile()} (new file)`);
    expect(run.stdout).toContain('+ [profile claude-code-role]');
    const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
    expect(settings.env).toMatchObject({ CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' });
    expect(settings.env.AWS_PROFILE).toBeUndefined();
    expect(settings.awsCredentialExport).toContain(`--role-arn arn:aws:iam::${ACCOUNT_A}:role/ClaudeCodeBedrockInvoke`);
    expect(fs.statSync(configFile()).mode.toString(8).slice(-3)).toBe('600');
    if (hasPython) {
      expect(sectionsAsAwsCliReads(fs.readFileSync(configFile(), 'utf8'))).toBe('profile claude-code-role');
    }
  });

  test('keeps every other setting and profile, and a second run changes nothing', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployed(true, false)));
    sandbox.settings('user', { permissions: { deny: ['Bash(rm -rf:*)'] }, env: { DISABLE_TELEMETRY: '1', AWS_REGION: 'eu-west-1' }, theme: 'dark' });
    sandbox.awsConfig('[default]\nregion = eu-west-1\n\n# my work account\n[profile work]\nsso_session = corp\nsso_account_id = 999988887777\nsso_role_name = Dev\n');
    expect((await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes'])).code).toBe(0);
    const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
    // The developer's own rule stays, the credential stores' rules join it.
    expect(settings.permissions.deny[0]).toBe('Bash(rm -rf:*)');
    expect(settings.permissions.deny).toEqual(expect.arrayContaining(['Read(~/.aws/**)', 'Read(~/.cache/cdk-bedrock-least-privilege/**)']));
    expect(settings.theme).toBe('dark');
    expect(settings.env.DISABLE_TELEMETRY).toBe('1');
    expect(settings.env.AWS_REGION).toBe('us-east-1'); // the stack's value wins for the keys it sets
    const config = fs.readFileSync(configFile(), 'utf8');
    expect(config.startsWith('[default]\nregion = eu-west-1\n\n# my work account\n[profile work]\nsso_session = corp\n')).toBe(true);
    if (hasPython) {
      expect(sectionsAsAwsCliReads(config)).toBe('default,profile work,profile claude-code-role');
    }
    const again = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\nNothing to change/);
    expect(fs.readFileSync(configFile(), 'utf8')).toBe(config);
  });

  test('refuses to replace a profile it did not write, and writes nothing', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployed(true, false)));
    const mine = '[profile claude-code-role]\nrole_arn = arn:aws:iam::999988887777:role/Mine\nsource_profile = default\n';
    sandbox.awsConfig(mine);
    const run = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/already has \[profile claude-code-role\], which cdk-bedrock-least-privilege did not write: rename or remove it/);
    expect(fs.readFileSync(configFile(), 'utf8')).toBe(mine);
    expect(fs.existsSync(settingsFile())).toBe(false);
  });

  test('without --yes it shows the diff and writes only after the person says yes', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployed(true, false)));
    const unattended = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1']);
    expect(unattended.code).toBe(1);
    expect(unattended.stdout).toContain(`Nothing written: run again with --yes --account ${ACCOUNT_A}`);
    expect(fs.existsSync(configFile())).toBe(false);

    const asked: string[] = [];
    const answers = [false, true];
    for (const expected of [1, 0]) {
      const code = await main(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1'], {
        env: {},
        cwd: sandbox.project,
        home: sandbox.home,
        stdout: () => undefined,
        stderr: () => undefined,
        confirm: async (q) => { asked.push(q); return answers.shift()!; },
      });
      expect(code).toBe(expected);
    }
    expect(asked[0]).toBe(`Write ${settingsFile()} and ${configFile()} for stack ClaudeCodePlatform in account ${ACCOUNT_A}? [y/N] `);
    expect(fs.existsSync(configFile())).toBe(true);
  });

  test('--source-profile names the profile that assumes the role, in both files', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployed(true, false)));
    await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--source-profile', 'corp-sso', '--account', ACCOUNT_A, '--yes']);
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8')).awsCredentialExport).toContain('--profile corp-sso --role-arn');
    expect(fs.readFileSync(configFile(), 'utf8')).toContain('--profile corp-sso --role-arn');
    expect(fs.readFileSync(configFile(), 'utf8')).not.toContain('--profile default');
  });

  test('with a role and a permission set, --access picks one; Identity Center replaces the role\'s awsCredentialExport', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployed(true, true)));
    const ambiguous = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(ambiguous.code).toBe(4);
    expect(ambiguous.stderr).toMatch(/choose one with --access role or --access identity-center/);
    await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--access', 'role', '--account', ACCOUNT_A, '--yes']);
    await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1', '--access', 'identity-center', '--account', ACCOUNT_A, '--yes']);
    const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
    // The role's command is replaced by the CLI's export of the SSO profile; no profile is left for subprocesses.
    expect(settings.awsCredentialExport).toContain('aws configure export-credentials --profile claude-code --format process');
    expect(settings.awsCredentialExport).not.toContain('assume-role');
    expect(settings.awsAuthRefresh).toContain('aws sso login --profile claude-code');
    expect(settings.env.AWS_PROFILE).toBeUndefined();
    if (hasPython) {
      expect(sectionsAsAwsCliReads(fs.readFileSync(configFile(), 'utf8'))).toBe('profile claude-code-role,sso-session claude-code,profile claude-code');
    }
  });

  test('a stack that does not exist is reported in one line, as CloudFormation says it', async () => {
    const notFound = Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    cloudFormation.on(DescribeStacksCommand).rejects(notFound);
    const run = await sandbox.run(['configure', '--stack', 'Nope', '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe('cdk-bedrock-least-privilege configure: could not read stack \'Nope\' in us-east-1 with CloudFormation DescribeStacks: '
      + 'ValidationError: Stack with id Nope does not exist\n');
  });

  test('no credentials to read the stack with: the message says which flag helps', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const run = await sandbox.run(['configure', '--stack', 'ClaudeCodePlatform', '--region', 'us-east-1']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/no AWS credentials found .*: name a profile that may read the stack with --profile\n$/);
  });

  test('a stack without Claude Code outputs, and a missing Region, are clear errors', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer([{ OutputKey: 'BucketName', OutputValue: 'b', Description: 'x' }]));
    const run = await sandbox.run(['configure', '--stack', 'Other', '--region', 'us-east-1']);
    expect(run.stderr).toMatch(/stack 'Other' has no Claude Code client outputs \(keys ending in RoleClient or IdentityCenterClient\)/);
    const badAccount = await sandbox.run(['configure', '--stack', 'Other', '--region', 'us-east-1', '--account', '11112222333']);
    expect(badAccount.code).toBe(4);
    expect(badAccount.stderr).toMatch(/--account '11112222333' is not a 12-digit AWS account id/);
    const noRegion = await sandbox.run(['configure', '--stack', 'Other']);
    expect(noRegion.stderr).toMatch(/configure needs the stack's Region: pass --region, or set AWS_REGION/);
  });
});
