import * as fs from 'fs';
import { mergeSettings } from '../../../lib/cli/doctor/effective-config';
import { readSettingsFiles } from '../../../lib/cli/doctor/settings-files';
import { Sandbox } from '../cli-harness';

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
});
afterEach(() => box.cleanup());

function effective(env: Record<string, string> = {}) {
  const files = readSettingsFiles({ home: box.home, projectDir: box.project, managedDir: box.managed, claudeConfigDir: env.CLAUDE_CONFIG_DIR });
  return mergeSettings(env, files);
}

describe('settings are merged in Claude Code\'s order', () => {
  test('local overrides project, which overrides user, key by key', () => {
    const user = box.settings('user', { env: { AWS_REGION: 'us-east-1', AWS_PROFILE: 'from-user' }, model: 'us.anthropic.claude-sonnet-4-6' });
    box.settings('project', { env: { AWS_REGION: 'eu-west-1' } });
    const local = box.settings('local', { env: { AWS_REGION: 'eu-central-1' }, model: 'eu.anthropic.claude-sonnet-4-6' });
    const config = effective();
    expect(config.env.AWS_REGION).toEqual({ value: 'eu-central-1', source: local });
    // A key only the user file sets survives the files above it.
    expect(config.env.AWS_PROFILE).toEqual({ value: 'from-user', source: user });
    expect(config.model).toEqual({ value: 'eu.anthropic.claude-sonnet-4-6', source: local });
  });

  test('managed settings override every other file', () => {
    box.settings('local', { env: { AWS_REGION: 'eu-central-1' } });
    const managed = box.settings('managed', { env: { AWS_REGION: 'us-west-2' } });
    expect(effective().env.AWS_REGION).toEqual({ value: 'us-west-2', source: managed });
  });

  test('managed drop-ins apply after managed-settings.json, in name order', () => {
    box.settings('managed', { env: { AWS_REGION: 'us-west-2' } });
    const dropIns = `${box.managed}/managed-settings.d`;
    fs.mkdirSync(dropIns);
    fs.writeFileSync(`${dropIns}/20-region.json`, JSON.stringify({ env: { AWS_REGION: 'us-east-2' } }));
    fs.writeFileSync(`${dropIns}/10-region.json`, JSON.stringify({ env: { AWS_REGION: 'us-east-1' } }));
    expect(effective().env.AWS_REGION.value).toBe('us-east-2');
  });

  test('a settings file\'s env overrides the shell, as Claude Code does', () => {
    const user = box.settings('user', { env: { AWS_REGION: 'us-east-1' } });
    const config = effective({ AWS_REGION: 'eu-west-1', AWS_PROFILE: 'shell' });
    expect(config.env.AWS_REGION).toEqual({ value: 'us-east-1', source: user });
    expect(config.env.AWS_PROFILE).toEqual({ value: 'shell', source: 'environment' });
  });

  test('CLAUDE_CONFIG_DIR moves the user settings out of ~/.claude', () => {
    box.settings('user', { env: { AWS_REGION: 'us-east-1' } });
    const elsewhere = `${box.root}/config`;
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(`${elsewhere}/settings.json`, JSON.stringify({ env: { AWS_REGION: 'ap-northeast-1' } }));
    expect(effective({ CLAUDE_CONFIG_DIR: elsewhere }).env.AWS_REGION.value).toBe('ap-northeast-1');
  });

  test('numbers and booleans in env become the strings Claude Code exports; objects are ignored', () => {
    box.settings('user', { env: { CLAUDE_CODE_USE_BEDROCK: 1, DISABLE_TELEMETRY: true, NESTED: { a: 1 } } });
    const config = effective();
    expect(config.env.CLAUDE_CODE_USE_BEDROCK.value).toBe('1');
    expect(config.env.DISABLE_TELEMETRY.value).toBe('true');
    expect(config.env.NESTED).toBeUndefined();
  });
});
