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

/**
 * The profile an awsCredentialExport command takes its credentials from, when it is one of the two
 * the library generates: the CLI's export of an SSO profile, or the assume-role script (which names
 * the role's source profile; its own profile is the managed one holding the same role ARN).
 */
export function exportProfile(command: string | undefined, env: Readonly<Record<string, string | undefined>>, home: string): string | undefined {
  if (!command) {
    return undefined;
  }
  const sso = /\baws configure export-credentials\b.*--profile[ =]([\w+.@:/-]+)/.exec(command);
  if (sso) {
    return sso[1];
  }
  const role = /--role-arn[ =](arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+)/.exec(command)?.[1];
  if (!role) {
    return undefined;
  }
  const config = readIniFile(awsFilePaths(env, home).config);
  return Object.keys(config).find((name) => config[name].credential_process?.includes(`--role-arn ${role}`));
}

/**
 * Reads the identity Claude Code signs Bedrock calls with, without calling AWS: environment keys,
 * else AWS_PROFILE, else the profile its awsCredentialExport command uses, else the default chain.
 */
export function configuredIdentity(env: Readonly<Record<string, string | undefined>>, home: string, credentialExport?: string): ConfiguredIdentity {
  if (env.AWS_ACCESS_KEY_ID) {
    // Environment keys come first in the SDK's chain, before any profile.
    return { kind: 'access-key', accessKeyId: env.AWS_ACCESS_KEY_ID, source: 'the environment (AWS_ACCESS_KEY_ID)' };
  }
  const exported = env.AWS_PROFILE ? undefined : exportProfile(credentialExport, env, home);
  const exportedRole = /--role-arn[ =](arn:[a-z-]+:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+))/.exec(credentialExport ?? '');
  if (!env.AWS_PROFILE && !exported && exportedRole) {
    // The role is assumed by the command alone; no profile holds it, so the doctor cannot sign as it.
    return { kind: 'role', profile: '', roleArn: exportedRole[1], account: exportedRole[2], roleName: exportedRole[3], source: 'awsCredentialExport' };
  }
  const profile = exported ?? activeProfile(env);
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
