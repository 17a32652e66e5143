import { Token } from 'aws-cdk-lib';
import { CommercialRegions } from './commercial-regions';
import { ForwarderStackSet } from './forwarder-stack-set';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';

/**
 * The accounts a permission set is assigned in, where its roles live and their calls are logged; an
 * id known only at deploy cannot be targeted at synth and is left out (the front door warns of it).
 */
export function assignedAccounts(set: BedrockPermissionSet | undefined): string[] {
  return [...new Set((set?.assignments ?? []).map((a) => a.targetId))].filter((a) => !Token.isUnresolved(a));
}

/**
 * The forwarders to deploy: the ones given, or else a self-managed StackSet over every assigned
 * account in every Region enabled by default (an opt-in Region an account has not enabled would
 * fail its stack instance).
 */
export function forwardersFor(given: ForwarderStackSet | undefined, accounts: string[]): ForwarderStackSet | undefined {
  if (given) {
    return given;
  }
  return accounts.length > 0 ? ForwarderStackSet.selfManaged({ accounts, regions: CommercialRegions.enabledByDefault() }) : undefined;
}

/**
 * Assigned accounts that no forwarder covers. A service-managed StackSet covers organizational
 * units, which cannot be checked offline, so it is taken to cover them.
 */
export function uncoveredAccounts(forwarders: ForwarderStackSet | undefined, accounts: string[]): string[] {
  if (forwarders?.permissionModel === 'SERVICE_MANAGED') {
    return [];
  }
  const covered = new Set(forwarders?.accounts ?? []);
  return accounts.filter((a) => !covered.has(a));
}
