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

  /**
   * The Regions of the commercial partition that every account has enabled, sorted: those AWS
   * launched before March 20, 2019. Later Regions are opt-in (AWS Account Management Reference
   * Guide, "Enable or disable AWS Regions in your account"), and a StackSet instance in a Region the
   * account has not enabled fails, and with it the StackSet operation in that Region; add an opt-in
   * Region only when every target account has enabled it.
   */
  public static enabledByDefault(): string[] {
    return RegionInfo.regions.filter((r) => r.partition === 'aws' && !r.isOptInRegion).map((r) => r.name).sort();
  }

  private constructor() {}
}
