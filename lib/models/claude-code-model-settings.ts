/**
 * The environment variables through which current Claude Code picks a model (Claude Code docs,
 * "Model configuration" and "Environment variables"; the list as Claude Code 2.1.332 reads it). A variable left unset
 * makes Claude Code fall back to its own default for that slot, which on Bedrock is a model the
 * policy may not grant: a 403 on first use.
 */
export const CLAUDE_CODE_MODEL_VARIABLES = [
  // The session's model (`/model`, `--model` and the `model` setting override it per session).
  'ANTHROPIC_MODEL',
  // The default main model where ANTHROPIC_MODEL is not read (2.1.236).
  'ANTHROPIC_DEFAULT_MODEL',
  // The `opus` alias, and `opusplan` in Plan Mode; `best` falls back to it where Fable is missing.
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  // The `sonnet` alias, and `opusplan` outside Plan Mode.
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  // The `haiku` alias and background work: titles, summaries, the /context fallback.
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  // The `fable` and `best` aliases, and the id Claude Code treats as Fable for automatic fallback.
  'ANTHROPIC_DEFAULT_FABLE_MODEL',
  // Subagents and agent teams; since 2.1.251 only a default unless CLAUDE_CODE_SUBAGENT_MODEL_FORCE=1.
  'CLAUDE_CODE_SUBAGENT_MODEL',
  // The agents a workflow starts, which do not read CLAUDE_CODE_SUBAGENT_MODEL.
  'CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL',
  // Auto mode's permission classifier; unset, it falls back to the built-in us.anthropic.claude-sonnet-5.
  'CLAUDE_CODE_AUTO_MODE_MODEL',
  // Deprecated name of the Haiku slot; Claude Code versions before the per-family variables read only this.
  'ANTHROPIC_SMALL_FAST_MODEL',
] as const;

/** A model variable Claude Code reads. */
export type ClaudeCodeModelVariable = typeof CLAUDE_CODE_MODEL_VARIABLES[number];

/** Makes CLAUDE_CODE_SUBAGENT_MODEL win over an agent definition's or the Agent tool's `model` (2.1.257). */
export const SUBAGENT_MODEL_FORCE_VARIABLE = 'CLAUDE_CODE_SUBAGENT_MODEL_FORCE';

// Claude Code 2.1.332 refuses these as CLAUDE_CODE_AUTO_MODE_MODEL (read in the shipped client).
const REFUSED_AUTO_MODE_MODEL = /^anthropic\.claude-(?:opus-5|opus-5-5|sonnet-5-5)(?:-\d{8})?(?:-v\d+(?::\d+)?)?$/;

/** Whether Claude Code accepts a model as auto mode's classifier. */
export function fitsAutoMode(bedrockModelId: string): boolean {
  return !REFUSED_AUTO_MODE_MODEL.test(bedrockModelId);
}

/**
 * The Opus Claude Code 2.1.284 to 2.1.332 falls back to on Bedrock (read in the shipped client). Its start-up check
 * counts the Opus tier as unpinned when ANTHROPIC_DEFAULT_OPUS_MODEL names no Opus model, and then sends this model a
 * one-token InvokeModel, unless `modelOverrides` has an entry for it (measured with both versions).
 */
export const CLAUDE_CODE_DEFAULT_OPUS = 'claude-opus-5-5';

/** Whether a Bedrock model id is an Opus model, the family Claude Code's Opus tier accepts as a pin. */
export function isOpusModel(bedrockModelId: string): boolean {
  return /^anthropic\.claude-opus-/.test(bedrockModelId);
}
