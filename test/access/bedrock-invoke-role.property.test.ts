import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fc from 'fast-check';
import { BedrockApiKeys, BedrockInvokeRole, Geography, ModelCatalog, ModelReference } from '../../lib';
import { ALWAYS_ALLOWED, ExpectedCall, geographicCalls, globalCalls } from '../support/expected-calls';
import { allowedActions, decide } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A } from '../support/template-policies';

const catalog = ModelCatalog.builtIn();
const GEOGRAPHIES = Geography.all().filter((g) => !g.isGlobal && g !== Geography.US_GOV);

function sourcesOf(ids: string[], geo: Geography): string[] {
  return [...new Set(ids.flatMap((id) => catalog.routes(id, geo).map((r) => r.sourceRegion)))];
}

/** A random valid configuration: one geography, some of its catalog models, some of their source Regions. */
const configuration = fc
  .constantFrom(...GEOGRAPHIES.filter((g) => catalog.modelIds().some((id) => catalog.routes(id, g).length > 0)))
  .chain((geo) => {
    const ids = catalog.modelIds().filter((id) => catalog.routes(id, geo).length > 0);
    return fc.record({
      geo: fc.constant(geo),
      modelIds: fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1, maxLength: 3 }),
      sources: fc.uniqueArray(fc.constantFrom(...sourcesOf(ids, geo)), { minLength: 1, maxLength: 2 }),
      useGlobal: fc.boolean(),
      countTokens: fc.boolean(),
      marketplace: fc.boolean(),
      shortTermKeys: fc.boolean(),
    });
  })
  // Every model must be offered from at least one chosen source, or synthesis (rightly) refuses.
  .filter((c) => c.modelIds.every((id) => catalog.routes(id, c.geo).some((r) => c.sources.includes(r.sourceRegion))));

function documentedActions(c: { countTokens: boolean; marketplace: boolean; shortTermKeys: boolean }): string[] {
  return [
    'bedrock:GetInferenceProfile', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ListInferenceProfiles',
    ...(c.countTokens ? ['bedrock:CountTokens'] : []),
    ...(c.marketplace ? ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'] : []),
    ...(c.shortTermKeys ? ['bedrock:CallWithBearerToken'] : []),
  ];
}

test('for random models, geographies, source Regions and options, every configured call is allowed and nothing outside the documented actions is', async () => {
  await fc.assert(
    fc.asyncProperty(configuration, async (c) => {
      const globals = c.useGlobal ? c.modelIds.filter((id) => catalog.globalSourceRegions(id).some((r) => c.sources.includes(r))) : [];
      const stack = new Stack(new App(), 'Prop');
      new BedrockInvokeRole(stack, 'Invoke', {
        models: [...c.modelIds.map((id) => ModelReference.crossRegion(c.geo, id)), ...globals.map((id) => ModelReference.global(id))],
        sourceRegions: c.sources,
        countTokens: c.countTokens,
        marketplaceSubscriptions: c.marketplace,
        apiKeys: c.shortTermKeys ? BedrockApiKeys.SHORT_TERM : BedrockApiKeys.NONE,
        trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
      });
      const subject = roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true });

      const calls: ExpectedCall[] = [
        ...c.modelIds.flatMap((id) => c.sources
          .filter((s) => catalog.routes(id, c.geo).some((r) => r.sourceRegion === s))
          .flatMap((s) => geographicCalls(c.geo, id, s, ACCOUNT_A))),
        ...globals.flatMap((id) => c.sources
          .filter((s) => catalog.globalSourceRegions(id).includes(s))
          .flatMap((s) => globalCalls(id, s, ACCOUNT_A))),
      ].filter((call) => c.countTokens || call.action !== 'bedrock:CountTokens');
      for (const call of calls) {
        const decision = await decide(subject, { action: call.action, resource: call.resource, context: call.context });
        if (decision !== 'Allowed') {
          throw new Error(`${call.why}: ${call.action} on ${call.resource} was ${decision}`);
        }
      }

      const allowed = await allowedActions(roleSubject(stack, ACCOUNT_A), {
        context: { 'aws:CalledViaLast': 'bedrock.amazonaws.com', 'bedrock:bearerTokenType': 'SHORT_TERM' },
      });
      expect(allowed).toEqual([...documentedActions(c), ...ALWAYS_ALLOWED].sort());
    }),
    // A fixed seed keeps CI reproducible; each run still covers 25 different configurations.
    { numRuns: 25, seed: 20261121 },
  );
});
