import { copy, Document, exampleDeployment } from './fixtures/example-deployment';
import { ACCOUNT, encoded, INVOKE_ROLE_ARN, invokeRoleItem, ssoRoleItem } from './fixtures/role-items';
import { DriftBaseline } from '../../lib/drift/baseline';
import { ConfigurationItem } from '../../lib/drift/configuration-item';
import { CONTAINMENT_POLICY } from '../../lib/drift/containment';
import { evaluate } from '../../lib/drift/evaluate';
import { revokePolicy } from '../../lib/models/role-containment-policy';
import { decide } from '../support/iam-simulator';

/**
 * Every scenario starts from what the drift example app (examples/drift/app.ts) synthesizes, as
 * deployed, and mutates those real documents: the table follows whatever shape the policies take.
 */
const dep = exampleDeployment();
const baseline: DriftBaseline = { ...dep.baseline, revert: false };

interface RoleState {
  documents: Record<string, Document>;
  managed: string[];
  boundary: string | null;
  trust: Document;
  inline: Array<{ policyName: string; policyDocument: unknown }>;
  maxSession: number;
}

interface SetState {
  policy: Document;
  inline: Array<{ policyName: string; policyDocument: unknown }>;
  managed: string[];
}

const freshRole = (): RoleState => ({
  documents: copy(dep.documents),
  managed: [...dep.managed],
  boundary: dep.boundaryArn,
  trust: copy(dep.trust),
  inline: [],
  maxSession: dep.maxSession,
});
const freshSet = (): SetState => ({ policy: copy(dep.setPolicy), inline: [], managed: [] });

/** The invoke role's item as the handler evaluates it: Config's item plus each policy's default version from IAM. */
function roleItem(s: RoleState): ConfigurationItem {
  const item = invokeRoleItem({ managed: s.managed, boundary: s.boundary, trust: s.trust, inline: s.inline, maxSessionDuration: s.maxSession });
  const documents = Object.entries(s.documents).map(([policyArn, d]) => ({ policyArn, document: encoded(d) }));
  return { ...item, configuration: { ...(item.configuration as object), managedPolicyDocuments: documents } };
}

function setItem(s: SetState): ConfigurationItem {
  return ssoRoleItem([{ policyName: 'AwsSSOInlinePolicy', policyDocument: s.policy }, ...s.inline], { managed: s.managed });
}

const guard = (s: RoleState) => s.documents[dep.guardArn];
const boundary = (s: RoleState) => s.documents[dep.boundaryArn];
const invoke = (s: RoleState) => s.documents[dep.managed.find((a) => a !== dep.guardArn)!];

/** The first statement that fits, or a failure naming what the shape no longer has. */
function statement(doc: Document, what: string, fits: (st: any) => boolean): any {
  const found = doc.Statement.find(fits);
  if (!found) {
    throw new Error(`the synthesized policy has no ${what}: ${doc.Statement.map((st) => st.Sid).join(', ')}`);
  }
  return found;
}
const denyWithNotResource = (d: Document) => statement(d, 'Deny with NotResource', (st) => st.Effect === 'Deny' && st.NotResource);
const denyWithCondition = (d: Document) => statement(d, 'Deny with a condition', (st) => st.Effect === 'Deny' && st.Condition);
const denyWithActions = (d: Document) => statement(d, 'Deny with several actions', (st) => st.Effect === 'Deny' && Array.isArray(st.Action) && st.Action.length > 1);
const denyAllBut = (d: Document) => statement(d, 'Deny with NotAction', (st) => st.Effect === 'Deny' && st.NotAction);
const allowOnModels = (d: Document) => statement(d, 'Allow on named resources', (st) => st.Effect === 'Allow' && Array.isArray(st.Resource) && !st.Resource.includes('*'));
const allowThroughProfile = (d: Document) => statement(d, 'Allow with a profile condition', (st) => st.Effect === 'Allow' && JSON.stringify(st.Condition ?? {}).includes('bedrock:InferenceProfileArn'));
const openEverything = { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' };
const anyModelAnywhere = 'arn:aws:bedrock:*::foundation-model/*';

/** The case: the guard down to its NotAction deny, and an allow of InvokeModel on every resource. */
function gutRole(s: RoleState): void {
  guard(s).Statement = [denyAllBut(guard(s))];
  invoke(s).Statement.push(openEverything);
}

type RoleCase = [string, (s: RoleState) => void, RegExp];
type SetCase = [string, (s: SetState) => void, RegExp];

const roleCases: RoleCase[] = [
  ['the guard reduced to the NotAction deny and InvokeModel allowed on *', gutRole, /guard statement \w+ removed.*new statement \(no Sid\) allowing bedrock:InvokeModel on \*/],
  ...guardStatementSids().map((sid): RoleCase => [`guard statement ${sid} removed`, (s) => { guard(s).Statement = guard(s).Statement.filter((st) => st.Sid !== sid); }, new RegExp(`guard statement ${sid} removed`)]),
  ['a guard NotResource widened to every model', (s) => { denyWithNotResource(guard(s)).NotResource.push(anyModelAnywhere); }, /guard statement \w+ changed \(resources\)/],
  ['a guard condition dropped', (s) => { delete denyWithCondition(guard(s)).Condition; }, /guard statement \w+ changed \(conditions\)/],
  ['an action removed from a guard deny', (s) => { denyWithActions(guard(s)).Action.pop(); }, /guard statement \w+ changed \(actions\)/],
  ['s3:* slipped into the guard\'s NotAction', (s) => { denyAllBut(guard(s)).NotAction.push('s3:*'); }, /guard statement \w+ changed \(actions\)/],
  ['an allow widened to every model', (s) => { allowOnModels(invoke(s)).Resource.push(anyModelAnywhere); }, /policy \S+Invoke1\S+ statement \w+ changed \(resources\)/],
  ['an allow\'s profile condition loosened to StringLike *', (s) => {
    const st = allowThroughProfile(invoke(s));
    st.Condition = { StringLike: { 'bedrock:InferenceProfileArn': '*' } };
  }, /statement \w+ changed \(conditions\)/],
  ['an allow\'s profile condition dropped', (s) => { delete allowThroughProfile(invoke(s)).Condition; }, /statement \w+ changed \(conditions\)/],
  ['a new deny statement in an invoke policy (exact, even when it narrows)', (s) => { invoke(s).Statement.push({ Sid: 'Extra', Effect: 'Deny', Action: 's3:*', Resource: '*' }); }, /new statement Extra$|new statement Extra[;. ]/],
  ['an allow statement removed (exact, even when it narrows)', (s) => { invoke(s).Statement.shift(); }, /statement \w+ removed/],
  ['the boundary widened to every action', (s) => { boundary(s).Statement[0].Action = '*'; }, /boundary statement \w+ changed \(actions\)/],
  ['a new statement in the boundary', (s) => { boundary(s).Statement.push({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }); }, /boundary new statement \(no Sid\) allowing s3:GetObject on \*/],
  ['AdministratorAccess attached', (s) => { s.managed.push('arn:aws:iam::aws:policy/AdministratorAccess'); }, /extra AWS-managed policy AdministratorAccess/],
  ['an invoke policy detached', (s) => { s.managed = s.managed.filter((a) => a === dep.guardArn); }, /policy \S+Invoke1\S+ detached/],
  ['the guard detached', (s) => { s.managed = s.managed.filter((a) => a !== dep.guardArn); }, /deny guard \S+ detached/],
  ['the boundary removed', (s) => { s.boundary = null; }, /permissions boundary removed/],
  ['the boundary replaced by PowerUserAccess', (s) => { s.boundary = 'arn:aws:iam::aws:policy/PowerUserAccess'; }, /boundary replaced by PowerUserAccess/],
  ['a deny-only inline policy added (exact: any new policy)', (s) => { s.inline.push({ policyName: 'no-s3', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] } }); }, /new inline policy no-s3/],
  ['an inline policy allowing InvokeModel on *', (s) => { s.inline.push({ policyName: 'open', policyDocument: { Version: '2012-10-17', Statement: [openEverything] } }); }, /new inline policy open/],
  ['containment\'s revoke policy turned into an allow', (s) => {
    s.inline.push({ policyName: CONTAINMENT_POLICY, policyDocument: { ...revokePolicy('2026-03-02T09:00:00.000Z'), Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
  }, /containment policy BedrockContainment altered/],
  ['the trust opened to a second account', (s) => { s.trust.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' }); }, /new principal arn:aws:iam::444455556666:root/],
  ['the trust\'s developer tag loosened', (s) => { s.trust.Statement[0].Condition.StringLike['aws:RequestTag/developer'] = '*'; }, /lacks StringLike aws:RequestTag\/developer/],
  ['a statement added to the trust (exact, even a deny)', (s) => { s.trust.Statement.push({ Sid: 'NoWeb', Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' }); }, /trust new statement NoWeb/],
  ['a trust condition key added to the allowed statement', (s) => { s.trust.Statement[0].Condition.Bool = { 'aws:MultiFactorAuthPresent': 'false' }; }, /trust statement \(no Sid\) removed|trust statement .* changed/],
  ['sessions raised to 12 hours', (s) => { s.maxSession = 43200; }, /max session 12 h, over 1 h/],
];

const setCases: SetCase[] = [
  ['the set\'s guard reduced to the NotAction deny and InvokeModel allowed on *', (s) => {
    s.policy.Statement = s.policy.Statement.filter((st) => st.Effect === 'Allow' || st.NotAction);
    s.policy.Statement.push(openEverything);
  }, /AwsSSOInlinePolicy statement \w+ removed.*allowing bedrock:InvokeModel on \*/],
  ...dep.setPolicy.Statement.map((st): SetCase => [`set statement ${st.Sid} removed`, (s) => { s.policy.Statement = s.policy.Statement.filter((x) => x.Sid !== st.Sid); }, new RegExp(`statement ${st.Sid} removed`)]),
  ['a set guard NotResource widened', (s) => { denyWithNotResource(s.policy).NotResource.push(anyModelAnywhere); }, /statement \w+ changed \(resources\)/],
  ['a set allow widened to every model', (s) => { allowOnModels(s.policy).Resource.push(anyModelAnywhere); }, /statement \w+ changed \(resources\)/],
  ['a set allow\'s profile condition dropped', (s) => { delete allowThroughProfile(s.policy).Condition; }, /statement \w+ changed \(conditions\)/],
  ['a deny-only second inline policy on a set role', (s) => { s.inline.push({ policyName: 'extra', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] } }); }, /new inline policy extra/],
  ['ReadOnlyAccess on a set role', (s) => { s.managed.push('arn:aws:iam::aws:policy/ReadOnlyAccess'); }, /extra AWS-managed policy ReadOnlyAccess/],
];

function guardStatementSids(): string[] {
  return dep.documents[dep.guardArn].Statement.map((st) => st.Sid);
}

describe('the exact baseline, on the policies the drift example synthesizes', () => {
  test('the role and the set as deployed are compliant, so the table can tell the difference', () => {
    expect(evaluate(roleItem(freshRole()), baseline)).toMatchObject({ compliance: 'COMPLIANT' });
    expect(evaluate(setItem(freshSet()), baseline)).toMatchObject({ compliance: 'COMPLIANT' });
  });

  test('containment\'s revoke policy as containment writes it is not drift', () => {
    const s = freshRole();
    s.inline.push({ policyName: CONTAINMENT_POLICY, policyDocument: revokePolicy('2026-03-02T09:00:00.000Z') });
    expect(evaluate(roleItem(s), baseline).compliance).toBe('COMPLIANT');
  });

  test('the table has at least 20 drifts, with the issue\'s case for both kinds of role', () => {
    expect(roleCases.length + setCases.length).toBeGreaterThanOrEqual(20);
    expect(roleCases[0][0]).toMatch(/NotAction deny and InvokeModel allowed on \*/);
    expect(setCases[0][0]).toMatch(/NotAction deny and InvokeModel allowed on \*/);
  });

  test('the baseline holds every statement the example deploys, and nothing else', () => {
    const role = baseline.roles[0];
    for (const [arn, doc] of Object.entries(dep.documents)) {
      expect(role.policies.find((p) => p.arn === arn)?.statements.map((e) => e.split('=')[0])).toEqual(doc.Statement.map((st) => st.Sid ?? ''));
    }
    expect(baseline.sets[0].statements.map((e) => e.split('=')[0])).toEqual(dep.setPolicy.Statement.map((st) => st.Sid));
  });

  test.each(roleCases)('invoke role: %s is NON_COMPLIANT and named', (_name, mutate, named) => {
    const s = freshRole();
    mutate(s);
    const verdict = evaluate(roleItem(s), baseline);
    expect(verdict.compliance).toBe('NON_COMPLIANT');
    expect(verdict.drifts.join('; ')).toMatch(named);
    expect(verdict.annotation.length).toBeLessThanOrEqual(256);
    expect(verdict.annotation).toContain(verdict.drifts[0]);
  });

  test.each(setCases)('permission-set role: %s is NON_COMPLIANT and named', (_name, mutate, named) => {
    const s = freshSet();
    mutate(s);
    const verdict = evaluate(setItem(s), baseline);
    expect(verdict.compliance).toBe('NON_COMPLIANT');
    expect(verdict.drifts.join('; ')).toMatch(named);
    expect(verdict.annotation.length).toBeLessThanOrEqual(256);
  });

  test('the issue\'s case really opens other models: denied as deployed, allowed once gutted', async () => {
    const subject = (s: RoleState) => ({
      identityPolicies: s.managed.map((a) => s.documents[a]),
      permissionsBoundary: s.documents[dep.boundaryArn],
      principal: { account: ACCOUNT, roleArn: INVOKE_ROLE_ARN },
    });
    const request = { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-opus-4-1-20250805-v1:0', region: 'eu-west-1' };
    const gutted = freshRole();
    gutRole(gutted);
    expect(await decide(subject(freshRole()), request)).not.toBe('Allowed');
    expect(await decide(subject(gutted), request)).toBe('Allowed');
  });
});
