import { MINIMUM_CLAUDE_CODE_VERSION } from '../../client/minimum-version';
import { Finding } from '../findings';
import { IsolationSettings } from './isolation-settings';
import { LocalTools } from './local-tools';

// The oldest Claude Code the generated configuration is checked against; lib/client says why.
export { MINIMUM_CLAUDE_CODE_VERSION };

/** `2.1.332 (Claude Code)` is [2, 1, 332]; undefined when the text holds no version. */
export function parseVersion(text: string): number[] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? m.slice(1, 4).map(Number) : undefined;
}

/** Negative when a is older than b. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/** Whether the installed Claude Code is new enough for the protections the settings rely on. */
export function checkClaudeCodeVersion(tools: LocalTools, minimum: string = MINIMUM_CLAUDE_CODE_VERSION): Finding[] {
  const text = tools.claudeVersion();
  const version = text === undefined ? undefined : parseVersion(text);
  const update = 'Update it: npm install -g @anthropic-ai/claude-code@latest (or claude update), then run the doctor again.';
  if (!version) {
    return [{
      id: 'claude-code-version-unknown',
      severity: 'medium',
      title: text === undefined ? 'Unknown: which Claude Code is installed (claude --version did not run)' : `Unknown: which Claude Code is installed ('${text}')`,
      detail: `The settings rely on Claude Code ${minimum} or later: older versions ignore the subagent pin and read credentials past the sandbox's deny rules.`,
      fix: `Put claude on PATH and check that claude --version prints ${minimum} or later. ${update}`,
      unknown: true,
    }];
  }
  if (compareVersions(version, parseVersion(minimum)!) < 0) {
    return [{
      id: 'claude-code-too-old',
      severity: 'high',
      title: `Claude Code ${version.join('.')} is older than ${minimum}, the oldest these settings are safe with`,
      detail: 'Older versions ignore CLAUDE_CODE_SUBAGENT_MODEL_FORCE (before 2.1.257), have known ways to read files the sandbox denies (fixed in 2.1.224 and 2.1.236), '
        + 'and from 2.1.216 to 2.1.283 refuse every sandboxed command when run as root (fixed in 2.1.284).',
      fix: update,
    }];
  }
  return [{ id: 'claude-code-version', severity: 'info', title: `Claude Code ${version.join('.')} (${minimum} or later is needed)`, detail: `From claude --version: ${text}.` }];
}

/**
 * Whether Claude Code's sandbox can run here: Seatbelt ships with macOS; Linux and WSL2 need
 * bubblewrap and socat (Claude Code docs, "Sandboxing"); native Windows has none.
 */
export function checkSandbox(settings: IsolationSettings, platform: NodeJS.Platform, tools: LocalTools, optedOut = false): Finding[] {
  const enabled = settings.sandboxEnabled?.value === true;
  const settingFix = 'Add "sandbox": {"enabled": true, "failIfUnavailable": true} to ~/.claude/settings.json (npx cdk-bedrock-least-privilege configure writes it).';
  if (!enabled && optedOut) {
    // The opt-out's commands read the profile's files themselves, so the generator leaves the sandbox off: stated, not judged broken.
    return [{
      id: 'sandbox-off-opt-out',
      severity: 'low',
      title: 'The sandbox is off, as the opt-out (SubprocessCredentials.INHERIT) leaves it',
      detail: 'Shell commands run unsandboxed so that they can sign with the Bedrock profile; they can read every file you can.',
      fix: 'Unless your scripts must call Bedrock themselves, ask your platform team for the default (SubprocessCredentials.NONE), or run configure with --subprocess-credentials none.',
    }];
  }
  if (!enabled) {
    return [{
      id: 'sandbox-off',
      severity: 'high',
      title: settings.sandboxEnabled ? `The sandbox is turned off (sandbox.enabled false in ${settings.sandboxEnabled.source})` : 'The sandbox is not turned on (sandbox.enabled)',
      detail: 'Every shell command Claude Code runs can read every file you can, your AWS credentials included.',
      fix: settingFix,
    }];
  }
  const missing = platform === 'linux' ? ['bwrap', 'socat'].filter((c) => !tools.onPath(c)) : [];
  const unsupported = platform === 'win32';
  if (missing.length === 0 && !unsupported) {
    const escape = settings.allowUnsandboxedCommands?.value === false ? '' : ' A command can still be run outside it after you approve it (allowUnsandboxedCommands).';
    return [{ id: 'sandbox-ready', severity: 'info', title: `The sandbox is on and can run here (${platform === 'darwin' ? 'Seatbelt' : 'bubblewrap and socat'})`, detail: `sandbox.enabled from ${settings.sandboxEnabled!.source}.${escape}` }];
  }
  const why = unsupported ? 'native Windows has no Claude Code sandbox (WSL2 has)' : `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on PATH`;
  const fix = unsupported ? 'Run Claude Code inside WSL2, with bubblewrap and socat installed there.' : 'Install them: sudo apt-get install bubblewrap socat (Debian, Ubuntu), sudo dnf install bubblewrap socat (Fedora).';
  return [settings.failIfUnavailable?.value === true ? {
    id: 'sandbox-unavailable',
    severity: 'high',
    title: `The sandbox cannot run here: ${why}; Claude Code will refuse to start (failIfUnavailable)`,
    detail: 'That is the safe failure: nothing runs unsandboxed.',
    fix,
  } : {
    id: 'sandbox-unavailable',
    severity: 'critical',
    title: `The sandbox cannot run here (${why}), and Claude Code will run commands without it`,
    detail: 'Without failIfUnavailable, Claude Code falls back to running commands unsandboxed, so every deny rule of the sandbox is void.',
    fix: `${fix} And add "failIfUnavailable": true to the sandbox block.`,
  }];
}
