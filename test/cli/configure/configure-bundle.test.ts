import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';

// The command ships as one esbuild bundle: configure and its CloudFormation client must survive bundling.
test('the bundled configure runs on a fresh laptop: no credentials is one clear line, no stack trace, nothing written', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-blp-configure-'));
  try {
    const bundle = path.join(root, 'cli.js');
    buildSync({ entryPoints: [path.join(__dirname, '..', '..', '..', 'lib', 'cli', 'main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'silent' });
    const result = spawnSync(process.execPath, [bundle, 'configure', '--stack', 'ClaudeCodeBedrock', '--region', 'us-east-1', '--yes'], {
      env: { PATH: process.env.PATH ?? '', HOME: root, AWS_EC2_METADATA_DISABLED: 'true' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toMatch(/^cdk-bedrock-least-privilege configure: could not read stack 'ClaudeCodeBedrock' in us-east-1 .*no AWS credentials found.*--profile\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.status).toBe(4);
    expect(fs.existsSync(path.join(root, '.aws', 'config'))).toBe(false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
