import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { exampleBaseline } from './fixtures/baseline';
import { exampleDeployment } from './fixtures/example-deployment';
import { testHandler } from './fixtures/handler';
import { ACCOUNT, encoded, INVOKE_ROLE_ARN, invokeRoleItem } from './fixtures/role-items';
import { CONTAINMENT_POLICY } from '../../lib/drift/containment';
import { runRevert } from '../../lib/drift/revert';
import { planRevert } from '../../lib/drift/revert-plan';
import { revokePolicy } from '../../lib/models/role-containment-policy';
import { decide } from '../support/iam-simulator';
import { ADMINISTRATOR_ACCESS } from '../support/template-policies';

const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const dep = exampleDeployment();
const CUTOFF = '2026-03-02T09:00:00.000Z';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** The invoke role as IAM holds it, changed by the mocked calls the way IAM would change it. */
interface Role {
  attached: string[];
  inline: Map<string, unknown>;
  boundary: string | null;
  maxSession: number;
}

function fakeIam(role: Role): void {
  iam.reset();
  iam.on(GetRoleCommand).callsFake(() => ({ Role: { MaxSessionDuration: role.maxSession } }));
  iam.on(GetPolicyCommand).callsFake((input) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(GetPolicyVersionCommand).callsFake((input) => ({ PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: encoded(dep.documents[input.PolicyArn]) } }));
  iam.on(AttachRolePolicyCommand).callsFake((input) => { role.attached.push(input.PolicyArn); return {}; });
  iam.on(DetachRolePolicyCommand).callsFake((input) => { role.attached = role.attached.filter((a) => a !== input.PolicyArn); return {}; });
  iam.on(DeleteRolePolicyCommand).callsFake((input) => { role.inline.delete(input.PolicyName); return {}; });
  iam.on(PutRolePermissionsBoundaryCommand).callsFake((input) => { role.boundary = input.PermissionsBoundary; return {}; });
  iam.on(UpdateRoleCommand).callsFake((input) => { role.maxSession = input.MaxSessionDuration; return {}; });
  iam.on(PutRolePolicyCommand).rejects(new Error('the drift handler must never write an inline policy'));
}

function itemOf(role: Role) {
  return invokeRoleItem({
    managed: role.attached,
    boundary: role.boundary,
    trust: dep.trust,
    inline: [...role.inline].map(([policyName, policyDocument]) => ({ policyName, policyDocument })),
    maxSessionDuration: role.maxSession,
  });
}

/** A session of the role issued at `issued`, as IAM would evaluate it with the role's current policies. */
function session(role: Role, issued: string) {
  return {
    subject: {
      identityPolicies: [...role.attached.map((a) => (a === ADMIN ? ADMINISTRATOR_ACCESS : dep.documents[a])), ...role.inline.values()],
      permissionsBoundary: role.boundary ? dep.documents[role.boundary] : undefined,
      principal: { account: ACCOUNT, roleArn: INVOKE_ROLE_ARN },
    },
    context: { 'aws:TokenIssueTime': issued },
  };
}

/** A profile the deployed role is granted, read from its own invoke policy. */
const grantedProfile = (): string => {
  const invoke = dep.documents[dep.managed.find((a) => a !== dep.guardArn)!];
  const profiles = invoke.Statement.flatMap((st: any) => [st.Resource].flat()).filter((r: string) => /:inference-profile\//.test(r));
  return profiles[0];
};

describe('auto-revert on a contained role', () => {
  test('undoes the drift, keeps the revoke policy and its cut-off: revoked sessions stay revoked', async () => {
    config.reset();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    const role: Role = {
      attached: [...dep.managed, ADMIN],
      inline: new Map<string, unknown>([
        [CONTAINMENT_POLICY, revokePolicy(CUTOFF)],
        ['debug-s3', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }],
      ]),
      boundary: null,
      maxSession: 43200,
    };
    fakeIam(role);
    const logs: string[] = [];
    const handler = testHandler({
      baseline: () => exampleBaseline(true),
      log: (l) => logs.push(l),
    });
    await handler({ invokingEvent: JSON.stringify({ configurationItem: itemOf(role), messageType: 'ConfigurationItemChangeNotification' }), resultToken: 't' });

    expect(config.commandCalls(PutEvaluationsCommand)[0].args[0].input.Evaluations![0].ComplianceType).toBe('NON_COMPLIANT');
    expect(role.attached).toEqual(dep.managed);
    expect(role.boundary).toBe(dep.boundaryArn);
    expect(role.maxSession).toBe(dep.maxSession);
    expect([...role.inline.keys()]).toEqual([CONTAINMENT_POLICY]);
    expect(role.inline.get(CONTAINMENT_POLICY)).toEqual(revokePolicy(CUTOFF));
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);

    const request = { action: 'bedrock:InvokeModel', resource: grantedProfile(), region: 'us-east-1' };
    const before = session(role, '2026-03-02T08:30:00.000Z');
    const after = session(role, '2026-03-02T09:30:00.000Z');
    expect(await decide(before.subject, { ...request, context: before.context })).toBe('ExplicitlyDenied');
    expect(await decide(after.subject, { ...request, context: after.context })).toBe('Allowed');
  });

  test('a grant hidden under the revoke policy\'s name is never deleted but rewritten as a revoke until the revert', () => {
    const altered = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const item = invokeRoleItem({ inline: [{ policyName: CONTAINMENT_POLICY, policyDocument: altered }, { policyName: 'debug', policyDocument: altered }] });
    const plan = planRevert(item.configuration as any, exampleBaseline(true).roles[0]);
    expect(plan?.deleteInline).toEqual(['debug']);
    expect(plan?.reContain).toBe(true);
    const intact = invokeRoleItem({ inline: [{ policyName: CONTAINMENT_POLICY, policyDocument: revokePolicy(CUTOFF) }, { policyName: 'debug', policyDocument: altered }] });
    expect(planRevert(intact.configuration as any, exampleBaseline(true).roles[0])?.reContain).toBeUndefined();
  });

  test('without the revoke policy the same drift would restore the revoked session: the check can fail', async () => {
    const role: Role = { attached: [...dep.managed], inline: new Map(), boundary: dep.boundaryArn, maxSession: 3600 };
    const before = session(role, '2026-03-02T08:30:00.000Z');
    expect(await decide(before.subject, { action: 'bedrock:InvokeModel', resource: grantedProfile(), region: 'us-east-1', context: before.context })).toBe('Allowed');
  });
});

test('re-containing writes a revoke whose cut-off is the moment of the revert, never an earlier one', async () => {
  iam.reset();
  iam.on(PutRolePolicyCommand).resolves({});
  const at = new Date('2026-03-02T10:15:00.000Z');
  const plan = { roleName: 'ClaudeCodeBedrockInvoke', detach: [], attach: [], deleteInline: [], reContain: true };
  expect(await runRevert(new IAMClient({}), plan, async () => {}, () => {}, () => at)).toEqual([]);
  const put = iam.commandCalls(PutRolePolicyCommand)[0].args[0].input;
  expect([put.PolicyName, JSON.parse(put.PolicyDocument!)]).toEqual([CONTAINMENT_POLICY, revokePolicy(at.toISOString())]);
});
