import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** Git-ignored and npm-ignored: npm projects kept between runs, so a second run downloads only what changed. */
export const CACHE = path.join(ROOT, '.toolchain-cache');

/** The package name users install, as the packed tarball declares it. */
export const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name;

/** What a command printed, and how it ended. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs a command to completion; npm's settings of an enclosing `npm test` are not passed on. */
export function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): RunResult {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') || k === 'npm_config_cache'));
  const started = Date.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`, seconds: (Date.now() - started) / 1000 };
}

/** Runs a command and throws with its output when it fails. */
export function runOrThrow(command: string, args: string[], cwd: string, env: Record<string, string> = {}): RunResult {
  const r = run(command, args, cwd, env);
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** Every TypeScript source of lib/ (declarations aside). */
function librarySources(dir = path.join(ROOT, 'lib')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return librarySources(p);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/**
 * Compiles lib/ in place when a source is newer than its JavaScript. `npm test` runs the jsii compile
 * first, so this only acts when jest runs alone; tsc with the jsii tsconfig writes the same lib/*.js.
 */
export function ensureCompiled(): void {
  const stale = librarySources().some((ts) => {
    const js = ts.replace(/\.ts$/, '.js');
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(ts).mtimeMs;
  });
  if (stale) {
    runOrThrow(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], ROOT);
  }
}

let packed: string | undefined;

/** Packs the library as `npm publish` would (after a compile if needed); returns the tarball's path. */
export function packLibrary(): string {
  if (packed) {
    return packed;
  }
  if (!fs.existsSync(path.join(ROOT, 'assets', 'lib', 'cli', 'main'))) {
    throw new Error('assets/ is missing: run `npx projen bundle` (npm test does) before the toolchain tests');
  }
  ensureCompiled();
  // A fresh folder per process (jest runs test files side by side); the tarball is never reused.
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'packed-library-'));
  process.once('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
  const r = runOrThrow('npm', ['pack', '--json', '--pack-destination', dest], ROOT);
  packed = path.join(dest, JSON.parse(r.stdout)[0].filename);
  return packed;
}

/** What `npm pack --dry-run --json` reports: the files the tarball would hold. */
export function packedFiles(): string[] {
  ensureCompiled();
  const r = runOrThrow('npm', ['pack', '--dry-run', '--json'], ROOT);
  return JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
}

/** An npm project under the cache folder, with the packed library installed beside `dependencies`. */
export interface InstalledProject {
  readonly dir: string;
  /** The output of `npm install`. */
  readonly install: RunResult;
}

/**
 * Installs the packed library and `dependencies` (npm specs such as `aws-cdk-lib@latest`) into
 * `.toolchain-cache/<name>`, keeping what an earlier run installed; throws when npm refuses.
 */
export function installProject(name: string, dependencies: string[]): InstalledProject {
  const tarball = packLibrary();
  const dir = path.join(CACHE, name);
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `toolchain-${name}`, version: '0.0.0', private: true }, undefined, 2));
  }
  // The tarball keeps its name from run to run; drop the old copy so npm unpacks the new one.
  fs.rmSync(path.join(dir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
  const install = runOrThrow('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...dependencies], dir);
  return { dir, install };
}

/** The version of a package installed in a project. */
export function installedVersion(dir: string, pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}
