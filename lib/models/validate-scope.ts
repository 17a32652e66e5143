import { checkNoDuplicates } from './checks';
import { InvokeScopeProps } from './invoke-scope';
import { isRegionName, partitionOf } from './regions';
import { requireModels } from './require-model';

const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d|[12]\d|3[0-2]))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+(\/\d{1,3})?$/;

/** Checks what the statements are built from; each message names the value and the fix. */
export function validateScope(scope: InvokeScopeProps, sourceRegions: string[]): void {
  requireModels(scope.models, 'models', 'us.anthropic.claude-sonnet-4-6');
  if (scope.models.length === 0) {
    throw new Error('models is empty: name at least one model, such as ModelReference.parse(\'us.anthropic.claude-sonnet-4-6\'), and the small/fast model Claude Code also calls');
  }
  checkNoDuplicates(scope.models.map((m) => m.invocationId), 'models');
  checkSourceRegions(sourceRegions);
  for (const id of scope.allowedVpcEndpoints ?? []) {
    if (!VPC_ENDPOINT_ID.test(id)) {
      throw new Error(`allowedVpcEndpoints: '${id}' is not a VPC endpoint id such as 'vpce-0123456789abcdef0'`);
    }
  }
  checkNoDuplicates(scope.allowedVpcEndpoints ?? [], 'allowedVpcEndpoints');
  for (const cidr of scope.allowedSourceIps ?? []) {
    if (!isCidr(cidr)) {
      throw new Error(`allowedSourceIps: '${cidr}' is not an IP address or CIDR range such as '203.0.113.0/24'`);
    }
  }
  checkNoDuplicates(scope.allowedSourceIps ?? [], 'allowedSourceIps');
}

/** Source Regions must be real Region names, listed once, all in one partition. */
export function checkSourceRegions(sourceRegions: string[]): void {
  if (sourceRegions.length === 0) {
    throw new Error('sourceRegions is empty: list the Regions your developers set as AWS_REGION, such as [\'us-east-1\']');
  }
  for (const r of sourceRegions) {
    if (!isRegionName(r)) {
      throw new Error(`sourceRegions: '${r}' is not an AWS Region name such as 'us-east-1'`);
    }
  }
  checkNoDuplicates(sourceRegions, 'sourceRegions');
  const partitions = new Set(sourceRegions.map(partitionOf));
  if (partitions.size > 1) {
    throw new Error(`sourceRegions ${sourceRegions.join(', ')} span partitions (${[...partitions].join(', ')}): a role lives in one partition, so make one per partition`);
  }
}

function isCidr(value: string): boolean {
  const v4 = IPV4_CIDR.exec(value);
  if (v4) {
    return v4.slice(1, 5).every((octet) => Number(octet) <= 255);
  }
  return value.includes(':') && IPV6_CIDR.test(value);
}
