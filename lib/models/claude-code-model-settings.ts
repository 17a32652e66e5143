/**
 * The environment variables through which current Claude Code picks a model (Claude Code docs,
 * "Model configuration" and "Environment variables", Claude Code 2.1.2xx). A variable left unset
 * makes Claude Code fall back to its own default for that slot, which on Bedrock is a model the
 * policy may not grant: a 403 on first use.
 */
export const CLAUDE_CODE_MODEL_VARIABLES = [
  // The session's model (`/model`, `--model` and the `model` setting override it per session).
  'ANTHROPIC_MODEL',
  // The `opus` alias, and `opusplan` in Plan Mode; `best` falls back to it where Fable is missing.
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  // The `sonnet` alias, and `opusplan` outside Plan Mode.
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  // The `haiku` alias and background work: titles, summaries, the /context fallback.
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  // The `fable` and `best` aliases, and the id Claude Code treats as Fable for automatic fallback.
  'ANTHROPIC_DEFAULT_FABLE_MODEL',
  // Every subagent, agent team and workflow agent, whatever model its definition names.
  'CLAUDE_CODE_SUBAGENT_MODEL',
  // Deprecated name of the Haiku slot; Claude Code versions before the per-family variables read only this.
  'ANTHROPIC_SMALL_FAST_MODEL',
] as const;

/** A model variable Claude Code reads. */
export type ClaudeCodeModelVariable = typeof CLAUDE_CODE_MODEL_VARIABLES[number];
