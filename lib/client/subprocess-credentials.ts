/**
 * What the commands Claude Code starts (Bash, hooks, MCP stdio servers) may hold of AWS credentials.
 * Claude Code itself always signs its Bedrock calls with the Bedrock-only identity.
 */
export enum SubprocessCredentials {
  /**
   * None: Claude Code alone holds the Bedrock credential; subprocesses get no AWS credential in their
   * environment and cannot read the machine's credential stores.
   */
  NONE = 'none',
  /**
   * Bedrock only: sandboxed commands see placeholder keys that Claude Code's sandbox proxy re-signs for
   * the Bedrock runtime endpoints alone; nothing else is readable or signable.
   */
  BEDROCK_ONLY = 'bedrock-only',
  /**
   * Inherit (opt-out): subprocesses act as the Bedrock-only identity, as before isolation existed. They
   * can call Bedrock, and anything that reads their environment can use that credential.
   */
  INHERIT = 'inherit',
}
