import { PolicyInput, statementsOf } from './policy-document';
import { partDigests, statementDigest } from './statement-digest';

/** Stands where the template had `AWS::AccountId`, so one baseline fits the account CloudFormation picks. */
export const ACCOUNT_PLACEHOLDER = '{{account}}';

/**
 * When the role's own account is `account`, the statement at `index` has these digests (its Sid is
 * the default entry's): the template names that account literally there, and the deployed side
 * cannot tell a literal from a value CloudFormation resolved.
 */
export type LiteralAccountEntry = [account: string, index: number, digests: string];

/** A whole 12-digit account id, never part of a longer number. */
function accountId(account: string): RegExp {
  return new RegExp(`(?<!\\d)${account}(?!\\d)`, 'g');
}

/**
 * A resolved CloudFormation value as CloudFormation will deploy it, but for the account:
 * `AWS::AccountId` becomes the placeholder and `AWS::Partition` the partition of the role's Regions
 * (the library writes that partition literally too). Undefined when any other intrinsic remains: a
 * value known only at deploy cannot be digested.
 */
export function templateOf(resolved: unknown, partition: string): unknown {
  if (Array.isArray(resolved)) {
    const out = resolved.map((v) => templateOf(v, partition));
    return out.includes(undefined) ? undefined : out;
  }
  if (resolved && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if ('Ref' in o) {
      return { 'AWS::AccountId': ACCOUNT_PLACEHOLDER, 'AWS::Partition': partition }[String(o.Ref)];
    }
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      const rendered = parts.map((p) => templateOf(p, partition));
      return rendered.some((p) => typeof p !== 'string') ? undefined : rendered.join(separator);
    }
    if (Object.keys(o).some((k) => k.startsWith('Fn::'))) {
      return undefined;
    }
    const entries = Object.entries(o).map(([k, v]) => [k, templateOf(v, partition)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries);
  }
  return resolved;
}

/**
 * A deployed document with the role's own account written as the placeholder wherever it stands. The
 * baseline keeps, for each account the template names literally, how its statements read that way
 * (`templateEntries`), so a literal equal to the deployment account still compares exactly.
 */
export function withAccountPlaceholder(value: unknown, account: string | undefined): unknown {
  if (account === undefined) {
    return value;
  }
  if (typeof value === 'string') {
    return value.replace(accountId(account), ACCOUNT_PLACEHOLDER);
  }
  if (Array.isArray(value)) {
    return value.map((v) => withAccountPlaceholder(v, account));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withAccountPlaceholder(v, account)]));
  }
  return value;
}

/** Each statement of a policy as `<Sid>=<digest>/<part digests>`, the form the baseline keeps. */
export function statementDigests(policy: PolicyInput): string[] {
  return statementsOf(policy).map(entryOf);
}

function entryOf(statement: ReturnType<typeof statementsOf>[number]): string {
  return `${statement.Sid ?? ''}=${statementDigest(statement)}/${partDigests(statement)}`;
}

/**
 * The baseline of a template policy: each statement's entry as deployed in an account the template
 * does not name, and, for each account it names literally, the entries of the statements that name it
 * as they read once that account is the placeholder too (deployed there, both sides look alike).
 */
export function templateEntries(template: PolicyInput): { statements: string[]; literal?: LiteralAccountEntry[] } {
  const statements = statementsOf(template);
  const literal: LiteralAccountEntry[] = [];
  statements.forEach((st, index) => {
    for (const account of literalAccounts(st)) {
      const entry = entryOf(withAccountPlaceholder(st, account) as typeof st);
      literal.push([account, index, entry.slice(entry.lastIndexOf('=') + 1)]);
    }
  });
  return { statements: statements.map(entryOf), ...(literal.length > 0 ? { literal } : {}) };
}

/** The entries a policy deployed in `account` must match. */
export function expectedEntries(
  statements: readonly string[], literal: readonly LiteralAccountEntry[] | undefined, account: string | undefined,
): string[] {
  const out = [...statements];
  for (const [named, index, digests] of literal ?? []) {
    if (named === account && out[index] !== undefined) {
      out[index] = `${out[index].slice(0, out[index].lastIndexOf('='))}=${digests}`;
    }
  }
  return out;
}

/** The 12-digit numbers a value names, each once. */
function literalAccounts(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<!\d)\d{12}(?!\d)/g)) {
        found.add(m[0]);
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return [...found].sort();
}

/** The account and partition of an ARN, such as a role's. */
export function arnParts(arn: string | undefined): { account?: string; partition: string } {
  const parts = (arn ?? '').split(':');
  return { partition: parts[1] || 'aws', account: /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined };
}

