import { ClaudeCodeModelVariable } from '../models/claude-code-model-settings';
import { ModelReference } from '../models/model-reference';

/** The models Claude Code is pinned to. */
export interface PinnedModels {
  readonly main: ModelReference;
  readonly smallFast: ModelReference;
  readonly opus?: ModelReference;
}

/** How a developer's machine gets credentials. */
export type CredentialSource =
  | { readonly kind: 'sso'; readonly profile: string; readonly startUrl: string; readonly ssoRegion: string; readonly accountId: string; readonly roleName: string }
  | { readonly kind: 'role'; readonly profile: string; readonly roleArn: string; readonly sourceProfile: string; readonly sourceIdentity: boolean };

/**
 * The `env` Claude Code reads on Bedrock: every model variable it reads pinned to a granted model, so
 * no alias, subagent or background call falls back to a default outside the policy. An alias with no
 * model of its own goes to the main model (Fable's to Opus when one is given).
 */
export function claudeCodeEnv(models: PinnedModels, region: string, profile: string): Record<string, string> {
  const main = models.main.claudeCodeModelId;
  const fast = models.smallFast.claudeCodeModelId;
  const opus = models.opus?.claudeCodeModelId ?? main;
  const pinned: Record<ClaudeCodeModelVariable, string> = {
    ANTHROPIC_MODEL: main,
    ANTHROPIC_DEFAULT_OPUS_MODEL: opus,
    ANTHROPIC_DEFAULT_SONNET_MODEL: main,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: fast,
    ANTHROPIC_DEFAULT_FABLE_MODEL: isFable(models.main) ? main : opus,
    CLAUDE_CODE_SUBAGENT_MODEL: main,
    ANTHROPIC_SMALL_FAST_MODEL: fast,
  };
  return {
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: region,
    AWS_PROFILE: profile,
    ...pinned,
  };
}

/** `settings.json` for Claude Code: the env block, and for SSO the command that renews an expired sign-in. */
export function claudeCodeSettings(models: PinnedModels, region: string, source: CredentialSource): Record<string, unknown> {
  return {
    env: claudeCodeEnv(models, region, source.profile),
    ...(source.kind === 'sso' ? { awsAuthRefresh: `aws sso login --profile ${source.profile}` } : {}),
  };
}

/** The `~/.aws/config` entries for the profile Claude Code uses. */
export function awsConfigProfile(source: CredentialSource, region: string): string {
  if (source.kind === 'sso') {
    return [
      `[sso-session ${source.profile}]`,
      `sso_start_url = ${source.startUrl}`,
      `sso_region = ${source.ssoRegion}`,
      'sso_registration_scopes = sso:account:access',
      '',
      `[profile ${source.profile}]`,
      `sso_session = ${source.profile}`,
      `sso_account_id = ${source.accountId}`,
      `sso_role_name = ${source.roleName}`,
      `region = ${region}`,
      '',
    ].join('\n');
  }
  if (!source.sourceIdentity) {
    return [
      `[profile ${source.profile}]`,
      `role_arn = ${source.roleArn}`,
      `source_profile = ${source.sourceProfile}`,
      'role_session_name = your-name',
      `region = ${region}`,
      '',
    ].join('\n');
  }
  // The CLI's role profiles cannot set a source identity, so the profile assumes the role itself;
  // length('x') is JMESPath for the number 1 that credential_process wants as Version.
  const query = '{Version: length(\'x\'), AccessKeyId: Credentials.AccessKeyId, SecretAccessKey: Credentials.SecretAccessKey, '
    + 'SessionToken: Credentials.SessionToken, Expiration: Credentials.Expiration}';
  return [
    `[profile ${source.profile}]`,
    `credential_process = sh -c "aws sts assume-role --profile ${source.sourceProfile} --role-arn ${source.roleArn} `
      + `--role-session-name \\"$USER\\" --source-identity \\"$USER\\" --query \\"${query}\\" --output json"`,
    `region = ${region}`,
    '',
  ].join('\n');
}

function isFable(model: ModelReference): boolean {
  return /^anthropic\.claude-fable-/.test(model.modelId);
}
