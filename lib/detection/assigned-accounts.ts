import { Token } from 'aws-cdk-lib';
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
 * account, and the home account when an invoke role lives there, in the given Regions (an opt-in
 * Region an account has not enabled would fail its stack instance, so only declared ones are added).
 */
export function forwardersFor(
  given: ForwarderStackSet | undefined, accounts: string[], includeHomeAccount: boolean, regions: string[],
): ForwarderStackSet | undefined {
  if (given) {
    return given;
  }
  return accounts.length > 0 || includeHomeAccount ? ForwarderStackSet.selfManaged({ accounts, includeHomeAccount, regions }) : undefined;
}
