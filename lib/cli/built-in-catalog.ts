import { ModelCatalog } from '../models/catalog';
import { Geography } from '../models/geography';

/** The questions the doctor asks of the catalog, answered from the library's `ModelCatalog`. */
export class BuiltInCatalog {
  /** The catalog compiled into this build (esbuild inlines its data into the command). */
  public static load(): BuiltInCatalog {
    return new BuiltInCatalog(ModelCatalog.builtIn());
  }

  constructor(private readonly catalog: ModelCatalog) {}

  /** The library's catalog itself, for the suggestions synthesis makes too. */
  public get modelCatalog(): ModelCatalog {
    return this.catalog;
  }

  public endOfLife(modelId: string): string | undefined {
    return this.catalog.endOfLife(modelId);
  }

  public hasModel(modelId: string): boolean {
    return this.catalog.hasModel(modelId);
  }

  public displayName(modelId: string): string | undefined {
    return this.catalog.displayName(modelId);
  }

  /** The Regions a geographic profile of the model may be called from; empty when the catalog has none. */
  public sourceRegions(modelId: string, geography: string): string[] {
    return this.catalog.routes(modelId, Geography.of(geography)).map((r) => r.sourceRegion);
  }

  /** The Regions any model's profile of this geography may be called from. */
  public anySourceRegions(geography: string): string[] {
    return [...new Set(this.catalog.modelIds().flatMap((id) => this.sourceRegions(id, geography)))].sort();
  }

  /** Geographies whose profile of the model may be called from the Region. */
  public geographiesFrom(modelId: string, region: string): string[] {
    return Geography.all()
      .filter((g) => !g.isGlobal && this.sourceRegions(modelId, g.prefix).includes(region))
      .map((g) => g.prefix)
      .sort();
  }

  public globalSourceRegions(modelId: string): string[] {
    return this.catalog.globalSourceRegions(modelId);
  }

  public inRegionRegions(modelId: string): string[] {
    return this.catalog.inRegionRegions(modelId);
  }
}
