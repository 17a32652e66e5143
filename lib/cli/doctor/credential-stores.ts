import * as fs from 'fs';
import * as path from 'path';
import { CREDENTIAL_CACHE_DIRECTORY } from '../../client/assume-role-command';
import { Severity } from '../findings';
import { awsFilePaths, readIniFile } from './aws-config-file';

/** A place on this machine that holds AWS credentials a process could read. Never the secret itself. */
export interface CredentialStore {
  readonly id: string;
  /** The file or folder. */
  readonly path: string;
  /** What it holds, for a person: "long-term keys of profiles default, admin". */
  readonly holds: string;
  /** How bad it is for an agent's command to read it. */
  readonly severity: Severity;
}

const ENV_SECRETS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

/** The credential variables set in the environment Claude Code starts with (names only). */
export function credentialVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  return ENV_SECRETS.filter((name) => (env[name] ?? '').trim() !== '');
}

/**
 * The credential stores that exist here: the shared credentials file's keys, the IAM Identity
 * Center token cache (a portal token that fetches credentials for every account and permission set
 * assigned to the person), the CLI's role and login caches, and this library's session cache.
 */
export function findCredentialStores(env: Readonly<Record<string, string | undefined>>, home: string): CredentialStore[] {
  const stores: CredentialStore[] = [];
  const files = awsFilePaths(env, home);
  const withKeys = Object.entries(readIniFile(files.credentials)).filter(([, s]) => s.aws_access_key_id).map(([name]) => name);
  if (withKeys.length > 0) {
    stores.push({ id: 'shared-credentials-file', path: files.credentials, holds: `access keys of profile${withKeys.length > 1 ? 's' : ''} ${withKeys.join(', ')}`, severity: 'high' });
  }
  const inConfig = Object.entries(readIniFile(files.config)).filter(([, s]) => s.aws_access_key_id).map(([name]) => name);
  if (inConfig.length > 0) {
    stores.push({ id: 'config-file-keys', path: files.config, holds: `access keys of profile${inConfig.length > 1 ? 's' : ''} ${inConfig.join(', ')}`, severity: 'high' });
  }
  const aws = path.join(home, '.aws');
  const sso = jsonFiles(path.join(aws, 'sso', 'cache')).filter((f) => /"(accessToken|refreshToken)"/.test(read(f)));
  if (sso.length > 0) {
    stores.push({
      id: 'sso-token-cache',
      path: path.join(aws, 'sso', 'cache'),
      holds: `${sso.length} IAM Identity Center sign-in token file${sso.length > 1 ? 's' : ''}, good for every account and permission set assigned to you until the sign-in ends`,
      severity: 'high',
    });
  }
  for (const [id, dir, holds] of [
    ['cli-cache', path.join(aws, 'cli', 'cache'), 'temporary credentials the AWS CLI cached for role and SSO profiles'],
    ['login-cache', path.join(aws, 'login', 'cache'), 'the session of aws login'],
  ] as const) {
    const found = jsonFiles(dir);
    if (found.length > 0) {
      stores.push({ id, path: dir, holds: `${found.length} file${found.length > 1 ? 's' : ''}: ${holds}`, severity: 'medium' });
    }
  }
  const ours = path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), CREDENTIAL_CACHE_DIRECTORY);
  const cached = jsonFiles(ours);
  if (cached.length > 0) {
    stores.push({ id: 'invoke-role-cache', path: ours, holds: `${cached.length} cached invoke-role session${cached.length > 1 ? 's' : ''} (this library's assume-role command)`, severity: 'medium' });
  }
  return stores;
}

function jsonFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
