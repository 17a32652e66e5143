/**
 * Puts generated Claude Code settings into an existing `settings.json`, keeping every other setting:
 * the env block is merged key by key, `permissions` and `sandbox` deeply (lists are united, so the
 * developer's own deny rules stay), and the credential commands are set. A profile left in `env` by an
 * earlier configuration is removed when the generated settings set none: it would hand every command
 * Claude Code runs a working AWS profile. The role's command removes a stale `awsAuthRefresh`.
 */
export function mergeClaudeSettings(existing: Record<string, unknown>, generated: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, value] of Object.entries(generated)) {
    if (key === 'env') {
      const env = { ...asObject(existing.env), ...asObject(value) };
      for (const profileVariable of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) {
        if (!(profileVariable in asObject(value))) {
          delete env[profileVariable];
        }
      }
      merged.env = env;
    } else {
      merged[key] = key === 'permissions' || key === 'sandbox' ? deepMerge(existing[key], value) : value;
    }
  }
  if (generated.awsAuthRefresh !== undefined && generated.awsCredentialExport === undefined) {
    delete merged.awsCredentialExport;
  }
  // The role's credential command needs no sign-in; a stale `aws sso login` would only prompt for one.
  if (generated.awsCredentialExport !== undefined && generated.awsAuthRefresh === undefined) {
    delete merged.awsAuthRefresh;
  }
  return merged;
}

/** Objects merge key by key, lists keep the existing entries and add the generated ones, other values are the generated ones. */
function deepMerge(existing: unknown, generated: unknown): unknown {
  if (Array.isArray(generated)) {
    const kept = Array.isArray(existing) ? existing : [];
    const seen = new Set(kept.map((v) => JSON.stringify(v)));
    return [...kept, ...generated.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  if (generated && typeof generated === 'object') {
    const base = asObject(existing);
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(generated as Record<string, unknown>)) {
      out[k] = deepMerge(base[k], v);
    }
    return out;
  }
  return generated;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}
