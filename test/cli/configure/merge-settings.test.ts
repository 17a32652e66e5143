import { mergeClaudeSettings } from '../../../lib/cli/configure/merge-settings';
import { claudeCodeSettings, CredentialSource } from '../../../lib/client/client-configuration';
import { SubprocessCredentials } from '../../../lib/client/subprocess-credentials';
import { ModelReference } from '../../../lib/models/model-reference';

const MODELS = { main: ModelReference.parse('us.anthropic.claude-sonnet-4-6'), smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') };
const ROLE_SOURCE: CredentialSource = { kind: 'role', profile: 'claude-code-role', roleArn: 'arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke', sourceProfile: 'default', sourceIdentity: true };

const generated = {
  env: { CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1', CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1' },
  awsCredentialExport: 'aws configure export-credentials --profile claude-code --format process',
  permissions: { deny: ['Read(~/.aws/**)'] },
  sandbox: { enabled: true, filesystem: { denyRead: ['~/.aws'] } },
};

test('an earlier configuration\'s AWS_PROFILE is removed: it would hand every command a working profile', () => {
  const merged = mergeClaudeSettings({ env: { AWS_PROFILE: 'claude-code', AWS_DEFAULT_PROFILE: 'x', DISABLE_TELEMETRY: '1' } }, generated);
  expect(merged.env).toEqual({ ...generated.env, DISABLE_TELEMETRY: '1' });
});

test('can fail: generated settings that set a profile (the INHERIT opt-out) keep it', () => {
  const merged = mergeClaudeSettings({ env: { AWS_PROFILE: 'old' } }, { ...generated, env: { ...generated.env, AWS_PROFILE: 'claude-code' } });
  expect((merged.env as Record<string, string>).AWS_PROFILE).toBe('claude-code');
});

test('the developer\'s own deny rules and sandbox settings stay beside the generated ones', () => {
  const merged = mergeClaudeSettings({
    permissions: { deny: ['Bash(rm -rf:*)'], allow: ['Bash(npm test)'] },
    sandbox: { enabled: false, filesystem: { denyRead: ['~/secrets'] }, network: { allowedDomains: ['registry.npmjs.org'] } },
  }, generated);
  expect(merged.permissions).toEqual({ deny: ['Bash(rm -rf:*)', 'Read(~/.aws/**)'], allow: ['Bash(npm test)'] });
  expect(merged.sandbox).toEqual({ enabled: true, filesystem: { denyRead: ['~/secrets', '~/.aws'] }, network: { allowedDomains: ['registry.npmjs.org'] } });
});

test('a second merge changes nothing', () => {
  const once = mergeClaudeSettings({ permissions: { deny: ['Bash(rm -rf:*)'] } }, generated);
  expect(mergeClaudeSettings(once, generated)).toEqual(once);
});

test('switching to the opt-out removes what the isolated settings wrote that it cannot work with, and keeps the developer\'s own', () => {
  const isolated = mergeClaudeSettings({ sandbox: { network: { allowedDomains: ['registry.npmjs.org'] }, filesystem: { denyRead: ['~/secrets'] } }, permissions: { deny: ['Bash(rm -rf:*)'] } },
    claudeCodeSettings(MODELS, 'us-east-1', ROLE_SOURCE));
  const optOut = claudeCodeSettings(MODELS, 'us-east-1', ROLE_SOURCE, undefined, { subprocessCredentials: SubprocessCredentials.INHERIT });
  const merged = mergeClaudeSettings(isolated, optOut);
  const env = merged.env as Record<string, string>;
  expect([env.AWS_PROFILE, env.AWS_CONFIG_FILE, env.AWS_SHARED_CREDENTIALS_FILE, env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB]).toEqual(['claude-code-role', undefined, undefined, '1']);
  expect(merged.sandbox).toEqual({ network: { allowedDomains: ['registry.npmjs.org'] }, filesystem: { denyRead: ['~/secrets'] } });
  // Claude Code hides Read-denied paths from Bash too, so the generated deny rules go; the developer's stay.
  expect(merged.permissions).toEqual({ deny: ['Bash(rm -rf:*)'] });
  // And back: the isolated settings are whole again.
  expect(mergeClaudeSettings(merged, claudeCodeSettings(MODELS, 'us-east-1', ROLE_SOURCE)).sandbox).toMatchObject({ enabled: true, failIfUnavailable: true });
});

test('can fail: a /dev/null the developer set for another variable, or files pointed elsewhere, stay', () => {
  const optOut = claudeCodeSettings(MODELS, 'us-east-1', ROLE_SOURCE, undefined, { subprocessCredentials: SubprocessCredentials.INHERIT });
  const merged = mergeClaudeSettings({ env: { AWS_CONFIG_FILE: '/home/dev/aws-config', NPM_CONFIG_USERCONFIG: '/dev/null' } }, optOut);
  expect(merged.env).toMatchObject({ AWS_CONFIG_FILE: '/home/dev/aws-config', NPM_CONFIG_USERCONFIG: '/dev/null' });
});
