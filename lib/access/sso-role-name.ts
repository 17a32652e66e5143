/** The prefix IAM Identity Center gives the role it creates for a permission set in each account. */
export function ssoRolePrefix(permissionSetName: string): string {
  return `AWSReservedSSO_${permissionSetName}_`;
}

/**
 * A regular expression that matches exactly the roles of one permission set. The suffix is 16 hex
 * characters in every role seen, so `Bedrock` does not match the roles of `Bedrock_Admin`.
 */
export function ssoRoleNamePattern(permissionSetName: string): string {
  return `^${ssoRolePrefix(permissionSetName).replace(/[.+=,@-]/g, (c) => `\\${c}`)}[0-9a-f]{16}$`;
}
