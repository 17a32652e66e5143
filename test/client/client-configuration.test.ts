import { ModelReference } from '../../lib';
import { CLAUDE_CODE_MODEL_VARIABLES } from '../../lib/models/claude-code-model-settings';
import { Guardrail } from '../../lib/models/guardrail';
import { claudeCodeEnv, claudeCodeSettings } from '../../lib/client/client-configuration';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-5-5');

// The model variables current Claude Code reads, written out here from its docs ("Model
// configuration", "Environment variables"), not taken from the library, so a dropped one fails.
const DOCUMENTED_MODEL_VARIABLES = [
  'ANTHROPIC_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'ANTHROPIC_DEFAULT_FABLE_MODEL',
  'CLAUDE_CODE_SUBAGENT_MODEL',
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

describe('the settings file', () => {
  test('an SSO profile renews an expired sign-in; the role is assumed by awsCredentialExport, never by a refresh', () => {
    const sso = claudeCodeSettings({ main: SONNET, smallFast: HAIKU }, 'us-east-1', {
      kind: 'sso', profile: 'cc', startUrl: 'https://x.awsapps.com/start', ssoRegion: 'us-east-1', accountIds: ['111122223333'], roleName: 'R',
    });
    expect(sso.awsAuthRefresh).toBe('aws sso login --profile cc');
    const role = claudeCodeSettings({ main: SONNET, smallFast: HAIKU }, 'us-east-1', {
      kind: 'role', profile: 'cc', roleArn: 'arn:aws:iam::111122223333:role/R', sourceProfile: 'default', sourceIdentity: true,
    });
    expect(role.awsAuthRefresh).toBeUndefined();
    expect(role.awsCredentialExport).toMatch(/aws sts assume-role --profile default --role-arn arn:aws:iam::111122223333:role\/R --role-session-name "\$n" --source-identity "\$s" --query "[^"]+" --output json\)" \|\| exit \$\?;/);
    expect(sso.awsCredentialExport).toBeUndefined();
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
