/**
 * IAM's limits for what containment writes: a role's inline policies together, and a permission set's
 * inline policy, may hold 10,240 characters not counting white space (IAM User Guide, "IAM and AWS STS
 * quotas"; IAM Identity Center User Guide, "IAM Identity Center quotas").
 */
export const IAM_INLINE_LIMIT = 10_240;
/** Past this the deny list stops growing and a wider stop takes over, so a real offender always fits. */
export const DENY_LIST_BUDGET = 9_000;
/** Past this the outcome alert warns that the deny list is filling up. */
export const DENY_LIST_WARNING = 6_000;

/** The characters IAM counts: everything but white space. */
export function countedSize(document: string): number {
  return document.replace(/\s/g, '').length;
}

/** The warning for a document past the warning mark, naming where it stands. */
export function sizeWarning(what: string, size: number): string | undefined {
  return size > DENY_LIST_WARNING
    ? `${what} now holds ${size} of IAM's ${IAM_INLINE_LIMIT} characters; past ${DENY_LIST_BUDGET} containment stops naming people and revokes every session issued before the offender's instead. Lift entries no longer needed (npx cdk-bedrock-least-privilege containment list).`
    : undefined;
}
