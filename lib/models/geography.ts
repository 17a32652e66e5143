/**
 * The prefix of a system-defined cross-Region inference profile: `us.`, `eu.`, `global.` and so on.
 *
 * A geographic profile routes to a fixed set of Regions inside its geography; the `global` profile
 * routes to any commercial Region.
 */
export class Geography {
  /** United States (`us.`). */
  public static readonly US = new Geography('us', 'aws');
  /** European Union (`eu.`). */
  public static readonly EU = new Geography('eu', 'aws');
  /** Asia Pacific (`apac.`). */
  public static readonly APAC = new Geography('apac', 'aws');
  /** Japan (`jp.`). */
  public static readonly JP = new Geography('jp', 'aws');
  /** Australia (`au.`). */
  public static readonly AU = new Geography('au', 'aws');
  /** India (`in.`): ap-south-1 and ap-south-2. */
  public static readonly IN = new Geography('in', 'aws');
  /** Canada (`ca.`). */
  public static readonly CA = new Geography('ca', 'aws');
  /** AWS GovCloud (US) (`us-gov.`). */
  public static readonly US_GOV = new Geography('us-gov', 'aws-us-gov');
  /** Global cross-Region inference (`global.`): any commercial Region. */
  public static readonly GLOBAL = new Geography('global', 'aws');

  /** Every geography the library knows, geographic ones first. */
  public static all(): Geography[] {
    return [Geography.US, Geography.EU, Geography.APAC, Geography.JP, Geography.AU, Geography.IN, Geography.CA, Geography.US_GOV, Geography.GLOBAL];
  }

  /**
   * The geography for a profile prefix such as `us` or `eu` (without the dot).
   *
   * @throws if the prefix is not one Bedrock uses
   */
  public static of(prefix: string): Geography {
    const found = Geography.all().find((g) => g.prefix === prefix);
    if (!found) {
      const known = Geography.all().map((g) => `'${g.prefix}'`).join(', ');
      throw new Error(`unknown inference-profile geography '${prefix}': use one of ${known}`);
    }
    return found;
  }

  /**
   * @param prefix the profile id prefix, without the dot
   * @param partition the AWS partition whose Regions the geography covers
   */
  private constructor(public readonly prefix: string, public readonly partition: string) {}

  /** True for the `global` profile, whose foundation-model ARN carries no Region. */
  public get isGlobal(): boolean {
    return this.prefix === 'global';
  }
}
