import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, BedrockPermissionSet, Geography, ModelCatalog, ModelReference } from '../../lib';
import { MANAGED_POLICY_LIMIT, packStatements, PERMISSION_SET_INLINE_LIMIT, policySize } from '../../lib/models/policy-size';
import { policyDocument, StatementJson } from '../../lib/models/statement';
import { decide } from '../support/iam-simulator';
import { ACCOUNT_A, ACCOUNT_B, ADMINISTRATOR_ACCESS, iamSize, rolePolicies } from '../support/template-policies';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

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

/** Every Claude model the catalog offers in `geo`, from the two of its source Regions that reach the most. */
function everyModelIn(geo: Geography): { models: ModelReference[]; sources: string[] } {
  const catalog = ModelCatalog.builtIn();
  const sourcesOf = (id: string) => (geo.isGlobal ? catalog.globalSourceRegions(id) : catalog.routes(id, geo).map((r) => r.sourceRegion));
  // A retired model cannot be granted (synthesis refuses it), so the largest grant leaves it out.
  const ids = catalog.modelIds().filter((id) => sourcesOf(id).length > 0 && !catalog.isRetired(id));
  const reach = (r: string) => ids.filter((id) => sourcesOf(id).includes(r)).length;
  const sources = [...new Set(ids.flatMap(sourcesOf))].filter((r) => r.startsWith(geo === Geography.US_GOV ? 'us-gov-' : '')).sort((a, b) => reach(b) - reach(a) || a.localeCompare(b)).slice(0, 2);
  const models = ids.filter((id) => sourcesOf(id).some((r) => sources.includes(r)))
    .map((id) => (geo.isGlobal ? ModelReference.globalProfile(id) : ModelReference.crossRegion(geo, id)));
  return { models, sources };
}

describe('the largest configurations: every Claude model of the catalog in one geography, from two source Regions', () => {
  test.each(Geography.all().filter((g) => everyModelIn(g).models.length > 0).map((g) => [g.prefix, g] as const))('%s. fits a permission set\'s inline policy and the role\'s managed policies', (_prefix, geo) => {
    const { models, sources } = everyModelIn(geo);
    const stack = new Stack(new App(), 'Big');
    const set = new BedrockPermissionSet(stack, 'Set', { instanceArn: INSTANCE, models, sourceRegions: sources });
    expect(policySize(set.inlinePolicy.toJSON())).toBeLessThanOrEqual(PERMISSION_SET_INLINE_LIMIT);
    new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    const policies = rolePolicies(stack, ACCOUNT_A);
    policies.identityPolicies.forEach((p) => expect(iamSize(p)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT));
    expect(policies.identityPolicies.length).toBeLessThanOrEqual(10);
  });

  describe('the compact form the US permission set falls back to', () => {
    const { models, sources } = everyModelIn(Geography.US);
    const stack = new Stack(new App(), 'Big');
    const set = new BedrockPermissionSet(stack, 'Set', { instanceArn: INSTANCE, models, sourceRegions: sources });
    const inline = stack.resolve(set.inlinePolicy.toJSON());
    const subject = (withAdministratorAccess: boolean) => ({
      identityPolicies: withAdministratorAccess ? [inline, ADMINISTRATOR_ACCESS] : [inline],
      principal: { account: ACCOUNT_B, roleArn: `arn:aws:iam::${ACCOUNT_B}:role/AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef` },
    });
    const profile = (region: string, account: string, id: string) => `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`;

    test('is the one in use: each profile once, its source Regions pinned by aws:RequestedRegion', () => {
      expect(inline.Statement.map((st: any) => st.Sid)).toContain('ModelsThroughProfiles');
      expect(inline.Statement.find((st: any) => st.Sid === 'InvokeInferenceProfiles').Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': [...sources].sort() } });
    });

    test('every model through its profile, from each source Region, to any destination, is allowed', async () => {
      for (const ref of models) {
        for (const source of sources) {
          const p = profile(source, ACCOUNT_B, ref.invocationId);
          expect(await decide(subject(false), { action: 'bedrock:InvokeModelWithResponseStream', resource: p, region: source })).toBe('Allowed');
          expect(await decide(subject(false), {
            action: 'bedrock:InvokeModelWithResponseStream',
            resource: `arn:aws:bedrock:us-west-1::foundation-model/${ref.modelId}`,
            region: 'us-west-1',
            context: { 'bedrock:InferenceProfileArn': p },
          })).toBe('Allowed');
        }
      }
    });

    test('with AdministratorAccess: another source Region, another account\'s profile, a direct call and another model are denied', async () => {
      const id = models[0].invocationId;
      const calls = [
        { action: 'bedrock:InvokeModel', resource: profile('eu-west-1', ACCOUNT_B, id), region: 'eu-west-1' },
        {
          action: 'bedrock:InvokeModel',
          resource: `arn:aws:bedrock:us-east-2::foundation-model/${models[0].modelId}`,
          region: 'us-east-2',
          context: { 'bedrock:InferenceProfileArn': profile(sources[0], ACCOUNT_A, id) },
        },
        { action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:${sources[0]}::foundation-model/${models[0].modelId}`, region: sources[0] },
        { action: 'bedrock:InvokeModel', resource: profile(sources[0], ACCOUNT_B, 'us.meta.llama4-maverick-17b-instruct-v1:0'), region: sources[0] },
        { action: 'bedrock:CountTokens', resource: 'arn:aws:bedrock:us-east-1::foundation-model/meta.llama4-maverick-17b-instruct-v1:0', region: 'us-east-1' },
      ];
      for (const call of calls) {
        expect([call.resource, await decide(subject(true), call)]).toEqual([call.resource, 'ExplicitlyDenied']);
      }
    });
  });

  test('the US role, exact allow split over policies with the compact guard: each model through its profile, nothing outside', async () => {
    const { models, sources } = everyModelIn(Geography.US);
    const stack = new Stack(new App(), 'Big');
    new BedrockInvokeRole(stack, 'Invoke', { models, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    const policies = rolePolicies(stack, ACCOUNT_A);
    expect(JSON.stringify(policies.identityPolicies)).toContain('DenyProfilesOutsideSourceRegions');
    const withAdmin = { identityPolicies: [...policies.identityPolicies, ADMINISTRATOR_ACCESS], principal: { account: ACCOUNT_A, roleArn: `arn:aws:iam::${ACCOUNT_A}:role/R` } };
    const bare = { ...withAdmin, identityPolicies: policies.identityPolicies, permissionsBoundary: policies.permissionsBoundary };
    for (const ref of models) {
      const p = `arn:aws:bedrock:${sources[1]}:${ACCOUNT_A}:inference-profile/${ref.invocationId}`;
      expect(await decide(bare, { action: 'bedrock:InvokeModelWithResponseStream', resource: p, region: sources[1] })).toBe('Allowed');
      expect(await decide(bare, {
        action: 'bedrock:InvokeModelWithResponseStream',
        resource: `arn:aws:bedrock:us-east-2::foundation-model/${ref.modelId}`,
        region: 'us-east-2',
        context: { 'bedrock:InferenceProfileArn': p },
      })).toBe('Allowed');
    }
    const id = models[0].invocationId;
    for (const call of [
      { action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:eu-west-1:${ACCOUNT_A}:inference-profile/${id}`, region: 'eu-west-1' },
      { action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:us-east-2::foundation-model/${models[0].modelId}`, region: 'us-east-2', context: { 'bedrock:InferenceProfileArn': `arn:aws:bedrock:${sources[0]}:${ACCOUNT_B}:inference-profile/${id}` } },
      { action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:${sources[0]}::foundation-model/${models[0].modelId}`, region: sources[0] },
    ]) {
      expect([call.resource, await decide(withAdmin, call)]).toEqual([call.resource, 'ExplicitlyDenied']);
    }
  });

  test('a configuration too large for the policy quota fails at synth with the numbers', () => {
    const { models, sources } = everyModelIn(Geography.US);
    const catalog = ModelCatalog.builtIn();
    const globals = models.filter((m) => catalog.globalSourceRegions(m.modelId).some((r) => sources.includes(r)));
    const withGlobal = [...models, ...globals.map((m) => ModelReference.globalProfile(m.modelId))];
    const stack = new Stack(new App(), 'TooBig');
    expect(() => new BedrockInvokeRole(stack, 'Invoke', { models: withGlobal, sourceRegions: sources, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], maxManagedPolicies: 2 }))
      .toThrow(/the invoke policy needs \d+ managed policies plus the guard, \d+ in all, over the 2 this role may attach/);
  });
});
