import { classifyPermissionSetRole, ssoRoleNamePattern } from '../../lib/models/permission-set-role';

const SETS = ['ClaudeCodeBedrock', 'Bedrock'];
const role = (path: string, name: string, account = '111122223333') => `arn:aws:iam::${account}:role${path}${name}`;

describe('classifyPermissionSetRole', () => {
  test.each([
    ['/aws-reserved/sso.amazonaws.com/', 'the reserved path'],
    ['/aws-reserved/sso.amazonaws.com/eu-west-1/', 'the reserved path with a Region segment'],
  ])('a role under %s named like a watched set is that set\'s role (%s)', (path) => {
    expect(classifyPermissionSetRole(role(path, 'AWSReservedSSO_ClaudeCodeBedrock_0123456789abcdef'), SETS))
      .toEqual({ kind: 'permission-set-role', permissionSetName: 'ClaudeCodeBedrock', accountId: '111122223333' });
  });

  test.each([
    ['/', 'the root path'],
    ['/aws-reserved/', 'a parent of the reserved path'],
    ['/aws-reserved/sso.amazonaws.com.evil/', 'a path that only starts like it'],
    ['/x/aws-reserved/sso.amazonaws.com/', 'the reserved path nested under another'],
    ['/aws-reserved/sso.amazonaws.com/not-a-region/', 'a segment that is not a Region'],
  ])('the same name under %s is a look-alike (%s)', (path) => {
    expect(classifyPermissionSetRole(role(path, 'AWSReservedSSO_Bedrock_0123456789abcdef'), SETS))
      .toEqual({ kind: 'look-alike', permissionSetName: 'Bedrock', accountId: '111122223333', path });
  });

  test('another set whose name extends a watched one is not that set', () => {
    expect(classifyPermissionSetRole(role('/aws-reserved/sso.amazonaws.com/', 'AWSReservedSSO_Bedrock_Admin_0123456789abcdef'), SETS)).toEqual({ kind: 'other' });
  });

  test.each([
    ['not an ARN', 'AWSReservedSSO_Bedrock_0123456789abcdef'],
    ['a user, not a role', 'arn:aws:iam::111122223333:user/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Bedrock_0123456789abcdef'],
    ['a suffix of 15 hex characters', role('/aws-reserved/sso.amazonaws.com/', 'AWSReservedSSO_Bedrock_0123456789abcde')],
    ['an upper-case suffix', role('/aws-reserved/sso.amazonaws.com/', 'AWSReservedSSO_Bedrock_0123456789ABCDEF')],
    ['an unwatched set', role('/aws-reserved/sso.amazonaws.com/', 'AWSReservedSSO_Other_0123456789abcdef')],
    ['nothing', undefined],
  ])('%s is other', (_what, arn) => {
    expect(classifyPermissionSetRole(arn, SETS)).toEqual({ kind: 'other' });
  });

  test('other partitions', () => {
    expect(classifyPermissionSetRole('arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-gov-west-1/AWSReservedSSO_Bedrock_0123456789abcdef', SETS).kind)
      .toBe('permission-set-role');
  });
});

describe('ssoRoleNamePattern', () => {
  test('escapes the characters a set name may hold', () => {
    const pattern = new RegExp(ssoRoleNamePattern('a.b+c'));
    expect(pattern.test('AWSReservedSSO_a.b+c_0123456789abcdef')).toBe(true);
    expect(pattern.test('AWSReservedSSO_aXbbc_0123456789abcdef')).toBe(false);
  });
});
