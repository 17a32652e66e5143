import { SettingsFile } from './settings-files';

/** A value and where Claude Code would take it from. */
export interface SourcedValue {
  readonly value: string;
  /** `environment` or the settings file's path. */
  readonly source: string;
}

/** What Claude Code would see after merging the environment and its settings files. */
export interface EffectiveConfig {
  /** Every environment variable Claude Code's process would have. */
  readonly env: Readonly<Record<string, SourcedValue>>;
  /** The `model` setting. */
  readonly model?: SourcedValue;
  readonly awsAuthRefresh?: SourcedValue;
  readonly awsCredentialExport?: SourcedValue;
  /** The `modelOverrides` entries, key by key, the later file winning. */
  readonly modelOverrides?: Readonly<Record<string, SourcedValue>>;
}

export const ENVIRONMENT = 'environment';

/**
 * Merges in Claude Code's order: the shell environment, then user, project, local and managed
 * settings, each overriding the one before, key by key.
 *
 * A settings file's `env` overrides a variable exported in the shell: Claude Code's maintainers
 * confirm it is intended (anthropics/claude-code#78567), surprising as it is.
 */
export function mergeSettings(processEnv: Readonly<Record<string, string | undefined>>, files: readonly SettingsFile[]): EffectiveConfig {
  const env: Record<string, SourcedValue> = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (typeof value === 'string') {
      env[name] = { value, source: ENVIRONMENT };
    }
  }
  let model: SourcedValue | undefined;
  let awsAuthRefresh: SourcedValue | undefined;
  let awsCredentialExport: SourcedValue | undefined;
  const modelOverrides: Record<string, SourcedValue> = {};
  for (const file of files) {
    const settings = file.settings;
    if (!settings) {
      continue;
    }
    for (const [name, value] of Object.entries(settingsEnv(settings))) {
      env[name] = { value, source: file.path };
    }
    model = stringSetting(settings, 'model', file.path) ?? model;
    awsAuthRefresh = stringSetting(settings, 'awsAuthRefresh', file.path) ?? awsAuthRefresh;
    awsCredentialExport = stringSetting(settings, 'awsCredentialExport', file.path) ?? awsCredentialExport;
    const overrides = settings.modelOverrides;
    if (overrides && typeof overrides === 'object' && !Array.isArray(overrides)) {
      for (const [id, value] of Object.entries(overrides as Record<string, unknown>)) {
        if (typeof value === 'string') {
          modelOverrides[id] = { value, source: file.path };
        }
      }
    }
  }
  return { env, model, awsAuthRefresh, awsCredentialExport, modelOverrides };
}

/** The `env` block of one settings file, with numbers and booleans written as the strings Claude Code sets. */
export function settingsEnv(settings: Readonly<Record<string, unknown>>): Record<string, string> {
  const block = settings.env;
  if (!block || typeof block !== 'object' || Array.isArray(block)) {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(block as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[name] = String(value);
    }
  }
  return out;
}

/** The plain value of an environment variable, or undefined when unset or empty. */
export function envValue(config: EffectiveConfig, name: string): string | undefined {
  const v = config.env[name]?.value;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function stringSetting(settings: Readonly<Record<string, unknown>>, key: string, source: string): SourcedValue | undefined {
  const value = settings[key];
  return typeof value === 'string' && value.trim() !== '' ? { value: value.trim(), source } : undefined;
}
