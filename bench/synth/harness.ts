import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/** What one child reports, in milliseconds since the process started (Node's own clock origin). */
export interface SynthTimings {
  /** Node.js started and every module of the app is loaded. */
  readonly loaded: number;
  /** The construct tree is built. */
  readonly constructed: number;
  /** `app.synth()` returned: templates, assets and (when registered) cdk-nag validation done. */
  readonly synthesized: number;
  readonly stacks: number;
  readonly resources: number;
  /** Source files the run had to transpile because they changed since the warm-up (0 when clean). */
  readonly transpiled: number;
}

/** Builds and synthesizes the app in a fresh output directory, then prints the timings as one JSON line. */
export function runSynth(build: (app: App) => void): void {
  const loaded = performance.now();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  try {
    const app = new App({ outdir });
    build(app);
    const constructed = performance.now();
    const assembly = app.synth();
    const synthesized = performance.now();
    const resources = assembly.stacks.reduce((n, s) => n + Object.keys((s.template as { Resources?: object }).Resources ?? {}).length, 0);
    const transpiled = (globalThis as { benchTsMisses?: number }).benchTsMisses ?? 0;
    const timings: SynthTimings = { loaded, constructed, synthesized, stacks: assembly.stacks.length, resources, transpiled };
    process.stdout.write(`${JSON.stringify(timings)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Removes the validation plugins (the cdk-nag packs) an app registered, to time synthesis without
 * them. aws-cdk-lib keeps them in a private list; fail loudly if that ever changes.
 */
export function withoutValidationPlugins(app: App): void {
  const list = (app as unknown as { _policyValidation?: unknown[] })._policyValidation;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error('found no validation plugins on the app: aws-cdk-lib changed how it stores them, or the app registers none');
  }
  list.length = 0;
}
