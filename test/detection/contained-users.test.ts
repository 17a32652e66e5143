import { App, Stack } from 'aws-cdk-lib';
import { BedrockPermissionSet, ModelReference } from '../../lib';
import { containedUsersOf, containedUsersStatement, CONTAINED_USERS_SID, withContainedUser } from '../../lib/detection/contained-users';
import { decide, SimulationSubject } from '../support/iam-simulator';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1' } });
const set = new BedrockPermissionSet(stack, 'Sso', {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6')],
  permissionSetName: 'ClaudeCodeBedrock',
});
const deployed = JSON.stringify(resolveIntrinsics(stack.resolve(set.inlinePolicy.toJSON()), ACCOUNT_A));
const ROLE_ID = 'AROA3XFRBF535PLBIFPI4';
const SSO_ROLE = `arn:aws:iam::${ACCOUNT_A}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6`;
const subject = (policy: string): SimulationSubject =>
  ({ identityPolicies: [JSON.parse(policy) as PolicyJson], principal: { account: ACCOUNT_A, roleArn: SSO_ROLE } });
const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:inference-profile/us.anthropic.claude-sonnet-4-6`;
// An Identity Center role session's aws:userid is '<role id>:<user name>' (IAM User Guide, "AWS global condition context keys").
const invokeAs = (user: string) => ({ action: 'bedrock:InvokeModel', resource: profile, context: { 'aws:userid': `${ROLE_ID}:${user}` } });

describe('denying an Identity Center user through the permission set', () => {
  const contained = withContainedUser(deployed, 'bob@example.com')!;

  test('IAM denies the contained user every call, and still allows the others', async () => {
    expect(await decide(subject(deployed), invokeAs('bob@example.com'))).toBe('Allowed');
    expect(await decide(subject(contained), invokeAs('bob@example.com'))).toBe('ExplicitlyDenied');
    expect(await decide(subject(contained), invokeAs('alice@example.com'))).toBe('Allowed');
    // A name that only starts or ends like bob's is not bob.
    expect(await decide(subject(contained), invokeAs('bob@example.com.evil'))).toBe('Allowed');
    expect(await decide(subject(contained), invokeAs('rob@example.com'))).toBe('Allowed');
  });

  test('adding a user keeps the others; adding one already there changes nothing', () => {
    const two = withContainedUser(contained, 'carol@example.com')!;
    const statement = JSON.parse(two).Statement.find((s: any) => s.Sid === CONTAINED_USERS_SID);
    expect(containedUsersOf(statement)).toEqual(['bob@example.com', 'carol@example.com']);
    expect(withContainedUser(two, 'bob@example.com')).toBeUndefined();
    // Every other statement is kept as it was.
    expect(JSON.parse(two).Statement.filter((s: any) => s.Sid !== CONTAINED_USERS_SID)).toEqual(JSON.parse(deployed).Statement);
  });

  test('refuses a user name that could match others, and a statement someone altered', () => {
    expect(() => withContainedUser(deployed, '*')).toThrow(/is not an Identity Center user name/);
    expect(() => withContainedUser(deployed, 'bob?')).toThrow(/is not an Identity Center user name/);
    const altered = JSON.stringify({ ...JSON.parse(contained), Statement: [...JSON.parse(deployed).Statement, { ...containedUsersStatement(['bob@example.com']), Effect: 'Allow' }] });
    expect(() => withContainedUser(altered, 'carol@example.com')).toThrow(/is not what containment writes/);
  });

  test('only the exact shape counts as containment\'s own statement', () => {
    const exact = containedUsersStatement(['bob@example.com']);
    expect(containedUsersOf(exact)).toEqual(['bob@example.com']);
    for (const changed of [
      { ...exact, Effect: 'Allow' },
      { ...exact, Action: 's3:*' },
      { ...exact, Resource: 'arn:aws:s3:::bucket' },
      { ...exact, Condition: { StringLike: { 'aws:userid': ['*'] } } },
      { ...exact, Condition: { StringLike: { 'aws:userid': ['*:bob@example.com'] }, Bool: { 'aws:SecureTransport': 'true' } } },
      { ...exact, NotResource: '*' },
    ]) {
      expect(containedUsersOf(changed)).toBeUndefined();
    }
  });

  test('refuses to grow the policy past Identity Center\'s 10,240 characters', () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Padding', Effect: 'Deny', Action: 'bedrock:CreateModelCustomizationJob', Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::padding-bucket-${i}`) }] });
    expect(() => withContainedUser(big, 'bob@example.com')).toThrow(/past IAM Identity Center's 10,240 characters: remove their assignment by hand/);
  });
});
