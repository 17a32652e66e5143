import { isolatingPermissions, isolatingSandbox } from '../../client/credential-isolation';

// What the isolated settings point subprocesses' AWS files at; the opt-out's commands need the real files.
const NO_AWS_FILES: Record<string, string> = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

/**
 * Puts generated Claude Code settings into an existing `settings.json`, keeping every other setting:
 * the env block is merged key by key, `permissions` and `sandbox` deeply (lists are united, so the
 * developer's own deny rules stay), and the credential commands are set. A profile left in `env` by an
 * earlier configuration is removed when the generated settings set none: it would hand every command
 * Claude Code runs a working AWS profile. The role's command removes a stale `awsAuthRefresh`. Settings
 * without a sandbox (the opt-out) remove what the isolated ones wrote and the opt-out cannot work with:
 * the AWS files pointed at /dev/null, and the sandbox values and deny rules the generator sets (the
 * developer's own stay).
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
      for (const [fileVariable, nowhere] of Object.entries(NO_AWS_FILES)) {
        if (!(fileVariable in asObject(value)) && env[fileVariable] === nowhere) {
          delete env[fileVariable];
        }
      }
      merged.env = env;
    } else {
      merged[key] = key === 'permissions' || key === 'sandbox' ? deepMerge(existing[key], value) : value;
    }
  }
  for (const [key, isolating] of [['sandbox', isolatingSandbox()], ['permissions', isolatingPermissions()]] as const) {
    if (generated[key] === undefined && existing[key] !== undefined) {
      const kept = without(existing[key], isolating);
      if (kept === undefined) {
        delete merged[key];
      } else {
        merged[key] = kept;
      }
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

/** The existing value less every entry equal to the generated one; undefined when nothing is left. */
function without(existing: unknown, generated: unknown): unknown {
  if (Array.isArray(existing) && Array.isArray(generated)) {
    const ours = new Set(generated.map((v) => JSON.stringify(v)));
    const kept = existing.filter((v) => !ours.has(JSON.stringify(v)));
    return kept.length > 0 ? kept : undefined;
  }
  if (existing && typeof existing === 'object' && !Array.isArray(existing) && generated && typeof generated === 'object') {
    const out: Record<string, unknown> = { ...existing as Record<string, unknown> };
    for (const [k, v] of Object.entries(generated as Record<string, unknown>)) {
      const kept = without(out[k], v);
      if (kept === undefined) {
        delete out[k];
      } else {
        out[k] = kept;
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(existing) === JSON.stringify(generated) ? undefined : existing;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}
