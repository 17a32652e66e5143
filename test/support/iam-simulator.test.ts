import { allowedActions, decide, SimulationSubject } from './iam-simulator';

// IAM User Guide, "IAM policy elements: Variables and tags": a variable is replaced in condition values
// and in a resource ARN after its fifth colon; anywhere else it is literal text that matches nothing.
const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const PROFILE = (account: string) => `arn:aws:bedrock:us-east-1:${account}:inference-profile/us.anthropic.claude-sonnet-4-6`;
const MODEL = 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6';

function subject(...statements: object[]): SimulationSubject {
  return {
    identityPolicies: [{ Version: '2012-10-17', Statement: statements }],
    principal: { account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef` },
  };
}

describe('the harness applies IAM\'s rules for policy variables', () => {
  test('a variable in the account segment stays literal: the shape shipped before is denied', async () => {
    const shipped = subject({
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel'],
      Resource: ['arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6'],
    });
    expect(await decide(shipped, { action: 'bedrock:InvokeModel', resource: PROFILE(ACCOUNT) })).toBe('ImplicitlyDenied');
  });

  test('a NotResource guard with the variable in the account segment denies the very profile it meant to except', async () => {
    const shipped = subject(
      { Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['*'] },
      {
        Effect: 'Deny',
        Action: ['bedrock:InvokeModel'],
        NotResource: ['arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6'],
      },
    );
    expect(await decide(shipped, { action: 'bedrock:InvokeModel', resource: PROFILE(ACCOUNT) })).toBe('ExplicitlyDenied');
  });

  test('a variable in a condition value is replaced: the caller\'s own profile passes, another account\'s does not', async () => {
    const pinned = subject({
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel'],
      Resource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-sonnet-4-6' } },
    });
    const through = (account: string) => ({ action: 'bedrock:InvokeModel', resource: MODEL, context: { 'bedrock:InferenceProfileArn': PROFILE(account) } });
    expect(await decide(pinned, through(ACCOUNT))).toBe('Allowed');
    expect(await decide(pinned, through(OTHER))).toBe('ImplicitlyDenied');
  });

  test('a variable after the fifth colon is replaced', async () => {
    const perAccount = subject({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::shared-bucket/${aws:PrincipalAccount}/*'] });
    expect(await decide(perAccount, { action: 's3:GetObject', resource: `arn:aws:s3:::shared-bucket/${ACCOUNT}/notes.txt` })).toBe('Allowed');
    expect(await decide(perAccount, { action: 's3:GetObject', resource: `arn:aws:s3:::shared-bucket/${OTHER}/notes.txt` })).toBe('ImplicitlyDenied');
  });
});

describe('the sweep by decision path', () => {
  const guarded = (extraAllowed: string[]) => subject(
    { Effect: 'Allow', Action: '*', Resource: '*' },
    { Effect: 'Deny', NotAction: ['bedrock:InvokeModel', 'bedrock:ListInferenceProfiles', ...extraAllowed], Resource: '*' },
    {
      Effect: 'Deny',
      Action: ['bedrock:InvokeModel'],
      NotResource: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6'],
    },
  );
  const SLICE = ['bedrock', 'lambda', 'sts', 'aws-marketplace', 'sso', 'iam', 'kms', 's3'];

  test('agrees with simulating every action, on a slice of the catalog', async () => {
    const policy = guarded(['lambda:Get*', 's3:GetObject', 'kms:Decrypt', 'iam:GetRole']);
    const bySweep = await allowedActions(policy, { services: SLICE });
    expect(bySweep).toEqual(await allowedActions(policy, { services: SLICE, everyAction: true }));
    expect(bySweep).toEqual(expect.arrayContaining(['lambda:GetFunction', 's3:GetObject', 'kms:Decrypt', 'iam:GetRole', 'sts:GetCallerIdentity']));
    expect(bySweep).not.toContain('s3:PutObject');
  });

  test('finds an action a guard forgot, in a class of its own', async () => {
    const allowed = await allowedActions(guarded(['ec2:Describe*']), { services: ['ec2', 'bedrock', 'sts'] });
    expect(allowed).toContain('ec2:DescribeInstances');
    expect(allowed).not.toContain('ec2:RunInstances');
    expect(allowed).toEqual(expect.arrayContaining(['bedrock:InvokeModel', 'bedrock:ListInferenceProfiles', 'sts:GetCallerIdentity']));
  });
});
