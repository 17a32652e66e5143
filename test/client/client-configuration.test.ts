import { ModelReference, SubprocessCredentials } from '../../lib';
import { awsConfigProfile, claudeCodeEnv, claudeCodeSettings, CredentialSource } from '../../lib/client/client-configuration';
import { CLAUDE_CODE_MODEL_VARIABLES } from '../../lib/models/claude-code-model-settings';
import { Guardrail } from '../../lib/models/guardrail';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-5-5');

// The model variables current Claude Code reads, written out here from its docs ("Model
// configuration", "Environment variables"), not taken from the library, so a dropped one fails.
const DOCUMENTED_MODEL_VARIABLES = [
  'ANTHROPIC_MODEL',
  'ANTHROPIC_DEFAULT_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'ANTHROPIC_DEFAULT_FABLE_MODEL',
  'CLAUDE_CODE_SUBAGENT_MODEL',
  'CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL',
  'CLAUDE_CODE_AUTO_MODE_MODEL',
  // Deprecated in favour of ANTHROPIC_DEFAULT_HAIKU_MODEL, still read by older versions.
  'ANTHROPIC_SMALL_FAST_MODEL',
];

describe('the Claude Code env', () => {
  test('sets every model variable Claude Code reads, so no alias falls to an unpinned default', () => {
    expect([...CLAUDE_CODE_MODEL_VARIABLES].sort()).toEqual([...DOCUMENTED_MODEL_VARIABLES].sort());
    const env = claudeCodeEnv({ main: SONNET, smallFast: HAIKU }, 'us-east-1', 'claude-code');
    for (const name of DOCUMENTED_MODEL_VARIABLES) {
      expect(env[name]).toBeDefined();
    }
  });

  test('every model it names is one of the pinned models, the ones the policy grants', () => {
    const env = claudeCodeEnv({ main: SONNET, smallFast: HAIKU, opus: OPUS }, 'us-east-1', 'claude-code');
    const named = new Set(DOCUMENTED_MODEL_VARIABLES.map((v) => env[v]));
    expect(named).toEqual(new Set([SONNET.invocationId, HAIKU.invocationId, OPUS.invocationId]));
  });

  test('each alias goes to its own model when one is pinned, else to the main model', () => {
    expect(claudeCodeEnv({ main: SONNET, smallFast: HAIKU, opus: OPUS }, 'us-east-1', 'p')).toEqual({
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      AWS_PROFILE: 'p',
      ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
      ANTHROPIC_DEFAULT_MODEL: 'us.anthropic.claude-sonnet-4-6',
      CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL: 'us.anthropic.claude-sonnet-4-6',
      CLAUDE_CODE_AUTO_MODE_MODEL: 'us.anthropic.claude-sonnet-4-6',
      // Without it an agent definition's or the Agent tool's `model` wins over the pinned subagent model (2.1.251).
      CLAUDE_CODE_SUBAGENT_MODEL_FORCE: '1',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'us.anthropic.claude-sonnet-4-6',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-5-5',
      // `fable` and `best` go to the strongest granted model rather than to Claude Code's Fable default.
      ANTHROPIC_DEFAULT_FABLE_MODEL: 'us.anthropic.claude-opus-5-5',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      ANTHROPIC_SMALL_FAST_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      CLAUDE_CODE_SUBAGENT_MODEL: 'us.anthropic.claude-sonnet-4-6',
    });
    const withoutOpus = claudeCodeEnv({ main: SONNET, smallFast: HAIKU }, 'us-east-1', 'p');
    expect([withoutOpus.ANTHROPIC_DEFAULT_OPUS_MODEL, withoutOpus.ANTHROPIC_DEFAULT_FABLE_MODEL]).toEqual([SONNET.invocationId, SONNET.invocationId]);
  });

  test('a Fable main model is also the fable alias, even with an Opus model beside it', () => {
    const fable = ModelReference.parse('global.anthropic.claude-fable-5');
    const env = claudeCodeEnv({ main: fable, smallFast: HAIKU, opus: OPUS }, 'us-east-1', 'p');
    expect(env.ANTHROPIC_DEFAULT_FABLE_MODEL).toBe('global.anthropic.claude-fable-5');
    expect(env.ANTHROPIC_DEFAULT_OPUS_MODEL).toBe('us.anthropic.claude-opus-5-5');
  });

  test('keeps the [1m] suffix the user gave, which Claude Code reads and Bedrock never sees', () => {
    const longSonnet = ModelReference.parse('us.anthropic.claude-sonnet-4-6[1m]');
    const env = claudeCodeEnv({ main: longSonnet, smallFast: HAIKU }, 'us-east-1', 'p');
    expect(env.ANTHROPIC_MODEL).toBe('us.anthropic.claude-sonnet-4-6[1m]');
    expect(env.ANTHROPIC_DEFAULT_SONNET_MODEL).toBe('us.anthropic.claude-sonnet-4-6[1m]');
    expect(env.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  });
});

describe('auto mode\'s classifier', () => {
  // Claude Code 2.1.332 refuses Opus 5, Opus 5.5 and Sonnet 5.5 as CLAUDE_CODE_AUTO_MODE_MODEL (research: claude-code-client.md, section 4).
  test.each([
    ['a main model it accepts', 'us.anthropic.claude-sonnet-4-6', undefined, 'us.anthropic.claude-sonnet-4-6'],
    ['a refused main model, an accepted Opus', 'us.anthropic.claude-sonnet-5-5', 'us.anthropic.claude-opus-4-7', 'us.anthropic.claude-opus-4-7'],
    ['refused main and Opus models', 'us.anthropic.claude-opus-5', 'us.anthropic.claude-opus-5-5', HAIKU.invocationId],
  ])('with %s, is a granted model Claude Code accepts', (_what, main, opus, expected) => {
    const env = claudeCodeEnv({ main: ModelReference.parse(main), smallFast: HAIKU, opus: opus ? ModelReference.parse(opus) : undefined }, 'us-east-1');
    expect(env.CLAUDE_CODE_AUTO_MODE_MODEL).toBe(expected);
  });
});

const MODELS = { main: SONNET, smallFast: HAIKU };
const ROLE: CredentialSource = { kind: 'role', profile: 'cc', roleArn: 'arn:aws:iam::111122223333:role/R', sourceProfile: 'default', sourceIdentity: true };
const SSO: CredentialSource = { kind: 'sso', profile: 'cc', startUrl: 'https://x.awsapps.com/start', ssoRegion: 'us-east-1', accountIds: ['111122223333'], roleName: 'R' };

describe('the settings file, isolated (the default)', () => {
  test.each([['role', ROLE], ['identity center', SSO]])('%s: Claude Code gets credentials from awsCredentialExport; subprocesses get no profile and no AWS file', (_mode, source) => {
    const settings = claudeCodeSettings(MODELS, 'us-east-1', source);
    const env = settings.env as Record<string, string>;
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(env).not.toHaveProperty('AWS_DEFAULT_PROFILE');
    expect([env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB, env.AWS_CONFIG_FILE, env.AWS_SHARED_CREDENTIALS_FILE, env.AWS_EC2_METADATA_DISABLED]).toEqual(['1', '/dev/null', '/dev/null', 'true']);
    // The credential command names its files itself, so it still reads the profiles subprocesses cannot.
    expect(settings.awsCredentialExport).toMatch(/^export AWS_CONFIG_FILE="\$HOME\/\.aws\/config" AWS_SHARED_CREDENTIALS_FILE="\$HOME\/\.aws\/credentials"; /);
  });

  test('the sandbox runs every Bash command, or Claude Code does not start, and the credential stores are unreadable in it and to the Read tool', () => {
    const settings = claudeCodeSettings(MODELS, 'us-east-1', ROLE);
    expect(settings.sandbox).toEqual({
      enabled: true,
      failIfUnavailable: true,
      allowUnsandboxedCommands: false,
      credentials: { files: [{ path: '~/.aws', mode: 'deny' }, { path: '~/.cache/cdk-bedrock-least-privilege', mode: 'deny' }] },
      filesystem: { denyRead: ['~/.aws', '~/.cache/cdk-bedrock-least-privilege'], denyWrite: ['~/.aws', '~/.cache/cdk-bedrock-least-privilege'] },
    });
    expect(settings.permissions).toEqual({ deny: ['Read(~/.aws/**)', 'Edit(~/.aws/**)', 'Read(~/.cache/cdk-bedrock-least-privilege/**)', 'Edit(~/.cache/cdk-bedrock-least-privilege/**)'] });
  });

  test('the role is assumed by awsCredentialExport, never by a refresh', () => {
    const role = claudeCodeSettings(MODELS, 'us-east-1', ROLE);
    expect(role.awsAuthRefresh).toBeUndefined();
    expect(role.awsCredentialExport).toMatch(/aws sts assume-role --profile default --role-arn arn:aws:iam::111122223333:role\/R --role-session-name "\$n" --source-identity "\$s" --query "[^"]+" --output json\)" \|\| exit \$\?;/);
  });

  test('Identity Center: the CLI exports the SSO profile; the refresh signs in again only when that export fails, never through STS', () => {
    const sso = claudeCodeSettings(MODELS, 'us-east-1', SSO);
    expect(sso.awsCredentialExport).toMatch(/; aws configure export-credentials --profile cc --format process$/);
    expect(sso.awsAuthRefresh).toMatch(/; aws configure export-credentials --profile cc --format process >\/dev\/null 2>&1 \|\| aws sso login --profile cc$/);
    expect(JSON.stringify(sso)).not.toMatch(/get-caller-identity/);
  });
});

describe('the settings file, INHERIT', () => {
  const inherit = { subprocessCredentials: SubprocessCredentials.INHERIT };

  test.each([['role', ROLE], ['identity center', SSO]])('%s: subprocesses get the Bedrock-only profile and the scrub (it leaves AWS_PROFILE), no sandbox, no deny rules', (_mode, source) => {
    const settings = claudeCodeSettings(MODELS, 'us-east-1', source, undefined, inherit);
    const env = settings.env as Record<string, string>;
    expect([env.AWS_PROFILE, env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB, env.AWS_EC2_METADATA_DISABLED]).toEqual(['cc', '1', 'true']);
    // The profile's files must stay readable to the commands that sign with it.
    for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
      expect(env).not.toHaveProperty(name);
    }
    expect(settings).not.toHaveProperty('sandbox');
    expect(settings).not.toHaveProperty('permissions');
  });

  test('Identity Center: no awsAuthRefresh, whose check would sign GetCallerIdentity as the permission-set role through AWS_PROFILE', () => {
    const sso = claudeCodeSettings(MODELS, 'us-east-1', SSO, undefined, inherit);
    expect(sso.awsAuthRefresh).toBeUndefined();
    expect(sso.awsCredentialExport).toBe('aws configure export-credentials --profile cc --format process 2>/dev/null '
      + '|| { aws sso login --profile cc >&2 && aws configure export-credentials --profile cc --format process; }');
  });
});

describe('BEDROCK_ONLY', () => {
  test('is refused with the reason, by the settings and the profile alike', () => {
    const bedrockOnly = { subprocessCredentials: SubprocessCredentials.BEDROCK_ONLY };
    expect(() => claudeCodeSettings(MODELS, 'us-east-1', ROLE, undefined, bedrockOnly)).toThrow(/BEDROCK_ONLY is not available: .*awsCredentialExport renews.*use SubprocessCredentials.NONE, or INHERIT/);
    expect(() => awsConfigProfile(SSO, 'us-east-1', bedrockOnly)).toThrow(/BEDROCK_ONLY is not available/);
  });
});

describe('a required guardrail', () => {
  const guardrail = Guardrail.fromArn('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456', '3');

  // Claude Code splits ANTHROPIC_CUSTOM_HEADERS on newlines and each line at its first colon (2.1.197).
  function headersAsClaudeCodeReadsThem(value: string): Record<string, string> {
    return Object.fromEntries(value.split(/\r?\n/).filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
  }

  test('travels on every request as the two headers InvokeModel reads', () => {
    const env = claudeCodeEnv({ main: SONNET, smallFast: HAIKU }, 'us-east-1', 'p', guardrail);
    // The ARN, not the bare id: the form bedrock:GuardrailIdentifier is compared with (with ':3' for the version).
    expect(headersAsClaudeCodeReadsThem(env.ANTHROPIC_CUSTOM_HEADERS)).toEqual({
      'X-Amzn-Bedrock-GuardrailIdentifier': 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456',
      'X-Amzn-Bedrock-GuardrailVersion': '3',
    });
  });

  test('without a guardrail no custom header is set, so a user\'s own headers are left alone', () => {
    expect(claudeCodeEnv({ main: SONNET, smallFast: HAIKU }, 'us-east-1', 'p')).not.toHaveProperty('ANTHROPIC_CUSTOM_HEADERS');
  });
});
