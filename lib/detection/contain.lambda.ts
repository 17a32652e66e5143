import { GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  GetInlinePolicyForPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AlertDetail } from './alert-message';
import { withContainedUser } from './contained-users';
import { credibleCutoff, currentCutoff, nextCutoff, REVOKE_POLICY_NAME, revokePolicy } from './revoke-policy';

const iam = new IAMClient({});
const ssoAdmin = new SSOAdminClient({});

/** A permission set whose users containment may deny, as the construct passes it. */
interface ContainedPermissionSet {
  readonly name: string;
  readonly instanceArn: string;
  readonly permissionSetArn: string;
}

/** The part of an SQS record the handler reads: SQS, not the sender, sets the attributes. */
export interface AlertQueueRecord {
  readonly messageId?: string;
  readonly body?: string;
  readonly attributes?: { readonly SenderId?: string; readonly SentTimestamp?: string };
}

export interface ContainmentResult {
  readonly roleName?: string;
  /** For an Identity Center user: the user denied, and the permission set that now denies them. */
  readonly user?: string;
  readonly permissionSet?: string;
  readonly cutoff?: string;
  readonly changed: boolean;
  readonly ignored?: string;
}

/**
 * On an alert from the queue only the alert function may write to, revokes every session of a
 * contained invoke role issued before the misused call. Alerts from any other sender are ignored.
 */
export async function handler(event: { Records?: AlertQueueRecord[] }): Promise<ContainmentResult[]> {
  const results: ContainmentResult[] = [];
  for (const record of event.Records ?? []) {
    // Sequential on purpose: two alerts for one role must not race on its inline policy.
    results.push(await contain(record, Date.now()));
  }
  return results;
}

async function contain(record: AlertQueueRecord, now: number): Promise<ContainmentResult> {
  // The role ids of the functions that may ask for containment: the alert function, and the usage guard's.
  const senders = requireEnv('ALERT_ROLE_ID').split(',');
  // SQS reports a role session's sender as '<role id>:<session name>' (SQS ReceiveMessage, SenderId).
  const sender = record.attributes?.SenderId ?? '';
  if (!senders.some((id) => id.length > 0 && sender.startsWith(`${id}:`))) {
    return skip(`sent by ${record.attributes?.SenderId ?? 'an unknown sender'}, not by the alert function or the usage guard`, record);
  }
  let alert: AlertDetail | undefined;
  try {
    alert = JSON.parse(record.body ?? '') as AlertDetail;
  } catch {
    return skip('the message is not an alert', record);
  }
  if (alert?.identityKind === 'permission-set' && alert.containment === 'deny-identity-center-user') {
    return containUser(alert, record, now);
  }
  const allowed = (process.env.CONTAINED_ROLES ?? '').split(',').filter((r) => r.length > 0);
  if (alert?.identityKind !== 'role' || !allowed.includes(alert.roleName)) {
    return skip(`not a contained invoke role (${alert?.roleName})`, record);
  }
  const sentAt = Number(record.attributes?.SentTimestamp);
  const credible = credibleCutoff(alert.eventTime, now, Number.isFinite(sentAt) && sentAt > 0 ? sentAt : undefined);
  if ('ignored' in credible) {
    return skip(credible.ignored, record);
  }
  const cutoff = nextCutoff(currentCutoff(await readPolicy(alert.roleName)), credible.cutoff, now);
  if (cutoff === undefined) {
    return { roleName: alert.roleName, changed: false };
  }
  await iam.send(new PutRolePolicyCommand({
    RoleName: alert.roleName,
    PolicyName: REVOKE_POLICY_NAME,
    PolicyDocument: JSON.stringify(revokePolicy(cutoff)),
  }));
  console.log(JSON.stringify({ revoked: alert.roleName, issuedBefore: cutoff, call: alert.call }));
  return { roleName: alert.roleName, cutoff, changed: true };
}

/**
 * Denies one Identity Center user every action through a contained permission set: the deny goes into
 * the set's inline policy, and ProvisionPermissionSet carries it to the role in every account.
 */
async function containUser(alert: AlertDetail, record: AlertQueueRecord, now: number): Promise<ContainmentResult> {
  const sets = JSON.parse(process.env.CONTAINED_PERMISSION_SETS ?? '[]') as ContainedPermissionSet[];
  const set = sets.find((p) => p.name === alert.identityName);
  if (!set || !alert.sessionName) {
    return skip(`not a contained permission set, or no user named (${alert.identityName}, ${alert.sessionName})`, record);
  }
  const sentAt = Number(record.attributes?.SentTimestamp);
  const credible = credibleCutoff(alert.eventTime, now, Number.isFinite(sentAt) && sentAt > 0 ? sentAt : undefined);
  if ('ignored' in credible) {
    return skip(credible.ignored, record);
  }
  const target = { InstanceArn: set.instanceArn, PermissionSetArn: set.permissionSetArn };
  const current = await ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand(target));
  const next = withContainedUser(current.InlinePolicy || '{"Version":"2012-10-17","Statement":[]}', alert.sessionName);
  if (next !== undefined) {
    await ssoAdmin.send(new PutInlinePolicyToPermissionSetCommand({ ...target, InlinePolicy: next }));
  }
  // Provisioned even when the deny was already in the set: a failed provisioning before must not leave it there unused.

  const provisioned = await ssoAdmin.send(new ProvisionPermissionSetCommand({ ...target, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
  const request = provisioned.PermissionSetProvisioningStatus?.RequestId;
  console.log(JSON.stringify({ denied: alert.sessionName, permissionSet: set.name, provisioning: request, call: alert.call }));
  return { user: alert.sessionName, permissionSet: set.name, changed: next !== undefined };
}

function skip(reason: string, record: AlertQueueRecord): ContainmentResult {
  console.log(JSON.stringify({ ignored: reason, messageId: record.messageId }));
  return { changed: false, ignored: reason };
}

async function readPolicy(roleName: string): Promise<string | undefined> {
  try {
    return (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }))).PolicyDocument;
  } catch (e) {
    if (e instanceof NoSuchEntityException) {
      return undefined;
    }
    throw e;
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockMisuseDetection`);
  }
  return value;
}
