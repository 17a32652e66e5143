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

/**
 * The price of a model, by foundation-model id or by any profile id naming it (`us.`, `global.`, ...).
 * Contract shared by the spend-rate cap and the usage guard's cost weighting; the table is filled in
 * with the spend-rate cap.
 */
export function priceOf(_modelId: string): ModelPrice | undefined {
  return undefined;
}
