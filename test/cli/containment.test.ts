import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetInlinePolicyForPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../lib/cli/main';
import { containedUsersStatement, readPermissionSetContainment } from '../../lib/models/identity-center-deny-list';
import { readRoleContainment, roleContainmentPolicy } from '../../lib/models/role-containment-policy';

const iam = mockClient(IAMClient);
const sso = mockClient(SSOAdminClient);
const ROLE = 'ClaudeCodeBedrockInvoke';
const SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const BOB = '9067a1b2c3-4d5e6f70-1a2b-3c4d-5e6f-7a8b9c0d1e2f';
const ALICE = 'a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, {
    env: {},
    cwd: '/tmp',
    home: '/tmp',
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    containmentClients: { iam: new IAMClient({ region: 'us-east-1' }), ssoAdmin: new SSOAdminClient({ region: 'us-east-1' }) },
  });
  return { code, out, err };
}
let rolePolicy: string | undefined;
beforeEach(() => {
  iam.reset();
  sso.reset();
  rolePolicy = encodeURIComponent(JSON.stringify(roleContainmentPolicy({
    sourceIdentities: ['alice@example.com'], sessions: [{ sessionName: 'build-4711', issuedAt: '2026-11-20T08:50:00.000Z' }], issuedBefore: '2026-11-20T07:00:00.000Z',
  })));
  iam.on(GetRolePolicyCommand).callsFake(() => {
    if (!rolePolicy) throw new NoSuchEntityException({ message: 'not found', $metadata: {} });
    return { PolicyDocument: rolePolicy };
  });
  iam.on(PutRolePolicyCommand).callsFake((input) => { rolePolicy = input.PolicyDocument; return {}; });
  iam.on(DeleteRolePolicyCommand).callsFake(() => { rolePolicy = undefined; return {}; });
});

describe('containment list and lift, on an invoke role', () => {
  test('list names each entry and the one step that lifts it', async () => {
    const { code, out } = await run('containment', 'list', '--role', ROLE);
    expect(code).toBe(0);
    expect(out).toMatch(/source identity alice@example.com: every session that carries it {3}\(lift: --source-identity alice@example.com\)/);
    expect(out).toMatch(/session build-4711 issued 2026-11-20T08:50:00.000Z {3}\(lift: --session build-4711\)/);
    expect(out).toMatch(/wider stop: every session issued before 2026-11-20T07:00:00.000Z {3}\(lift: --wider-stop\)/);
  });

  test('lift takes out one entry and keeps the others', async () => {
    expect((await run('containment', 'lift', '--role', ROLE, '--source-identity', 'alice@example.com')).code).toBe(0);
    expect(readRoleContainment(rolePolicy)).toEqual({ sourceIdentities: [], sessions: [{ sessionName: 'build-4711', issuedAt: '2026-11-20T08:50:00.000Z' }], issuedBefore: '2026-11-20T07:00:00.000Z' });
    const wide = await run('containment', 'lift', '--role', ROLE, '--wider-stop');
    expect(wide.out).toMatch(/lift it only once those sessions have expired/);
    expect(readRoleContainment(rolePolicy)!.issuedBefore).toBeUndefined();
  });

  test('lifting the last entry deletes the policy; lifting what is not there changes nothing', async () => {
    rolePolicy = encodeURIComponent(JSON.stringify(roleContainmentPolicy({ sourceIdentities: ['alice@example.com'], sessions: [] })));
    expect((await run('containment', 'lift', '--role', ROLE, '--source-identity', 'alice@example.com')).code).toBe(0);
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toHaveLength(1);
    const again = await run('containment', 'lift', '--role', ROLE, '--source-identity', 'alice@example.com');
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/nothing to lift: role ClaudeCodeBedrockInvoke: nobody is contained/);
  });

  test('a policy of containment\'s name that someone altered is reported, not rewritten', async () => {
    rolePolicy = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    const { code, err } = await run('containment', 'lift', '--role', ROLE, '--wider-stop');
    expect(code).not.toBe(0);
    expect(err).toMatch(/is not what containment writes/);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  test('bad input gets a clear error naming the value', async () => {
    expect((await run('containment', 'lift', '--role', ROLE)).err).toMatch(/lift needs exactly one of --source-identity, --session, --user-id, --wider-stop or --every-session/);
    expect((await run('containment', 'lift', '--role', ROLE, '--session', 'a*')).err).toMatch(/'a\*' is not a session name/);
    expect((await run('containment', 'list')).err).toMatch(/name one identity/);
    expect((await run('containment', 'purge', '--role', ROLE)).err).toMatch(/unknown containment command 'purge'/);
  });
});

describe('containment list and lift, on a permission set', () => {
  let inline: string;
  beforeEach(() => {
    inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'InvokeModels', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }, containedUsersStatement([BOB, ALICE])] });
    sso.on(GetInlinePolicyForPermissionSetCommand).callsFake(() => ({ InlinePolicy: inline }));
    sso.on(PutInlinePolicyToPermissionSetCommand).callsFake((input) => { inline = input.InlinePolicy; return {}; });
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-9', Status: 'IN_PROGRESS' } });
  });

  test('lift removes one user id and provisions the set to every account again', async () => {
    const listed = await run('containment', 'list', '--permission-set-arn', SET, '--instance-arn', INSTANCE);
    expect(listed.out).toMatch(new RegExp(`Identity Store user ${BOB}`));
    const { code, out } = await run('containment', 'lift', '--permission-set-arn', SET, '--instance-arn', INSTANCE, '--user-id', BOB);
    expect(code).toBe(0);
    expect(readPermissionSetContainment(inline).userIds).toEqual([ALICE]);
    expect(JSON.parse(inline).Statement[0]).toEqual({ Sid: 'InvokeModels', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' });
    expect(sso.commandCalls(ProvisionPermissionSetCommand)[0].args[0].input).toEqual({ InstanceArn: INSTANCE, PermissionSetArn: SET, TargetType: 'ALL_PROVISIONED_ACCOUNTS' });
    expect(out).toMatch(/describe-permission-set-provisioning-status .* --provision-permission-set-request-id req-9/);
  });
});
