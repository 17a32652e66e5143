import * as path from 'path';
import { SettingsFile } from './settings-files';

/** A setting's value and the file it came from. */
export interface SourcedFlag {
  readonly value: boolean;
  readonly source: string;
}

/** The settings that keep credentials away from what Claude Code runs, merged over every settings file. */
export interface IsolationSettings {
  readonly sandboxEnabled?: SourcedFlag;
  readonly failIfUnavailable?: SourcedFlag;
  readonly allowUnsandboxedCommands?: SourcedFlag;
  /** Absolute paths a sandboxed command may not read (`sandbox.filesystem.denyRead`, `sandbox.credentials.files`). */
  readonly sandboxDenied: readonly string[];
  /** Whether `sandbox.credentials.awsPairs` re-signs requests for sandboxed commands. */
  readonly awsPairs: boolean;
  /** Absolute paths the Read tool may not read (`permissions.deny` rules `Read(...)`). */
  readonly readDenied: readonly string[];
}

/** Where relative paths in settings point. */
export interface PathBases {
  readonly home: string;
  readonly projectDir: string;
}

/**
 * Merges as Claude Code does: a scalar from a higher-precedence file replaces a lower one, key by
 * key; deny lists add up across files (Claude Code docs, "Settings", settings precedence). The
 * `--settings` command-line layer is not a file and is not seen here.
 */
export function isolationSettings(files: readonly SettingsFile[], bases: PathBases): IsolationSettings {
  let sandboxEnabled: SourcedFlag | undefined;
  let failIfUnavailable: SourcedFlag | undefined;
  let allowUnsandboxedCommands: SourcedFlag | undefined;
  const sandboxDenied: string[] = [];
  const readDenied: string[] = [];
  let awsPairs = false;
  for (const file of files) {
    const settings = file.settings;
    if (!settings) {
      continue;
    }
    const sandbox = objectAt(settings, 'sandbox');
    sandboxEnabled = flag(sandbox, 'enabled', file.path) ?? sandboxEnabled;
    failIfUnavailable = flag(sandbox, 'failIfUnavailable', file.path) ?? failIfUnavailable;
    allowUnsandboxedCommands = flag(sandbox, 'allowUnsandboxedCommands', file.path) ?? allowUnsandboxedCommands;
    for (const p of stringsAt(objectAt(sandbox, 'filesystem'), 'denyRead')) {
      sandboxDenied.push(...resolveSandboxPath(p, bases));
    }
    const credentials = objectAt(sandbox, 'credentials');
    for (const entry of arrayAt(credentials, 'files')) {
      const e = entry as Record<string, unknown> | undefined;
      // Masking falls back to deny where it cannot mask (macOS), so both keep the content out.
      if (e && typeof e.path === 'string' && (e.mode === 'deny' || e.mode === 'mask')) {
        sandboxDenied.push(...resolveSandboxPath(e.path, bases));
      }
    }
    awsPairs ||= arrayAt(credentials, 'awsPairs').length > 0;
    for (const rule of stringsAt(objectAt(settings, 'permissions'), 'deny')) {
      const m = /^Read\((.+)\)$/.exec(rule.trim());
      if (m) {
        readDenied.push(...resolveRulePath(m[1], bases));
      }
    }
  }
  return { sandboxEnabled, failIfUnavailable, allowUnsandboxedCommands, sandboxDenied, awsPairs, readDenied };
}

/** True when one of the denied paths is `target` or a folder above it. */
export function covers(denied: readonly string[], target: string): boolean {
  const t = path.resolve(target);
  return denied.some((d) => t === d || t.startsWith(`${d}${path.sep}`));
}

// Sandbox paths: `~/` is the home folder, `/` is absolute, anything else is relative to the project.
function resolveSandboxPath(p: string, bases: PathBases): string[] {
  const base = stripGlob(p);
  if (base === undefined) {
    return [];
  }
  if (base === '~' || base.startsWith('~/')) {
    return [path.join(bases.home, base.slice(1))];
  }
  return [path.isAbsolute(base) ? path.resolve(base) : path.resolve(bases.projectDir, base)];
}

// Permission rules: `//` is absolute, `~/` the home folder, `/` and `./` the project root.
function resolveRulePath(p: string, bases: PathBases): string[] {
  const base = stripGlob(p);
  if (base === undefined) {
    return [];
  }
  if (base.startsWith('//')) {
    return [path.resolve(base.slice(1))];
  }
  if (base === '~' || base.startsWith('~/')) {
    return [path.join(bases.home, base.slice(1))];
  }
  return [path.resolve(bases.projectDir, base.replace(/^\//, ''))];
}

/** `~/.aws/**` and `~/.aws/` deny the folder `~/.aws`; a wildcard anywhere else is too loose to judge, so it counts for nothing. */
function stripGlob(p: string): string | undefined {
  const base = p.trim().replace(/\/\*\*$/, '').replace(/\/\*$/, '').replace(/\/+$/, '');
  return base === '' || base.includes('*') ? undefined : base;
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function arrayAt(value: Record<string, unknown> | undefined, key: string): unknown[] {
  const v = value?.[key];
  return Array.isArray(v) ? v : [];
}

function stringsAt(value: Record<string, unknown> | undefined, key: string): string[] {
  return arrayAt(value, key).filter((v): v is string => typeof v === 'string');
}

function flag(value: Record<string, unknown> | undefined, key: string, source: string): SourcedFlag | undefined {
  const v = value?.[key];
  return typeof v === 'boolean' ? { value: v, source } : undefined;
}
