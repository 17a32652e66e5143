import { Finding } from '../findings';
import { maskAccessKeyId, SECRET_VARIABLES } from '../redact';
import { EffectiveConfig, envValue } from './effective-config';
import { SettingsFile } from './settings-files';

const ACCESS_KEY_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'];
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
// aws-bedrock-token-generator prefixes every short-term key with this; long-term keys lack it.
const SHORT_TERM_API_KEY_PREFIX = 'bedrock-api-key-';

/** Where a credential sits inside a settings file, by JSON path, never by value. */
interface CredentialInFile {
  readonly file: SettingsFile;
  readonly paths: string[];
}

/**
 * Credentials written into a settings file are readable by every process Claude Code starts and,
 * in a project file, by everyone who clones the repository.
 */
export function checkCredentialsInSettings(files: readonly SettingsFile[]): Finding[] {
  return credentialsInFiles(files).map(({ file, paths }) => ({
    id: 'credentials-in-settings-file',
    severity: 'critical',
    title: `Credentials written in ${file.path} (${paths.join(', ')})`,
    detail: `The ${file.scope} settings file holds credentials in plain text. Every shell command, MCP server and subprocess Claude Code starts `
      + 'inherits them'
      + (file.scope === 'project' ? ', and this file is meant to be committed, so everyone with the repository has them too.' : '.'),
    fix: 'Delete them from the file, deactivate the key in IAM (it must be treated as leaked), and sign in with IAM Identity Center instead: '
      + 'set AWS_PROFILE to an SSO profile and awsAuthRefresh to "aws sso login --profile <name>".',
  }));
}

/** Long-lived credentials in use, wherever they come from. */
export function checkCredentialsInUse(config: EffectiveConfig): Finding[] {
  const findings: Finding[] = [];
  const keyId = envValue(config, 'AWS_ACCESS_KEY_ID');
  if (keyId?.startsWith('AKIA')) {
    findings.push({
      id: 'long-lived-access-key',
      severity: 'high',
      title: `Long-lived access key ${maskAccessKeyId(keyId)} in use (AWS_ACCESS_KEY_ID from ${config.env.AWS_ACCESS_KEY_ID.source})`,
      detail: 'Keys starting with AKIA belong to an IAM user and work until someone deactivates them. If Claude Code or a tool it runs leaks it, '
        + 'it keeps working for whoever holds it.',
      fix: 'Use temporary credentials: an IAM Identity Center profile (aws configure sso) or a role you assume, and deactivate this key.',
    });
  }
  const token = envValue(config, 'AWS_BEARER_TOKEN_BEDROCK');
  if (token && !token.startsWith(SHORT_TERM_API_KEY_PREFIX)) {
    findings.push({
      id: 'long-term-bedrock-api-key',
      severity: 'high',
      title: `A long-term Bedrock API key is in use (AWS_BEARER_TOKEN_BEDROCK from ${config.env.AWS_BEARER_TOKEN_BEDROCK.source})`,
      detail: `The token does not start with '${SHORT_TERM_API_KEY_PREFIX}', as short-term keys do, so it is a long-term key: an IAM service-specific `
        + 'credential that lasts until it expires or is deleted. The roles this library creates deny long-term keys.',
      fix: 'Use AWS credentials (an SSO profile), or a short-term API key generated from them, and delete the long-term key in IAM.',
    });
  } else if (token) {
    findings.push({
      id: 'short-term-bedrock-api-key',
      severity: 'info',
      title: 'Claude Code calls Bedrock with a short-term API key (AWS_BEARER_TOKEN_BEDROCK)',
      detail: 'The key carries the permissions of the identity that generated it for up to 12 hours. The identity checks below describe '
        + 'the AWS credentials on this machine, which may not be the identity behind the key.',
    });
  }
  return findings;
}

function credentialsInFiles(files: readonly SettingsFile[]): CredentialInFile[] {
  const found: CredentialInFile[] = [];
  for (const file of files) {
    if (!file.settings) {
      continue;
    }
    const paths: string[] = [];
    walk(file.settings, '', paths);
    if (paths.length > 0) {
      found.push({ file, paths });
    }
  }
  return found;
}

function walk(value: unknown, at: string, paths: string[]): void {
  if (typeof value === 'string') {
    const name = at.split('.').pop() ?? '';
    if (isCredentialName(name) || ACCESS_KEY_ID.test(value.trim())) {
      paths.push(at);
    }
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      walk(v, at ? `${at}.${k}` : k, paths);
    }
  }
}

function isCredentialName(name: string): boolean {
  const upper = name.toUpperCase();
  return ACCESS_KEY_NAMES.includes(upper) || SECRET_VARIABLES.includes(upper);
}
