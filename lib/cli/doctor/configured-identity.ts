import { awsFilePaths, readIniFile } from './aws-config-file';

/**
 * Who Claude Code's credentials belong to, read from the environment and the AWS config files rather
 * than asked of AWS: an STS GetCallerIdentity by those credentials is exactly what leak detection
 * alerts on.
 */
export type ConfiguredIdentity =
  | { readonly kind: 'sso'; readonly profile: string; readonly account: string; readonly permissionSet: string; readonly source: string }
  | { readonly kind: 'role'; readonly profile: string; readonly roleArn: string; readonly account: string; readonly roleName: string; readonly source: string }
  | { readonly kind: 'access-key'; readonly accessKeyId: string; readonly source: string }
  | { readonly kind: 'unknown'; readonly profile?: string; readonly reason: string };

/** The profile the SDK's default credential chain uses for this environment. */
export function activeProfile(env: Readonly<Record<string, string | undefined>>): string {
  return env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? 'default';
}

/** Reads the identity the SDK's default chain would resolve, without calling AWS. */
export function configuredIdentity(env: Readonly<Record<string, string | undefined>>, home: string): ConfiguredIdentity {
  if (env.AWS_ACCESS_KEY_ID) {
    // Environment keys come first in the SDK's chain, before any profile.
    return { kind: 'access-key', accessKeyId: env.AWS_ACCESS_KEY_ID, source: 'the environment (AWS_ACCESS_KEY_ID)' };
  }
  const profile = activeProfile(env);
  const files = awsFilePaths(env, home);
  const config = readIniFile(files.config)[profile];
  const credentials = readIniFile(files.credentials)[profile];
  const where = `profile '${profile}' in ${files.config}`;
  if (config?.sso_account_id && config.sso_role_name) {
    return { kind: 'sso', profile, account: config.sso_account_id, permissionSet: config.sso_role_name, source: where };
  }
  const roleArn = config?.role_arn ?? credentials?.role_arn;
  const role = roleArn ? /^arn:[a-z-]+:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn) : null;
  if (roleArn && role) {
    return { kind: 'role', profile, roleArn, account: role[1], roleName: role[2], source: where };
  }
  const keyId = credentials?.aws_access_key_id ?? config?.aws_access_key_id;
  if (keyId) {
    return { kind: 'access-key', accessKeyId: keyId, source: `profile '${profile}' in ${credentials?.aws_access_key_id ? files.credentials : files.config}` };
  }
  if (config?.credential_process) {
    return { kind: 'unknown', profile, reason: `${where} runs credential_process, whose identity only AWS can tell` };
  }
  if (!config && !credentials) {
    return { kind: 'unknown', profile, reason: `profile '${profile}' is in neither ${files.config} nor ${files.credentials}` };
  }
  return { kind: 'unknown', profile, reason: `${where} names no SSO account and role, no role_arn and no access key` };
}
