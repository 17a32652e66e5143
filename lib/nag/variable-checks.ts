import { Statement } from './policy-statements';
import { arnFields, printable } from './policy-values';

/**
 * `Resource::<arn>` for each resource or not-resource ARN with a policy variable before its fifth
 * colon. IAM substitutes a variable only in condition values and in an ARN's resource part; in the
 * partition, service, Region or account it stays literal text that matches no real ARN (IAM User
 * Guide, "IAM policy elements: Variables and tags"), so an Allow grants nothing there and a
 * NotResource excepts nothing.
 */
export function variableOutsideResourceIdFindings(statements: Statement[]): string[] {
  return statements
    .flatMap((s) => [...(s.resources ?? []), ...(s.notResources ?? [])])
    .filter((arn) => arn.startsWith('arn:') && arnFields(arn).slice(0, 5).some((field) => field.includes('${')))
    .map((arn) => `Resource::${printable(arn)}`);
}
