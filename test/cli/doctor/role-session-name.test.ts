import * as fs from 'fs';
import * as path from 'path';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { ModelReference } from '../../../lib';
import { createDoctorClients } from '../../../lib/cli/aws-clients';
import { runDoctor } from '../../../lib/cli/doctor/run-doctor';
import { Finding } from '../../../lib/cli/findings';
import { assumeRoleScript } from '../../../lib/client/assume-role-command';
import { awsConfigProfile, claudeCodeSettings } from '../../../lib/client/client-configuration';
import { GOOD_AWS_CONFIG, Sandbox } from '../cli-harness';

const bedrock = mockClient(BedrockClient);
const ROLE = { kind: 'role' as const, profile: 'claude-code-role', roleArn: 'arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke', sourceProfile: 'default', sourceIdentity: true };
const MODELS = { main: ModelReference.parse('us.anthropic.claude-sonnet-4-6'), smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') };

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
  bedrock.reset();
  // What the SDK throws when credential_process exits 1: the chain found no credentials.
  bedrock.on(ListInferenceProfilesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
});
afterEach(() => box.cleanup());

/** The doctor as a developer runs it, with the files the library generates for the invoke role. */
async function doctorWithRoleFiles(env: Record<string, string>, login: string | undefined): Promise<(id: string) => Finding | undefined> {
  box.settings('user', claudeCodeSettings(MODELS, 'us-east-1', ROLE));
  box.awsConfig(`[default]\nregion = us-east-1\n\n${awsConfigProfile(ROLE, 'us-east-1')}`);
  const { report } = await runDoctor({
    home: box.home,
    projectDir: box.project,
    env,
    managedDir: box.managed,
    clientFactory: (region) => createDoctorClients(region),
    loginName: () => login,
  });
  return (id) => report.findings.find((f) => f.id === id);
}

describe('the role session name', () => {
  test('with USER, LOGNAME and a login name all missing, the doctor says to set AWS_ROLE_SESSION_NAME, not to sign in', async () => {
    const byId = await doctorWithRoleFiles({ PATH: process.env.PATH ?? '' }, undefined);
    expect(byId('no-role-session-name')).toMatchObject({ severity: 'high' });
    expect(byId('no-role-session-name')!.detail).toContain(`awsCredentialExport in ${path.join(box.home, '.claude', 'settings.json')} names the role session`);
    expect(byId('no-usable-credentials')!.fix).toMatch(/^Set AWS_ROLE_SESSION_NAME to your name/);
    expect(byId('no-usable-credentials')!.fix).not.toContain('aws sso login');
  });

  test.each([
    ['USER', { USER: 'alice' }, undefined],
    ['AWS_ROLE_SESSION_NAME', { AWS_ROLE_SESSION_NAME: 'alice' }, undefined],
    ['the login name (id -un)', {}, 'alice'],
  ])('any name source, here %s, is enough', async (_source, env, login) => {
    const byId = await doctorWithRoleFiles(env, login);
    expect(byId('no-role-session-name')).toBeUndefined();
    expect(byId('no-usable-credentials')!.fix).toBe('See why profile \'claude-code-role\' yields no credentials: aws configure export-credentials --profile claude-code-role.');
  });

  test('a name set in the settings\' env block counts, as Claude Code passes it to the command', async () => {
    const settings = claudeCodeSettings(MODELS, 'us-east-1', ROLE);
    box.settings('user', { ...settings, env: { ...(settings.env as object), AWS_ROLE_SESSION_NAME: 'alice' } });
    const { report } = await runDoctor({
      home: box.home, projectDir: box.project, env: {}, clientFactory: (r) => createDoctorClients(r), loginName: () => undefined, offline: true,
    });
    expect(report.findings.find((f) => f.id === 'no-role-session-name')).toBeUndefined();
    // The generated command itself reads the same variables: the finding's premise is the script's.
    expect(assumeRoleScript(ROLE)).toContain('${AWS_ROLE_SESSION_NAME:-${USER:-${LOGNAME:-$(id -un 2>/dev/null)}}}');
  });
});

describe('no usable credentials', () => {
  async function fixFor(awsConfig: string, profile: string): Promise<string | undefined> {
    box.awsConfig(awsConfig);
    const env = { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', AWS_PROFILE: profile, USER: 'alice' };
    const { report } = await runDoctor({ home: box.home, projectDir: box.project, env, clientFactory: (r) => createDoctorClients(r) });
    return report.findings.find((f) => f.id === 'no-usable-credentials')?.fix;
  }

  test('names the SSO profile to sign in with', async () => {
    expect(await fixFor(GOOD_AWS_CONFIG, 'claude-code')).toMatch(/^Sign in: aws sso login --profile claude-code, and keep awsAuthRefresh/);
  });

  test('names a profile that does not exist, and how to write it', async () => {
    expect(await fixFor(GOOD_AWS_CONFIG, 'claude-code-role'))
      .toMatch(/^Profile 'claude-code-role' \(AWS_PROFILE, or the default\) does not exist: write it with npx cdk-bedrock-least-privilege configure --stack <stack>/);
    expect(fs.existsSync(path.join(box.home, '.aws', 'credentials'))).toBe(false);
  });
});
