import { assumeRoleScript } from './assume-role-command';
import { checkSubprocessCredentials, isolatingEnv, isolatingPermissions, isolatingSandbox, REAL_AWS_FILES } from './credential-isolation';
import { SubprocessCredentials } from './subprocess-credentials';
import { CLAUDE_CODE_DEFAULT_OPUS, ClaudeCodeModelVariable, fitsAutoMode, isOpusModel, SUBAGENT_MODEL_FORCE_VARIABLE } from '../models/claude-code-model-settings';
import { Guardrail } from '../models/guardrail';
import { ModelReference, ModelReferenceKind } from '../models/model-reference';

/** The models Claude Code is pinned to. */
export interface PinnedModels {
  readonly main: ModelReference;
  readonly smallFast: ModelReference;
  readonly opus?: ModelReference;
}

/** How a developer's machine gets credentials. */
export type CredentialSource =
  | {
    readonly kind: 'sso';
    /** The profile for the first account; every other account gets `<profile>-<account id>`. */
    readonly profile: string;
    readonly startUrl: string;
    readonly ssoRegion: string;
    /** The account the settings use first, then every other account the set is assigned in. */
    readonly accountIds: readonly string[];
    readonly roleName: string;
  }
  | { readonly kind: 'role'; readonly profile: string; readonly roleArn: string; readonly sourceProfile: string; readonly sourceIdentity: boolean };

/** Choices that change what the generated configuration lets the agent's subprocesses hold. */
export interface ClientOptions {
  /** @default SubprocessCredentials.NONE */
  readonly subprocessCredentials?: SubprocessCredentials;
}

/** Marks a profile as written by this library, so the configure command knows which ones it may replace. */
export const MANAGED_PROFILE_MARKER = '# managed by cdk-bedrock-least-privilege';

// The JavaScript SDK (Claude Code's) reads profile sections matching [\w-@+.%:/]: '=' or ',' would hide one.
const PROFILE_NAME = /^[A-Za-z0-9_+.@:/-]+$/;

/** Refuses a profile name that would break the config file or the shell command it ends up in. */
export function checkProfileName(what: string, name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new Error(`${what} '${name}' is not a usable AWS profile name: use letters, digits and _+.@:/- only`);
  }
}

/**
 * The `env` Claude Code reads on Bedrock: every model variable it reads pinned to a granted model, so
 * no alias, subagent or background call falls back to a default outside the policy. An alias with no
 * model of its own goes to the main model (Fable's to Opus when one is given). AWS_PROFILE only when
 * a profile is given: the isolated configuration hands subprocesses none.
 */
export function claudeCodeEnv(models: PinnedModels, region: string, profile?: string, guardrail?: Guardrail): Record<string, string> {
  const main = models.main.claudeCodeModelId;
  const fast = models.smallFast.claudeCodeModelId;
  const opus = models.opus?.claudeCodeModelId ?? main;
  const pinned: Record<ClaudeCodeModelVariable, string> = {
    ANTHROPIC_MODEL: main,
    ANTHROPIC_DEFAULT_MODEL: main,
    ANTHROPIC_DEFAULT_OPUS_MODEL: opus,
    ANTHROPIC_DEFAULT_SONNET_MODEL: main,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: fast,
    ANTHROPIC_DEFAULT_FABLE_MODEL: isFable(models.main) ? main : opus,
    CLAUDE_CODE_SUBAGENT_MODEL: main,
    CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL: main,
    CLAUDE_CODE_AUTO_MODE_MODEL: autoModeModel(models),
    ANTHROPIC_SMALL_FAST_MODEL: fast,
  };
  return {
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: region,
    ...(profile === undefined ? {} : { AWS_PROFILE: profile }),
    ...pinned,
    [SUBAGENT_MODEL_FORCE_VARIABLE]: '1',
    ...(guardrail ? { ANTHROPIC_CUSTOM_HEADERS: guardrailHeaders(guardrail) } : {}),
  };
}

/**
 * The headers through which InvokeModel and InvokeModelWithResponseStream take a guardrail, as Claude
 * Code's ANTHROPIC_CUSTOM_HEADERS (newline-separated `Name: Value`). Claude Code 2.1.197 puts these
 * headers on every Messages request its Bedrock client makes (they are the client's default headers).
 * The identifier is the full ARN, the form `bedrock:GuardrailIdentifier` is compared with (Bedrock
 * User Guide, "Enforce the use of specific guardrails in model inference requests").
 */
export function guardrailHeaders(guardrail: Guardrail): string {
  return `X-Amzn-Bedrock-GuardrailIdentifier: ${guardrail.arn}\nX-Amzn-Bedrock-GuardrailVersion: ${guardrail.version}`;
}

/**
 * `settings.json` for Claude Code: the env block, how Claude Code gets credentials, and (by default)
 * what keeps them from the commands it runs.
 *
 * In both modes `awsCredentialExport` hands Claude Code the Bedrock-only credentials, which it keeps in
 * its own process until five minutes before their `Expiration` (Claude Code docs, "Amazon Bedrock",
 * "Advanced credential configuration"): for the role, the assume-role script; for Identity Center, the
 * AWS CLI's own export of the SSO profile. The role's script and the profile's credential_process share
 * one cache, so a credential lifetime costs one AssumeRole however many processes ask.
 *
 * With SubprocessCredentials.NONE, no AWS_PROFILE, the env scrub, AWS files pointed at nothing, the
 * sandbox and deny rules for the credential stores (see credential-isolation.ts). With INHERIT,
 * AWS_PROFILE names the Bedrock-only profile for every subprocess, with no sandbox and no deny rules
 * so it can read the profile's files; the scrub stays (it leaves AWS_PROFILE).
 */
export function claudeCodeSettings(models: PinnedModels, region: string, source: CredentialSource, guardrail?: Guardrail,
  options: ClientOptions = {}): Record<string, unknown> {
  const choice = options.subprocessCredentials ?? SubprocessCredentials.NONE;
  checkSubprocessCredentials(choice);
  const isolated = choice === SubprocessCredentials.NONE;
  const overrides = modelOverrides(models);
  return {
    env: { ...claudeCodeEnv(models, region, isolated ? undefined : source.profile, guardrail), ...isolatingEnv(choice) },
    ...(overrides ? { modelOverrides: overrides } : {}),
    ...credentialCommands(source, isolated),
    // Not for the opt-out: its commands read the profile's files, and Claude Code 2.1.332 hides Read-denied paths from Bash too (measured).
    ...(isolated ? { sandbox: isolatingSandbox(), permissions: isolatingPermissions() } : {}),
  };
}

/**
 * The commands through which Claude Code gets and renews credentials. Claude Code runs awsAuthRefresh
 * only after a `sts:GetCallerIdentity` through the default chain fails (read in 2.1.332): with
 * AWS_PROFILE set, that call is signed as the permission-set role, which detection alerts on; isolated,
 * the chain finds no credential and sends nothing, so the refresh command itself checks the sign-in
 * (the export asks the Identity Center portal, not STS) and signs in again only when it has ended.
 */
function credentialCommands(source: CredentialSource, isolated: boolean): Record<string, string> {
  const files = isolated ? REAL_AWS_FILES : '';
  if (source.kind === 'role') {
    return { awsCredentialExport: files + assumeRoleScript(source) };
  }
  const exportCredentials = identityCenterExport(source.profile);
  const signIn = `aws sso login --profile ${source.profile}`;
  return isolated
    ? { awsCredentialExport: files + exportCredentials, awsAuthRefresh: `${files}${exportCredentials} >/dev/null 2>&1 || ${signIn}` }
    // Without awsAuthRefresh, an ended sign-in is renewed by the export itself (the browser opens; its text goes to stderr).
    : { awsCredentialExport: `${exportCredentials} 2>/dev/null || { ${signIn} >&2 && ${exportCredentials}; }` };
}

/**
 * The AWS CLI v2's export of an SSO profile's role credentials in the credential_process JSON shape
 * (AWS CLI Command Reference, `aws configure export-credentials`; AWS CLI v1 has no such command).
 */
export function identityCenterExport(profile: string): string {
  return `aws configure export-credentials --profile ${profile} --format process`;
}

/**
 * Auto mode's classifier: the main model where Claude Code accepts it, else the Opus model, else the
 * small/fast one, so the classifier never falls to the built-in default outside the policy.
 */
function autoModeModel(models: PinnedModels): string {
  const candidates = [models.main, ...(models.opus ? [models.opus] : []), models.smallFast];
  return (candidates.find((m) => fitsAutoMode(m.modelId)) ?? models.smallFast).claudeCodeModelId;
}

/**
 * Claude Code's `modelOverrides`, from the Anthropic model id to the id Claude Code sends (Claude Code docs, "Model
 * configuration", modelOverrides; Claude Code 2.1.73 and later). For application inference profiles, what each profile
 * copies maps to the profile's ARN, so the model picker's entries reach the team's profile too (the Anthropic id is
 * the Bedrock model id without `anthropic.` and the `-v1:0` version). When the Opus slot names no Opus model, the
 * client's default Opus maps to that slot's model: the entry stops the start-up check's denied call to it
 * (contract test, 2.1.284 and 2.1.332).
 */
export function modelOverrides(models: PinnedModels): Record<string, string> | undefined {
  const entries = [models.main, models.smallFast, ...(models.opus ? [models.opus] : [])]
    .filter((m) => m.kind === ModelReferenceKind.APPLICATION_PROFILE)
    .map((m): [string, string] => [anthropicModelId(m.modelId), m.invocationId]);
  const opusSlot = models.opus ?? models.main;
  // An application profile's ARN is an id the check does not know, which it already counts as a pin.
  if (opusSlot.kind !== ModelReferenceKind.APPLICATION_PROFILE && !isOpusModel(opusSlot.modelId)) {
    entries.push([CLAUDE_CODE_DEFAULT_OPUS, opusSlot.claudeCodeModelId]);
  }
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** `anthropic.claude-haiku-4-5-20251001-v1:0` as Anthropic names it: `claude-haiku-4-5-20251001`. */
export function anthropicModelId(bedrockModelId: string): string {
  return bedrockModelId.replace(/^anthropic\./, '').replace(/-v\d+(:\d+)?$/, '');
}

/** The profile names an SSO source writes, the settings' account first. */
export function ssoProfileNames(source: { readonly profile: string; readonly accountIds: readonly string[] }): string[] {
  return source.accountIds.map((a, i) => (i === 0 ? source.profile : `${source.profile}-${a}`));
}

/**
 * The `~/.aws/config` entries for the profile Claude Code uses, each section after a marker line so
 * the configure command can tell them from profiles it did not write.
 */
export function awsConfigProfile(source: CredentialSource, region: string, options: ClientOptions = {}): string {
  checkSubprocessCredentials(options.subprocessCredentials ?? SubprocessCredentials.NONE);
  if (source.kind === 'sso') {
    const names = ssoProfileNames(source);
    return [
      MANAGED_PROFILE_MARKER,
      `[sso-session ${source.profile}]`,
      `sso_start_url = ${source.startUrl}`,
      `sso_region = ${source.ssoRegion}`,
      'sso_registration_scopes = sso:account:access',
      '',
      // One profile per assigned account: the same permission set, signed in once for all of them.
      ...source.accountIds.flatMap((account, i) => [
        MANAGED_PROFILE_MARKER,
        `[profile ${names[i]}]`,
        `sso_session = ${source.profile}`,
        `sso_account_id = ${account}`,
        `sso_role_name = ${source.roleName}`,
        `region = ${region}`,
        '',
      ]),
    ].join('\n');
  }
  // The CLI's own role profiles cannot set a source identity, so the profile assumes the role itself;
  // the single quotes keep the script whole for the CLI's shlex split and for the SDKs' `sh -c` alike.
  return [
    MANAGED_PROFILE_MARKER,
    `[profile ${source.profile}]`,
    `credential_process = sh -c '${assumeRoleScript(source)}'`,
    `region = ${region}`,
    '',
  ].join('\n');
}

function isFable(model: ModelReference): boolean {
  return /^anthropic\.claude-fable-/.test(model.modelId);
}
