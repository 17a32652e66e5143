import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { GOOD_ENV, Sandbox } from './cli-harness';
import {
  EXAMPLE_ACCESS_KEY_ID, EXAMPLE_LONG_TERM_API_KEY, EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SESSION_TOKEN, EXAMPLE_SHORT_TERM_API_KEY,
} from './fixtures/aws-examples';
import { OPTIONS } from '../../lib/cli/cli-args';
import { EXIT_CODE_BY_SEVERITY, exitCodeFor, Finding, Severity } from '../../lib/cli/findings';
import { packageVersion } from '../../lib/cli/package-version';

const bedrock = mockClient(BedrockClient);

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
  bedrock.reset();
});
afterEach(() => box.cleanup());

const finding = (severity: Severity): Finding => ({ id: severity, severity, title: severity, detail: '' });

describe('exit codes', () => {
  test('follow the worst severity: 0 info or low, 1 medium, 2 high, 3 critical', () => {
    expect(exitCodeFor([])).toBe(0);
    expect(exitCodeFor([finding('info'), finding('low')])).toBe(0);
    expect(exitCodeFor([finding('low'), finding('medium')])).toBe(1);
    expect(exitCodeFor([finding('high'), finding('medium'), finding('info')])).toBe(2);
    expect(exitCodeFor([finding('critical'), finding('high')])).toBe(3);
    expect(EXIT_CODE_BY_SEVERITY).toEqual({ critical: 3, high: 2, medium: 1, low: 0, info: 0 });
  });

  test('the process exit code and --json agree', async () => {
    box.settings('user', { env: { ...GOOD_ENV, AWS_REGION: 'eu-west-1' } });
    const { code, stdout } = await box.run(['doctor', '--json', '--offline']);
    const report = JSON.parse(stdout);
    expect(report.worstSeverity).toBe('high');
    expect(report.exitCode).toBe(2);
    expect(code).toBe(2);
  });
});

describe('command line', () => {
  test('no arguments or help prints the usage and exits 0', async () => {
    for (const args of [[], ['help'], ['--help'], ['-h']]) {
      const { code, stdout } = await box.run(args);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: cdk-bedrock-least-privilege <command> [options]');
      expect(stdout).toMatch(/^ {2}doctor {2,}Audits/m);
      expect(stdout).toMatch(/^ {2}configure {2,}Writes/m);
    }
  });

  test.each([
    [['doctor', '--help'], 'doctor'],
    [['doctor', '-h'], 'doctor'],
    [['doctor', '--json', '--offline', '-h'], 'doctor'],
    [['help', 'doctor'], 'doctor'],
    [['configure', '--help'], 'configure'],
    [['configure', '-h'], 'configure'],
    // Help needs no other option, not even the required --stack.
    [['configure', '--region', 'eu-west-1', '--help'], 'configure'],
    [['catalog', 'refresh', '--help'], 'catalog refresh'],
    [['catalog', 'refresh', '-h'], 'catalog refresh'],
    [['catalog', '--help'], 'catalog refresh'],
  ])('%j prints the usage of %s and exits 0', async (args, command) => {
    const { code, stdout, stderr } = await box.run(args);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.split('\n')[0]).toBe(`Usage: cdk-bedrock-least-privilege ${command} ${command === 'configure' ? '--stack <name> ' : ''}[options]`);
  });

  test.each(Object.entries(OPTIONS))('every option of %s is explained with its default, or as required', async (command, options) => {
    const { stdout } = await box.run([...command.split('-'), '--help']);
    // Each option's paragraph runs from its line to the next option's.
    const paragraphs = stdout.split(/\n(?= {2}-)/);
    for (const option of [...options.valued, ...options.switches]) {
      const paragraph = paragraphs.find((p) => p.trimStart().startsWith(option));
      expect([option, paragraph]).toEqual([option, expect.stringMatching(/Default:|Required\./)]);
    }
  });

  test('--construct says what the id is', async () => {
    const { stdout } = await box.run(['configure', '--help']);
    expect(stdout).toContain("the id passed to new ClaudeCodeBedrockAccess(this, '<id>', ...)");
  });

  test('the maintainer command is not listed for users, and its own help says it is for maintainers', async () => {
    const general = (await box.run(['--help'])).stdout;
    expect(general).not.toMatch(/^ {2}catalog/m);
    const own = (await box.run(['catalog', 'refresh', '--help'])).stdout;
    expect(own).toContain('MAINTAINER COMMAND');
    expect(own).toContain('node_modules');
  });

  test('--version prints the version of the package', async () => {
    const { code, stdout } = await box.run(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect([code, stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  test('the version is found from the bundle\'s folder as from the sources\'', () => {
    const root = path.join(__dirname, '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(packageVersion(path.join(root, 'assets', 'lib', 'cli', 'main'))).toBe(pkg.version);
    expect(packageVersion(os.tmpdir())).toBe('unknown');
  });

  test('a bad option names the command\'s own usage, not every command\'s', async () => {
    const { stderr } = await box.run(['configure', '--stack', 's', '--jsn']);
    expect(stderr).toContain("unknown option '--jsn'");
    expect(stderr).toContain('Usage: cdk-bedrock-least-privilege configure');
    expect(stderr).not.toContain('Usage: cdk-bedrock-least-privilege doctor');
  });

  test.each([
    [['doctr'], "unknown command 'doctr'"],
    [['doctor', '--jsn'], "unknown option '--jsn'"],
    [['doctor', '--project'], '--project needs a value'],
    [['doctor', '--principal-arn', 'ClaudeCode'], "--principal-arn 'ClaudeCode' is not an IAM user or role ARN"],
    [['catalog', 'update'], "unknown catalog command 'update'"],
    [['catalog', 'refresh', '--regions', 'us-east-1,mars-1'], "--regions has 'mars-1'"],
  ])('%j fails with exit 4 and one clear line, no stack trace', async (args, message) => {
    const { code, stderr, stdout } = await box.run(args);
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toContain(`cdk-bedrock-least-privilege: ${message}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('--project points the doctor at another project folder', async () => {
    box.settings('project', { env: { AWS_REGION: 'eu-west-1' } });
    const { stdout } = await box.run(['doctor', '--json', '--offline', '--project', box.project]);
    expect(JSON.parse(stdout).effective.AWS_REGION.value).toBe('eu-west-1');
  });
});

describe('no secret is printed, in either output mode', () => {
  const SECRETS = [EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SESSION_TOKEN, EXAMPLE_LONG_TERM_API_KEY, EXAMPLE_SHORT_TERM_API_KEY];

  function setUp() {
    box.settings('user', { env: { ...GOOD_ENV, AWS_ACCESS_KEY_ID: EXAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY } });
    box.settings('local', { env: { AWS_SESSION_TOKEN: EXAMPLE_SESSION_TOKEN, AWS_BEARER_TOKEN_BEDROCK: EXAMPLE_LONG_TERM_API_KEY } });
    // A misbehaving error that echoes the credentials back: the redactor must still catch them.
    bedrock.on(ListInferenceProfilesCommand).rejects(Object.assign(
      new Error(`signature mismatch for ${EXAMPLE_ACCESS_KEY_ID}/${EXAMPLE_SECRET_ACCESS_KEY} token ${EXAMPLE_SESSION_TOKEN}`),
      { name: 'SignatureDoesNotMatch' },
    ));
  }

  test.each([[['doctor']], [['doctor', '--json']]])('%j', async (args) => {
    setUp();
    const { stdout, stderr, code } = await box.run(args, { AWS_BEARER_TOKEN_BEDROCK: EXAMPLE_SHORT_TERM_API_KEY });
    const everything = stdout + stderr;
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(EXAMPLE_ACCESS_KEY_ID);
    // The key id is masked, not dropped: the developer can still tell which key it is.
    expect(everything).toContain('AKIA************MPLE');
    // The findings themselves survive redaction.
    expect(everything).toContain('Credentials written in');
    expect(code).toBe(3);
  });
});
