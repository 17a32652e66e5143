import * as os from 'os';
import { Finding } from '../findings';
import { awsFilePaths, readIniFile } from './aws-config-file';
import { ConfiguredIdentity } from './configured-identity';
import { EffectiveConfig, envValue } from './effective-config';
import { ROLE_SESSION_NAME_VARIABLE } from '../../client/assume-role-command';

// The generated assume-role command names its session from these, in this order, then from `id -un`.
const NAME_SOURCES = [ROLE_SESSION_NAME_VARIABLE, 'USER', 'LOGNAME'];

/** The account's login name, as `id -un` finds it; none for a uid without a passwd entry (many containers). */
export function loginName(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/** Where a generated assume-role command is configured, if anywhere. */
function generatedRoleCommands(config: EffectiveConfig, identity: ConfiguredIdentity, home: string): string[] {
  const generated = (command: string | undefined) => command?.includes(`\${${ROLE_SESSION_NAME_VARIABLE}:-`) ?? false;
  const where: string[] = [];
  if (generated(config.awsCredentialExport?.value)) {
    where.push(`awsCredentialExport in ${config.awsCredentialExport!.source}`);
  }
  const profile = 'profile' in identity ? identity.profile : undefined;
  const env = Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, v.value]));
  if (profile && generated(readIniFile(awsFilePaths(env, home).config)[profile]?.credential_process)) {
    where.push(`profile '${profile}' (credential_process)`);
  }
  return where;
}

/** Whether a generated assume-role command is configured and would find no name for the session. */
export function missingRoleSessionName(config: EffectiveConfig, identity: ConfiguredIdentity, home: string, login: string | undefined): string[] {
  const named = NAME_SOURCES.some((v) => (envValue(config, v) ?? '').trim().length >= 2) || (login ?? '').length >= 2;
  return named ? [] : generatedRoleCommands(config, identity, home);
}

/**
 * The generated role command stops before STS when it finds no name for the session (cron, CI and
 * containers often run without USER); say so before Claude Code reports only that it has no credentials.
 */
export function checkRoleSessionName(config: EffectiveConfig, identity: ConfiguredIdentity, home: string, login: string | undefined): Finding[] {
  const where = missingRoleSessionName(config, identity, home, login);
  return where.length === 0 ? [] : [{
    id: 'no-role-session-name',
    severity: 'high',
    title: 'The invoke role\'s session has no name here: USER and LOGNAME are unset',
    detail: `${where.join(' and ')} names the role session (and its source identity) after ${NAME_SOURCES.join(', ')} or the login name, `
      + 'and this environment has none of them, so it stops before calling STS and Claude Code gets no credentials.',
    fix: ROLE_SESSION_NAME_FIX,
  }];
}

export const ROLE_SESSION_NAME_FIX = `Set ${ROLE_SESSION_NAME_VARIABLE} to your name (2 to 64 characters) in the env block of ~/.claude/settings.json `
  + 'or in this environment; it becomes the session name and source identity CloudTrail shows.';

/** The fix for "no usable credentials", naming the profile Claude Code uses and what helps for its kind. */
export function noCredentialsFix(identity: ConfiguredIdentity, sessionNameMissing: boolean): string {
  if (sessionNameMissing) {
    return ROLE_SESSION_NAME_FIX;
  }
  // `aws configure export-credentials` resolves credentials without calling an API that detection watches.
  switch (identity.kind) {
    case 'sso':
      return `Sign in: aws sso login --profile ${identity.profile}, and keep awsAuthRefresh set to that command so Claude Code signs in again when the session ends.`;
    case 'role':
      return `Profile '${identity.profile}' assumes ${identity.roleName}: see why it cannot with aws configure export-credentials --profile ${identity.profile} `
        + '(its source profile may need a sign-in).';
    case 'unknown':
      if (identity.profile && /is in neither/.test(identity.reason)) {
        return `Profile '${identity.profile}' (AWS_PROFILE, or the default) does not exist: write it with npx cdk-bedrock-least-privilege configure --stack <stack>, `
          + 'or set AWS_PROFILE in the env block of ~/.claude/settings.json to a profile that exists.';
      }
      if (identity.profile) {
        return `See why profile '${identity.profile}' yields no credentials: aws configure export-credentials --profile ${identity.profile}.`;
      }
      break;
    default:
      break;
  }
  return 'Sign in (aws sso login --profile <name>), set AWS_PROFILE in the env block of ~/.claude/settings.json, and set awsAuthRefresh '
    + 'so Claude Code signs in again when the session ends.';
}
