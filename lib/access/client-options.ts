import { SubprocessCredentials } from '../client/subprocess-credentials';
import { ModelReference } from '../models/model-reference';

/** Which granted models Claude Code is pinned to, and where it calls them. */
export interface ClaudeCodeClientOptions {
  /** The model Claude Code runs (`ANTHROPIC_MODEL`); one of the models the identity may invoke. */
  readonly model: ModelReference;
  /** The small/fast model Claude Code calls for background work; one of the models the identity may invoke. */
  readonly smallFastModel: ModelReference;
  /**
   * The model `/model opus` switches to; one of the models the identity may invoke.
   *
   * @default - the main model answers the opus alias too
   */
  readonly opusModel?: ModelReference;
  /**
   * The Region for `AWS_REGION`; must be one of the source Regions.
   *
   * @default - the first source Region
   */
  readonly region?: string;
  /**
   * What the commands Claude Code starts may hold of AWS credentials. INHERIT is the opt-out for
   * scripts that must call Bedrock themselves: they get the Bedrock-only profile, and every credential
   * store on the machine becomes readable to them (docs/credential-isolation.md).
   *
   * @default SubprocessCredentials.NONE
   */
  readonly subprocessCredentials?: SubprocessCredentials;
}

/** Client configuration for assuming a `BedrockInvokeRole`. */
export interface InvokeRoleClientOptions extends ClaudeCodeClientOptions {
  /**
   * The AWS profile Claude Code uses (`AWS_PROFILE`).
   *
   * @default 'claude-code-role'
   */
  readonly profileName?: string;
  /**
   * The profile whose credentials assume the role (`configure --source-profile` overrides it per developer).
   *
   * @default 'default'
   */
  readonly sourceProfile?: string;
}

/** Client configuration for signing in through a `BedrockPermissionSet`. */
export interface PermissionSetClientOptions extends ClaudeCodeClientOptions {
  /**
   * Your AWS access portal URL, as the IAM Identity Center console shows it, such as
   * `https://example-company.awsapps.com/start`.
   */
  readonly startUrl: string;
  /**
   * The IAM Identity Center Region.
   *
   * @default - the stack's Region
   */
  readonly ssoRegion?: string;
  /**
   * The AWS profile Claude Code uses; every other assigned account gets `<name>-<account id>`.
   *
   * @default 'claude-code'
   */
  readonly profileName?: string;
  /**
   * The account the settings sign in to; every assigned account gets a profile.
   *
   * @default - the first assigned account
   */
  readonly accountId?: string;
}

/** Ready-to-paste configuration for a developer's machine. */
export interface ClientConfiguration {
  /** `~/.claude/settings.json` (or the project's `.claude/settings.json`). */
  readonly claudeSettingsJson: string;
  /** The profile for `~/.aws/config`. */
  readonly awsConfig: string;
}
