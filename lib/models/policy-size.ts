import { policyDocument, PolicyDocumentJson, StatementJson } from './statement';

/** IAM's limit for a customer-managed policy, in characters excluding white space. */
export const MANAGED_POLICY_LIMIT = 6144;
/** IAM's limit for all inline policies of a role together, excluding white space. */
export const ROLE_INLINE_LIMIT = 10240;
/** IAM Identity Center's limit for a permission set's inline policy, excluding white space. */
export const PERMISSION_SET_INLINE_LIMIT = 10240;

/** The size IAM counts: the policy JSON without white space. */
export function policySize(doc: PolicyDocumentJson): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}

/**
 * Packs statements into as few documents as fit `limit`, in order. A statement too large on its own
 * is split along its longest list (resources or one condition's values), which allows exactly the
 * same requests: a list is an OR, and so is a set of statements.
 */
export function packStatements(statements: StatementJson[], limit: number): PolicyDocumentJson[] {
  const pieces = statements.flatMap((s) => splitToFit(s, limit));
  const docs: StatementJson[][] = [];
  let current: StatementJson[] = [];
  for (const piece of pieces) {
    if (current.length > 0 && policySize(policyDocument([...current, piece])) > limit) {
      docs.push(current);
      current = [];
    }
    current.push(piece);
  }
  if (current.length > 0) {
    docs.push(current);
  }
  return docs.map(policyDocument);
}

function splitToFit(statement: StatementJson, limit: number): StatementJson[] {
  if (policySize(policyDocument([statement])) <= limit) {
    return [statement];
  }
  const halves = halve(statement);
  if (!halves) {
    throw new Error(`statement '${statement.Sid}' is ${policySize(policyDocument([statement]))} characters and cannot be split below IAM's ${limit}: configure fewer models or Regions per identity`);
  }
  return halves.flatMap((h, i) => splitToFit({ ...h, Sid: `${statement.Sid}${i === 0 ? 'A' : 'B'}` }, limit));
}

/** Two statements that together allow what `s` allows, or undefined when no list can be halved. */
function halve(s: StatementJson): [StatementJson, StatementJson] | undefined {
  if (s.Effect !== 'Allow') {
    return undefined; // Splitting a Deny with NotResource or NotAction would widen what it denies.
  }
  const lists: Array<{ values: string[]; build: (part: string[]) => StatementJson }> = [];
  if (s.Resource) {
    lists.push({ values: s.Resource, build: (part) => ({ ...s, Resource: part }) });
  }
  for (const [op, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      if (Array.isArray(value)) {
        lists.push({ values: value, build: (part) => ({ ...s, Condition: { ...s.Condition, [op]: { ...keys, [key]: part } } }) });
      }
    }
  }
  const longest = lists.sort((a, b) => b.values.length - a.values.length)[0];
  if (!longest || longest.values.length < 2) {
    return undefined;
  }
  const mid = Math.ceil(longest.values.length / 2);
  return [longest.build(longest.values.slice(0, mid)), longest.build(longest.values.slice(mid))];
}
