/**
 * The one rule for telling an IAM Identity Center permission-set role from a role that merely looks
 * like one. IAM Identity Center creates each permission set's role in an account as
 * `AWSReservedSSO_<set name>_<16 hex>` under the path `/aws-reserved/sso.amazonaws.com/`, sometimes with a
 * Region segment after it (IAM Identity Center User Guide, "Using service-linked roles" and
 * "Referencing permission sets in resource policies"). IAM refuses that path to CreateRole callers, not
 * the name: anyone can create a role at `/` named `AWSReservedSSO_Bedrock_0123456789abcdef`.
 * Detection, the usage guard and drift all decide through this file.
 */

/** The path every permission-set role lives under; IAM reserves it. */
export const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/** The prefix IAM Identity Center gives the role it creates for a permission set in each account. */
export function ssoRolePrefix(permissionSetName: string): string {
  return `AWSReservedSSO_${permissionSetName}_`;
}

/**
 * A regular expression that matches exactly the role names of one permission set. The suffix is 16 hex
 * characters in every role seen, so `Bedrock` does not match the roles of `Bedrock_Admin`.
 */
export function ssoRoleNamePattern(permissionSetName: string): string {
  return `^${ssoRolePrefix(permissionSetName).replace(/[.+=,@-]/g, (c) => `\\${c}`)}[0-9a-f]{16}$`;
}

/** What a role ARN is, for the permission sets a construct watches. */
export type PermissionSetRoleVerdict =
  /** The reserved path and the name of one watched set: that set's role. */
  | { readonly kind: 'permission-set-role'; readonly permissionSetName: string; readonly accountId: string }
  /** Named like a watched set's role but outside the reserved path: somebody's look-alike. */
  | { readonly kind: 'look-alike'; readonly permissionSetName: string; readonly accountId: string; readonly path: string }
  /** Neither. */
  | { readonly kind: 'other' };

// arn:<partition>:iam::<account>:role<path><name>, the path starting and ending with '/'.
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]+)$/;
// The reserved path, alone or with one Region segment after it.
const RESERVED_PATH = /^\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z]{2}(?:-[a-z]+)+-\d+\/)?$/;

/**
 * Classifies a role ARN (a CloudTrail `sessionIssuer.arn`, a Config item's `arn`) against the watched
 * permission-set names: the set's role only when both the reserved path and the exact name match.
 */
export function classifyPermissionSetRole(roleArn: string | undefined, permissionSetNames: readonly string[]): PermissionSetRoleVerdict {
  const m = ROLE_ARN.exec(roleArn ?? '');
  if (!m) {
    return { kind: 'other' };
  }
  const [, , accountId, path, roleName] = m;
  const permissionSetName = permissionSetNames.find((n) => new RegExp(ssoRoleNamePattern(n)).test(roleName));
  if (permissionSetName === undefined) {
    return { kind: 'other' };
  }
  return RESERVED_PATH.test(path)
    ? { kind: 'permission-set-role', permissionSetName, accountId }
    : { kind: 'look-alike', permissionSetName, accountId, path };
}
