/** AWS partitions a Bedrock role can live in. */
const PARTITION_PREFIXES: ReadonlyArray<[string, string]> = [
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
  ['eusc-', 'aws-eusc'],
];

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** True when `region` has the shape of an AWS Region name, such as `eu-west-1`. */
export function isRegionName(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/** The partition of a Region by its name: `aws-us-gov` for `us-gov-west-1`, `aws` for `eu-west-1`. */
export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_PREFIXES) {
    if (region.startsWith(prefix)) {
      return partition;
    }
  }
  return 'aws';
}

/** Sorted, de-duplicated copy. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
