import * as fs from 'fs';
import * as path from 'path';
import { installedVersion, installProject, PACKAGE_NAME, ROOT } from './packed-library';
import { cdkInitContext, SynthOutcome, synthesize, typeErrors, UserApp, userApps, writeUserApps } from './user-apps';

/** The versions the repository pins: the floor of the peer range. */
const pinned = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies;

const TARGETS = [
  { target: 'the aws-cdk-lib floor', project: 'floor', dependencies: ['aws-cdk-lib', 'constructs', 'cdk-nag'].map((p) => `${p}@${pinned[p]}`) },
  { target: 'the newest aws-cdk-lib', project: 'newest', dependencies: ['aws-cdk-lib@latest', 'constructs@latest', 'cdk-nag@latest'] },
];

/** Stand-ins that show the checks can fail: they run after the user's apps, in the same process. */
const PROBES: UserApp[] = [
  {
    // The permission-set shape shipped before issue 11: a policy variable in the account segment of an ARN.
    name: 'probe: account variable in an ARN',
    file: path.join('probes', 'account-variable-in-arn.ts'),
    synthesizes: true,
    source: `import { App, Stack } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
const app = new App();
const stack = new Stack(app, 'Probe', { env: { region: 'us-east-1' } });
new sso.CfnPermissionSet(stack, 'Set', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  name: 'Probe',
  inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:us-east-1:\${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6' }] },
});
app.synth();
export {};
`,
  },
  {
    // A watched folder that calls an API the newest aws-cdk-lib deprecates, as lib/drift did before.
    name: 'probe: deprecated call',
    file: path.join('probe-library', 'deprecated-call.ts'),
    synthesizes: true,
    source: `import { App, CfnResource, Stack } from 'aws-cdk-lib';
const stack = new Stack(new App(), 'Probe');
const topic = new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue' }).addDependency(topic);
export {};
`,
  },
];

describe.each(TARGETS)('against $target', ({ project, dependencies }) => {
  const apps = userApps();
  let dir: string;
  let context: Record<string, unknown>;
  let outcomes: Map<string, SynthOutcome>;

  beforeAll(() => {
    dir = installProject(project, dependencies).dir;
    writeUserApps(dir, [...apps, ...PROBES]);
    context = cdkInitContext(dir);
    const libraryDir = path.join(dir, 'node_modules', PACKAGE_NAME);
    outcomes = synthesize(dir, [...apps.filter((a) => a.synthesizes), ...PROBES], context, [libraryDir, path.join(dir, 'probe-library')]).outcomes;
  });

  test('npm installed the packed library beside the version under test', () => {
    const version = installedVersion(dir, 'aws-cdk-lib');
    const [major, minor] = version.split('.').map(Number);
    const [, floorMinor] = pinned['aws-cdk-lib'].split('.').map(Number);
    expect(project === 'floor' ? version === pinned['aws-cdk-lib'] : major === 2 && minor >= floorMinor).toBe(true);
    expect(fs.existsSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'lib', 'index.js'))).toBe(true);
  });

  test('every example and README snippet compiles against its types', () => {
    expect(apps.filter((a) => a.name.startsWith('README')).length).toBeGreaterThan(1);
    expect(apps.filter((a) => a.synthesizes && a.name.startsWith('examples/')).length).toBeGreaterThan(1);
    expect(typeErrors(dir, apps)).toEqual([]);
  });

  test.each(apps.filter((a) => a.synthesizes).map((a) => a.name))('%s synthesizes with the flags cdk init writes, and the library calls nothing deprecated', (name) => {
    const outcome = outcomes.get(name)!;
    expect({ failedRules: outcome.failedRules, deprecatedCalls: outcome.deprecatedCalls }).toEqual({ failedRules: [], deprecatedCalls: [] });
    // Any other failure (a thrown error, a validation without rule ids) shows its output here.
    expect(outcome.ok ? '' : outcome.output).toBe('');
  });

  test('the deprecation tracer names a deprecated call made from a watched folder', () => {
    // The floor does not deprecate CfnResource#addDependency yet; the newest does, in favour of addResourceDependency.
    const expected = project === 'newest' ? [`${path.join(dir, 'probe-library')}: aws-cdk-lib.CfnResource#addDependency`] : [];
    expect(outcomes.get('probe: deprecated call')!.deprecatedCalls).toEqual(expected);
  });

  test('with CloudFormation validation on, an account variable in an ARN fails synth', () => {
    const validates = context['@aws-cdk/core:validateAgainstDefaultRules'] === true;
    expect(project === 'newest' ? validates : true).toBe(true);
    const outcome = outcomes.get('probe: account variable in an ARN')!;
    expect(outcome.failedRules).toEqual(validates ? ['CloudFormation-Validate::E3510'] : []);
  });
});
