import * as fs from 'fs';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CatalogFile, validateCatalogFile } from '../../models/catalog-file';
import { AwsProblem } from '../aws-errors';
import { EXIT_COMMAND_FAILED } from '../findings';
import { UsageError } from '../usage-error';
import { buildCatalog, RegionObservation } from './build-catalog';
import { catalogText, describeChanges } from './catalog-text';
import { observeRegion } from './observe-region';

export interface RefreshInput {
  /** The catalog file to rewrite, such as `lib/models/catalog.json`. */
  readonly file: string;
  readonly regions: readonly string[];
  readonly clientFor: (region: string) => BedrockClient;
  /** Write nothing; exit 1 when the file would change (for CI). */
  readonly check?: boolean;
}

export interface RefreshResult {
  readonly output: string;
  /** 0 done, 1 some Regions failed or `--check` found a difference, 4 nothing could be done. */
  readonly exitCode: number;
  readonly changed: boolean;
}

// A few Regions at a time: quick enough, and gentle on Bedrock's request rate.
const CONCURRENCY = 4;

/** Asks each Region for its Claude profiles and rewrites the catalog file when AWS changed something. */
export async function runRefresh(input: RefreshInput): Promise<RefreshResult> {
  const before = readCatalog(input.file);
  const answers = await mapLimited(input.regions, CONCURRENCY, async (region) => ({ region, outcome: await observeRegion(input.clientFor(region)) }));
  const observations: RegionObservation[] = [];
  const failures: Array<{ region: string; problem: AwsProblem }> = [];
  for (const { region, outcome } of answers) {
    if (outcome.ok) {
      observations.push({ region, profiles: outcome.value });
    } else {
      failures.push({ region, problem: outcome.problem });
    }
  }
  const lines: string[] = [];
  if (observations.length === 0) {
    lines.push(`No Region answered, so ${input.file} is unchanged.`);
    failures.forEach((f) => lines.push(`  ${f.region}: ${f.problem.reason}`));
    lines.push('Sign in to an account where Bedrock is available (aws sso login), then run the refresh again.');
    return { output: `${lines.join('\n')}\n`, exitCode: EXIT_COMMAND_FAILED, changed: false };
  }
  const { catalog, notes } = buildCatalog(before.catalog, observations);
  const text = catalogText(catalog);
  const changed = text !== before.text;
  const changes = describeChanges(before.catalog, catalog);
  lines.push(`Asked ${input.regions.length} Regions; ${observations.length} answered.`);
  if (changes.length === 0 && changed) {
    lines.push(`${input.file} was not in canonical order; the data is the same.`);
  } else if (changes.length === 0) {
    lines.push(`${input.file} already matches AWS.`);
  } else {
    lines.push(`${input.check ? 'Would change' : 'Changed'} in ${input.file}:`, ...changes.map((c) => `  ${c}`));
  }
  notes.forEach((n) => lines.push(`Note: ${n}`));
  if (failures.length > 0) {
    lines.push('These Regions did not answer; their entries were kept as they were:');
    failures.forEach((f) => lines.push(`  ${f.region}: ${f.problem.reason}`));
  }
  if (changed && !input.check) {
    fs.writeFileSync(input.file, text);
  }
  const exitCode = failures.length > 0 || (input.check && changed) ? 1 : 0;
  return { output: `${lines.join('\n')}\n`, exitCode, changed };
}

function readCatalog(file: string): { catalog: CatalogFile; text: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the catalog '${file}' (${(e as NodeJS.ErrnoException).code ?? String(e)}): `
      + 'run the refresh from the repository root, or pass --file <path to catalog.json>');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`'${file}' is not a catalog file (a JSON object with "models" and "schemaVersion"): restore it from git and run again`);
  }
  try {
    // The same check the library makes when it loads the catalog: a refresh never writes prices it could not read.
    return { catalog: validateCatalogFile(parsed, file), text };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
