import { Finding } from '../findings';
import { isTruthy } from './check-bedrock-env';
import { ALIASES, aliasOf, ConfiguredModel } from './configured-models';
import { CLAUDE_CODE_DEFAULT_OPUS } from '../../models/claude-code-model-settings';

const PIN_FIX = 'Pin exact inference-profile ids in the env block of ~/.claude/settings.json, for example '
  + '"ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6" and "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0", '
  + 'using the models your role allows.';

/**
 * Claude Code's Bedrock page asks teams to pin model versions: an unpinned model moves when Claude
 * Code is updated, and a least-privilege role allows exact models only, so the call then fails with 403.
 */
export function checkModelPinning(models: readonly ConfiguredModel[], force?: string, overrides: Readonly<Record<string, unknown>> = {}): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map(models.map((m) => [m.setting, m]));
  const primary = byName.get('ANTHROPIC_MODEL') ?? byName.get('model');
  if (!primary) {
    findings.push({
      id: 'model-not-pinned',
      severity: 'medium',
      title: 'The main model is not pinned: neither ANTHROPIC_MODEL nor the model setting is set',
      detail: 'Claude Code then picks its own default Bedrock model, which changes between releases.',
      fix: PIN_FIX,
    });
  } else {
    const alias = aliasOf(primary.value);
    const target = alias === undefined ? undefined : ALIASES[alias];
    if (alias !== undefined && (target === undefined || !byName.has(target))) {
      findings.push({
        id: 'model-not-pinned',
        severity: 'medium',
        title: `${primary.setting} is the alias '${primary.value}' (from ${primary.source}), not a model id`,
        detail: `An alias follows the newest model of its family as Claude Code is updated${target ? `, unless ${target} pins it` : ''}.`,
        fix: target ? `Set ${target} to the exact profile id your role allows, or set ${primary.setting} to it.` : PIN_FIX,
      });
    }
  }
  if (!byName.has('ANTHROPIC_DEFAULT_HAIKU_MODEL') && !byName.has('ANTHROPIC_SMALL_FAST_MODEL')) {
    findings.push({
      id: 'background-model-not-pinned',
      severity: 'medium',
      title: 'The small, fast model Claude Code uses for background tasks is not pinned (ANTHROPIC_DEFAULT_HAIKU_MODEL)',
      detail: 'Claude Code chooses it itself. When the role does not allow the model it picks, background calls fail with 403.',
      fix: 'Set ANTHROPIC_DEFAULT_HAIKU_MODEL to a model your role allows, such as "us.anthropic.claude-haiku-4-5-20251001-v1:0".',
    });
  }
  const deprecated = byName.get('ANTHROPIC_SMALL_FAST_MODEL');
  const haiku = byName.get('ANTHROPIC_DEFAULT_HAIKU_MODEL');
  // The generator writes both names with one value, so older Claude Code reads the same model: nothing to fix.
  if (deprecated && deprecated.value !== haiku?.value) {
    findings.push(haiku ? {
      id: 'small-fast-model-differs',
      severity: 'low',
      title: `ANTHROPIC_SMALL_FAST_MODEL is '${deprecated.value}' (from ${deprecated.source}) but ANTHROPIC_DEFAULT_HAIKU_MODEL is '${haiku.value}'`,
      detail: 'Current Claude Code uses ANTHROPIC_DEFAULT_HAIKU_MODEL; versions before it read the older name, so they call another model.',
      fix: `Set ANTHROPIC_SMALL_FAST_MODEL to '${haiku.value}' too, or remove it.`,
    } : {
      id: 'small-fast-model-deprecated',
      severity: 'low',
      title: `ANTHROPIC_SMALL_FAST_MODEL is set (from ${deprecated.source}) without ANTHROPIC_DEFAULT_HAIKU_MODEL`,
      detail: 'Claude Code has deprecated it; its replacement is ANTHROPIC_DEFAULT_HAIKU_MODEL.',
      fix: `Add ANTHROPIC_DEFAULT_HAIKU_MODEL with the same value, '${deprecated.value}' (keeping the old name helps older Claude Code).`,
    });
  }
  const subagent = byName.get('CLAUDE_CODE_SUBAGENT_MODEL');
  if (subagent && !isTruthy(force)) {
    findings.push({
      id: 'subagent-model-not-forced',
      severity: 'medium',
      title: `CLAUDE_CODE_SUBAGENT_MODEL is '${subagent.value}' but CLAUDE_CODE_SUBAGENT_MODEL_FORCE is not on`,
      detail: 'Since Claude Code 2.1.251 it is only a default: an agent definition\'s model: or the Agent tool\'s model parameter wins, '
        + 'and a model outside the grant fails with 403.',
      fix: 'Add "CLAUDE_CODE_SUBAGENT_MODEL_FORCE": "1" to the env block of ~/.claude/settings.json.',
    });
  }
  const opus = byName.get('ANTHROPIC_DEFAULT_OPUS_MODEL');
  // Claude Code's start-up check counts a non-Opus id here as no pin and calls its own default Opus (2.1.284 to 2.1.332);
  // an id it does not know (an application profile's ARN) counts as a pin.
  if (opus && /(^|\.)anthropic\.claude-(?!opus-)/.test(opus.value) && !Object.prototype.hasOwnProperty.call(overrides, CLAUDE_CODE_DEFAULT_OPUS)) {
    findings.push({
      id: 'opus-start-up-probe',
      severity: 'low',
      title: `ANTHROPIC_DEFAULT_OPUS_MODEL is '${opus.value}' (from ${opus.source}), not an Opus model, and modelOverrides has no '${CLAUDE_CODE_DEFAULT_OPUS}'`,
      detail: `At every start Claude Code then sends its own default Opus (${CLAUDE_CODE_DEFAULT_OPUS}) a one-token InvokeModel; `
        + 'outside the grant IAM denies it and the usage guard reports a call outside the grant.',
      fix: `Add "modelOverrides": { "${CLAUDE_CODE_DEFAULT_OPUS}": "${opus.value}" } to ~/.claude/settings.json (configure writes it).`,
    });
  }
  return findings;
}
