import { createHash } from 'crypto';
import { listOf, StatementInput } from './policy-document';

/**
 * A digest of what a statement does, blind to the forms IAM treats alike: key order, a single value
 * or a one-element list, the order of actions and resources, the case of actions and condition keys.
 * Two statements with the same digest allow or deny the same requests.
 */
export function statementDigest(statement: StatementInput): string {
  return createHash('sha256').update(JSON.stringify(canonicalStatement(statement))).digest('hex').slice(0, 16);
}

function canonicalStatement(s: StatementInput): unknown[] {
  const actions = (v: unknown) => listOf(v).map((a) => a.toLowerCase()).sort();
  const sorted = (v: unknown) => listOf(v).sort();
  const condition = Object.entries(s.Condition ?? {})
    .map(([op, keys]) => [op.toLowerCase(), Object.entries(keys ?? {})
      .map(([k, v]) => [k.toLowerCase(), sorted(v)] as const)
      .sort((a, b) => a[0].localeCompare(b[0]))] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return [
    String(s.Effect ?? ''),
    s.Action !== undefined ? ['Action', actions(s.Action)] : ['NotAction', actions(s.NotAction)],
    s.Resource !== undefined ? ['Resource', sorted(s.Resource)] : ['NotResource', sorted(s.NotResource)],
    condition,
  ];
}
