// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import {
  DescribeInstanceCommand, DescribePermissionSetProvisioningStatusCommand, GetInlinePolicyForPermissionSetCommand,
  ListAccountsForProvisionedPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { ContainmentOutcome } from './containment-outcome';
import type { ContainmentRequest } from './containment-request';
import { withContainedUser, withEveryUserStopped } from '../models/identity-center-deny-list';

/** A permission set whose users containment may deny, as the construct passes it. */
export interface ContainedPermissionSet {
  readonly name: string;
  readonly instanceArn: string;
  readonly permissionSetArn: string;
}

export interface IdentityCenterClients {
  readonly ssoAdmin: SSOAdminClient;
  readonly identityStore: IdentitystoreClient;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/** How long the handler follows one provisioning before it hands the request back to the queue. */
export const PROVISIONING_PATIENCE_MS = 3 * 60 * 1000;
const POLL_MS = 5000;

type Target = { InstanceArn: string; PermissionSetArn: string };

/**
 * Denies an Identity Center user through the permission set in every account: the user's Identity Store
 * id (found from the session's user name, and unchanged by a later rename) goes into the set's inline
 * policy, ProvisionPermissionSet carries it to each account's role (one account's role at a time, so
 * a ConflictException means wait and ask again), and the outcome is "contained" only when no account is
 * left on an older version of the set.
 */
export async function containIdentityCenterUser(
  c: IdentityCenterClients, request: ContainmentRequest, set: ContainedPermissionSet,
): Promise<ContainmentOutcome> {
  const target: Target = { InstanceArn: set.instanceArn, PermissionSetArn: set.permissionSetArn };
  const session = request.session!;
  const userId = await userIdOf(c, set.instanceArn, session.sessionName);
  const issued = Date.parse(session.issuedAt ?? request.eventTime) + 1000;
  const current = (await c.ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand(target))).InlinePolicy ?? '';
  const change = withContainedUser(current, userId, new Date(Math.min(issued, c.now())).toISOString(), set.name);
  const pending = await putAndProvision(c, target, change.next);
  return {
    request,
    contained: pending.length === 0,
    changed: change.next !== undefined,
    by: change.by,
    userId,
    pendingAccounts: pending,
    warning: change.warning,
  };
}

/** Denies every session of the set in every account (the spend-rate cap's stop when nobody can be told apart). */
export async function stopEveryUserOfSet(
  c: IdentityCenterClients, request: ContainmentRequest, set: ContainedPermissionSet,
): Promise<ContainmentOutcome> {
  const target: Target = { InstanceArn: set.instanceArn, PermissionSetArn: set.permissionSetArn };
  const current = (await c.ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand(target))).InlinePolicy ?? '';
  const next = withEveryUserStopped(current, set.name);
  const pending = await putAndProvision(c, target, next);
  return { request, contained: pending.length === 0, changed: next !== undefined, by: 'every-session', pendingAccounts: pending };
}

/** Writes the inline policy (when changed) and provisions it; returns the accounts where it is not yet in force. */
async function putAndProvision(c: IdentityCenterClients, target: Target, next: string | undefined): Promise<string[]> {
  if (next !== undefined) {
    await c.ssoAdmin.send(new PutInlinePolicyToPermissionSetCommand({ ...target, InlinePolicy: next }));
  }
  let pending = await accountsNotProvisioned(c, target);
  if (next !== undefined || pending.length > 0) {
    const status = await provisionToTheEnd(c, target);
    pending = await accountsNotProvisioned(c, target);
    if (status !== 'SUCCEEDED' && pending.length === 0) {
      // Identity Center said it failed or is still running, yet lists no account behind: trust neither and retry.
      pending = [`unknown (provisioning ${status})`];
    }
  }
  return pending;
}

async function userIdOf(c: IdentityCenterClients, instanceArn: string, userName: string): Promise<string> {
  const instance = await c.ssoAdmin.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
  const found = await c.identityStore.send(new GetUserIdCommand({
    IdentityStoreId: instance.IdentityStoreId,
    AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
  }));
  if (!found.UserId) {
    throw new Error(`no Identity Center user is named ${userName}: renamed or deleted since the session began; deny them by hand (docs/containment.md)`);
  }
  return found.UserId;
}

/** Starts a provisioning, retrying while another runs, and follows it until it ends or patience runs out. */
async function provisionToTheEnd(c: IdentityCenterClients, target: Target): Promise<string> {
  const deadline = c.now() + PROVISIONING_PATIENCE_MS;
  let requestId: string | undefined;
  while (requestId === undefined) {
    try {
      const started = await c.ssoAdmin.send(new ProvisionPermissionSetCommand({ ...target, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
      requestId = started.PermissionSetProvisioningStatus?.RequestId;
      if (requestId === undefined) {
        return started.PermissionSetProvisioningStatus?.Status ?? 'UNKNOWN';
      }
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConflictException' || c.now() + POLL_MS > deadline) {
        throw e;
      }
      await c.sleep(POLL_MS);
    }
  }
  for (;;) {
    const status = (await c.ssoAdmin.send(new DescribePermissionSetProvisioningStatusCommand({
      InstanceArn: target.InstanceArn, ProvisionPermissionSetRequestId: requestId,
    }))).PermissionSetProvisioningStatus;
    if (status?.Status !== 'IN_PROGRESS' || c.now() + POLL_MS > deadline) {
      if (status?.Status === 'FAILED') {
        console.log(JSON.stringify({ provisioning: requestId, failed: status.FailureReason }));
      }
      return status?.Status ?? 'UNKNOWN';
    }
    await c.sleep(POLL_MS);
  }
}

/** The accounts where the set is provisioned but not at its latest version: there the deny is not yet in force. */
async function accountsNotProvisioned(c: IdentityCenterClients, target: Target): Promise<string[]> {
  const accounts: string[] = [];
  let token: string | undefined;
  do {
    const page = await c.ssoAdmin.send(new ListAccountsForProvisionedPermissionSetCommand({
      ...target, ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED', NextToken: token,
    }));
    accounts.push(...(page.AccountIds ?? []));
    token = page.NextToken;
  } while (token);
  return accounts;
}
