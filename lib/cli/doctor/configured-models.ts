import { EffectiveConfig, SourcedValue } from './effective-config';
import { CLAUDE_CODE_MODEL_VARIABLES } from '../../models/claude-code-model-settings';

/** A setting that names a model, with what it is called in messages. */
export interface ConfiguredModel {
  /** `ANTHROPIC_MODEL`, `model` (the settings key), `ANTHROPIC_DEFAULT_HAIKU_MODEL` and so on. */
  readonly setting: string;
  readonly value: string;
  readonly source: string;
}

/**
 * Every environment variable that names a model: the ones the generator pins, and the ones newer
 * Claude Code reads besides (2.1.332: the default model, workflow subagents, auto mode's classifier).
 */
export const MODEL_VARIABLES: readonly string[] = [...new Set<string>([
  ...CLAUDE_CODE_MODEL_VARIABLES,
  'ANTHROPIC_DEFAULT_MODEL',
  'CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL',
  'CLAUDE_CODE_AUTO_MODE_MODEL',
])];

/** Model aliases Claude Code resolves itself, to the ANTHROPIC_DEFAULT_<FAMILY>_MODEL it names, or to its own default. */
export const ALIASES: Readonly<Record<string, string | undefined>> = {
  default: undefined,
  sonnet: 'ANTHROPIC_DEFAULT_SONNET_MODEL',
  opus: 'ANTHROPIC_DEFAULT_OPUS_MODEL',
  haiku: 'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  opusplan: 'ANTHROPIC_DEFAULT_OPUS_MODEL',
  fable: 'ANTHROPIC_DEFAULT_FABLE_MODEL',
  best: 'ANTHROPIC_DEFAULT_FABLE_MODEL',
};

/** Every model setting that is set, environment variables first, then the `model` settings key. */
export function configuredModels(config: EffectiveConfig): ConfiguredModel[] {
  const found: ConfiguredModel[] = [];
  for (const name of MODEL_VARIABLES) {
    const v = config.env[name];
    if (v && v.value.trim() !== '') {
      found.push(fromSourced(name, v));
    }
  }
  if (config.model) {
    found.push(fromSourced('model', config.model));
  }
  return found;
}

/** The alias a value names, without a context-window suffix such as `[1m]`; undefined for a model id. */
export function aliasOf(value: string): string | undefined {
  const bare = stripContextSuffix(value).toLowerCase();
  return Object.prototype.hasOwnProperty.call(ALIASES, bare) ? bare : undefined;
}

/** `us.anthropic.claude-sonnet-4-6[1m]` names the same model as `us.anthropic.claude-sonnet-4-6`. */
export function stripContextSuffix(value: string): string {
  return value.trim().replace(/\[[0-9]+[km]\]$/i, '');
}

function fromSourced(setting: string, v: SourcedValue): ConfiguredModel {
  return { setting, value: v.value.trim(), source: v.source };
}
