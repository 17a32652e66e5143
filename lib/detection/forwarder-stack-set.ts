import { unscopedValidationError } from '../errors/validation-error';

/** Who creates the StackSet when it is service-managed. */
export enum StackSetCaller {
  /** The organization's management account. */
  SELF = 'SELF',
  /** A delegated administrator account for CloudFormation StackSets. */
  DELEGATED_ADMIN = 'DELEGATED_ADMIN',
}

/** Targets of a service-managed StackSet. */
export interface ServiceManagedTargets {
  /** Organizational units (or the root, `r-...`) whose accounts get the forwarders, now and as accounts join. */
  readonly organizationalUnitIds: string[];
  /** The Regions to cover in each account; include us-east-1, where IAM's events arrive. */
  readonly regions: string[];
  /**
   * Which account creates the StackSet.
   *
   * @default StackSetCaller.SELF
   */
  readonly callAs?: StackSetCaller;
}

/** Targets of a self-managed StackSet. */
export interface SelfManagedTargets {
  /**
   * The 12-digit ids of the accounts to cover.
   *
   * @default - none: only the home account, with `includeHomeAccount`
   */
  readonly accounts?: string[];
  /**
   * Also cover the account that deploys the stack holding the detection (its home Region is skipped:
   * the central rules watch it), whatever that account is at deploy time.
   *
   * @default false
   */
  readonly includeHomeAccount?: boolean;
  /** The Regions to cover in each account; include us-east-1, where IAM's events arrive. */
  readonly regions: string[];
}

/**
 * How `BedrockMisuseDetection` deploys the regional forwarders to many accounts and Regions with one
 * CloudFormation StackSet created from the platform account.
 */
export class ForwarderStackSet {
  /**
   * Service-managed: AWS Organizations deploys to every account of the organizational units, and to
   * accounts that join them later (auto-deployment). It never deploys to the management account.
   */
  public static serviceManaged(targets: ServiceManagedTargets): ForwarderStackSet {
    targets.organizationalUnitIds.forEach((ou) => {
      if (!/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/.test(ou)) {
        throw unscopedValidationError(`'${ou}' is not an organizational unit or root id such as 'ou-ab12-cdef3456' or 'r-ab12'`);
      }
    });
    if (targets.organizationalUnitIds.length === 0) {
      throw unscopedValidationError('serviceManaged needs at least one organizational unit id (or the root id r-...)');
    }
    return new ForwarderStackSet('SERVICE_MANAGED', targets.regions, targets.organizationalUnitIds, [], false, targets.callAs ?? StackSetCaller.SELF);
  }

  /**
   * Self-managed: a list of accounts, each of which must hold the `AWSCloudFormationStackSetExecutionRole`
   * trusted by this account's `AWSCloudFormationStackSetAdministrationRole`.
   */
  public static selfManaged(targets: SelfManagedTargets): ForwarderStackSet {
    const accounts = [...new Set(targets.accounts ?? [])];
    accounts.forEach((a) => {
      if (!/^\d{12}$/.test(a)) {
        throw unscopedValidationError(`account id '${a}' is not valid: use the 12-digit AWS account id, such as '111122223333'`);
      }
    });
    if (accounts.length === 0 && !targets.includeHomeAccount) {
      throw unscopedValidationError('selfManaged needs at least one account id, or includeHomeAccount: true');
    }
    return new ForwarderStackSet('SELF_MANAGED', targets.regions, [], accounts, targets.includeHomeAccount ?? false);
  }

  private constructor(
    /** SERVICE_MANAGED or SELF_MANAGED. */
    public readonly permissionModel: string,
    /** The Regions covered. */
    public readonly regions: string[],
    /** Organizational units, for service-managed. */
    public readonly organizationalUnitIds: string[],
    /** Accounts, for self-managed. */
    public readonly accounts: string[],
    /** Whether the StackSet also covers the home stack's account. */
    public readonly includesHomeAccount: boolean,
    /** Who creates a service-managed StackSet. */
    public readonly callAs?: StackSetCaller,
  ) {
    if (regions.length === 0) {
      throw unscopedValidationError('the StackSet covers no Region: list the enabled Regions (CommercialRegions.all() lists every one), including us-east-1');
    }
    regions.forEach((r) => {
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r)) {
        throw unscopedValidationError(`'${r}' is not an AWS Region name such as 'eu-west-1'`);
      }
    });
    if (!regions.includes('us-east-1')) {
      throw unscopedValidationError(`the StackSet Regions (${regions.join(', ')}) leave out us-east-1, where IAM's CloudTrail events arrive: add it, or iam:CreateAccessKey by a leaked session goes unseen`);
    }
  }
}
