import { arnFields, flatten, globMatches, hasWildcard, UNKNOWN, Unknowns } from '../../lib/nag/policy-values';

describe('reading policy values', () => {
  const pseudo = { region: 'eu-west-1', account: '123456789012' };

  test('Fn::Join and Fn::Sub become strings; pseudo parameters the stack knows are filled in, others are unknown', () => {
    expect(flatten({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, '::foundation-model/x']] }, pseudo))
      .toBe(`arn:${UNKNOWN}:bedrock:eu-west-1::foundation-model/x`);
    expect(flatten({ 'Fn::Sub': 'arn:aws:bedrock:${AWS::Region}:${!aws:PrincipalAccount}:inference-profile/${Id}' }, pseudo))
      .toBe(`arn:aws:bedrock:eu-west-1:\${aws:PrincipalAccount}:inference-profile/${UNKNOWN}`);
    expect(flatten({ 'Fn::Sub': ['${A}-${AWS::AccountId}', { A: 'a' }] }, pseudo)).toBe('a-123456789012');
    expect(flatten({ 'Fn::GetAtt': ['Role', 'Arn'] }, pseudo)).toBe(UNKNOWN);
  });

  test('unknown parts and policy variables may match anything, but surely match nothing', () => {
    const pattern = `arn:aws:bedrock:${UNKNOWN}:\${aws:PrincipalAccount}:inference-profile/us.x`;
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x';
    expect(globMatches(pattern, arn, Unknowns.MATCH_ANYTHING)).toBe(true);
    expect(globMatches(pattern, arn, Unknowns.MATCH_NOTHING)).toBe(false);
    expect(globMatches('arn:aws:bedrock:*::foundation-model/x', 'arn:aws:bedrock:::foundation-model/x', Unknowns.MATCH_NOTHING)).toBe(true);
    expect(globMatches('bedrock:invoke*', 'bedrock:InvokeModel', Unknowns.MATCH_NOTHING, true)).toBe(true);
  });

  test('ARN fields keep the model version and policy variables whole; ${*} is not a wildcard', () => {
    expect(arnFields('arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0'))
      .toEqual(['arn', 'aws', 'bedrock', 'us-east-1', '${aws:PrincipalAccount}', 'inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0']);
    expect(hasWildcard('foundation-model/${*}')).toBe(false);
    expect(hasWildcard('foundation-model/a?')).toBe(true);
  });
});
