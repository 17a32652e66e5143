/**
 * A human name for a Claude model id the catalog does not know yet:
 * `anthropic.claude-sonnet-4-5-20250929-v1:0` gives `Claude Sonnet 4.5`, `anthropic.claude-3-5-haiku-20241022-v1:0` gives `Claude 3.5 Haiku`.
 */
export function deriveDisplayName(modelId: string): string {
  const core = modelId
    .replace(/^anthropic\.claude-?/, '')
    .replace(/:\d+$/, '')
    .replace(/-v\d+$/, '')
    .replace(/-\d{8}$/, '');
  const words: string[] = [];
  for (const part of core.split('-').filter((p) => p.length > 0)) {
    const last = words.length - 1;
    // Consecutive numbers are one version: 4-5 is 4.5.
    if (/^\d+$/.test(part) && last >= 0 && /^\d+(\.\d+)*$/.test(words[last])) {
      words[last] = `${words[last]}.${part}`;
    } else {
      words.push(/^\d/.test(part) ? part : part.charAt(0).toUpperCase() + part.slice(1));
    }
  }
  return ['Claude', ...words].join(' ');
}
