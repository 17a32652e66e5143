import { App, Stack } from 'aws-cdk-lib';
import { BedrockPermissionSet, Geography, ModelReference } from '../../lib';
import { expectDecisions, FAVOURABLE_CONTEXT, forbiddenCalls, HAIKU, model, otherAccount, profile, SONNET, unlistedDestinationCalls } from '../support/decisions';
import { ALWAYS_ALLOWED, commonCalls, DOCUMENTED_ACTIONS, geographicCalls } from '../support/expected-calls';
import { allowedActions, SimulationSubject } from '../support/iam-simulator';
import { ACCOUNT_A, ACCOUNT_B, ADMINISTRATOR_ACCESS, PolicyJson } from '../support/template-policies';

/** A third account: neither of the two the set is assigned to. */
const ACCOUNT_C = '777788889999';

const stack = new Stack(new App(), 'Sso', { env: { region: 'us-east-1' } });
const set = new BedrockPermissionSet(stack, 'Bedrock', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  models: [ModelReference.parse(`us.${SONNET}`), ModelReference.parse(`us.${HAIKU}`)],
});
const inline = stack.resolve(set.inlinePolicy.toJSON()) as PolicyJson;

/** The role Identity Center creates in `account`, with the set's inline policy and nothing else. */
function ssoRole(account: string, extra: PolicyJson[] = []): SimulationSubject {
  return {
    identityPolicies: [inline, ...extra],
    principal: { account, roleArn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6` },
  };
}

describe.each([ACCOUNT_A, ACCOUNT_B])('the permission-set role in account %s', (account) => {
  const expected = [...geographicCalls(Geography.US, SONNET, 'us-east-1', account), ...geographicCalls(Geography.US, HAIKU, 'us-east-1', account), ...commonCalls()];

  test('every call Claude Code makes is allowed, in every destination Region', async () => {
    await expectDecisions(ssoRole(account), expected, 'Allowed');
  });

  test('nothing else is allowed, even with AdministratorAccess added to the set', async () => {
    await expectDecisions(ssoRole(account), forbiddenCalls(account), 'Denied');
    await expectDecisions(ssoRole(account, [ADMINISTRATOR_ACCESS]), forbiddenCalls(account), 'Denied');
  });

  test('through the caller\'s own profile, the model is allowed in Regions the catalog does not list', async () => {
    await expectDecisions(ssoRole(account, [ADMINISTRATOR_ACCESS]), unlistedDestinationCalls(account), 'Allowed');
  });

  // The profile ARNs carry * for the account (IAM never substitutes a variable there); the account is
  // pinned on every model through bedrock:InferenceProfileArn = the caller's own profile.
  test('a model reached through a third account\'s profile, or the other assigned account\'s, is denied', async () => {
    const through = (owner: string) => ({
      why: `the model through ${owner}'s profile`,
      action: 'bedrock:InvokeModelWithResponseStream',
      resource: model('us-west-2', SONNET),
      context: { 'bedrock:InferenceProfileArn': profile('us-east-1', owner, `us.${SONNET}`) },
    });
    await expectDecisions(ssoRole(account, [ADMINISTRATOR_ACCESS]), [through(ACCOUNT_C), through(otherAccount(account))], 'Denied');
  });

  test('over every action in IAM\'s catalog, the allowed set is exactly the documented one', async () => {
    expect(await allowedActions(ssoRole(account), { context: FAVOURABLE_CONTEXT })).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
  });
});

test('the NotAction guard denies every other action unconditionally, whatever the resource or context', () => {
  expect(inline.Statement.find((st: any) => st.Sid === 'DenyAllButBedrockInvoke')).toEqual({
    Sid: 'DenyAllButBedrockInvoke', Effect: 'Deny', NotAction: DOCUMENTED_ACTIONS, Resource: '*',
  });
});

// The account changes nothing in the catalog sweep under AdministratorAccess, so one run.
test('over every action in IAM\'s catalog, AdministratorAccess added to the set adds nothing', async () => {
  const allowed = await allowedActions(ssoRole(ACCOUNT_A, [ADMINISTRATOR_ACCESS]), { context: FAVOURABLE_CONTEXT });
  expect(allowed).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
});
