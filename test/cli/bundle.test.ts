import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { GOOD_ENV, Sandbox } from './cli-harness';

// Built the way `npx projen bundle` builds the package's bin, into a folder with nothing else in it:
// the command must find its catalog and SDK clients inside the one file.
let box: Sandbox;
let bundle: string;
beforeAll(() => {
  box = new Sandbox();
  bundle = path.join(box.root, 'bin', 'cdk-bedrock-least-privilege.js');
  buildSync({
    entryPoints: [path.join(__dirname, '..', '..', 'lib', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: bundle,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'silent',
  });
});
afterAll(() => box.cleanup());

function runBundle(args: string[], env: Record<string, string>) {
  // No credentials, no AWS config, no instance metadata: a fresh laptop.
  const result = spawnSync(process.execPath, [bundle, ...args], {
    cwd: box.project,
    env: { PATH: process.env.PATH ?? '', HOME: box.home, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the bundled doctor runs without credentials: a clear finding, JSON on stdout, nothing on stderr, no stack trace', () => {
  // With a Region, the doctor asks Bedrock (its one call as Claude Code's identity), and the SDK finds no credentials.
  const { code, stdout, stderr } = runBundle(['doctor', '--json'], { AWS_REGION: 'us-east-1' });
  const report = JSON.parse(stdout);
  expect(report.findings.find((f: { id: string }) => f.id === 'no-usable-credentials').detail).toContain('no AWS credentials found');
  expect(stderr).toBe('');
  expect(stdout + stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
});

test('the bundled doctor carries the catalog: it knows a us. profile does not work from eu-west-1', () => {
  fs.mkdirSync(path.join(box.home, '.claude'), { recursive: true });
  fs.writeFileSync(path.join(box.home, '.claude', 'settings.json'), JSON.stringify({ env: { ...GOOD_ENV, AWS_REGION: 'eu-west-1' } }));
  const { stdout } = runBundle(['doctor', '--offline'], {});
  expect(stdout).toContain("ANTHROPIC_MODEL 'us.anthropic.claude-sonnet-4-6' does not work from AWS_REGION eu-west-1");
});

test('the bundle starts with the shebang the package bin needs', () => {
  expect(fs.readFileSync(bundle, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
});
