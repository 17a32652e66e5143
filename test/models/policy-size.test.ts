import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, Geography, ModelCatalog, ModelReference } from '../../lib';
import { MANAGED_POLICY_LIMIT, packStatements, policySize } from '../../lib/models/policy-size';
import { policyDocument, StatementJson } from '../../lib/models/statement';
import { decide } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, iamSize, rolePolicies } from '../support/template-policies';

const manyArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:bedrock:us-east-1::foundation-model/anthropic.example-model-${String(i).padStart(4, '0')}`);

describe('policy size', () => {
  test('counts characters without white space, as IAM does', () => {
    const doc = policyDocument([{ Sid: 'A', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['*'] }]);
    expect(policySize(doc)).toBe(JSON.stringify(doc).length);
    expect(policySize(doc)).toBe(iamSize(JSON.parse(JSON.stringify(doc, null, 2))));
  });

  test('a statement too large for one policy is split along its resources, and the pieces allow exactly the same', async () => {
    const statement: StatementJson = {
      Sid: 'Big',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel'],
      Resource: manyArns(200),
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': ['arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x.y'] } },
    };
    const docs = packStatements([statement], MANAGED_POLICY_LIMIT);
    expect(docs.length).toBeGreaterThan(1);
    docs.forEach((d) => expect(policySize(d)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT));
    expect(docs.flatMap((d) => d.Statement.flatMap((s) => s.Resource ?? []))).toEqual(statement.Resource);
    const subject = { identityPolicies: docs, principal: { account: ACCOUNT_A, roleArn: `arn:aws:iam::${ACCOUNT_A}:role/R` } };
    const context = { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x.y' };
    for (const resource of [statement.Resource![0], statement.Resource![99], statement.Resource![199]]) {
      expect(await decide(subject, { action: 'bedrock:InvokeModel', resource, context })).toBe('Allowed');
    }
    expect(await decide(subject, { action: 'bedrock:InvokeModel', resource: statement.Resource![0] })).toBe('ImplicitlyDenied');
  });

  test('a long condition list is split too', () => {
    const statement: StatementJson = { Sid: 'Cond', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['*'], Condition: { StringEquals: { 'bedrock:InferenceProfileArn': manyArns(150) } } };
    const docs = packStatements([statement], MANAGED_POLICY_LIMIT);
    expect(docs.flatMap((d) => d.Statement.flatMap((s) => s.Condition!.StringEquals['bedrock:InferenceProfileArn']))).toEqual(manyArns(150));
  });

  test('a Deny is never split, because splitting NotResource would widen it', () => {
    const deny: StatementJson = { Sid: 'Guard', Effect: 'Deny', Action: ['bedrock:InvokeModel'], NotResource: manyArns(200) };
    expect(() => packStatements([deny], MANAGED_POLICY_LIMIT)).toThrow(/statement 'Guard' is \d+ characters and cannot be split below IAM's 6144/);
  });
});

describe('the largest configurations', () => {
  // Every Claude model in the catalog, in every geography it has, from two US source Regions.
  const catalog = ModelCatalog.builtIn();
  const sources = ['us-east-1', 'us-west-2'];
  const models = catalog.modelIds().flatMap((id) => [
    ...(catalog.routes(id, Geography.US).some((r) => sources.includes(r.sourceRegion)) ? [ModelReference.crossRegion(Geography.US, id)] : []),
    ...(catalog.globalSourceRegions(id).some((r) => sources.includes(r)) ? [ModelReference.global(id)] : []),
  ]);

  test('every Claude model through us. and global. profiles from two Regions fits, split over several policies', () => {
    const stack = new Stack(new App(), 'Big');
    const role = new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    expect(models.length).toBeGreaterThan(10);
    expect(role.invokePolicies.length).toBeGreaterThan(1);
    const policies = rolePolicies(stack, ACCOUNT_A);
    policies.identityPolicies.forEach((p) => expect(iamSize(p)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT));
    expect(policies.identityPolicies.length).toBeLessThanOrEqual(10);
  });

  test('and still allows each model through its profile', async () => {
    const stack = new Stack(new App(), 'Big');
    new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    const subject = roleSubject(stack, ACCOUNT_A);
    for (const ref of models) {
      const profile = `arn:aws:bedrock:us-west-2:${ACCOUNT_A}:inference-profile/${ref.invocationId}`;
      expect(await decide(subject, { action: 'bedrock:InvokeModelWithResponseStream', resource: profile })).toBe('Allowed');
      expect(await decide(subject, {
        action: 'bedrock:InvokeModelWithResponseStream',
        resource: `arn:aws:bedrock:us-west-2::foundation-model/${ref.modelId}`,
        context: { 'bedrock:InferenceProfileArn': profile },
      })).toBe('Allowed');
    }
  });

  test('a configuration too large for the policy quota fails at synth with the numbers', () => {
    const stack = new Stack(new App(), 'TooBig');
    expect(() => new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], maxManagedPolicies: 2 }))
      .toThrow(/the invoke policy needs \d+ managed policies plus the guard, \d+ in all, over the 2 this role may attach/);
  });
});
