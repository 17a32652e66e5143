import * as fs from 'fs';
import * as path from 'path';

/** Which settings file a value came from, lowest precedence first (Claude Code's order). */
export type SettingsScope = 'user' | 'project' | 'local' | 'managed';

/** One settings file as the doctor found it. */
export interface SettingsFile {
  readonly scope: SettingsScope;
  readonly path: string;
  readonly found: boolean;
  /** The parsed JSON object, when the file exists and is valid. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Why the file could not be used, when it exists but cannot be read or parsed. */
  readonly error?: string;
}

/** Where to look for settings. */
export interface SettingsLocations {
  /** The home directory (`~`). */
  readonly home: string;
  /** The project directory Claude Code would be started in. */
  readonly projectDir: string;
  /** `CLAUDE_CONFIG_DIR`, which moves the user settings out of `~/.claude`. */
  readonly claudeConfigDir?: string;
  /** The folder holding `managed-settings.json`; default: the platform's system folder. */
  readonly managedDir?: string;
  readonly platform?: NodeJS.Platform;
}

/** The system folder for file-based managed settings, per Claude Code's settings documentation. */
export function defaultManagedDir(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return '/Library/Application Support/ClaudeCode';
    case 'win32':
      return 'C:\\Program Files\\ClaudeCode';
    default:
      return '/etc/claude-code';
  }
}

/**
 * Reads every settings file Claude Code reads from disk, lowest precedence first: user, project,
 * local, then managed (`managed-settings.json`, then `managed-settings.d/*.json` in name order).
 * Managed settings delivered by MDM or the claude.ai console are not files and are not read.
 */
export function readSettingsFiles(where: SettingsLocations): SettingsFile[] {
  const userDir = where.claudeConfigDir ?? path.join(where.home, '.claude');
  const managedDir = where.managedDir ?? defaultManagedDir(where.platform ?? process.platform);
  const files: SettingsFile[] = [
    readSettingsFile('user', path.join(userDir, 'settings.json')),
    readSettingsFile('project', path.join(where.projectDir, '.claude', 'settings.json')),
    readSettingsFile('local', path.join(where.projectDir, '.claude', 'settings.local.json')),
    readSettingsFile('managed', path.join(managedDir, 'managed-settings.json')),
  ];
  const dropIns = path.join(managedDir, 'managed-settings.d');
  for (const name of listJsonFiles(dropIns)) {
    files.push(readSettingsFile('managed', path.join(dropIns, name)));
  }
  return files;
}

function readSettingsFile(scope: SettingsScope, file: string): SettingsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { scope, path: file, found: false };
    }
    return { scope, path: file, found: true, error: `cannot be read (${code ?? String(e)})` };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { scope, path: file, found: true, error: 'is not a JSON object' };
    }
    return { scope, path: file, found: true, settings: parsed as Record<string, unknown> };
  } catch {
    // Node's parse error quotes the text around the mistake, which may be a secret: say only that it failed.
    return { scope, path: file, found: true, error: 'is not valid JSON' };
  }
}

function listJsonFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
}
