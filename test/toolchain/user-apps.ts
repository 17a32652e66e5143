import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { PACKAGE_NAME, ROOT, run } from './packed-library';
import { docSnippets, userAppCompilerOptions } from '../support/readme-snippets';

/** A TypeScript file a user would write: an example app or a README snippet. */
export interface UserApp {
  /** Where it comes from, such as `examples/drift/app.ts`, `README snippet 3` or `docs/detection.md snippet 0`. */
  readonly name: string;
  /** Its path inside the project. */
  readonly file: string;
  readonly source: string;
  /** It builds an App and synthesizes it when run. */
  readonly synthesizes: boolean;
}

/** Every example and README or docs snippet, with imports of the library's sources turned into the package name. */
export function userApps(): UserApp[] {
  const examples = path.join(ROOT, 'examples');
  const exampleFiles = fs.readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
  const fromExamples = exampleFiles.map((f) => ({
    name: `examples/${f}`,
    file: path.join('examples', f),
    source: fs.readFileSync(path.join(examples, f), 'utf8').replace(/from '(\.\.\/)+lib(\/[\w/-]+)?'/g, `from '${PACKAGE_NAME}'`),
    synthesizes: path.basename(f) === 'app.ts',
  }));
  const fromDocs = docSnippets().map(({ name, fileName, code }) => {
    const synthesizes = /const app = new App\(/.test(code);
    // A snippet stops where the user's app would go on; synthesize it as `cdk synth` would.
    const ending = synthesizes && !/app\.synth\(\)/.test(code) ? 'app.synth();\n' : '';
    return { name, file: path.join('snippets', fileName), source: `${code}${ending}export {};\n`, synthesizes };
  });
  return [...fromExamples, ...fromDocs];
}

/** Writes the apps and a tsconfig into an installed project. */
export function writeUserApps(dir: string, apps: UserApp[]): void {
  for (const app of apps) {
    fs.mkdirSync(path.dirname(path.join(dir, app.file)), { recursive: true });
    fs.writeFileSync(path.join(dir, app.file), app.source);
  }
  // ts-node runs them as CommonJS modules, types unchecked: typeErrors checks them once, the way a user's tsc would.
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', target: 'ES2022', rootDir: '.', esModuleInterop: true, resolveJsonModule: true } }));
}

/** Type errors of the apps against the project's installed packages, as `file:line message`. */
export function typeErrors(dir: string, apps: UserApp[]): string[] {
  const program = ts.createProgram(apps.map((a) => path.join(dir, a.file)), userAppCompilerOptions());
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The context `cdk synth` passes an app created by `cdk init`: the version's recommended flags and the CLI's defaults. */
export function cdkInitContext(dir: string): Record<string, unknown> {
  // `cdk init` copies exactly this file into cdk.json (aws-cdk CLI, lib/commands/init/init.ts, applyFutureFlags).
  const flags = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8'));
  // What the CLI adds on every synth unless told otherwise (path, asset metadata and version reporting).
  return { ...flags, 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:version-reporting': true };
}

/** What one app's synth printed: the deprecated APIs a watched folder called, and the rules that failed. */
export interface SynthOutcome {
  readonly ok: boolean;
  readonly output: string;
  /** `<folder>: <deprecated API>` for each deprecated call made from a watched folder. */
  readonly deprecatedCalls: string[];
  /** Rule ids of failed validations, such as `CloudFormation-Validate::E3510` or `AwsSolutions-IAM5[...]`. */
  readonly failedRules: string[];
}

/** The part of a stream between `@@APP <name>` and its `@@END` line. */
function section(stream: string, name: string): string {
  const start = stream.indexOf(`@@APP ${name}\n`);
  const end = stream.indexOf(`@@END ${name} `, start);
  return start < 0 ? '' : stream.slice(start, end < 0 ? undefined : end);
}

/**
 * Synthesizes the apps one after another in one Node.js process, as `cdk synth` would run each (the
 * context in CDK_CONTEXT_JSON, the output in CDK_OUTDIR), with the deprecation tracer watching calls
 * made from `watchedDirs`. Returns each app's outcome by name, and the seconds it all took.
 */
export function synthesize(
  dir: string, apps: UserApp[], context: Record<string, unknown>, watchedDirs: string[],
): { outcomes: Map<string, SynthOutcome>; seconds: number } {
  const outdir = path.join(dir, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const r = run(process.execPath, [
    '-r', path.join(ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only'),
    '-r', path.join(__dirname, 'deprecation-tracer.js'),
    path.join(__dirname, 'synth-runner.js'),
    JSON.stringify(apps.map((a) => ({ name: a.name, file: a.file }))),
  ], dir, {
    TS_NODE_PROJECT: path.join(dir, 'tsconfig.json'),
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    TRACE_LIBRARY_DIRS: watchedDirs.join(path.delimiter),
  });
  if (r.status !== 0) {
    throw new Error(`the synth runner exited with ${r.status}:\n${r.stderr}`);
  }
  const outcomes = new Map(apps.map((app) => {
    const output = `${section(r.stdout, app.name)}\n${section(r.stderr, app.name)}`;
    const outcome: SynthOutcome = {
      ok: r.stdout.includes(`@@END ${app.name} ok\n`),
      output,
      deprecatedCalls: [...output.matchAll(/^DEPRECATED-CALL-BY (.*?): \[WARNING\] (\S+)/gm)].map((m) => `${m[1]}: ${m[2]}`),
      failedRules: [...new Set(output.match(/CloudFormation-Validate::E\d+|\b[A-Za-z][\w.]*-[A-Za-z0-9]+\[[^\]\n]*\]/g) ?? [])].sort(),
    };
    return [app.name, outcome] as const;
  }));
  return { outcomes, seconds: r.seconds };
}
