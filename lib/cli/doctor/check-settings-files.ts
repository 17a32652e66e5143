import { Finding } from '../findings';
import { SettingsFile } from './settings-files';

/** A settings file that exists but cannot be used is a setting the developer believes in and Claude Code does not apply. */
export function checkSettingsFiles(files: readonly SettingsFile[]): Finding[] {
  return files
    .filter((f) => f.error)
    .map((f) => ({
      id: 'settings-file-unreadable',
      severity: 'medium',
      title: `${f.path} ${f.error}`,
      detail: `Claude Code cannot apply the ${f.scope} settings in this file, so its env, model and credential settings are not in effect.`,
      fix: 'Fix the file (a JSON object such as {"env": {"AWS_REGION": "us-east-1"}}) or delete it.',
    }));
}
