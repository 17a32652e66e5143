import { PolicyInput, readPolicy, statementsOf } from './policy-document';
import { partDigests, statementDigest } from './statement-digest';

/** Stands for the account that holds the role, so one baseline fits the account CloudFormation picks. */
export const ACCOUNT_PLACEHOLDER = '{{account}}';
/** Stands for the partition of the role's ARN. */
export const PARTITION_PLACEHOLDER = '{{partition}}';

const PSEUDO: Record<string, string> = { 'AWS::AccountId': ACCOUNT_PLACEHOLDER, 'AWS::Partition': PARTITION_PLACEHOLDER };

/**
 * A resolved CloudFormation value with the account and partition pseudo parameters as placeholders,
 * or undefined when it holds any other intrinsic (a value known only at deploy cannot be digested).
 */
export function templateOf(resolved: unknown): unknown {
  if (Array.isArray(resolved)) {
    const out = resolved.map(templateOf);
    return out.includes(undefined) ? undefined : out;
  }
  if (resolved && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if ('Ref' in o) {
      return PSEUDO[String(o.Ref)];
    }
    if ('Fn::Join' in o) {
      const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
      const rendered = parts.map(templateOf);
      return rendered.some((p) => typeof p !== 'string') ? undefined : rendered.join(separator);
    }
    if (Object.keys(o).some((k) => k.startsWith('Fn::'))) {
      return undefined;
    }
    const entries = Object.entries(o).map(([k, v]) => [k, templateOf(v)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : Object.fromEntries(entries);
  }
  return resolved;
}

/**
 * Writes the role's own account and partition as placeholders, the same on the baseline's side and
 * on the deployed document's side, so both digest alike. An ARN in another partition stays as it is.
 */
export function normalize(value: unknown, account: string | undefined, partition: string): unknown {
  if (typeof value === 'string') {
    const withPartition = value.split(`arn:${partition}:`).join(`arn:${PARTITION_PLACEHOLDER}:`);
    return account ? withPartition.split(account).join(ACCOUNT_PLACEHOLDER) : withPartition;
  }
  if (Array.isArray(value)) {
    return value.map((v) => normalize(v, account, partition));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, account, partition)]));
  }
  return value;
}

/** Each statement of a policy as `<Sid>=<digest>/<part digests>`, the form the baseline keeps. */
export function statementDigests(policy: PolicyInput): string[] {
  return statementsOf(policy).map((s) => `${s.Sid ?? ''}=${statementDigest(s)}/${partDigests(s)}`);
}

/** The account and partition of an ARN, such as a role's. */
export function arnParts(arn: string | undefined): { account?: string; partition: string } {
  const parts = (arn ?? '').split(':');
  return { partition: parts[1] || 'aws', account: /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined };
}

/** The deployed document's statement digests, with the role's account and partition as placeholders. */
export function deployedDigests(document: unknown, account: string | undefined, partition: string): string[] | undefined {
  const policy = readPolicy(document);
  return policy === undefined ? undefined : statementDigests(normalize(policy, account, partition) as PolicyInput);
}
