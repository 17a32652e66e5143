import { BedrockApiKeys, Geography, Guardrail, ModelReference } from '../../lib';
import { planInvokePolicy, PolicyEnvironment } from '../../lib/models/invoke-policy';
import { DestinationRegions, InvokeScopeProps } from '../../lib/models/invoke-scope';
import { DOCUMENTED_ACTIONS } from '../support/expected-calls';

const US_EAST_1: PolicyEnvironment = { sourceRegions: ['us-east-1'], account: '111122223333', partition: 'aws' };
const SONNET_46 = 'anthropic.claude-sonnet-4-6';
const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

function plan(scope: Partial<InvokeScopeProps> & Pick<InvokeScopeProps, 'models'>, env: PolicyEnvironment = US_EAST_1) {
  return planInvokePolicy(scope, env);
}

function statement(p: ReturnType<typeof plan>, sid: string) {
  const found = [...p.allow, ...p.guard].find((s) => s.Sid === sid);
  if (!found) {
    throw new Error(`no statement ${sid} in ${[...p.allow, ...p.guard].map((s) => s.Sid).join(', ')}`);
  }
  return found;
}

describe('statements for a geographic profile', () => {
  const p = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)] });

  test('the profile ARN in the source Region, with GetInferenceProfile and no InferenceProfileArn condition', () => {
    const s = statement(p, 'InvokeInferenceProfiles');
    expect(s.Resource).toEqual([`arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${SONNET_46}`]);
    expect(s.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile']);
    expect(s.Condition).toBeUndefined();
  });

  test('the foundation model in any Region, only through that exact profile', () => {
    const s = statement(p, 'ModelsThroughUsAnthropicClaudeSonnet46');
    expect(s.Resource).toEqual([`arn:aws:bedrock:*::foundation-model/${SONNET_46}`]);
    expect(s.Condition).toEqual({ StringEquals: { 'bedrock:InferenceProfileArn': [`arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${SONNET_46}`] } });
  });

  test('the guard excepts the model in any Region and the exact profile, nothing Regional beside them', () => {
    expect(statement(p, 'DenyOtherModelsAndProfiles').NotResource).toEqual([
      `arn:aws:bedrock:*::foundation-model/${SONNET_46}`,
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.${SONNET_46}`,
    ]);
  });

  test('listed destinations: the foundation model in each destination Region the catalog names', () => {
    const listed = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], destinationRegions: DestinationRegions.LISTED });
    expect(statement(listed, 'ModelsThroughUsAnthropicClaudeSonnet46').Resource)
      .toEqual(['us-east-1', 'us-east-2', 'us-west-2'].map((r) => `arn:aws:bedrock:${r}::foundation-model/${SONNET_46}`));
  });

  test('a policy for many accounts: profile ARNs take * for the account, conditions take ${aws:PrincipalAccount}', () => {
    const shared = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)] }, { ...US_EAST_1, account: '*', conditionAccount: '${aws:PrincipalAccount}' });
    expect(statement(shared, 'InvokeInferenceProfiles').Resource).toEqual([`arn:aws:bedrock:us-east-1:*:inference-profile/us.${SONNET_46}`]);
    expect(statement(shared, 'ModelsThroughUsAnthropicClaudeSonnet46').Condition).toEqual({
      StringEquals: { 'bedrock:InferenceProfileArn': [`arn:aws:bedrock:us-east-1:\${aws:PrincipalAccount}:inference-profile/us.${SONNET_46}`] },
    });
  });

  test('CountTokens on the model in the source Region, ListInferenceProfiles on *', () => {
    expect(statement(p, 'CountTokens').Resource).toEqual([`arn:aws:bedrock:us-east-1::foundation-model/${SONNET_46}`]);
    expect(statement(p, 'ListInferenceProfiles').Resource).toEqual(['*']);
  });

  test('Marketplace only when Bedrock calls it', () => {
    expect(statement(p, 'MarketplaceSubscribeThroughBedrock').Condition).toEqual({ StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } });
  });

  test('the documented action set', () => {
    expect(p.allowedActions).toEqual(DOCUMENTED_ACTIONS);
  });

  test('options off remove their actions', () => {
    const lean = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], countTokens: false, marketplaceSubscriptions: false });
    expect(lean.allowedActions).toEqual(['bedrock:GetInferenceProfile', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ListInferenceProfiles']);
    expect(lean.guard.map((s) => s.Sid)).not.toContain('DenyMarketplaceOutsideBedrock');
  });

  test('listed destinations: a source Region outside the default three adds itself as a destination', () => {
    const fromCanada = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], destinationRegions: DestinationRegions.LISTED }, { ...US_EAST_1, sourceRegions: ['ca-central-1'] });
    expect(statement(fromCanada, 'ModelsThroughUsAnthropicClaudeSonnet46').Resource).toContain(`arn:aws:bedrock:ca-central-1::foundation-model/${SONNET_46}`);
  });
});

describe('statements for a global profile', () => {
  const p = plan({ models: [ModelReference.global(SONNET_46)] }, { ...US_EAST_1, sourceRegions: ['eu-west-1'] });

  test('the model in any Region and the Region-less model, only through the profile', () => {
    expect(statement(p, 'ModelsThroughGlobalAnthropicClaudeSonnet46')).toEqual({
      Sid: 'ModelsThroughGlobalAnthropicClaudeSonnet46',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: [`arn:aws:bedrock:*::foundation-model/${SONNET_46}`, `arn:aws:bedrock:::foundation-model/${SONNET_46}`],
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': [`arn:aws:bedrock:eu-west-1:111122223333:inference-profile/global.${SONNET_46}`] } },
    });
    expect(p.allow.map((s) => s.Sid)).not.toContain('GlobalModelThroughGlobalAnthropicClaudeSonnet46');
  });

  describe('with listed destinations', () => {
    const listed = plan({ models: [ModelReference.global(SONNET_46)], destinationRegions: DestinationRegions.LISTED }, { ...US_EAST_1, sourceRegions: ['eu-west-1'] });

    test('the Region-less model ARN, evaluated with aws:RequestedRegion = unspecified, through the profile', () => {
      expect(statement(listed, 'GlobalModelThroughGlobalAnthropicClaudeSonnet46').Condition).toEqual({
        StringEquals: {
          'aws:RequestedRegion': 'unspecified',
          'bedrock:InferenceProfileArn': [`arn:aws:bedrock:eu-west-1:111122223333:inference-profile/global.${SONNET_46}`],
        },
      });
    });

    test('the model in the source Region, through the profile', () => {
      expect(statement(listed, 'ModelsThroughGlobalAnthropicClaudeSonnet46').Resource).toEqual([`arn:aws:bedrock:eu-west-1::foundation-model/${SONNET_46}`]);
    });
  });
});

describe('options', () => {
  test('a guardrail is required on every model statement and denied without it', () => {
    const g = Guardrail.fromArn('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456', '3');
    const p = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], guardrail: g });
    expect(statement(p, 'ModelsThroughUsAnthropicClaudeSonnet46').Condition!.StringEquals['bedrock:GuardrailIdentifier'])
      .toBe('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456:3');
    expect(statement(p, 'DenyInvokeWithoutGuardrail').Condition).toEqual({
      StringNotEquals: { 'bedrock:GuardrailIdentifier': 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456:3' },
    });
    expect(statement(p, 'ApplyRequiredGuardrail').Resource).toEqual(['arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456']);
  });

  test('short-term API keys only', () => {
    const p = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], apiKeys: BedrockApiKeys.SHORT_TERM });
    expect(statement(p, 'ShortTermApiKeys').Condition).toEqual({ StringEquals: { 'bedrock:bearerTokenType': 'SHORT_TERM' } });
    expect(statement(p, 'DenyLongTermApiKeys').Condition).toEqual({ StringEquals: { 'bedrock:bearerTokenType': 'LONG_TERM' } });
  });

  test('VPC endpoints and source IPs: either one lets a call through', () => {
    const p = plan({ models: [ModelReference.parse(`us.${SONNET_46}`)], allowedVpcEndpoints: ['vpce-0123456789abcdef0'], allowedSourceIps: ['203.0.113.0/24'] });
    expect(statement(p, 'DenyInvokeFromElsewhere').Condition).toEqual({
      StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] },
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
    });
  });

  test('direct foundation-model invocation only where a foundation-model reference asks for it', () => {
    const p = plan({ models: [ModelReference.foundationModel(HAIKU_45)] });
    expect(statement(p, 'InvokeModelsDirectly').Resource).toEqual([`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU_45}`]);
    expect(statement(p, 'DenyDirectModelCalls').NotResource).toContain(`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU_45}`);
    const profileOnly = plan({ models: [ModelReference.parse(`us.${HAIKU_45}`)] });
    expect(profileOnly.allow.map((s) => s.Sid)).not.toContain('InvokeModelsDirectly');
  });

  test('an application profile grants its own ARN and its models only through it', () => {
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const p = plan({ models: [ModelReference.applicationProfile(arn, ModelReference.parse(`us.${SONNET_46}`))] });
    expect(statement(p, 'InvokeInferenceProfiles').Resource).toContain(arn);
    const s = p.allow.find((x) => x.Sid.startsWith('ModelsThroughArn'))!;
    expect(s.Condition!.StringEquals['bedrock:InferenceProfileArn']).toContain(arn);
    expect(s.Resource).toEqual([`arn:aws:bedrock:*::foundation-model/${SONNET_46}`]);
  });

  test('user-supplied routes for a model the catalog lacks', () => {
    const ref = ModelReference.crossRegion(Geography.EU, 'anthropic.claude-future-5', {
      routes: [{ sourceRegion: 'eu-west-1', destinationRegions: ['eu-west-1', 'eu-central-1'] }],
    });
    const p = plan({ models: [ref], destinationRegions: DestinationRegions.LISTED }, { ...US_EAST_1, sourceRegions: ['eu-west-1'] });
    expect(statement(p, 'ModelsThroughEuAnthropicClaudeFuture5').Resource).toEqual([
      'arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-future-5',
      'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-future-5',
    ]);
  });
});

test('statement ids stay unique when two model ids differ only in punctuation', () => {
  const routes = [{ sourceRegion: 'us-east-1', destinationRegions: ['us-east-1'] }];
  const p = plan({
    models: [
      ModelReference.crossRegion(Geography.US, 'anthropic.claude-x-1', { routes }),
      ModelReference.crossRegion(Geography.US, 'anthropic.claude-x.1', { routes }),
    ],
  });
  const sids = p.allow.map((s) => s.Sid);
  expect(new Set(sids).size).toBe(sids.length);
  expect(sids).toContain('ModelsThroughUsAnthropicClaudeX12');
});

describe('bad input fails at synth with the value and the fix', () => {
  const sonnet = ModelReference.parse(`us.${SONNET_46}`);
  test.each<[string, Partial<InvokeScopeProps> & Pick<InvokeScopeProps, 'models'>, Partial<PolicyEnvironment>, RegExp]>([
    ['empty model list', { models: [] }, {}, /models is empty: name at least one model/],
    ['duplicate models', { models: [sonnet, ModelReference.parse(`us.${SONNET_46}`)] }, {}, /models lists 'us.anthropic.claude-sonnet-4-6' twice/],
    ['us. profile with an eu source Region', { models: [sonnet] }, { sourceRegions: ['eu-west-1'] }, /'us.anthropic.claude-sonnet-4-6' cannot be called from eu-west-1: it is offered from ca-central-1/],
    ['empty source Regions', { models: [sonnet] }, { sourceRegions: [] }, /sourceRegions is empty/],
    ['malformed source Region', { models: [sonnet] }, { sourceRegions: ['useast1'] }, /sourceRegions: 'useast1' is not an AWS Region name/],
    ['duplicate source Region', { models: [sonnet] }, { sourceRegions: ['us-east-1', 'us-east-1'] }, /sourceRegions lists 'us-east-1' twice/],
    ['source Regions across partitions', { models: [sonnet] }, { sourceRegions: ['us-east-1', 'us-gov-west-1'] }, /span partitions \(aws, aws-us-gov\)/],
    ['a model the catalog lacks, without routes', { models: [ModelReference.parse('eu.anthropic.claude-future-5')] }, { sourceRegions: ['eu-west-1'] }, /catalog does not know the model of 'eu.anthropic.claude-future-5'. If it is newer than this catalog, pass routes/],
    ['a global profile the catalog lacks', { models: [ModelReference.global('anthropic.claude-future-5')] }, {}, /does not know the model of 'global.anthropic.claude-future-5'. If it is newer than this catalog: pass sourceRegions/],
    ['a profile-only model invoked directly', { models: [ModelReference.foundationModel('anthropic.claude-opus-4-7')] }, {}, /cannot be invoked directly in us-east-1: it is served only through inference profiles/],
    ['a typo in the profile prefix', { models: [ModelReference.parse(`usa.${SONNET_46}`)] }, {}, /catalog does not know foundation model 'usa.anthropic.claude-sonnet-4-6'.*start the id with one of 'us.'/],
    ['an application profile outside the source Regions', {
      models: [ModelReference.applicationProfile('arn:aws:bedrock:us-west-2:111122223333:application-inference-profile/abc123', sonnet)],
    }, {}, /lives in us-west-2, which is not a source Region \(us-east-1\): add us-west-2/],
    ['a malformed VPC endpoint', { models: [sonnet], allowedVpcEndpoints: ['vpc-123'] }, {}, /'vpc-123' is not a VPC endpoint id/],
    ['a malformed source IP', { models: [sonnet], allowedSourceIps: ['300.1.2.3/24'] }, {}, /'300.1.2.3\/24' is not an IP address or CIDR range/],
    ['a GovCloud profile from a commercial Region', { models: [ModelReference.parse('us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0')] }, {}, /profile of the aws-us-gov partition/],
  ])('%s', (_name, scope, env, message) => {
    expect(() => plan(scope, { ...US_EAST_1, ...env })).toThrow(message);
  });

  test('a malformed guardrail ARN or version', () => {
    expect(() => Guardrail.fromArn('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc:1', '1')).toThrow(/without a version suffix/);
    expect(() => Guardrail.fromArn('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc', 'v1')).toThrow(/guardrail version 'v1' is not valid/);
  });
});
