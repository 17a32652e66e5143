import { RequiredCondition, TrustEntry } from './baseline';
import { listOf, readPolicy, StatementInput, statementsOf } from './policy-document';

/**
 * How the trust policy lets in more than the baseline: a principal it does not list, an action it
 * does not allow that principal, or a statement without the required attribution conditions.
 */
export function trustWidening(document: unknown, entries: readonly TrustEntry[], partition: string): string[] {
  const policy = readPolicy(document);
  if (policy === undefined) {
    return ['trust policy cannot be read'];
  }
  const out: string[] = [];
  for (const st of statementsOf(policy)) {
    if (String(st.Effect ?? '').toLowerCase() !== 'allow') {
      continue;
    }
    if (st.NotPrincipal !== undefined) {
      out.push('trust policy allows every principal but some (NotPrincipal)');
      continue;
    }
    for (const principal of principalsOf(st, partition)) {
      const problem = principalProblem(st, principal, entries);
      if (problem !== undefined) {
        out.push(problem);
      }
    }
  }
  return [...new Set(out)];
}

function principalProblem(st: StatementInput, principal: string, entries: readonly TrustEntry[]): string | undefined {
  const shown = principal.slice(principal.indexOf(':') + 1);
  const candidates = entries.filter((e) => e.principal === principal
    || (e.principalPattern !== undefined && new RegExp(e.principalPattern).test(principal)));
  if (candidates.length === 0) {
    return `trust policy lets in new principal ${shown}`;
  }
  const actions = listOf(st.Action).map((a) => a.toLowerCase());
  if (candidates.some((e) => actions.every((a) => e.actions.includes(a)) && e.conditions.every((c) => hasCondition(st, c)))) {
    return undefined;
  }
  const entry = candidates[0];
  const newActions = actions.filter((a) => !entry.actions.includes(a));
  if (newActions.length > 0) {
    return `trust lets ${shown} call ${newActions.join(', ')}`;
  }
  const missing = entry.conditions.filter((c) => !hasCondition(st, c)).map((c) => `${c.op} ${c.key}`);
  return `trust for ${shown} lacks ${missing.join(', ')}`;
}

/** Each principal of a statement as `<type>:<value>`, a bare account id written as its root ARN, as IAM stores it. */
function principalsOf(st: StatementInput, partition: string): string[] {
  const p = st.Principal;
  if (p === undefined) {
    return [];
  }
  if (typeof p === 'string') {
    return [`AWS:${p}`];
  }
  return Object.entries(p).flatMap(([type, values]) => listOf(values).map((v) =>
    `${type}:${type === 'AWS' && /^\d{12}$/.test(v) ? `arn:${partition}:iam::${v}:root` : v}`));
}

function hasCondition(st: StatementInput, required: RequiredCondition): boolean {
  const op = Object.entries(st.Condition ?? {}).find(([k]) => k.toLowerCase() === required.op.toLowerCase())?.[1];
  const value = Object.entries(op ?? {}).find(([k]) => k.toLowerCase() === required.key.toLowerCase())?.[1];
  if (value === undefined) {
    return false;
  }
  const actual = listOf(value);
  if (required.valuePattern !== undefined) {
    const pattern = new RegExp(required.valuePattern);
    return actual.length > 0 && actual.every((v) => pattern.test(v));
  }
  const expected = [...(required.values ?? [])].sort();
  return JSON.stringify([...actual].sort()) === JSON.stringify(expected);
}
