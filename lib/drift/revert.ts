// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { CONTAINMENT_POLICY } from './containment';
import { describe } from './put-evaluations';
import { Sleep, withThrottlingRetries } from './retry';
import { RevertPlan } from './revert-plan';
import { revokePolicy } from '../models/role-containment-policy';

type Call = readonly [what: string, run: () => Promise<unknown>];

/**
 * Makes the IAM calls of a revert plan. The guard and the boundary go back first, so the role is
 * never without its denies while the rest is undone. Returns a message for each call that failed.
 */
export async function runRevert(
  iam: IAMClient, plan: RevertPlan, sleep: Sleep, log: (line: string) => void, now: () => Date = () => new Date(),
): Promise<string[]> {
  const RoleName = plan.roleName;
  const reContain = (): Promise<unknown> => iam.send(new PutRolePolicyCommand({
    RoleName, PolicyName: CONTAINMENT_POLICY, PolicyDocument: JSON.stringify(revokePolicy(now().toISOString())),
  }));
  const calls: Call[] = [
    ...(plan.reContain ? [[`rewrite ${CONTAINMENT_POLICY} to revoke every session until now`, reContain] as Call] : []),
    ...plan.attach.map((PolicyArn): Call => [`attach ${PolicyArn}`, () => iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }))]),
    ...(plan.boundary ? [[`restore boundary ${plan.boundary}`, () => iam.send(new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: plan.boundary }))] as Call] : []),
    ...plan.detach.map((PolicyArn): Call => [`detach ${PolicyArn}`, () => iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn }))]),
    ...plan.deleteInline.map((PolicyName): Call => [`delete inline policy ${PolicyName}`, () => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }))]),
    ...(plan.maxSession ? [[`set max session to ${plan.maxSession} s`, () => iam.send(new UpdateRoleCommand({ RoleName, MaxSessionDuration: plan.maxSession }))] as Call] : []),
  ];
  const failures: string[] = [];
  for (const [what, run] of calls) {
    try {
      await withThrottlingRetries(run, sleep);
      log(`reverted ${RoleName}: ${what}`);
    } catch (error) {
      failures.push(`could not ${what} on ${RoleName}: ${describe(error)}`);
    }
  }
  return failures;
}
