import { readPolicy } from './policy-document';

/** The parts of an `AWS::IAM::Role` configuration item the rule reads; every field may be missing. */
export interface ConfigurationItem {
  readonly configurationItemStatus?: string;
  readonly configurationItemCaptureTime?: string | Date;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly resourceName?: string;
  readonly awsRegion?: string;
  /** An object in change notifications, a JSON string from the query APIs. */
  readonly configuration?: RoleConfiguration | string | null;
}

export interface RoleConfiguration {
  readonly roleName?: string;
  readonly roleId?: string;
  readonly arn?: string;
  readonly assumeRolePolicyDocument?: unknown;
  readonly rolePolicyList?: Array<{ readonly policyName?: string; readonly policyDocument?: unknown }> | null;
  readonly attachedManagedPolicies?: Array<{ readonly policyName?: string; readonly policyArn?: string }> | null;
  readonly permissionsBoundary?: { readonly permissionsBoundaryArn?: string; readonly permissionsBoundaryType?: string } | null;
  /** Not in Config's item (it records what GetAccountAuthorizationDetails returns); the handler adds it from GetRole. */
  readonly maxSessionDuration?: number | null;
  /**
   * The default version of each customer-managed policy the baseline expects (invoke policies, guard,
   * boundary). Not in the role's item: a new policy version changes no role, so the handler reads them.
   */
  readonly managedPolicyDocuments?: Array<{ readonly policyArn: string; readonly document: unknown }> | null;
}

/** The statuses Config gives a role that no longer exists. */
export const DELETED_STATUSES = ['ResourceDeleted', 'ResourceDeletedNotRecorded'];

/** The role configuration of an item, parsed when it came as a string; undefined when absent or unreadable. */
export function roleConfiguration(item: ConfigurationItem): RoleConfiguration | undefined {
  const c = item.configuration;
  if (c === undefined || c === null) {
    return undefined;
  }
  return typeof c === 'string' ? readPolicy(c) as RoleConfiguration | undefined : c;
}

/** The role's name, from the item or its configuration. */
export function roleNameOf(item: ConfigurationItem): string | undefined {
  return item.resourceName ?? roleConfiguration(item)?.roleName;
}

/** The partition of the role's ARN, `aws` when it cannot be told. */
export function partitionOf(item: ConfigurationItem): string {
  return roleConfiguration(item)?.arn?.split(':')[1] || 'aws';
}
