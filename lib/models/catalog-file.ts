import * as path from 'path';
import { Geography } from './geography';

/** The on-disk shape of `catalog.json`, written by `catalog refresh`. */
export interface CatalogFileEntry {
  readonly displayName: string;
  readonly geographic?: { readonly [prefix: string]: { readonly [sourceRegion: string]: string[] } };
  readonly global?: string[];
  readonly inRegion?: string[];
  /** Bedrock's lifecycle dates (YYYY-MM-DD), when AWS has announced them. */
  readonly lifecycle?: CatalogLifecycle;
}

/** When a model entered Legacy and when it reaches end of life on Bedrock. */
export interface CatalogLifecycle {
  readonly legacy?: string;
  readonly endOfLife: string;
}

/**
 * A model's list prices in US dollars per million tokens, as the `global.` profile is billed, with the
 * premium Bedrock adds for a geographic profile or an in-Region call. Kept by hand (CATALOG-SOURCES.md):
 * the profile APIs the refresh reads carry no prices.
 */
export interface CatalogPrice {
  readonly inputPerMillionUsd: number;
  readonly outputPerMillionUsd: number;
  readonly cacheReadPerMillionUsd: number;
  readonly cacheWritePerMillionUsd: number;
  /** What a geographic profile (`us.`, `eu.` ...) or an in-Region call costs above `global.`, in percent. */
  readonly regionalPremiumPercent: number;
  /** The page the figures were read from. */
  readonly source: string;
  /** The day they were read (YYYY-MM-DD). */
  readonly checkedOn: string;
}

export interface CatalogFile {
  readonly schemaVersion: number;
  /** The day the data was last checked against AWS (YYYY-MM-DD): end-of-life dates are judged against it, never the clock. */
  readonly checkedOn?: string;
  readonly models: { readonly [modelId: string]: CatalogFileEntry };
  /** Prices by foundation-model id. */
  readonly prices?: { readonly [modelId: string]: CatalogPrice };
}

/** The catalog file shipped with the package, next to this module. */
export const CATALOG_FILE = path.join(__dirname, 'catalog.json');

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PROFILE_PREFIXES = Geography.all().map((g) => `${g.prefix}.`);
const PRICE_FIGURES = ['inputPerMillionUsd', 'outputPerMillionUsd', 'cacheReadPerMillionUsd', 'cacheWritePerMillionUsd'] as const;
// A premium past this is a typo (a factor written as percent), never a Bedrock price.
const MAX_PREMIUM_PERCENT = 100;

/**
 * Checks a parsed catalog file and returns it typed; throws naming the entry and the fix when it is
 * not one. A price the spend-rate cap multiplies by must never be silently missing or a string.
 */
export function validateCatalogFile(value: unknown, where: string = 'catalog.json'): CatalogFile {
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what}; fix the entry (lib/models/CATALOG-SOURCES.md says where each figure comes from) or restore the file from git`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail('is not a JSON object with "models" and "schemaVersion"');
  }
  const file = value as Record<string, unknown>;
  if (!file.models || typeof file.models !== 'object' || Array.isArray(file.models)) {
    fail('has no "models" object');
  }
  if (file.prices === undefined) {
    return value as CatalogFile;
  }
  if (!file.prices || typeof file.prices !== 'object' || Array.isArray(file.prices)) {
    fail('"prices" must be an object keyed by foundation-model id');
  }
  for (const [modelId, raw] of Object.entries(file.prices as Record<string, unknown>)) {
    const at = `prices['${modelId}']`;
    if (!/^[a-z0-9-]+\.[a-z0-9.:-]+$/.test(modelId) || PROFILE_PREFIXES.some((p) => modelId.startsWith(p))) {
      fail(`${at} is not keyed by a foundation-model id such as 'anthropic.claude-sonnet-4-6' (no profile prefix)`);
    }
    if (!raw || typeof raw !== 'object') {
      fail(`${at} must be an object with ${PRICE_FIGURES.join(', ')}, regionalPremiumPercent, source and checkedOn`);
    }
    const price = raw as Record<string, unknown>;
    for (const figure of PRICE_FIGURES) {
      const v = price[figure];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        fail(`${at}.${figure} is ${JSON.stringify(v)}; it must be a number of US dollars per million tokens, 0 or more`);
      }
    }
    if ((price.inputPerMillionUsd as number) === 0 || (price.outputPerMillionUsd as number) === 0) {
      fail(`${at} prices input or output at 0, which would make every call to the model look free to the spend-rate cap`);
    }
    const premium = price.regionalPremiumPercent;
    if (typeof premium !== 'number' || !Number.isFinite(premium) || premium < 0 || premium > MAX_PREMIUM_PERCENT) {
      fail(`${at}.regionalPremiumPercent is ${JSON.stringify(premium)}; give a percentage from 0 to ${MAX_PREMIUM_PERCENT} (Bedrock's is 10)`);
    }
    if (typeof price.source !== 'string' || !price.source.startsWith('https://')) {
      fail(`${at}.source is ${JSON.stringify(price.source)}; give the https:// address of the page the figures come from`);
    }
    if (typeof price.checkedOn !== 'string' || !DAY.test(price.checkedOn)) {
      fail(`${at}.checkedOn is ${JSON.stringify(price.checkedOn)}; give the day the figures were read as YYYY-MM-DD`);
    }
  }
  return value as CatalogFile;
}
