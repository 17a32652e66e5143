/** The variable that names a developer's role session when the login name is not what they want, or is unset. */
export const ROLE_SESSION_NAME_VARIABLE = 'AWS_ROLE_SESSION_NAME';

/** What assumes the invoke role on a developer's machine. */
export interface AssumeRoleCommandProps {
  readonly roleArn: string;
  /** The profile whose credentials call AssumeRole. */
  readonly sourceProfile: string;
  /** Whether the role demands a source identity (its trust policy does when it requires attribution). */
  readonly sourceIdentity: boolean;
}

/**
 * A POSIX shell script that assumes the invoke role and prints STS's answer as JSON.
 *
 * The session name comes from AWS_ROLE_SESSION_NAME, else USER, else LOGNAME, else `id -un` (cron
 * and containers often leave USER unset); characters STS refuses become '-'. The source identity is
 * the same name, except for an IAM user, whose trust demands its own user name: the script asks STS
 * who the source profile is (one GetCallerIdentity per credential lifetime). With no name at all it
 * says what to set and fails, instead of sending an empty RoleSessionName that STS rejects.
 * `credentialProcess` adds the `Version: 1` shape the SDKs' credential_process wants; without it the
 * output is `aws sts assume-role`'s own `{"Credentials": {...}}`, the shape Claude Code's
 * awsCredentialExport reads.
 */
export function assumeRoleScript(props: AssumeRoleCommandProps, shape: 'sts' | 'credentialProcess'): string {
  const name = `\${${ROLE_SESSION_NAME_VARIABLE}:-\${USER:-\${LOGNAME:-$(id -un 2>/dev/null)}}}`;
  const identity = props.sourceIdentity ? ' --source-identity "$s"' : '';
  // JMESPath's `1` literal in backticks, escaped so the shell does not run it.
  const query = shape === 'credentialProcess'
    ? ' --query "{Version: \\`1\\`, AccessKeyId: Credentials.AccessKeyId, SecretAccessKey: Credentials.SecretAccessKey, '
      + 'SessionToken: Credentials.SessionToken, Expiration: Credentials.Expiration}"'
    : '';
  return [
    `n="${name}"`,
    'n="$(printf %s "$n" | tr -c "A-Za-z0-9+=,.@_-" "-" | cut -c1-64)"',
    `if [ \${#n} -lt 2 ]; then echo "no name for the role session: USER and LOGNAME are unset; set ${ROLE_SESSION_NAME_VARIABLE} to your name (2 to 64 characters)" >&2; exit 1; fi`,
    ...(props.sourceIdentity ? [
      // The trust binds an IAM user's source identity to its own user name (sts:SourceIdentity = ${aws:username});
      // other callers (an SSO or role session) declare theirs. The source profile is not a watched identity.
      's="$n"',
      `u="$(aws sts get-caller-identity --profile ${props.sourceProfile} --query Arn --output text 2>/dev/null)"`,
      'case "$u" in *:user/*) s="${u##*/}";; esac',
    ] : []),
    `exec aws sts assume-role --profile ${props.sourceProfile} --role-arn ${props.roleArn} --role-session-name "$n"${identity}${query} --output json`,
  ].join('; ');
}
