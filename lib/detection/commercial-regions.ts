import { RegionInfo } from 'aws-cdk-lib/region-info';

/** The AWS Regions detection can cover. */
export class CommercialRegions {
  /**
   * Every Region of the commercial `aws` partition that this version of aws-cdk-lib knows, sorted.
   * Opt-in Regions are included: events of a Region that is not enabled never arrive, so a rule
   * there costs nothing, but a StackSet instance in a disabled Region fails; list only enabled ones.
   */
  public static all(): string[] {
    return RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name).sort();
  }

  private constructor() {}
}
