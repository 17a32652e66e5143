import * as path from 'path';

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

export interface CatalogFile {
  readonly schemaVersion: number;
  /** The day the data was last checked against AWS (YYYY-MM-DD): end-of-life dates are judged against it, never the clock. */
  readonly checkedOn?: string;
  readonly models: { readonly [modelId: string]: CatalogFileEntry };
}

/** The catalog file shipped with the package, next to this module. */
export const CATALOG_FILE = path.join(__dirname, 'catalog.json');
