/** The variable that names a developer's role session when the login name is not what they want, or is unset. */
export const ROLE_SESSION_NAME_VARIABLE = 'AWS_ROLE_SESSION_NAME';

/** Where the assumed credentials wait for the next caller, under XDG_CACHE_HOME or ~/.cache. */
export const CREDENTIAL_CACHE_DIRECTORY = 'cdk-bedrock-least-privilege';

/** How long before its Expiration a cached session is replaced: more than Claude Code's own five-minute margin. */
const REFRESH_MINUTES = 10;

/** What assumes the invoke role on a developer's machine. */
export interface AssumeRoleCommandProps {
  readonly roleArn: string;
  /** The profile whose credentials call AssumeRole. */
  readonly sourceProfile: string;
  /** Whether the role demands a source identity (its trust policy does when it requires attribution). */
  readonly sourceIdentity: boolean;
}

/**
 * A POSIX shell script that prints the invoke role's credentials as JSON, assuming the role at most
 * once per credential lifetime.
 *
 * One output serves both readers: the `Version: 1` keys the SDKs' credential_process wants, and the
 * `Credentials` object Claude Code's awsCredentialExport reads (both ignore keys they do not know).
 * Claude Code runs awsCredentialExport and, for AWS_PROFILE, the profile's credential_process, and
 * every AWS CLI command it starts runs that process again: all of them share one cache file (mode 600),
 * used until ten minutes before its Expiration. The time arithmetic is POSIX only (`TZ=UTC-0:10 date`
 * is ten minutes ahead of UTC), so it runs on Linux, macOS and busybox alike.
 *
 * The session name comes from AWS_ROLE_SESSION_NAME, else USER, else LOGNAME, else `id -un` (cron
 * and containers often leave USER unset); characters STS refuses become '-'. The source identity is
 * the same name, except for an IAM user, whose trust demands its own user name: the script asks STS
 * who the source profile is (once per credential lifetime, after the cache). With no name at all it
 * says what to set and fails, instead of sending an empty RoleSessionName that STS rejects.
 */
export function assumeRoleScript(props: AssumeRoleCommandProps): string {
  const name = `\${${ROLE_SESSION_NAME_VARIABLE}:-\${USER:-\${LOGNAME:-$(id -un 2>/dev/null)}}}`;
  const identity = props.sourceIdentity ? ' --source-identity "$s"' : '';
  // JMESPath's `1` literal in backticks, escaped so the shell does not run it.
  const query = ' --query "{Version: \\`1\\`, AccessKeyId: Credentials.AccessKeyId, SecretAccessKey: Credentials.SecretAccessKey, '
    + 'SessionToken: Credentials.SessionToken, Expiration: Credentials.Expiration, Credentials: Credentials}"';
  return [
    `n="${name}"`,
    'n="$(printf %s "$n" | tr -c "A-Za-z0-9+=,.@_-" "-" | cut -c1-64)"',
    `if [ \${#n} -lt 2 ]; then echo "no name for the role session: USER and LOGNAME are unset; set ${ROLE_SESSION_NAME_VARIABLE} to your name (2 to 64 characters)" >&2; exit 1; fi`,
    // One file per role and session name; without a home directory nothing is cached.
    'd="${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}"',
    `c="\${d:+$d/${CREDENTIAL_CACHE_DIRECTORY}/$(printf %s "${props.roleArn} $n" | tr -c "A-Za-z0-9" "_" | cut -c1-200).json}"`,
    // STS answers in UTC: an Expiration with any other offset is treated as expired.
    'x="$(sed -n "s/^ *\\"Expiration\\": *\\"\\([^\\"]*\\)\\".*/\\1/p" "$c" 2>/dev/null | head -n 1)"',
    `case "$x" in *+00:00|*Z) if [ "$(printf %s "$x" | cut -c1-19 | tr -d "T:-")" -gt "$(TZ=UTC-0:${REFRESH_MINUTES} date +%Y%m%d%H%M%S)" ] 2>/dev/null; then cat "$c"; exit 0; fi;; esac`,
    ...(props.sourceIdentity ? [
      // The trust binds an IAM user's source identity to its own user name (sts:SourceIdentity = ${aws:username});
      // other callers (an SSO or role session) declare theirs. The source profile is not a watched identity.
      's="$n"',
      `u="$(aws sts get-caller-identity --profile ${props.sourceProfile} --query Arn --output text 2>/dev/null)"`,
      'case "$u" in *:user/*) s="${u##*/}";; esac',
    ] : []),
    `o="$(aws sts assume-role --profile ${props.sourceProfile} --role-arn ${props.roleArn} --role-session-name "$n"${identity}${query} --output json)" || exit $?`,
    '[ -z "$c" ] || (umask 077; mkdir -p "${c%/*}" && printf "%s\\n" "$o" > "$c.$$" && mv -f "$c.$$" "$c") 2>/dev/null',
    'printf "%s\\n" "$o"',
  ].join('; ');
}
