import { CatalogFile, CatalogFileEntry, CatalogPrice, validateCatalogFile } from './catalog-file';
// Imported, not read from disk: a bundle (the command-line tool) carries the data with it.
import catalogJson from './catalog.json';
import { Geography } from './geography';

/** Where a cross-Region inference profile called from one Region may route a request. */
export interface RegionRoute {
  /** The Region the caller invokes the profile in, such as `eu-west-1`. */
  readonly sourceRegion: string;
  /** Every Region the profile may send the request to from that source, including the source when it serves. */
  readonly destinationRegions: string[];
}

let builtIn: ModelCatalog | undefined;

/**
 * Which Anthropic Claude models Bedrock serves and where each cross-Region inference profile routes.
 *
 * The built-in catalog is a committed data file taken from AWS documentation and refreshed with
 * `npx cdk-bedrock-least-privilege catalog refresh`. Models or routes it lacks can be supplied on a
 * `ModelReference` without waiting for a release.
 */
export class ModelCatalog {
  /** The catalog shipped with this version of the library. */
  public static builtIn(): ModelCatalog {
    if (!builtIn) {
      // Checked once, at first use: bad price data fails the synth that loads it, loudly, not a wrong alarm later.
      builtIn = new ModelCatalog(validateCatalogFile(catalogJson, 'lib/models/catalog.json'));
    }
    return builtIn;
  }

  private constructor(private readonly file: CatalogFile) {}

  /** Every foundation-model id in the catalog, sorted. */
  public modelIds(): string[] {
    return Object.keys(this.file.models).sort();
  }

  /** True when the catalog knows this foundation-model id. */
  public hasModel(modelId: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.file.models, modelId);
  }

  /**
   * The human name of a model, such as `Claude Sonnet 4.6`.
   *
   * @returns undefined when the catalog does not know the model
   */
  public displayName(modelId: string): string | undefined {
    return this.entry(modelId)?.displayName;
  }

  /** The routes of a geographic profile (`us.`, `eu.` ...) for a model, by source Region; empty when unknown. */
  public routes(modelId: string, geography: Geography): RegionRoute[] {
    const byRegion = this.entry(modelId)?.geographic?.[geography.prefix] ?? {};
    return Object.keys(byRegion)
      .sort()
      .map((sourceRegion) => ({ sourceRegion, destinationRegions: [...byRegion[sourceRegion]] }));
  }

  /** The Regions from which the model's `global.` profile may be called; empty when it has none. */
  public globalSourceRegions(modelId: string): string[] {
    return [...(this.entry(modelId)?.global ?? [])];
  }

  /**
   * The day the catalog's data was last checked against AWS (YYYY-MM-DD). End of life is judged
   * against it, not against the clock, so the same catalog always synthesizes the same way.
   */
  public get checkedOn(): string {
    return this.file.checkedOn ?? '1970-01-01';
  }

  /**
   * The day Bedrock ends the model (YYYY-MM-DD), after which every call to it fails.
   *
   * @returns undefined when AWS has announced no end of life
   */
  public endOfLife(modelId: string): string | undefined {
    return this.entry(modelId)?.lifecycle?.endOfLife;
  }

  /**
   * The day the model became Legacy on Bedrock (YYYY-MM-DD).
   *
   * @returns undefined when the catalog has no such date
   */
  public legacySince(modelId: string): string | undefined {
    return this.entry(modelId)?.lifecycle?.legacy;
  }

  /** True when the model's end of life is on or before the day the catalog was checked. */
  public isRetired(modelId: string): boolean {
    const end = this.endOfLife(modelId);
    return end !== undefined && end <= this.checkedOn;
  }

  /** The Regions where the model may be invoked directly, without a profile; empty for profile-only models. */
  public inRegionRegions(modelId: string): string[] {
    return [...(this.entry(modelId)?.inRegion ?? [])];
  }

  /**
   * The catalog's price entry for a foundation-model id, for `priceOf`.
   *
   * @internal
   */
  public _price(modelId: string): CatalogPrice | undefined {
    const prices = this.file.prices ?? {};
    return Object.prototype.hasOwnProperty.call(prices, modelId) ? prices[modelId] : undefined;
  }

  private entry(modelId: string): CatalogFileEntry | undefined {
    return this.hasModel(modelId) ? this.file.models[modelId] : undefined;
  }
}
