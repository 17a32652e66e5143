import { ExpectedCall } from './expected-calls';
import { decide, SimulationSubject } from './iam-simulator';
import { ACCOUNT_A, ACCOUNT_B } from './template-policies';

export const SONNET = 'anthropic.claude-sonnet-4-6';
export const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
export const OPUS = 'anthropic.claude-opus-4-7';

/** The context under which every configured action is allowed, for the exhaustive pass. */
export const FAVOURABLE_CONTEXT = { 'aws:CalledViaLast': 'bedrock.amazonaws.com' };

export const profile = (region: string, account: string, id: string) => `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`;
export const model = (region: string, id: string) => `arn:aws:bedrock:${region}::foundation-model/${id}`;

/** Evaluates every call and lists, in one assertion, those whose decision is not the expected one. */
export async function expectDecisions(subject: SimulationSubject, calls: ExpectedCall[], expected: 'Allowed' | 'Denied'): Promise<void> {
  const wrong: string[] = [];
  for (const call of calls) {
    const decision = await decide(subject, { action: call.action, resource: call.resource, context: call.context });
    const ok = expected === 'Allowed' ? decision === 'Allowed' : decision !== 'Allowed';
    if (!ok) {
      wrong.push(`${call.why}: ${call.action} on ${call.resource} was ${decision}`);
    }
  }
  expect(wrong).toEqual([]);
}


/** One of the two example accounts that is not `account`. */
export const otherAccount = (account: string) => (account === ACCOUNT_B ? ACCOUNT_A : ACCOUNT_B);

/** Through a configured profile, the model in Regions the catalog does not list (AWS adds destinations). */
export function unlistedDestinationCalls(account: string): ExpectedCall[] {
  const usSonnet = profile('us-east-1', account, `us.${SONNET}`);
  return ['eu-west-1', 'ca-west-1', 'us-west-1'].map((region) => ({
    why: `the model in ${region}, a destination the catalog does not list, through the profile`,
    action: 'bedrock:InvokeModelWithResponseStream',
    resource: model(region, SONNET),
    context: { 'bedrock:InferenceProfileArn': usSonnet },
  }));
}

/** Calls the role must never be able to make, whatever else is attached. */
export function forbiddenCalls(account: string): ExpectedCall[] {
  const usSonnet = profile('us-east-1', account, `us.${SONNET}`);
  return [
    { why: 'the model directly, without the profile', action: 'bedrock:InvokeModel', resource: model('us-east-1', SONNET) },
    { why: 'the model directly in a destination Region', action: 'bedrock:InvokeModelWithResponseStream', resource: model('us-west-2', SONNET) },
    { why: 'another model through its own profile', action: 'bedrock:InvokeModel', resource: profile('us-east-1', account, `us.${OPUS}`) },
    { why: 'another model behind our profile ARN', action: 'bedrock:InvokeModel', resource: model('us-east-2', OPUS), context: { 'bedrock:InferenceProfileArn': usSonnet } },
    { why: 'our profile in a Region not listed', action: 'bedrock:InvokeModel', resource: profile('us-west-2', account, `us.${SONNET}`) },
    {
      why: 'the model through another account\'s profile',
      action: 'bedrock:InvokeModel',
      resource: model('us-east-2', SONNET),
      context: { 'bedrock:InferenceProfileArn': profile('us-east-1', otherAccount(account), `us.${SONNET}`) },
    },
    { why: 'the EU profile of the same model', action: 'bedrock:InvokeModel', resource: profile('eu-west-1', account, `eu.${SONNET}`) },
    { why: 'the global profile when only us. is configured', action: 'bedrock:InvokeModel', resource: profile('us-east-1', account, `global.${SONNET}`) },
    { why: 'the Region-less model outside a global profile', action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:::foundation-model/${SONNET}`, context: { 'aws:RequestedRegion': 'unspecified' } },
    { why: 'counting tokens on another model', action: 'bedrock:CountTokens', resource: model('us-east-1', OPUS) },
    { why: 'a Marketplace subscription not made by Bedrock', action: 'aws-marketplace:Subscribe', resource: '*' },
    { why: 'a long-term Bedrock API key', action: 'bedrock:CallWithBearerToken', resource: '*', context: { 'bedrock:bearerTokenType': 'LONG_TERM' } },
    { why: 'reading S3', action: 's3:GetObject', resource: 'arn:aws:s3:::example-bucket/key' },
    { why: 'creating access keys', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${account}:user/someone` },
    { why: 'creating a guardrail', action: 'bedrock:CreateGuardrail', resource: '*' },
  ];
}

