import { CREDENTIAL_CACHE_DIRECTORY } from './assume-role-command';
import { SubprocessCredentials } from './subprocess-credentials';

/**
 * The machine's AWS credential stores, as Claude Code's settings name them (`~` is the home directory):
 * the AWS CLI's config and keys, its SSO token cache (a portal token that fetches every account and
 * permission set of the person), its role and login caches, and the invoke role's cache this library
 * writes. One directory covers the first four.
 */
export const CREDENTIAL_STORES = ['~/.aws', `~/.cache/${CREDENTIAL_CACHE_DIRECTORY}`];

/**
 * What the generated commands put back before they call the AWS CLI: the settings' env points the
 * AWS SDKs and CLIs of every subprocess at empty files, so a subprocess's `aws` without a profile
 * falls to nobody rather than to the developer's `default` profile.
 */
export const REAL_AWS_FILES = 'export AWS_CONFIG_FILE="$HOME/.aws/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/.aws/credentials"; ';

/**
 * The env entries that keep credentials out of subprocesses (Bash, hooks, MCP stdio servers). The
 * opt-out keeps the scrub too: its subprocesses sign through AWS_PROFILE, which the scrub leaves, so
 * they get the Bedrock profile and no other key from Claude Code's environment.
 */
export function isolatingEnv(choice: SubprocessCredentials = SubprocessCredentials.NONE): Record<string, string> {
  return {
    // Strips AWS secrets and session tokens from Bash, hooks and MCP stdio servers (Claude Code docs, "Environment variables").
    CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1',
    ...(choice === SubprocessCredentials.NONE ? { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } : {}),
    // No instance or container role on a cloud desktop either.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * The sandbox (bubblewrap on Linux, Seatbelt on macOS) for every Bash command, with the credential
 * stores unreadable and unwritable inside it. It refuses to start rather than run commands unsandboxed,
 * and the model cannot ask for a command outside it (Claude Code docs, "Sandboxing").
 */
export function isolatingSandbox(): Record<string, unknown> {
  return {
    enabled: true,
    failIfUnavailable: true,
    allowUnsandboxedCommands: false,
    credentials: { files: CREDENTIAL_STORES.map((path) => ({ path, mode: 'deny' })) },
    filesystem: { denyRead: [...CREDENTIAL_STORES], denyWrite: [...CREDENTIAL_STORES] },
  };
}

/**
 * Permission rules for the tools that run outside the sandbox: the Read tool (and Grep, Glob) and the
 * file-editing tools; an edited `~/.aws/config` could plant a credential_process that the credential
 * command would run unsandboxed. Claude Code 2.1.332 also hides the denied paths from Bash commands
 * (measured by the contract test), so the opt-out, whose commands read the profile's files, has none.
 */
export function isolatingPermissions(): Record<string, unknown> {
  return {
    deny: CREDENTIAL_STORES.flatMap((store) => [`Read(${store}/**)`, `Edit(${store}/**)`]),
  };
}

/** Refuses a choice the generated configuration cannot honour, saying why. */
export function checkSubprocessCredentials(choice: SubprocessCredentials): void {
  if (choice === SubprocessCredentials.BEDROCK_ONLY) {
    throw new Error('subprocessCredentials BEDROCK_ONLY is not available: Claude Code\'s sandbox re-signs SigV4 only for credentials in its own environment at start '
      + '(sandbox.credentials.envVars masks with awsPairs), never for the ones awsCredentialExport renews, so the masked pair would expire within the hour '
      + 'and could only be renewed by writing a secret into settings; use SubprocessCredentials.NONE, or INHERIT for scripts that must call Bedrock');
  }
}
