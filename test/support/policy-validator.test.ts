import { FindingKind, validatePolicy } from './policy-validator';

const PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6';
const MODEL = 'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-6';

async function kinds(...statements: object[]): Promise<FindingKind[]> {
  return (await validatePolicy({ Version: '2012-10-17', Statement: statements })).map((f) => f.kind);
}

describe('the offline policy validation', () => {
  test('a well-formed invoke policy passes', async () => {
    expect(await kinds(
      { Sid: 'Profiles', Effect: 'Allow', Action: ['bedrock:InvokeModel', 'bedrock:GetInferenceProfile'], Resource: [PROFILE] },
      {
        Sid: 'Models',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: [MODEL],
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.x' } },
      },
      { Sid: 'List', Effect: 'Allow', Action: 'bedrock:ListInferenceProfiles', Resource: '*' },
      { Sid: 'Guard', Effect: 'Deny', NotAction: ['bedrock:InvokeModel'], Resource: '*' },
      { Sid: 'Region', Effect: 'Deny', Action: 'bedrock:InvokeModel', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    )).toEqual([]);
  });

  test('a variable before the fifth colon', async () => {
    expect(await kinds({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.x' }))
      .toContain('variable-out-of-place');
  });

  test('an unknown action, and a pattern that matches none', async () => {
    expect(await kinds({ Effect: 'Allow', Action: ['bedrock:InvokeModels', 'bedrok:InvokeModel', 'bedrock:Nothing*'], Resource: '*' }))
      .toEqual(['unknown-action', 'unknown-action', 'unknown-action']);
  });

  test('a condition key no action of the statement carries', async () => {
    expect(await kinds({
      Effect: 'Allow',
      Action: 'bedrock:ListInferenceProfiles',
      Resource: '*',
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': PROFILE } },
    })).toEqual(['unsupported-condition-key']);
  });

  test('malformed ARNs, in resources and in ARN condition values', async () => {
    expect(await kinds({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: ['arn:aws:bedrock:us-east-1:12345:inference-profile/us.x', 'bedrock/us.x'] }))
      .toEqual(expect.arrayContaining(['malformed-arn', 'malformed-arn']));
    expect(await kinds({
      Effect: 'Allow',
      Action: 'bedrock:InvokeModel',
      Resource: MODEL,
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': 'arn:aws:bedrock:useast1:111122223333:inference-profile/us.x' } },
    })).toEqual(['malformed-arn']);
  });

  test('statements that can never match: a wildcard-only action on an ARN, a model action on a bucket', async () => {
    expect(await kinds({ Effect: 'Allow', Action: 'bedrock:ListInferenceProfiles', Resource: [PROFILE] })).toEqual(['never-matches']);
    expect(await kinds({ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: ['arn:aws:s3:::bucket/*'] })).toEqual(['never-matches']);
  });

  test('a broken document is reported as syntax before anything else', async () => {
    expect((await validatePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'bedrock:InvokeModel', Resource: '*' }] })).map((f) => f.kind))
      .toEqual(['syntax']);
  });
});
