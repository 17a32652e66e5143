import { App, Stack } from 'aws-cdk-lib';
import { BedrockPermissionSet, ModelReference } from '../../lib';
import { countedSize, IAM_INLINE_LIMIT } from '../../lib/models/deny-list-size';
import { containedUsersOf, containedUsersStatement, readPermissionSetContainment, withContainedUser, withoutContainedUser } from '../../lib/models/identity-center-deny-list';
import { decide, SimulationSubject } from '../support/iam-simulator';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1' } });
const set = new BedrockPermissionSet(stack, 'Sso', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6')],
  permissionSetName: 'ClaudeCodeBedrock',
});
const deployed = JSON.stringify(resolveIntrinsics(stack.resolve(set.inlinePolicy.toJSON()), ACCOUNT_A));
const SSO_ROLE = `arn:aws:iam::${ACCOUNT_A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6`;
const BOB = '9067a1b2c3-4d5e6f70-1a2b-3c4d-5e6f-7a8b9c0d1e2f';
const ALICE = 'a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f';
const subject = (policy: string): SimulationSubject => ({
  identityPolicies: [JSON.parse(policy) as PolicyJson], principal: { account: ACCOUNT_A, roleArn: SSO_ROLE },
});
const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:inference-profile/us.anthropic.claude-sonnet-4-6`;
// A permission-set session carries the user's Identity Store id (IAM Identity Center User Guide, "Revoke active user permissions with a deny policy").
const invokeAs = (userId: string, userName: string, issued = '2026-11-20T08:50:00Z') => ({
  action: 'bedrock:InvokeModel',
  resource: profile,
  context: { 'identitystore:UserId': userId, 'aws:userid': `AROA3XFRBF535PLBIFPI4:${userName}`, 'aws:TokenIssueTime': issued },
});

describe('denying an Identity Center user by the id that survives a rename', () => {
  const contained = withContainedUser(deployed, BOB, '2026-11-20T08:50:01.000Z', 'ClaudeCodeBedrock').next!;

  test('IAM denies the contained user every call, renamed or not, and still allows a colleague', async () => {
    expect(await decide(subject(deployed), invokeAs(BOB, 'bob@example.com'))).toBe('Allowed');
    expect(await decide(subject(contained), invokeAs(BOB, 'bob@example.com'))).toBe('ExplicitlyDenied');
    // Renamed or re-synced: aws:userid changes, the Identity Store id does not.
    expect(await decide(subject(contained), invokeAs(BOB, 'robert@example.com'))).toBe('ExplicitlyDenied');
    expect(await decide(subject(contained), invokeAs(ALICE, 'alice@example.com'))).toBe('Allowed');
    // Someone who takes bob's old user name is not bob.
    expect(await decide(subject(contained), invokeAs(ALICE, 'bob@example.com'))).toBe('Allowed');
  });

  test('containing a user already contained changes nothing; others and the deployed statements are kept', () => {
    expect(withContainedUser(contained, BOB, '2026-11-20T09:10:00.000Z', 'ClaudeCodeBedrock')).toEqual({ by: 'user-id' });
    const two = withContainedUser(contained, ALICE, '2026-11-20T09:10:00.000Z', 'ClaudeCodeBedrock').next!;
    expect(readPermissionSetContainment(two).userIds).toEqual([ALICE, BOB].sort());
    expect(JSON.parse(two).Statement.slice(0, -1)).toEqual(JSON.parse(deployed).Statement);
  });

  test('refuses what is not a user id, and a statement someone altered', () => {
    expect(() => withContainedUser(deployed, '*', 'x', 'S')).toThrow(/is not an Identity Store user id/);
    expect(() => withContainedUser(deployed, 'bob@example.com', 'x', 'S')).toThrow(/is not an Identity Store user id/);
    const altered = JSON.stringify({ ...JSON.parse(deployed), Statement: [...JSON.parse(deployed).Statement, { ...containedUsersStatement([BOB]), Effect: 'Allow' }] });
    expect(() => withContainedUser(altered, ALICE, '2026-11-20T09:10:00.000Z', 'ClaudeCodeBedrock')).toThrow(/is not what containment writes/);
    expect(containedUsersOf({ ...containedUsersStatement([BOB]), Condition: { StringLike: { 'identitystore:UserId': ['*'] } } })).toBeUndefined();
  });

  test('past the budget, every session of the set issued before the offender\'s is revoked instead: the offender is still stopped', async () => {
    const padded = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [...JSON.parse(deployed).Statement, { Sid: 'Padding', Effect: 'Deny', Action: 'bedrock:CreateModelCustomizationJob', Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::padding-bucket-${i}`) }] });
    // The most padding that still leaves room for the wider stop: past the budget for a user id, under IAM's limit.
    let n = 1;
    while (countedSize(padded(n + 1)) + 200 < IAM_INLINE_LIMIT) n++;
    const big = padded(n);
    expect(countedSize(big)).toBeGreaterThan(9000);
    expect(() => withContainedUser(padded(n + 10), BOB, '2026-11-20T08:50:01.000Z', 'ClaudeCodeBedrock')).toThrow(/has no room even for the wider stop/);
    const change = withContainedUser(big, BOB, '2026-11-20T08:50:01.000Z', 'ClaudeCodeBedrock');
    expect(change.by).toBe('issued-before');
    expect(change.warning).toMatch(/is full, so every session of the set issued before 2026-11-20T08:50:01.000Z is revoked/);
    expect(countedSize(change.next!)).toBeLessThan(IAM_INLINE_LIMIT);
    expect(await decide(subject(change.next!), invokeAs(BOB, 'bob@example.com'))).toBe('ExplicitlyDenied');
    expect(await decide(subject(change.next!), invokeAs(ALICE, 'alice@example.com', '2026-11-20T09:00:00Z'))).toBe('Allowed');
  });

  test('lifting a user takes out that user only', () => {
    const two = withContainedUser(contained, ALICE, '2026-11-20T09:10:00.000Z', 'ClaudeCodeBedrock').next!;
    expect(readPermissionSetContainment(withoutContainedUser(two, { userId: BOB })).userIds).toEqual([ALICE]);
    expect(JSON.parse(withoutContainedUser(contained, { userId: BOB })).Statement).toEqual(JSON.parse(deployed).Statement);
  });
});
