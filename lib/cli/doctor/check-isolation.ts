import * as fs from 'fs';
import * as path from 'path';
import { MANAGED_PROFILE_MARKER } from '../../client/client-configuration';
import { Finding } from '../findings';
import { awsFilePaths, readIniFile } from './aws-config-file';
import { isTruthy } from './check-bedrock-env';
import { ConfiguredIdentity } from './configured-identity';
import { CredentialStore } from './credential-stores';
import { EffectiveConfig, envValue } from './effective-config';
import { covers, IsolationSettings } from './isolation-settings';

/** What the commands Claude Code starts may hold of AWS credentials, as the settings in force decide. */
export type IsolationMode = 'none' | 'bedrock-only' | 'inherit';

/** The mode: AWS_PROFILE in Claude Code's env hands every subprocess a working profile (the opt-out). */
export function isolationMode(config: EffectiveConfig, settings: IsolationSettings): IsolationMode {
  if (envValue(config, 'AWS_PROFILE') !== undefined || envValue(config, 'AWS_ACCESS_KEY_ID') !== undefined) {
    return 'inherit';
  }
  return settings.awsPairs ? 'bedrock-only' : 'none';
}

/** Says which mode the machine is in and what it exposes; the scrub must be on whatever the mode. */
export function checkIsolationMode(config: EffectiveConfig, settings: IsolationSettings, envCredentials: readonly string[]): Finding[] {
  const mode = isolationMode(config, settings);
  const findings: Finding[] = [];
  if (mode === 'inherit') {
    const profile = config.env.AWS_PROFILE;
    findings.push({
      id: 'isolation-inherit',
      severity: 'low',
      title: profile
        ? `Subprocesses inherit a working AWS profile: AWS_PROFILE=${profile.value} (from ${profile.source})`
        : 'Subprocesses inherit AWS credentials from the environment (AWS_ACCESS_KEY_ID)',
      detail: 'This is the opt-out (SubprocessCredentials.INHERIT): every shell command, hook and MCP server Claude Code starts can call AWS as '
        + 'the Bedrock identity. It can do nothing but call the granted models, but anything that reads its environment can too, and detection '
        + 'alerts when a tool uses it for anything else.',
      fix: 'Unless your scripts must call Bedrock themselves, configure again without the opt-out so subprocesses hold no credential.',
    });
  } else {
    findings.push({
      id: `isolation-${mode}`,
      severity: 'info',
      title: mode === 'none'
        ? 'Subprocesses get no AWS credential: Claude Code alone holds the Bedrock credential (awsCredentialExport)'
        : 'Sandboxed commands see placeholder AWS keys that Claude Code\'s proxy re-signs for the hosts sandbox.credentials.awsPairs names',
      detail: 'AWS_PROFILE is not in Claude Code\'s env. '
        + (envValue(config, 'AWS_CONFIG_FILE') === '/dev/null' && envValue(config, 'AWS_SHARED_CREDENTIALS_FILE') === '/dev/null'
          ? 'AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point subprocesses at /dev/null, so their aws command finds no profile at all.'
          : 'A subprocess\'s aws command then falls back to your default profile, so the credential stores below must be out of its reach.'),
    });
  }
  if (!isTruthy(envValue(config, 'CLAUDE_CODE_SUBPROCESS_ENV_SCRUB'))) {
    findings.push({
      id: 'env-scrub-off',
      severity: envCredentials.length > 0 ? 'high' : 'medium',
      title: envCredentials.length > 0
        ? `Subprocesses inherit ${envCredentials.join(', ')} from this environment: CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is not on`
        : 'CLAUDE_CODE_SUBPROCESS_ENV_SCRUB is not on',
      detail: 'The scrub strips AWS secrets from the environment of Bash, hooks and MCP stdio servers; it is the only protection hooks and MCP servers get.',
      fix: 'Add "CLAUDE_CODE_SUBPROCESS_ENV_SCRUB": "1" to the env block of ~/.claude/settings.json.',
    });
  }
  return findings;
}

/**
 * For each store, whether a shell command (the sandbox's deny) and the Read tool (a Read deny rule)
 * are kept out. Hooks and MCP servers run outside the sandbox and are named, not judged.
 */
export function checkCredentialStores(
  stores: readonly CredentialStore[], settings: IsolationSettings, sandboxRuns: boolean, home: string, optedOut = false,
): Finding[] {
  const findings: Finding[] = [];
  const givenUp: string[] = [];
  for (const store of stores) {
    const bash = sandboxRuns && covers(settings.sandboxDenied, store.path);
    const readTool = covers(settings.readDenied, store.path);
    if (optedOut && !(bash && readTool)) {
      // What the opt-out gives up by design, said once below rather than judged store by store.
      givenUp.push(`${shownPath(store.path, home)} (${store.holds})`);
      continue;
    }
    if (bash && readTool) {
      continue;
    }
    const open = [...(bash ? [] : ['shell commands']), ...(readTool ? [] : ['the Read tool'])];
    const shown = shownPath(store.path, home);
    const folder = shown.startsWith('~/.aws/') ? '~/.aws' : shown;
    findings.push({
      id: `credential-store-readable-${store.id}`,
      severity: store.severity,
      title: `${open.join(' and ')} can read ${shown}: ${store.holds}`,
      detail: `${bash ? '' : sandboxRuns ? 'The sandbox does not deny it. ' : 'The sandbox is not running, so nothing stops a shell command. '}`
        + `${readTool ? '' : 'No permissions.deny rule keeps the Read tool out. '}A prompt-injected command reads it and acts as whoever it belongs to.`,
      fix: `Deny it in ~/.claude/settings.json: "sandbox": {"filesystem": {"denyRead": ["${folder}"]}, "credentials": {"files": [{"path": "${folder}", "mode": "deny"}]}} `
        + `and "permissions": {"deny": ["Read(${folder}/**)"]} (npx cdk-bedrock-least-privilege configure writes them).`,
    });
  }
  if (givenUp.length > 0) {
    findings.push({
      id: 'credential-stores-opt-out',
      severity: 'low',
      title: `What the opt-out (SubprocessCredentials.INHERIT) gives up: shell commands, hooks, MCP servers and the Read tool can read ${givenUp.length} credential store${givenUp.length > 1 ? 's' : ''}`,
      detail: `${givenUp.join('; ')}. The opt-out's commands need the profile's files, so nothing keeps them out: a prompt-injected command reads them and acts as whoever they belong to.`,
      fix: 'Keep other keys and sign-ins off this machine, or return to the default (configure --subprocess-credentials none).',
    });
  }
  if (stores.length > 0 && findings.length === 0) {
    findings.push({
      id: 'credential-stores-denied',
      severity: 'info',
      title: `Shell commands and the Read tool are kept out of ${stores.length} credential store${stores.length > 1 ? 's' : ''}`,
      detail: `${stores.map((s) => s.path).join(', ')}. Hooks and MCP stdio servers run outside the sandbox and can still read them: install only ones you trust.`,
    });
  }
  return findings;
}

/**
 * Profiles other than Claude Code's own, and what each could do for a subprocess that reaches its
 * credentials: any of them is more than the Bedrock-only identity.
 */
export function checkOtherProfiles(
  env: Readonly<Record<string, string | undefined>>, home: string, identity: ConfiguredIdentity, storesReachable: boolean, optedOut = false,
): Finding[] {
  const files = awsFilePaths(env, home);
  const config = readIniFile(files.config);
  const credentials = readIniFile(files.credentials);
  const ours = new Set([...profilesWrittenByConfigure(files.config), ...('profile' in identity && identity.profile ? [identity.profile] : [])]);
  const names = [...new Set([...Object.keys(config), ...Object.keys(credentials)])]
    .filter((n) => !n.startsWith('sso-session ') && !n.startsWith('services ') && !ours.has(n))
    .sort();
  const described = names.map((n) => `${n} (${describe(config[n] ?? {}, credentials[n] ?? {})})`);
  if (described.length === 0) {
    return [];
  }
  if (optedOut && !storesReachable) {
    return [{
      id: 'other-profiles-opt-out',
      severity: 'low',
      title: `What the opt-out (SubprocessCredentials.INHERIT) gives up: a command Claude Code runs could act as ${described.join(', ')}`,
      detail: 'Their credentials or sign-ins sit where unsandboxed commands read them, and each can do more than call the granted models.',
      fix: 'Keep these profiles off the machine you run Claude Code on, or return to the default (configure --subprocess-credentials none).',
    }];
  }
  return [storesReachable ? {
    id: 'other-profiles-reachable',
    severity: 'high',
    title: `A command Claude Code runs could act as ${described.length === 1 ? 'profile' : `${described.length} profiles`} beyond the Bedrock identity: ${described.join(', ')}`,
    detail: 'Their credentials or sign-ins sit in a store a shell command or the Read tool can read (see above). '
      + (names.includes('default') ? 'With no AWS_PROFILE in Claude Code\'s env, a plain aws command uses default. ' : '')
      + 'Each one can do more than call the granted models.',
    fix: 'Deny the stores above, or keep these profiles off the machine you run Claude Code on.',
  } : {
    id: 'other-profiles-held-back',
    severity: 'info',
    title: `Other profiles on this machine, kept from shell commands and the Read tool: ${described.join(', ')}`,
    detail: 'Hooks and MCP stdio servers are not sandboxed and could still use them.',
  }];
}

function shownPath(p: string, home: string): string {
  return p.startsWith(`${home}${path.sep}`) ? `~/${path.relative(home, p)}` : p;
}

function describe(config: Readonly<Record<string, string>>, credentials: Readonly<Record<string, string>>): string {
  if (credentials.aws_access_key_id || config.aws_access_key_id) {
    return 'long-term access keys';
  }
  if (config.sso_role_name) {
    return `Identity Center ${config.sso_role_name} in ${config.sso_account_id ?? 'an account'}`;
  }
  if (config.role_arn) {
    return `role ${config.role_arn.split('/').pop()}`;
  }
  if (config.credential_process) {
    return 'credential_process';
  }
  return 'settings only';
}

/** The profiles the configure command wrote: each section after the marker line. */
export function profilesWrittenByConfigure(configFile: string): string[] {
  let text = '';
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = /^\[\s*profile\s+([^\]]+?)\s*\]$/.exec(line.trim());
    if (m && lines[i - 1]?.trim() === MANAGED_PROFILE_MARKER) {
      names.push(m[1]);
    }
  });
  return names;
}
