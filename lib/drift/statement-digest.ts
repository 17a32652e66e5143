import { createHash } from 'crypto';
import { listOf, StatementInput } from './policy-document';

/**
 * A digest of what a statement does, blind to the forms IAM treats alike: key order, a single value
 * or a one-element list, the order of actions and resources, the case of actions and condition keys.
 * Two statements with the same digest allow or deny the same requests. 64 bits: finding another
 * statement with a given digest takes about 2^64 hashes.
 */
export function statementDigest(statement: StatementInput): string {
  // base64url of 8 bytes: 11 characters where hex takes 16, for Lambda's 4 KB of environment.
  return createHash('sha256').update(JSON.stringify(canonicalStatement(statement))).digest().subarray(0, 8).toString('base64url');
}

/**
 * A short digest of each part (effect and actions, resources, conditions, principals), so a changed
 * statement can be described by what changed: naming only, the full digest decides.
 */
export function partDigests(statement: StatementInput): string {
  const p = statementParts(statement);
  const short = (text: string) => createHash('sha256').update(text).digest().subarray(0, 2);
  return Buffer.concat([
    short(`${p.Effect}|${p.Action ?? ''}|${p.NotAction ?? ''}`),
    short(`${p.Resource ?? ''}|${p.NotResource ?? ''}`),
    short(p.Condition),
    short(`${p.Principal ?? ''}|${p.NotPrincipal ?? ''}`),
  ]).toString('base64url');
}

/** The names of the parts `partDigests` covers, in its order. */
export const PART_NAMES = ['actions', 'resources', 'conditions', 'principals'];

/** The parts of a statement that decide what it does, each in a canonical form, by name. */
export function statementParts(s: StatementInput): Record<string, string> {
  const actions = (v: unknown) => listOf(v).map((a) => a.toLowerCase()).sort();
  const sorted = (v: unknown) => listOf(v).sort();
  const condition = Object.entries(s.Condition ?? {})
    .map(([op, keys]) => [op.toLowerCase(), Object.entries(keys ?? {})
      .map(([k, v]) => [k.toLowerCase(), sorted(v)] as const)
      .sort((a, b) => a[0].localeCompare(b[0]))] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return {
    Effect: String(s.Effect ?? ''),
    [s.Action !== undefined ? 'Action' : 'NotAction']: JSON.stringify(actions(s.Action ?? s.NotAction)),
    [s.Resource !== undefined ? 'Resource' : 'NotResource']: JSON.stringify(sorted(s.Resource ?? s.NotResource)),
    Condition: JSON.stringify(condition),
    ...(s.Principal !== undefined ? { Principal: principal(s.Principal) } : {}),
    ...(s.NotPrincipal !== undefined ? { NotPrincipal: principal(s.NotPrincipal) } : {}),
  };
}

/** `"*"` and `{"AWS": "*"}` are the same principal to IAM. */
function principal(p: StatementInput['Principal']): string {
  const map = typeof p === 'string' ? { AWS: p } : p ?? {};
  return JSON.stringify(Object.entries(map).map(([k, v]) => [k, listOf(v).sort()]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
}

function canonicalStatement(s: StatementInput): unknown[] {
  const p = statementParts(s);
  return [
    p.Effect,
    p.Action !== undefined ? ['Action', JSON.parse(p.Action)] : ['NotAction', JSON.parse(p.NotAction)],
    p.Resource !== undefined ? ['Resource', JSON.parse(p.Resource)] : ['NotResource', JSON.parse(p.NotResource)],
    JSON.parse(p.Condition),
    ...(p.Principal !== undefined ? [['Principal', p.Principal]] : []),
    ...(p.NotPrincipal !== undefined ? [['NotPrincipal', p.NotPrincipal]] : []),
  ];
}
