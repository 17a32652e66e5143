import { ModelCatalog } from './catalog';
import { CatalogPrice } from './catalog-file';
import { Geography } from './geography';

/**
 * What Bedrock charges for a model's tokens, in US dollars per million, with where the figure comes from.
 * The table lives in catalog.json (`prices`), dated and sourced in CATALOG-SOURCES.md; users override it.
 */
export interface ModelPrice {
  readonly inputPerMillionUsd: number;
  readonly outputPerMillionUsd: number;
  readonly cacheReadPerMillionUsd: number;
  readonly cacheWritePerMillionUsd: number;
  /** The page the figures were read from. */
  readonly source: string;
  /** The day they were read (YYYY-MM-DD). */
  readonly checkedOn: string;
}

const PREFIXES = Geography.all().map((g) => g.prefix);
// Bedrock's long-context variant (`...[1m]`) is the same model at the same per-token price.
const CONTEXT_SUFFIX = /\[1m\]$/;

/**
 * The price of a model, by foundation-model id or by any profile id naming it (`us.`, `global.`, ...).
 * Contract shared by the spend-rate cap and the usage guard's cost weighting.
 *
 * A `global.` profile is billed at the catalog's list price; a geographic profile and a call without a
 * profile carry the catalog's regional premium (AWS: global "offers approximately 10% savings ... compared
 * to geographic cross-Region inference", docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html).
 *
 * @returns undefined when the catalog has no price for the model, or the id names no model
 */
export function priceOf(modelId: string): ModelPrice | undefined {
  const id = modelId.replace(CONTEXT_SUFFIX, '');
  const dot = id.indexOf('.');
  const prefix = dot > 0 ? id.slice(0, dot) : '';
  const isProfile = PREFIXES.includes(prefix);
  const entry = ModelCatalog.builtIn()._price(isProfile ? id.slice(dot + 1) : id);
  if (!entry) {
    return undefined;
  }
  return priced(entry, isProfile && prefix === Geography.GLOBAL.prefix ? 0 : entry.regionalPremiumPercent);
}

function priced(entry: CatalogPrice, premiumPercent: number): ModelPrice {
  // Rounded to a millionth of a dollar per million tokens, so 3 x 1.1 reads 3.3, not 3.3000000000000003.
  const scale = (usd: number) => Math.round(usd * (100 + premiumPercent) * 10_000) / 1_000_000;
  return {
    inputPerMillionUsd: scale(entry.inputPerMillionUsd),
    outputPerMillionUsd: scale(entry.outputPerMillionUsd),
    cacheReadPerMillionUsd: scale(entry.cacheReadPerMillionUsd),
    cacheWritePerMillionUsd: scale(entry.cacheWritePerMillionUsd),
    source: entry.source,
    checkedOn: entry.checkedOn,
  };
}
