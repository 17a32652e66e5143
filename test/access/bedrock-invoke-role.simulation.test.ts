import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockApiKeys, BedrockInvokeRole, BedrockInvokeRoleProps, DestinationRegions, Geography, Guardrail, ModelReference } from '../../lib';
import { expectDecisions, FAVOURABLE_CONTEXT, forbiddenCalls, HAIKU, model, OPUS, otherAccount, profile, SONNET, unlistedDestinationCalls } from '../support/decisions';
import { ALWAYS_ALLOWED, commonCalls, DOCUMENTED_ACTIONS, geographicCalls, globalCalls } from '../support/expected-calls';
import { allowedActions } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A } from '../support/template-policies';


function synthRole(props: Partial<BedrockInvokeRoleProps> & Pick<BedrockInvokeRoleProps, 'models'>): Stack {
  // Environment-agnostic: the account is a token, resolved to the simulated account below.
  const stack = new Stack(new App(), 'Sim');
  new BedrockInvokeRole(stack, 'Invoke', { trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], sourceRegions: ['us-east-1'], ...props });
  return stack;
}


describe('a role for Sonnet 4.6 and Haiku 4.5 through us. profiles', () => {
  const stack = synthRole({ models: [ModelReference.parse(`us.${SONNET}`), ModelReference.parse(`us.${HAIKU}`)] });
  const expected = (account: string) => [
    ...geographicCalls(Geography.US, SONNET, 'us-east-1', account),
    ...geographicCalls(Geography.US, HAIKU, 'us-east-1', account),
    ...commonCalls(),
  ];

  test('every call Claude Code makes is allowed, in every destination Region', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A), expected(ACCOUNT_A), 'Allowed');
  });

  test('nothing else is allowed', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A), forbiddenCalls(ACCOUNT_A), 'Denied');
  });

  test('through the profile, the model is allowed in Regions the catalog does not list, even with AdministratorAccess', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A), unlistedDestinationCalls(ACCOUNT_A), 'Allowed');
    await expectDecisions(roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), unlistedDestinationCalls(ACCOUNT_A), 'Allowed');
  });

  test('the profile of another account is denied', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), [
      { why: 'another account\'s profile', action: 'bedrock:InvokeModel', resource: profile('us-east-1', otherAccount(ACCOUNT_A), `us.${SONNET}`) },
    ], 'Denied');
  });

  test('with AdministratorAccess attached, the same calls are allowed and the same denied', async () => {
    const subject = roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true });
    await expectDecisions(subject, expected(ACCOUNT_A), 'Allowed');
    await expectDecisions(subject, forbiddenCalls(ACCOUNT_A), 'Denied');
  });

  test('with AdministratorAccess attached and the boundary removed, the guard alone still denies', async () => {
    const subject = { ...roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), permissionsBoundary: undefined };
    await expectDecisions(subject, forbiddenCalls(ACCOUNT_A), 'Denied');
  });

  test('the NotAction guard denies every other action unconditionally, whatever the resource or context', () => {
    const guard = roleSubject(stack, ACCOUNT_A).identityPolicies.flatMap((p: any) => p.Statement).find((st: any) => st.Sid === 'DenyAllButBedrockInvoke');
    expect(guard).toEqual({ Sid: 'DenyAllButBedrockInvoke', Effect: 'Deny', NotAction: DOCUMENTED_ACTIONS, Resource: '*' });
  });

  test('over every action in IAM\'s catalog, the allowed set is exactly the documented one', async () => {
    const allowed = await allowedActions(roleSubject(stack, ACCOUNT_A), { context: FAVOURABLE_CONTEXT });
    expect(allowed).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
  });

  test('over every action in IAM\'s catalog, AdministratorAccess adds nothing, even without the boundary', async () => {
    const subject = { ...roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), permissionsBoundary: undefined };
    const allowed = await allowedActions(subject, { context: FAVOURABLE_CONTEXT });
    expect(allowed).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
  });
});

describe('a European team with an eu. profile and a global. profile from eu-west-1', () => {
  const stack = synthRole({ models: [ModelReference.parse(`eu.${SONNET}`), ModelReference.global(HAIKU)], sourceRegions: ['eu-west-1'] });

  test('the EU destinations and the global Region-less model are allowed', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A), [
      ...geographicCalls(Geography.EU, SONNET, 'eu-west-1', ACCOUNT_A),
      ...globalCalls(HAIKU, 'eu-west-1', ACCOUNT_A),
      ...commonCalls(),
    ], 'Allowed');
  });

  test('the global profile from an unlisted Region, and the Region-less model outside the profile, are denied', async () => {
    const euProfile = profile('eu-west-1', ACCOUNT_A, `global.${HAIKU}`);
    await expectDecisions(roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), [
      { why: 'global profile from us-east-1', action: 'bedrock:InvokeModel', resource: profile('us-east-1', ACCOUNT_A, `global.${HAIKU}`) },
      { why: 'Region-less model without a profile', action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:::foundation-model/${HAIKU}`, context: { 'aws:RequestedRegion': 'unspecified' } },
      { why: 'Region-less Sonnet through the Haiku profile', action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:::foundation-model/${OPUS}`, context: { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': euProfile } },
      { why: 'the us. Sonnet profile', action: 'bedrock:InvokeModel', resource: profile('us-east-1', ACCOUNT_A, `us.${SONNET}`) },
    ], 'Denied');
  });
});

describe('listed destinations, for auditors who want Regions named', () => {
  const stack = synthRole({ models: [ModelReference.parse(`us.${SONNET}`), ModelReference.parse(`us.${HAIKU}`)], destinationRegions: DestinationRegions.LISTED });

  test('every call Claude Code makes in a listed destination is allowed', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A), [...geographicCalls(Geography.US, SONNET, 'us-east-1', ACCOUNT_A), ...commonCalls()], 'Allowed');
  });

  test('a destination the catalog does not list is denied, even with AdministratorAccess: the AccessDenied risk the README states', async () => {
    await expectDecisions(roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), unlistedDestinationCalls(ACCOUNT_A), 'Denied');
    await expectDecisions(roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true }), forbiddenCalls(ACCOUNT_A), 'Denied');
  });
});

describe('options', () => {
  const guardrail = Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2');
  const guarded = synthRole({ models: [ModelReference.parse(`us.${SONNET}`)], guardrail });
  const usProfile = profile('us-east-1', ACCOUNT_A, `us.${SONNET}`);
  const throughProfile = (extra: Record<string, string>) => ({ 'bedrock:InferenceProfileArn': usProfile, ...extra });

  test('a guardrail: calls carrying it are allowed, everywhere the profile routes', async () => {
    const carry = { 'bedrock:GuardrailIdentifier': `${guardrail.arn}:2` };
    await expectDecisions(roleSubject(guarded, ACCOUNT_A), [
      ...geographicCalls(Geography.US, SONNET, 'us-east-1', ACCOUNT_A, carry).filter((c) => c.action !== 'bedrock:CountTokens' && c.action !== 'bedrock:GetInferenceProfile'),
      { why: 'ApplyGuardrail', action: 'bedrock:ApplyGuardrail', resource: guardrail.arn },
    ], 'Allowed');
  });

  test('a guardrail: without it, with another guardrail, or another version, calls are denied even for an administrator', async () => {
    const subject = roleSubject(guarded, ACCOUNT_A, { withAdministratorAccess: true });
    await expectDecisions(subject, [
      { why: 'no guardrail on the profile', action: 'bedrock:InvokeModel', resource: usProfile },
      { why: 'no guardrail on the model', action: 'bedrock:InvokeModel', resource: model('us-east-2', SONNET), context: throughProfile({}) },
      { why: 'another guardrail', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'bedrock:GuardrailIdentifier': `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/other99:2` } },
      { why: 'another version', action: 'bedrock:InvokeModelWithResponseStream', resource: model('us-west-2', SONNET), context: throughProfile({ 'bedrock:GuardrailIdentifier': `${guardrail.arn}:1` }) },
      { why: 'the draft', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'bedrock:GuardrailIdentifier': guardrail.arn } },
    ], 'Denied');
  });

  test('short-term API keys only', async () => {
    const stack = synthRole({ models: [ModelReference.parse(`us.${SONNET}`)], apiKeys: BedrockApiKeys.SHORT_TERM });
    const subject = roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true });
    await expectDecisions(subject, [{ why: 'short-term key', action: 'bedrock:CallWithBearerToken', resource: '*', context: { 'bedrock:bearerTokenType': 'SHORT_TERM' } }], 'Allowed');
    await expectDecisions(subject, [{ why: 'long-term key', action: 'bedrock:CallWithBearerToken', resource: '*', context: { 'bedrock:bearerTokenType': 'LONG_TERM' } }], 'Denied');
  });

  test('a VPC endpoint or a source IP range: either lets a call in, anything else is denied', async () => {
    const stack = synthRole({ models: [ModelReference.parse(`us.${SONNET}`)], allowedVpcEndpoints: ['vpce-0123456789abcdef0'], allowedSourceIps: ['203.0.113.0/24'] });
    const subject = roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true });
    await expectDecisions(subject, [
      { why: 'through the endpoint', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
      { why: 'from the office range', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'aws:SourceIp': '203.0.113.7' } },
    ], 'Allowed');
    await expectDecisions(subject, [
      { why: 'from anywhere', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'aws:SourceIp': '198.51.100.7' } },
      { why: 'through another endpoint', action: 'bedrock:InvokeModel', resource: usProfile, context: { 'aws:SourceVpce': 'vpce-0fedcba9876543210' } },
    ], 'Denied');
  });

  test('a foundation model configured for direct calls is invocable directly; others stay denied', async () => {
    const stack = synthRole({ models: [ModelReference.foundationModel(HAIKU, { regions: ['us-east-1'] }), ModelReference.parse(`us.${SONNET}`)] });
    const subject = roleSubject(stack, ACCOUNT_A, { withAdministratorAccess: true });
    await expectDecisions(subject, [{ why: 'direct Haiku', action: 'bedrock:InvokeModel', resource: model('us-east-1', HAIKU) }], 'Allowed');
    await expectDecisions(subject, [
      { why: 'direct Haiku elsewhere', action: 'bedrock:InvokeModel', resource: model('us-west-2', HAIKU) },
      { why: 'direct Sonnet', action: 'bedrock:InvokeModel', resource: model('us-east-1', SONNET) },
    ], 'Denied');
  });

  test('an application inference profile and its models through it', async () => {
    const aip = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/a1b2c3d4e5f6`;
    const stack = synthRole({ models: [ModelReference.applicationProfile(aip, ModelReference.parse(`us.${SONNET}`))] });
    const subject = roleSubject(stack, ACCOUNT_A);
    await expectDecisions(subject, [
      { why: 'the application profile', action: 'bedrock:InvokeModelWithResponseStream', resource: aip },
      { why: 'its model in a destination', action: 'bedrock:InvokeModelWithResponseStream', resource: model('us-west-2', SONNET), context: { 'bedrock:InferenceProfileArn': aip } },
    ], 'Allowed');
    await expectDecisions(subject, [
      { why: 'another application profile', action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/ffffffffffff` },
    ], 'Denied');
  });
});
