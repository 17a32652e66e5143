/** A condition block: operator -> key -> value(s). */
export type ConditionJson = Record<string, Record<string, string | string[]>>;

/** One IAM policy statement as JSON, the form IAM and CloudFormation take. */
export interface StatementJson {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string[];
  readonly NotAction?: string[];
  readonly Resource?: string[];
  readonly NotResource?: string[];
  readonly Condition?: ConditionJson;
}

/** An IAM policy document as JSON. */
export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: StatementJson[];
}

export function policyDocument(statements: StatementJson[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: statements };
}

/** A statement id from free text: letters and digits only, as IAM requires. */
export function sid(...parts: string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}
