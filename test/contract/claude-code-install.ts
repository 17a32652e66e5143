import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const CACHE_ROOT = path.join(__dirname, '..', '..', '.claude-code-cache');

/** The newest @anthropic-ai/claude-code on npm, asked at test time. */
export function newestClaudeCodeVersion(): string {
  return execFileSync('npm', ['view', '@anthropic-ai/claude-code', 'version'], { encoding: 'utf8' }).trim();
}

/**
 * The native Claude Code binary of one version, installed once into .claude-code-cache/<version>.
 * The npm package is a wrapper whose per-platform optional dependency carries the binary (about 186 MB
 * packed for linux-x64 in 2.1.332); --ignore-scripts skips the postinstall that only copies it.
 */
export function installedClaudeCode(version: string): string {
  const cache = path.join(CACHE_ROOT, version);
  const scope = path.join(cache, 'node_modules', '@anthropic-ai');
  const find = () => fs.existsSync(scope)
    ? fs.readdirSync(scope).filter((d) => d.startsWith('claude-code-')).map((d) => path.join(scope, d, 'claude')).find((f) => fs.existsSync(f))
    : undefined;
  if (!find()) {
    fs.mkdirSync(cache, { recursive: true });
    execFileSync('npm', ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `@anthropic-ai/claude-code@${version}`], { stdio: 'ignore' });
  }
  const binary = find();
  if (!binary) {
    throw new Error(`npm installed @anthropic-ai/claude-code@${version} without a binary for ${process.platform}-${process.arch}`);
  }
  return binary;
}
