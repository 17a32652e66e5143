import { listOf, readPolicy, statementsOf } from './policy-document';

/**
 * What an inline policy allows beyond the allowed actions, in words, or undefined when it allows
 * nothing more. A wildcard counts as more: without IAM's full action list it cannot be proven to
 * stay inside the set, and `bedrock:Invoke*` already reaches agents and flows.
 */
export function inlineWidening(name: string, document: unknown, allowedActions: readonly string[]): string | undefined {
  const policy = readPolicy(document);
  if (policy === undefined) {
    return `inline policy ${name} cannot be read`;
  }
  const allowed = new Set(allowedActions.map((a) => a.toLowerCase()));
  const extra: string[] = [];
  for (const st of statementsOf(policy)) {
    if (String(st.Effect ?? '').toLowerCase() !== 'allow') {
      continue;
    }
    if (st.NotAction !== undefined) {
      extra.push(`everything but ${listOf(st.NotAction).join(',')} (NotAction)`);
      continue;
    }
    for (const action of listOf(st.Action)) {
      if (/[*?]/.test(action) || !allowed.has(action.toLowerCase())) {
        extra.push(action);
      }
    }
  }
  const unique = [...new Set(extra)];
  return unique.length === 0 ? undefined : `inline policy ${name} allows ${unique.join(', ')}`;
}
