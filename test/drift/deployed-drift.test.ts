import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deployApp, DeployedRule, driftRuleOf, watchedRoles } from './fixtures/example-apps';
import { copy, SimulatedIam, SimulatedRole } from './fixtures/simulated-iam';
import { buildApp as driftApp } from '../../examples/drift/app';
import { AssignmentPrincipalType, BedrockInvokeRole, BedrockPermissionSet, Guardrail, ModelReference } from '../../lib';
import { BedrockDriftRule } from '../../lib/drift';

const LITERAL = '111122223333';
const OTHER = '123456789012';
const GUARDRAIL = `arn:aws:bedrock:us-east-1:${LITERAL}:guardrail/abc123def456`;
const APPLICATION_PROFILE = `arn:aws:bedrock:us-east-1:${LITERAL}:application-inference-profile/a1b2c3d4e5f6`;

/** A stack whose watched policies name 111122223333 literally: the trusted account, a guardrail and an application profile. */
function literalAccountApp(): App {
  const app = new App();
  const stack = new Stack(app, 'LiteralAccounts', { env: { region: 'us-east-1' } });
  const models = [
    ModelReference.applicationProfile(APPLICATION_PROFILE, ModelReference.parse('us.anthropic.claude-sonnet-4-6')),
    ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
  ];
  const guardrail = Guardrail.fromArn(GUARDRAIL, '1');
  const role = new BedrockInvokeRole(stack, 'Invoke', { models, guardrail, trustedPrincipals: [new iam.AccountPrincipal(LITERAL)], requireSourceIdentity: true });
  const set = new BedrockPermissionSet(stack, 'Set', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    models,
    guardrail,
    assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [LITERAL] }],
  });
  new BedrockDriftRule(stack, 'Drift', { roles: [role], permissionSets: [set], memberAccounts: [LITERAL] });
  return app;
}

function deployed(app: App, account: string): { sim: SimulatedIam; rule: DeployedRule; invoke: SimulatedRole; sso: SimulatedRole[] } {
  const { sim, rules } = deployApp(app, account);
  expect(rules).toHaveLength(1);
  const watched = watchedRoles(sim, rules[0]);
  const invoke = watched.filter((r) => !r.roleName.startsWith('AWSReservedSSO_'));
  expect(invoke).toHaveLength(1);
  return { sim, rule: rules[0], invoke: invoke[0], sso: watched.filter((r) => r.roleName.startsWith('AWSReservedSSO_')) };
}

/** Every customer-managed policy the invoke role has attached, as IAM holds its default version. */
const attachedDocuments = (sim: SimulatedIam, role: SimulatedRole) => role.managed.map((a) => sim.policies.get(a)).filter((d) => d !== undefined);

/** Rewrites every occurrence of one string in the role's attached policies. */
function rewritePolicies(sim: SimulatedIam, role: SimulatedRole, from: string, to: string): void {
  for (const arn of role.managed) {
    const doc = sim.policies.get(arn);
    if (doc) {
      sim.policies.set(arn, JSON.parse(JSON.stringify(doc).split(from).join(to)));
    }
  }
}

describe('account ids the user wrote literally', () => {
  const app = literalAccountApp();

  test.each([LITERAL, OTHER])('deployed into %s, the role and the set naming 111122223333 are COMPLIANT', async (account) => {
    const { sim, rule, invoke, sso } = deployed(app, account);
    // The literals are really in what IAM holds: the trust principal, the guardrail, the application profile.
    expect(JSON.stringify(invoke.trust)).toContain(`arn:aws:iam::${LITERAL}:root`);
    expect(JSON.stringify(attachedDocuments(sim, invoke))).toContain(GUARDRAIL);
    expect(JSON.stringify(attachedDocuments(sim, invoke))).toContain(APPLICATION_PROFILE);
    expect(JSON.stringify(sso[0].inline)).toContain(GUARDRAIL);
    const drift = driftRuleOf(sim, rule);
    for (const role of [invoke, ...sso]) {
      expect(await drift.onChange(role)).toMatchObject({ compliance: 'COMPLIANT' });
    }
  });

  test('deployed elsewhere, a literal swapped for the deployment account is drift', async () => {
    for (const [what, swap] of [
      ['the guardrail', (sim: SimulatedIam, r: SimulatedRole) => rewritePolicies(sim, r, GUARDRAIL, GUARDRAIL.replace(LITERAL, OTHER))],
      ['the application profile', (sim: SimulatedIam, r: SimulatedRole) => rewritePolicies(sim, r, APPLICATION_PROFILE, APPLICATION_PROFILE.replace(LITERAL, OTHER))],
      ['the trusted account', (_: SimulatedIam, r: SimulatedRole) => { r.trust = JSON.parse(JSON.stringify(r.trust).split(LITERAL).join(OTHER)); }],
    ] as const) {
      const { sim, rule, invoke } = deployed(app, OTHER);
      swap(sim, invoke);
      expect({ what, ...(await driftRuleOf(sim, rule).onChange(invoke)) }).toMatchObject({ what, compliance: 'NON_COMPLIANT' });
    }
  });

  test('deployed into the literal account, an ARN CloudFormation resolved moved to another account is drift', async () => {
    const { sim, rule, invoke } = deployed(app, LITERAL);
    const profile = `arn:aws:bedrock:us-east-1:${LITERAL}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0`;
    expect(JSON.stringify(attachedDocuments(sim, invoke))).toContain(profile);
    rewritePolicies(sim, invoke, profile, profile.replace(LITERAL, '444455556666'));
    expect(await driftRuleOf(sim, rule).onChange(invoke)).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/statement \w+ (changed|removed)/) });
  });
});

describe('the drift example still flags real drift, in the account its literals name and in another', () => {
  const app = driftApp(new App());
  const cases: Array<[string, (r: SimulatedRole) => void, RegExp]> = [
    ['PowerUserAccess attached', (r) => { r.managed.push('arn:aws:iam::aws:policy/PowerUserAccess'); }, /extra AWS-managed policy PowerUserAccess/],
    ['the trust widened to another account', (r) => {
      r.trust.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole' });
    }, /trust policy lets in new principal arn:aws:iam::210987654321:root/],
    ['the trust\'s source identity condition dropped', (r) => { r.trust.Statement.forEach((st: any) => { st.Condition = {}; }); }, /lacks .*sts:SourceIdentity/],
    ['the boundary removed', (r) => { r.boundary = null; }, /permissions boundary removed/],
  ];

  test.each([LITERAL, OTHER])('deployed into %s', async (account) => {
    for (const [what, mutate, named] of cases) {
      const { sim, rule, invoke } = deployed(app, account);
      mutate(invoke);
      const judged = await driftRuleOf(sim, rule).onChange(invoke);
      expect({ what, compliance: judged.compliance, drifts: judged.drifts.join('; ') }).toEqual({ what, compliance: 'NON_COMPLIANT', drifts: expect.stringMatching(named) });
    }
  });

  test('PowerUserAccess on the permission set\'s role in 111122223333 is drift, and not reverted', async () => {
    const { sim, rule, sso } = deployed(app, LITERAL);
    sso[0].managed.push('arn:aws:iam::aws:policy/PowerUserAccess');
    const drift = driftRuleOf(sim, rule);
    expect(await drift.onChange(sso[0])).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/PowerUserAccess.*Not reverted/) });
    expect(drift.revertCalls).toEqual([]);
  });
});

describe('an invoke role deleted and created again under its name', () => {
  const app = driftApp(new App());
  // In 111122223333 the trusted account lacks its conditions; elsewhere the account's root is a new principal.
  const TRUST_WIDENED = /^trust (for arn:aws:iam::111122223333:root lacks|policy lets in new principal arn:aws:iam::123456789012:root)/;

  test.each([LITERAL, OTHER])('in %s: the deletion alerts, the new role is judged against the baseline until it matches', async (account) => {
    const { sim, rule, invoke } = deployed(app, account);
    const drift = driftRuleOf(sim, rule);
    const deployedRole = copy(invoke);

    sim.remove(invoke);
    expect(await drift.onChange(invoke, 'ResourceDeleted')).toMatchObject({ compliance: 'NOT_APPLICABLE', annotation: expect.stringMatching(/was deleted/) });
    expect(drift.alerts).toEqual([expect.stringMatching(new RegExp(`^Bedrock drift: invoke role ${invoke.roleName} \\(${invoke.roleId}\\) in account ${account} was deleted`))]);

    // Created again by hand: the account's own root, no attribution, no guard, no boundary.
    const again: SimulatedRole = {
      ...copy(deployedRole),
      roleId: 'AROA3XFRBF23RECREATED',
      trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] },
      managed: deployedRole.managed.filter((a) => !/Guard/.test(a)),
      boundary: null,
    };
    sim.roles.push(again);
    const first = await drift.onChange(again);
    expect(first.compliance).toBe('NON_COMPLIANT');
    expect(first.annotation).toMatch(/\(recreated as AROA3XFRBF23RECREATED\) drifted: /);
    expect(first.drifts).toEqual(expect.arrayContaining([expect.stringMatching(/^deny guard \S+ detached$/), 'permissions boundary removed', expect.stringMatching(TRUST_WIDENED)]));
    // The example reverts: the guard and the boundary come back on the new role, by name.
    expect(drift.revertCalls).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^attach .*Guard.* to ${again.roleName}$`)),
      expect.stringMatching(new RegExp(`^boundary .*Boundary.* on ${again.roleName}$`)),
    ]));
    // The trust is the stack's to restore: still drift, and found again by the scheduled run.
    const scheduled = await drift.onSchedule(rule.home);
    expect(scheduled.find((j) => j.roleName === again.roleName)).toMatchObject({ compliance: 'NON_COMPLIANT', drifts: [expect.stringMatching(TRUST_WIDENED)] });

    again.trust = copy(deployedRole.trust);
    expect(await drift.onChange(again)).toMatchObject({ compliance: 'COMPLIANT', annotation: expect.stringMatching(/recreated as AROA3XFRBF23RECREATED\) matches its baseline/) });
  });

  test('created again at another path, it is drift even with every policy in place', async () => {
    const { sim, rule, invoke } = deployed(app, OTHER);
    invoke.path = '/shadow/';
    invoke.roleId = 'AROA3XFRBF23ELSEWHERE';
    expect(await driftRuleOf(sim, rule).onChange(invoke)).toMatchObject({ compliance: 'NON_COMPLIANT', drifts: ['role at path /shadow/, deployed at /'] });
  });

  test('a role of another account with the invoke role\'s name is not the invoke role', async () => {
    const { sim, rule, invoke } = deployed(app, OTHER);
    const elsewhere = { ...copy(invoke), account: '444455556666', roleId: 'AROA3XFRBF23OTHERACCT', managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
    sim.roles.push(elsewhere);
    const drift = driftRuleOf(sim, rule);
    expect((await drift.onSchedule(OTHER)).map((j) => j.roleName)).toEqual([invoke.roleName]);
  });
});

describe('a look-alike of the permission set\'s role', () => {
  const app = driftApp(new App());

  test('named AWSReservedSSO_<set>_<hex> at path / is never judged as the set\'s role, nor reverted', async () => {
    const { sim, rule, sso } = deployed(app, LITERAL);
    const lookAlike: SimulatedRole = { ...copy(sso[0]), roleName: 'AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef', roleId: 'AROA3XFRBF23LOOKALIKE', path: '/' };
    sim.roles.push(lookAlike);
    const drift = driftRuleOf(sim, rule);
    // Even with exactly the set's policy, it is not the set's role: Identity Center did not make it.
    const judged = await drift.onChange(lookAlike);
    expect(judged).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/^Look-alike role: named like permission set ClaudeCodeBedrock's role but at path \/, outside/) });
    expect(judged.annotation).not.toMatch(/Permission set ClaudeCodeBedrock role/);
    lookAlike.managed.push('arn:aws:iam::aws:policy/AdministratorAccess');
    const scheduled = await drift.onSchedule(LITERAL);
    expect(scheduled.find((j) => j.roleName === lookAlike.roleName)).toMatchObject({ compliance: 'NON_COMPLIANT', annotation: expect.stringMatching(/^Look-alike role/) });
    expect(scheduled.find((j) => j.roleName === sso[0].roleName)).toMatchObject({ compliance: 'COMPLIANT' });
    expect(drift.revertCalls).toEqual([]);
  });
});
