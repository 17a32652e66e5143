import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetInlinePolicyForPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { ContainmentCommand } from './containment-args';
import { readPermissionSetContainment, withoutContainedUser } from '../../models/identity-center-deny-list';
import { isEmpty, liftFromRole, NO_CONTAINMENT, readRoleContainment, ROLE_CONTAINMENT_POLICY_NAME, roleContainmentPolicy, RoleContainment } from '../../models/role-containment-policy';

export interface ContainmentClients {
  readonly iam: IAMClient;
  readonly ssoAdmin: SSOAdminClient;
}

/** Lists or lifts a containment; returns the exit code (0 done, 1 nothing to lift). */
export async function runContainment(command: ContainmentCommand, clients: ContainmentClients, stdout: (t: string) => void): Promise<number> {
  return command.target.kind === 'role' ? onRole(command, command.target.roleName, clients.iam, stdout) : onPermissionSet(command, clients.ssoAdmin, stdout);
}

async function onRole(command: ContainmentCommand, roleName: string, iam: IAMClient, stdout: (t: string) => void): Promise<number> {
  const current = await readRole(iam, roleName);
  if (command.action === 'list') {
    stdout(describeRole(roleName, current));
    return 0;
  }
  const lift = command.lift!;
  const next = liftFromRole(current, {
    sourceIdentity: 'sourceIdentity' in lift ? lift.sourceIdentity : undefined,
    sessionName: 'sessionName' in lift ? lift.sessionName : undefined,
    issuedBefore: 'widerStop' in lift,
    everySession: 'everySession' in lift,
  });
  if (JSON.stringify(next) === JSON.stringify(current)) {
    stdout(`nothing to lift: ${describeRole(roleName, current)}`);
    return 1;
  }
  if (isEmpty(next)) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME }));
  } else {
    await iam.send(new PutRolePolicyCommand({
      RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME, PolicyDocument: JSON.stringify(roleContainmentPolicy(next)),
    }));
  }
  const note = 'widerStop' in lift ? ' Every session the cut-off revoked, the offender\'s too, works again: lift it only once those sessions have expired.' : '';
  stdout(`lifted.${note}\n${describeRole(roleName, next)}`);
  return 0;
}

async function readRole(iam: IAMClient, roleName: string): Promise<RoleContainment> {
  try {
    const document = (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_CONTAINMENT_POLICY_NAME }))).PolicyDocument;
    const read = readRoleContainment(document);
    if (!read) {
      throw new Error(`role ${roleName}: the inline policy ${ROLE_CONTAINMENT_POLICY_NAME} is not what containment writes; review it in the IAM console`);
    }
    return read;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchEntityException') {
      return NO_CONTAINMENT;
    }
    throw e;
  }
}

function describeRole(roleName: string, c: RoleContainment): string {
  if (isEmpty(c)) {
    return `role ${roleName}: nobody is contained\n`;
  }
  return [
    `role ${roleName} (inline policy ${ROLE_CONTAINMENT_POLICY_NAME}):`,
    ...c.sourceIdentities.map((s) => `  source identity ${s}: every session that carries it   (lift: --source-identity ${s})`),
    ...c.sessions.map((s) => `  session ${s.sessionName} issued ${s.issuedAt}   (lift: --session ${s.sessionName})`),
    ...(c.issuedBefore ? [`  wider stop: every session issued before ${c.issuedBefore}   (lift: --wider-stop)`] : []),
    ...(c.everySession ? [EVERY_SESSION_LINE] : []),
    '',
  ].join('\n');
}

const EVERY_SESSION_LINE = '  whole stop (spend-rate cap): every session, whoever holds it   (lift: --every-session, once the spend is explained)';

async function onPermissionSet(command: ContainmentCommand, sso: SSOAdminClient, stdout: (t: string) => void): Promise<number> {
  const t = command.target as { permissionSetArn: string; instanceArn: string };
  const target = { InstanceArn: t.instanceArn, PermissionSetArn: t.permissionSetArn };
  const inline = (await sso.send(new GetInlinePolicyForPermissionSetCommand(target))).InlinePolicy ?? '';
  const current = readPermissionSetContainment(inline);
  const describe = (c: typeof current) => [
    `permission set ${t.permissionSetArn}:`,
    ...c.userIds.map((u) => `  Identity Store user ${u}   (lift: --user-id ${u}; find the user: aws identitystore describe-user --user-id ${u})`),
    ...(c.issuedBefore ? [`  wider stop: every session issued before ${c.issuedBefore}   (lift: --wider-stop)`] : []),
    ...(c.everySession ? [EVERY_SESSION_LINE] : []),
    ...(c.userIds.length === 0 && !c.issuedBefore && !c.everySession ? ['  nobody is contained'] : []),
    '',
  ].join('\n');
  if (command.action === 'list') {
    stdout(describe(current));
    return 0;
  }
  const lift = command.lift!;
  const next = withoutContainedUser(inline, { userId: 'userId' in lift ? lift.userId : undefined, issuedBefore: 'widerStop' in lift, everySession: 'everySession' in lift });
  const after = readPermissionSetContainment(next);
  if (JSON.stringify(after) === JSON.stringify(current)) {
    stdout(`nothing to lift: ${describe(current)}`);
    return 1;
  }
  await sso.send(new PutInlinePolicyToPermissionSetCommand({ ...target, InlinePolicy: next }));
  const started = await sso.send(new ProvisionPermissionSetCommand({ ...target, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
  const id = started.PermissionSetProvisioningStatus?.RequestId;
  stdout(`lifted in the permission set; provisioning to every account (request ${id}): the lift is in force where it succeeds.\n`
    + `  follow it: aws sso-admin describe-permission-set-provisioning-status --instance-arn ${t.instanceArn} --provision-permission-set-request-id ${id}\n${describe(after)}`);
  return 0;
}
