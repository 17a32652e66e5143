import { ROLE_SESSION_NAME_VARIABLE } from '../../client/assume-role-command';
import { isRegionName } from '../../models/regions';
import { DoctorClientFactory } from '../aws-clients';
import { BuiltInCatalog } from '../built-in-catalog';
import { exitCodeFor, Finding, Severity, sortFindings, worstSeverity } from '../findings';
import { Redactor, SECRET_VARIABLES, secretValues } from '../redact';
import { awsFilePaths } from './aws-config-file';
import { bedrockRegion, checkRegion, checkUseBedrock, isTruthy } from './check-bedrock-env';
import { checkClaudeCodeVersion, checkSandbox } from './check-claude-code';
import { checkCredentialsInSettings, checkCredentialsInUse } from './check-credentials';
import { checkDangerousActions } from './check-dangerous-actions';
import { checkIdentity } from './check-identity';
import { checkCredentialStores, checkIsolationMode, checkOtherProfiles, isolationMode, profilesWrittenByConfigure } from './check-isolation';
import { checkModelPinning } from './check-model-pinning';
import { checkModelRegion, ParsedModel, parseModels } from './check-model-region';
import { checkProfilesExist } from './check-profiles-exist';
import { checkRoleSessionName, loginName, missingRoleSessionName, noCredentialsFix } from './check-role-session-name';
import { checkSettingsFiles } from './check-settings-files';
import { ConfiguredIdentity, configuredIdentity } from './configured-identity';
import { ConfiguredModel, configuredModels } from './configured-models';
import { credentialVariables, findCredentialStores } from './credential-stores';
import { EffectiveConfig, envValue, mergeSettings, settingsEnv, SourcedValue } from './effective-config';
import { AwsFacts, gatherAwsFacts } from './gather-aws-facts';
import { isolationSettings } from './isolation-settings';
import { LocalTools, realLocalTools } from './local-tools';
import { readSettingsFiles, SettingsFile, SettingsScope } from './settings-files';

export interface DoctorInput {
  readonly home: string;
  readonly projectDir: string;
  /** The shell environment Claude Code would start with. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly managedDir?: string;
  readonly platform?: NodeJS.Platform;
  /** Skip every AWS call; the AWS checks then report unknown. */
  readonly offline?: boolean;
  readonly principalArn?: string;
  /** A profile the user names for IAM questions; Claude Code's own identity never calls IAM or STS. */
  readonly adminProfile?: string;
  readonly clientFactory: DoctorClientFactory;
  readonly catalog?: BuiltInCatalog;
  /** The login name `id -un` would print; tests pass their own. */
  readonly loginName?: () => string | undefined;
  /** `claude --version` and PATH lookups; tests pass their own. */
  readonly tools?: LocalTools;
  /** Today, for end-of-life dates; tests pass their own. */
  readonly now?: () => Date;
}

/** What the doctor found, in the shape `--json` prints. */
export interface DoctorReport {
  readonly settingsFiles: ReadonlyArray<{ scope: SettingsScope; path: string; found: boolean; error?: string }>;
  /** The values that decide where Claude Code sends requests, and where each came from. */
  readonly effective: Readonly<Record<string, SourcedValue>>;
  readonly findings: readonly Finding[];
  readonly worstSeverity?: Severity;
  readonly exitCode: number;
}

// Shown in the report so the developer sees what Claude Code will use; secrets are masked by the redactor.
const SHOWN_VARIABLES = [
  'CLAUDE_CODE_USE_BEDROCK', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID',
  'ANTHROPIC_MODEL', 'ANTHROPIC_DEFAULT_OPUS_MODEL', 'ANTHROPIC_DEFAULT_SONNET_MODEL', 'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL', 'ANTHROPIC_DEFAULT_FABLE_MODEL', 'CLAUDE_CODE_SUBAGENT_MODEL', 'CLAUDE_CODE_SUBAGENT_MODEL_FORCE',
  'CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL', 'CLAUDE_CODE_AUTO_MODE_MODEL', 'CLAUDE_CODE_SUBPROCESS_ENV_SCRUB',
];

/** Audits the machine the way Claude Code would see it. Never throws for AWS failures; they become findings. */
export async function runDoctor(input: DoctorInput): Promise<{ report: DoctorReport; redactor: Redactor }> {
  const files = readSettingsFiles({
    home: input.home,
    projectDir: input.projectDir,
    claudeConfigDir: input.env.CLAUDE_CONFIG_DIR,
    managedDir: input.managedDir,
    platform: input.platform,
  });
  const config = mergeSettings(input.env, files);
  const redactor = new Redactor([...secretValues(input.env), ...files.flatMap(secretsInFile)]);
  const catalog = input.catalog ?? BuiltInCatalog.load();

  const region = bedrockRegion(config);
  const usableRegion = region && isRegionName(region) ? region : undefined;
  const models = configuredModels(config);
  const parsed = parseModels(models);

  const env = awsFilesOf(plainEnv(config), input.env);
  const identity = configuredIdentity(env, input.home, config.awsCredentialExport?.value);
  const platform = input.platform ?? process.platform;
  const tools = input.tools ?? realLocalTools(input.env);
  const isolation = isolationSettings(files, { home: input.home, projectDir: input.projectDir });
  // The generated opt-out (a profile in env, the scrub on) leaves commands unsandboxed on purpose: what that gives up is
  // stated, not judged broken. Without the scrub it is the shape before isolation, judged in full.
  const optedOut = isolationMode(config, isolation) === 'inherit' && isTruthy(envValue(config, 'CLAUDE_CODE_SUBPROCESS_ENV_SCRUB'));
  const sandbox = checkSandbox(isolation, platform, tools, optedOut);
  const sandboxRuns = sandbox.some((f) => f.id === 'sandbox-ready');
  const stores = findCredentialStores(env, input.home);
  const storeFindings = checkCredentialStores(stores, isolation, sandboxRuns, input.home, optedOut);
  const today = (input.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const advice = { grant: generatedBy(identity, config, env, input.home) ? grantOf(parsed) : undefined, today };

  const findings: Finding[] = [
    ...checkSettingsFiles(files),
    ...checkCredentialsInSettings(files),
    ...checkCredentialsInUse(config),
    ...checkUseBedrock(config),
    ...checkRegion(config),
    ...checkModelPinning(models, envValue(config, 'CLAUDE_CODE_SUBAGENT_MODEL_FORCE'), config.modelOverrides),
    ...(usableRegion ? checkModelRegion(parsed, usableRegion, catalog, advice) : []),
    ...checkClaudeCodeVersion(tools),
    ...sandbox,
    ...checkIsolationMode(config, isolation, credentialVariables(input.env)),
    ...storeFindings,
    ...checkOtherProfiles(env, input.home, identity, storeFindings.some((f) => f.id.startsWith('credential-store-readable-')), optedOut),
  ];

  const login = (input.loginName ?? loginName)();
  // Claude Code's own profile, when only its awsCredentialExport names it: the doctor asks Bedrock as that profile.
  const signingEnv = !env.AWS_PROFILE && 'profile' in identity && identity.profile ? { ...env, AWS_PROFILE: identity.profile } : env;
  const cannotSign = identity.kind === 'role' && !identity.profile;
  const facts = input.offline || cannotSign ? offlineFacts(cannotSign ? 'the invoke role is assumed by awsCredentialExport alone, which the doctor does not run' : undefined) : await gatherAwsFacts({
    clients: input.clientFactory(usableRegion, signingEnv, input.adminProfile),
    region: usableRegion,
    models: parsed,
    identity,
    principalArn: input.principalArn,
    adminProfile: input.adminProfile,
  });
  findings.push(
    // Names the profile, and asks for a session name where the generated role command has none.
    ...checkRoleSessionName(config, identity, input.home, login),
    ...checkIdentity(identity, facts.profiles, noCredentialsFix(identity, missingRoleSessionName(config, identity, input.home, login).length > 0)),
    ...checkProfilesExist(parsed, facts.profiles),
    ...checkDangerousActions(facts.simulation),
  );

  const sorted = sortFindings(findings);
  return {
    redactor,
    report: {
      settingsFiles: files.map(({ scope, path, found, error }) => ({ scope, path, found, ...(error ? { error } : {}) })),
      effective: shownValues(config, models),
      findings: sorted,
      worstSeverity: worstSeverity(sorted),
      exitCode: exitCodeFor(sorted),
    },
  };
}

function offlineFacts(why = 'skipped (--offline)'): AwsFacts {
  const skipped = { ok: false as const, problem: { kind: 'not-possible' as const, reason: why } };
  return { profiles: skipped, simulation: skipped };
}

/** The settings came from this library when Claude Code's profile is one configure wrote, or its credential command is the generated one. */
function generatedBy(identity: ConfiguredIdentity, config: EffectiveConfig, env: Readonly<Record<string, string>>, home: string): boolean {
  const profile = 'profile' in identity ? identity.profile : undefined;
  const command = config.awsCredentialExport?.value ?? '';
  return (profile !== undefined && profilesWrittenByConfigure(awsFilePaths(env, home).config).includes(profile))
    || command.includes(`\${${ROLE_SESSION_NAME_VARIABLE}:-`);
}

/** The invocation ids the settings pin. */
function grantOf(parsed: readonly ParsedModel[]): string[] {
  return parsed.flatMap((p) => ('ref' in p ? [p.ref.invocationId] : []));
}

/**
 * The isolated settings point subprocesses' AWS files at /dev/null and the generated commands put the
 * real ones back, so the doctor reads the files those commands read: the shell's, else ~/.aws.
 */
function awsFilesOf(env: Record<string, string>, shell: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out = { ...env };
  for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    if (out[name] === '/dev/null') {
      const real = shell[name];
      if (real === undefined || real === '/dev/null') {
        delete out[name];
      } else {
        out[name] = real;
      }
    }
  }
  return out;
}

function plainEnv(config: EffectiveConfig): Record<string, string> {
  return Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, v.value]));
}

function shownValues(config: EffectiveConfig, models: readonly ConfiguredModel[]): Record<string, SourcedValue> {
  const shown: Record<string, SourcedValue> = {};
  for (const name of SHOWN_VARIABLES) {
    if (config.env[name]) {
      shown[name] = config.env[name];
    }
  }
  const model = models.find((m) => m.setting === 'model');
  if (model) {
    shown.model = { value: model.value, source: model.source };
  }
  if (config.awsAuthRefresh) {
    shown.awsAuthRefresh = config.awsAuthRefresh;
  }
  if (config.awsCredentialExport) {
    shown.awsCredentialExport = config.awsCredentialExport;
  }
  return shown;
}

function secretsInFile(file: SettingsFile): string[] {
  if (!file.settings) {
    return [];
  }
  const env = settingsEnv(file.settings);
  return [...secretValues(env), ...SECRET_VARIABLES.flatMap((name) => {
    const top = file.settings![name];
    return typeof top === 'string' ? [top] : [];
  })];
}
