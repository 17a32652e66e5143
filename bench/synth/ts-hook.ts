/**
 * Preloaded (`node -r`) into each synth child: loads `.ts` files from a transpile cache the warm-up
 * run fills, so a measured run pays what loading compiled JavaScript costs, not TypeScript's compiler.
 * Written to a temporary directory as JavaScript by the parent; never part of the library.
 */
import * as fs from 'fs';
import Module from 'module';

const cacheFile = process.env.BENCH_TS_CACHE;
if (!cacheFile) {
  throw new Error('BENCH_TS_CACHE is not set: the synth benchmark starts this hook');
}
const cache: Record<string, { mtimeMs: number; code: string }> = fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, 'utf8')) : {};
let misses = 0;

type Loader = (module: { _compile(code: string, filename: string): void }, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

extensions['.ts'] = (module, filename) => {
  const mtimeMs = fs.statSync(filename).mtimeMs;
  let entry = cache[filename];
  if (!entry || entry.mtimeMs !== mtimeMs) {
    // Only the warm-up run gets here: loaded lazily, so measured runs never load the compiler.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = esbuild.transformSync(fs.readFileSync(filename, 'utf8'), { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: filename });
    entry = { mtimeMs, code: out.code };
    cache[filename] = entry;
    misses++;
    // Read by the harness: a measured run that had to transpile is not a clean measurement.
    (globalThis as { benchTsMisses?: number }).benchTsMisses = misses;
  }
  module._compile(entry.code, filename);
};

// Prefer `x.ts` to a stale compiled `x.js` next to it, as `ts-node --prefer-ts-exts` does: Node tries
// extensions in the order they were registered, so move every other one behind `.ts`.
for (const ext of Object.keys(extensions).filter((e) => e !== '.ts')) {
  const loader = extensions[ext];
  delete extensions[ext];
  extensions[ext] = loader;
}

process.on('exit', () => {
  if (misses > 0) {
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
  }
});
