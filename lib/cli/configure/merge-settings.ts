/**
 * Puts generated Claude Code settings into an existing `settings.json`: the env block is merged key by
 * key and the credential command set, every other setting kept. Signing in through Identity Center
 * removes an `awsCredentialExport`, because Claude Code would use its credentials instead of the profile;
 * the role's command removes a stale `awsAuthRefresh`.
 */
export function mergeClaudeSettings(existing: Record<string, unknown>, generated: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, value] of Object.entries(generated)) {
    merged[key] = key === 'env' ? { ...asObject(existing.env), ...asObject(value) } : value;
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

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}
