import { GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AlertDetail } from './alert-message';
import { currentCutoff, nextCutoff, REVOKE_POLICY_NAME, revokePolicy } from './revoke-policy';

const iam = new IAMClient({});

/** On an alert for a contained invoke role, revokes every session issued before the misused call. */
export async function handler(event: { detail?: AlertDetail }): Promise<{ roleName?: string; cutoff?: string; changed: boolean }> {
  const alert = event.detail;
  const allowed = (process.env.CONTAINED_ROLES ?? '').split(',').filter((r) => r.length > 0);
  if (!alert || alert.identityKind !== 'role' || !allowed.includes(alert.roleName) || !alert.eventTime) {
    console.log(JSON.stringify({ skipped: alert?.roleName, reason: 'not a contained invoke role, or no event time' }));
    return { changed: false };
  }
  const existing = await readPolicy(alert.roleName);
  const cutoff = nextCutoff(currentCutoff(existing), alert.eventTime);
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
