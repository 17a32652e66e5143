import * as fs from 'fs';
import * as path from 'path';
import { installedVersion, installProject, PACKAGE_NAME, packedFiles, packLibrary, ROOT, run, runOrThrow } from './packed-library';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const pinned = manifest.devDependencies;

describe('the npm tarball', () => {
  let files: string[];

  beforeAll(() => {
    // The quick start's `npx cdk synth` leaves cdk.out/ in the root; make sure one is there to be left out.
    const synthOutput = path.join(ROOT, 'cdk.out');
    const made = !fs.existsSync(synthOutput);
    fs.mkdirSync(synthOutput, { recursive: true });
    fs.writeFileSync(path.join(synthOutput, 'packed-library-probe.json'), '{}');
    try {
      files = packedFiles();
    } finally {
      fs.rmSync(made ? synthOutput : path.join(synthOutput, 'packed-library-probe.json'), { recursive: true, force: true });
    }
  });

  test('holds the compiled library, its declarations, the bundled command and handlers', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'lib/index.js', 'lib/index.d.ts', manifest.bin[PACKAGE_NAME]]));
    expect(files.filter((f) => f.startsWith('assets/lib/detection/') || f.startsWith('assets/lib/drift/')).length).toBeGreaterThan(0);
  });

  test('holds nothing a user does not run: no CI script, unbundled command or handler, synth output, tests, examples or benchmarks', () => {
    const unwanted = files.filter((f) => /^(\.ci|test|examples|bench|\.toolchain-cache|lib\/cli)\//.test(f)
      || /(^|\/)cdk\.out\//.test(f)
      || /^lib\/.*\.lambda\.(js|d\.ts)$/.test(f)
      || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(unwanted).toEqual([]);
  });

  test('its bundled handlers and command carry no CDK code, which Lambda and the command never load', () => {
    // esbuild marks each bundled module with a `// node_modules/<package>/...` comment.
    const bundles = files.filter((f) => /^assets\/.*\.js$/.test(f));
    expect(bundles.length).toBeGreaterThan(1);
    const withCdk = bundles.filter((f) => /^\/\/ node_modules\/(aws-cdk-lib|constructs)\//m.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(withCdk).toEqual([]);
  });

  test('its engines field asks for the Node.js version the README asks for', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const asked = [...readme.matchAll(/Node\.js (\d+) or later/g)].map((m) => Number(m[1]));
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked).size).toBe(1);
    expect(manifest.engines?.node).toBe(`>= ${asked[0]}.0.0`);
  });
});

describe('an app on cdk-nag 2', () => {
  let dir: string;

  beforeAll(() => {
    dir = installProject('beside-cdk-nag-2', [`aws-cdk-lib@${pinned['aws-cdk-lib']}`, `constructs@${pinned.constructs}`, 'cdk-nag@^2']).dir;
  });

  test('npm installs the package beside it', () => {
    expect(installedVersion(dir, 'cdk-nag')).toMatch(/^2\./);
    expect(installedVersion(dir, PACKAGE_NAME)).toBe(manifest.version);
  });

  test('npm still refuses a peer the package cannot work with, so the install above proves something', () => {
    // aws-cdk-lib accepts constructs 10.5.0; only this package's peer range (^10.5.1) refuses it.
    const r = run('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--ignore-scripts', packLibrary(), 'constructs@10.5.0'], dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERESOLVE/);
  });

  test('loading the package, and running the Bedrock rule pack, loads no cdk-nag', () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('/node_modules/cdk-nag/'));
      const lib = require('${PACKAGE_NAME}');
      const { App, Stack } = require('aws-cdk-lib');
      const iam = require('aws-cdk-lib/aws-iam');
      const stack = new Stack(new App(), 'Existing', { env: { account: '111122223333', region: 'us-east-1' } });
      new lib.BedrockInvokeRole(stack, 'Role', { models: [lib.ModelReference.parse('us.anthropic.claude-sonnet-4-6')], trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
      const wide = new iam.Role(stack, 'Wide', { assumedBy: new iam.AccountPrincipal('111122223333') });
      wide.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
      const findings = new lib.BedrockAccessChecks().validateScope(stack).violations.map((v) => v.ruleMetadata.findings);
      const before = loaded();
      require('cdk-nag');
      console.log(JSON.stringify({ before, after: loaded(), findings }));
    `;
    const r = runOrThrow(process.execPath, ['-e', script], dir);
    // `after` shows the check sees cdk-nag once something loads it.
    expect(JSON.parse(r.stdout)).toEqual({ before: false, after: true, findings: ['BedrockAccess-InvokeOnWildcard[Resource::*]'] });
  });
});
