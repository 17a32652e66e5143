import { App, Stack } from 'aws-cdk-lib';
import { BedrockPermissionSet, Geography, ModelReference } from '../../lib';
import { expectDecisions, FAVOURABLE_CONTEXT, forbiddenCalls, HAIKU, profile, SONNET } from '../support/decisions';
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

  test('the profile of a third account is denied', async () => {
    await expectDecisions(ssoRole(account, [ADMINISTRATOR_ACCESS]), [
      { why: 'third account profile', action: 'bedrock:InvokeModel', resource: profile('us-east-1', ACCOUNT_C, `us.${SONNET}`) },
      { why: 'the other assigned account\'s profile', action: 'bedrock:InvokeModel', resource: profile('us-east-1', account === ACCOUNT_A ? ACCOUNT_B : ACCOUNT_A, `us.${SONNET}`) },
    ], 'Denied');
  });

  test('over every action in IAM\'s catalog, the allowed set is exactly the documented one', async () => {
    expect(await allowedActions(ssoRole(account), { context: FAVOURABLE_CONTEXT })).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
  });
});

// The full catalog under AdministratorAccess takes ~25 s; the account changes nothing in it, so one run.
test('over every action in IAM\'s catalog, AdministratorAccess added to the set adds nothing', async () => {
  const allowed = await allowedActions(ssoRole(ACCOUNT_A, [ADMINISTRATOR_ACCESS]), { context: FAVOURABLE_CONTEXT });
  expect(allowed).toEqual([...DOCUMENTED_ACTIONS, ...ALWAYS_ALLOWED].sort());
});
