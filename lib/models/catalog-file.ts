import * as path from 'path';

/** The on-disk shape of `catalog.json`, written by `catalog refresh`. */
export interface CatalogFileEntry {
  readonly displayName: string;
  readonly geographic?: { readonly [prefix: string]: { readonly [sourceRegion: string]: string[] } };
  readonly global?: string[];
  readonly inRegion?: string[];
}

export interface CatalogFile {
  readonly schemaVersion: number;
  readonly models: { readonly [modelId: string]: CatalogFileEntry };
}

/** The catalog file shipped with the package, next to this module. */
export const CATALOG_FILE = path.join(__dirname, 'catalog.json');
