import { mergeClaudeSettings } from '../../../lib/cli/configure/merge-settings';

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
