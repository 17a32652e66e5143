// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { ContainmentOutcome } from './containment-outcome';
import type { ContainmentRequest } from './containment-request';
import { containSession, isEmpty, stopEverySession, NO_CONTAINMENT, readRoleContainment, ROLE_CONTAINMENT_POLICY_NAME, roleContainmentPolicy, RoleContainment } from '../models/role-containment-policy';

/** Reads a role's containment; a policy of that name that containment did not write is refused, never overwritten blind. */
export async function readRole(iam: IAMClient, roleName: string): Promise<RoleContainment> {
  let document: string | undefined;
  try {
    document = (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME }))).PolicyDocument;
  } catch (e) {
    if (e instanceof NoSuchEntityException || (e as { name?: string }).name === 'NoSuchEntityException') {
      return NO_CONTAINMENT;
    }
    throw e;
  }
  const read = readRoleContainment(document);
  if (!read) {
    throw new Error(`role ${roleName}: the inline policy ${ROLE_CONTAINMENT_POLICY_NAME} is not what containment writes; review it (drift's revert restores it) before containing anyone`);
  }
  return read;
}

export async function writeRole(iam: IAMClient, roleName: string, c: RoleContainment): Promise<void> {
  if (isEmpty(c)) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME }));
    return;
  }
  await iam.send(new PutRolePolicyCommand({
    RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME, PolicyDocument: JSON.stringify(roleContainmentPolicy(c)),
  }));
}

/** Denies the session's holder on the invoke role; an already contained session changes nothing. */
export async function containRoleSession(iam: IAMClient, request: ContainmentRequest, roleName: string, now: number): Promise<ContainmentOutcome> {
  const change = containSession(await readRole(iam, roleName), request.session!, request.eventTime, now, roleName);
  if (change.next) {
    await writeRole(iam, roleName, change.next);
  }
  return {
    request, contained: true, changed: change.next !== undefined, by: change.by, issuedBefore: change.next?.issuedBefore, warning: change.warning,
  };
}

/** Denies every session of the invoke role (the spend-rate cap's stop); a role already stopped changes nothing. */
export async function stopEverySessionOfRole(iam: IAMClient, request: ContainmentRequest, roleName: string): Promise<ContainmentOutcome> {
  const next = stopEverySession(await readRole(iam, roleName));
  if (next) {
    await writeRole(iam, roleName, next);
  }
  return { request, contained: true, changed: next !== undefined, by: 'every-session' };
}
