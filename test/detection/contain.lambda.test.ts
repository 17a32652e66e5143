import { GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetInlinePolicyForPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertDetail } from '../../lib/detection/alert-message';
import { AlertQueueRecord, handler } from '../../lib/detection/contain.lambda';
import { REVOKE_POLICY_NAME, revokePolicy } from '../../lib/detection/revoke-policy';
import { decide } from '../support/iam-simulator';
import { ADMINISTRATOR_ACCESS } from '../support/template-policies';
import { INVOKE_ROLE, PERMISSION_SET, SSO_ROLE } from './fixtures/cloudtrail-events';

const iam = mockClient(IAMClient);
const ALERT_ROLE_ID = 'AROAEXAMPLEALERTFN01';
const NOW = Date.parse('2026-11-20T09:20:00Z');
const HOUR = 60 * 60 * 1000;

const alert = (over: Partial<AlertDetail> = {}): AlertDetail => ({
  identityKind: 'role',
  identityName: INVOKE_ROLE,
  roleName: INVOKE_ROLE,
  call: 'sts.amazonaws.com:GetCallerIdentity',
  eventTime: '2026-11-20T09:14:07Z',
  containment: 'revoke-sessions',
  ...over,
});
/** An SQS record as Lambda delivers it; SenderId is '<role id>:<session name>' for a role session (SQS ReceiveMessage). */
const record = (detail: AlertDetail, sender = `${ALERT_ROLE_ID}:awslambda_812_20261120091408123`, sentAt = '2026-11-20T09:14:09Z'): AlertQueueRecord => ({
  messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  body: JSON.stringify(detail),
  attributes: { SenderId: sender, SentTimestamp: String(Date.parse(sentAt)) },
});
const run = async (r: AlertQueueRecord) => (await handler({ Records: [r] }))[0];
const existing = (cutoff: string) => encodeURIComponent(JSON.stringify(revokePolicy(cutoff)));
const written = () => iam.commandCalls(PutRolePolicyCommand).map((c) => JSON.parse(c.args[0].input.PolicyDocument!).Statement[0].Condition.DateLessThan['aws:TokenIssueTime']);

beforeEach(() => {
  iam.reset();
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  process.env.CONTAINED_ROLES = INVOKE_ROLE;
  process.env.ALERT_ROLE_ID = ALERT_ROLE_ID;
  iam.on(PutRolePolicyCommand).resolves({});
  iam.on(GetRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));
});
afterEach(() => jest.useRealTimers());

describe('the containment handler', () => {
  test('writes the revocation policy with the misused call\'s time as the cut-off', async () => {
    expect(await run(record(alert()))).toEqual({ roleName: INVOKE_ROLE, cutoff: '2026-11-20T09:14:07.000Z', changed: true });
    const put = iam.commandCalls(PutRolePolicyCommand)[0].args[0].input;
    expect(put).toMatchObject({ RoleName: INVOKE_ROLE, PolicyName: REVOKE_POLICY_NAME });
    expect(written()).toEqual(['2026-11-20T09:14:07.000Z']);
  });

  test('is idempotent: the same or an older alert changes nothing', async () => {
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2026-11-20T09:14:07.000Z') });
    expect(await run(record(alert()))).toEqual({ roleName: INVOKE_ROLE, changed: false });
    expect(await run(record(alert({ eventTime: '2026-11-20T08:00:00Z' })))).toEqual({ roleName: INVOKE_ROLE, changed: false });
    expect(written()).toEqual([]);
  });

  test('a later alert moves the cut-off forward', async () => {
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2026-11-20T09:00:00.000Z') });
    expect((await run(record(alert()))).cutoff).toBe('2026-11-20T09:14:07.000Z');
  });

  test('never touches a permission-set role or a role it was not given', async () => {
    expect((await run(record(alert({ identityKind: 'permission-set', roleName: 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6' })))).changed).toBe(false);
    expect((await run(record(alert({ roleName: 'SomeoneElsesRole' })))).changed).toBe(false);
    expect(iam.commandCalls(GetRolePolicyCommand)).toHaveLength(0);
  });

  test('an IAM failure surfaces as an error, so SQS retries and then dead-letters the alert', async () => {
    iam.on(GetRolePolicyCommand).rejects(new Error('AccessDenied'));
    await expect(run(record(alert()))).rejects.toThrow(/AccessDenied/);
  });

  test('says how to fix a missing environment', async () => {
    delete process.env.ALERT_ROLE_ID;
    await expect(run(record(alert()))).rejects.toThrow(/ALERT_ROLE_ID is not set/);
  });
});

describe('nothing forged or replayed moves a cut-off', () => {
  test('an alert from any sender but the alert function\'s role is ignored', async () => {
    const forged = await run(record(alert(), 'AROAEXAMPLEOTHERROLE:mallory'));
    expect(forged).toMatchObject({ changed: false, ignored: expect.stringMatching(/sent by AROAEXAMPLEOTHERROLE:mallory, not by the alert function/) });
    // An IAM user's SenderId is its bare user id: no session part, no match.
    expect((await run(record(alert(), 'AIDAEXAMPLEUSERID001'))).changed).toBe(false);
    // A role id that merely starts with the alert role's id is another role.
    expect((await run(record(alert(), `${ALERT_ROLE_ID}X:session`))).changed).toBe(false);
    expect((await run({ ...record(alert()), attributes: {} })).changed).toBe(false);
    expect(iam.commandCalls(GetRolePolicyCommand)).toHaveLength(0);
    expect(written()).toEqual([]);
  });

  test('a body that is not an alert is ignored', async () => {
    expect((await run({ ...record(alert()), body: 'not json' })).ignored).toMatch(/not an alert/);
  });

  test('an alert dated in the future is ignored, and cannot lock the role until then', async () => {
    const future = await run(record(alert({ eventTime: '2099-01-01T00:00:00Z' })));
    expect(future).toMatchObject({ changed: false, ignored: expect.stringMatching(/dated 2099-01-01T00:00:00Z, after the moment it was sent/) });
    // Dated after SQS received it, though before the handler's clock: not believed either.
    expect((await run(record(alert({ eventTime: '2026-11-20T09:19:00Z' }), undefined, '2026-11-20T09:10:00Z'))).changed).toBe(false);
    expect(written()).toEqual([]);
  });

  test('a small clock skew is clamped: the cut-off is never later than the moment the handler acts', async () => {
    const skewed = await run(record(alert({ eventTime: '2026-11-20T09:22:00Z' }), undefined, '2026-11-20T09:21:00Z'));
    expect(skewed.cutoff).toBe(new Date(NOW).toISOString());
    expect(Date.parse(written()[0])).toBeLessThanOrEqual(NOW);
  });

  test('a replayed old alert moves nothing: older than any live session it is ignored, otherwise the cut-off already covers it', async () => {
    const stale = await run(record(alert({ eventTime: new Date(NOW - 13 * HOUR).toISOString() })));
    expect(stale).toMatchObject({ changed: false, ignored: expect.stringMatching(/older than the longest role session/) });
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2026-11-20T09:14:07.000Z') });
    expect((await run(record(alert({ eventTime: '2026-11-20T07:00:00Z' })))).changed).toBe(false);
    expect(written()).toEqual([]);
  });

  test('a cut-off in force that lies in the future (left by a forged alert) is pulled back to a credible one', async () => {
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2099-01-01T00:00:00.000Z') });
    expect(await run(record(alert()))).toEqual({ roleName: INVOKE_ROLE, cutoff: '2026-11-20T09:14:07.000Z', changed: true });
  });

  test('a stand-in check: the same alert from the alert function does act', async () => {
    // Proves the refusals above come from the sender and time checks, not from a handler that never acts.
    expect((await run(record(alert()))).changed).toBe(true);
  });
});

describe('the revocation policy, evaluated', () => {
  const subject = {
    identityPolicies: [ADMINISTRATOR_ACCESS, revokePolicy('2026-11-20T09:14:07.000Z')],
    principal: { account: '111122223333', roleArn: `arn:aws:iam::111122223333:role/${INVOKE_ROLE}` },
  };
  const request = (issued: string) => ({
    action: 'bedrock:InvokeModel',
    resource: 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6',
    context: { 'aws:TokenIssueTime': issued },
  });

  test('a session issued before the misused call is denied everything', async () => {
    expect(await decide(subject, request('2026-11-20T08:50:00Z'))).toBe('ExplicitlyDenied');
    expect(await decide(subject, { ...request('2026-11-20T08:50:00Z'), action: 's3:ListAllMyBuckets', resource: '*' })).toBe('ExplicitlyDenied');
  });

  test('a session issued after it is not', async () => {
    expect(await decide(subject, request('2026-11-20T09:30:00Z'))).toBe('Allowed');
  });
});

describe('denying an Identity Center user (the usage guard\'s hard limit)', () => {
  const sso = mockClient(SSOAdminClient);
  const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
  const SET_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
  const deployedPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'InvokeModels', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] });
  const userAlert = (over: Partial<AlertDetail> = {}) => alert({
    identityKind: 'permission-set',
    identityName: PERMISSION_SET,
    roleName: SSO_ROLE,
    sessionName: 'bob@example.com',
    call: 'bedrock.amazonaws.com:InvokeModel',
    containment: 'deny-identity-center-user',
    usage: ['rate-limit'],
    ...over,
  });
  beforeEach(() => {
    sso.reset();
    process.env.CONTAINED_PERMISSION_SETS = JSON.stringify([{ name: PERMISSION_SET, instanceArn: INSTANCE, permissionSetArn: SET_ARN }]);
    sso.on(GetInlinePolicyForPermissionSetCommand).resolves({ InlinePolicy: deployedPolicy });
    sso.on(PutInlinePolicyToPermissionSetCommand).resolves({});
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'b9c7a1e2-3d4f-4a5b-8c6d-7e8f9a0b1c2d', Status: 'IN_PROGRESS' } });
  });
  afterAll(() => delete process.env.CONTAINED_PERMISSION_SETS);

  test('writes the deny into the set\'s inline policy, then provisions it to every account', async () => {
    expect(await run(record(userAlert()))).toEqual({ user: 'bob@example.com', permissionSet: PERMISSION_SET, changed: true });
    const put = sso.commandCalls(PutInlinePolicyToPermissionSetCommand)[0].args[0].input;
    expect(put).toMatchObject({ InstanceArn: INSTANCE, PermissionSetArn: SET_ARN });
    expect(JSON.parse(put.InlinePolicy!).Statement).toEqual([
      JSON.parse(deployedPolicy).Statement[0],
      { Sid: 'ContainedIdentityCenterUsers', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': ['*:bob@example.com'] } } },
    ]);
    expect(sso.commandCalls(ProvisionPermissionSetCommand)[0].args[0].input).toEqual({ InstanceArn: INSTANCE, PermissionSetArn: SET_ARN, TargetType: 'ALL_PROVISIONED_ACCOUNTS' });
  });

  test('a user already denied: the policy is left alone, and provisioning runs again (a failed one before must not leave the deny unused)', async () => {
    sso.on(GetInlinePolicyForPermissionSetCommand).resolves({ InlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ContainedIdentityCenterUsers', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': ['*:bob@example.com'] } } }] }) });
    expect((await run(record(userAlert()))).changed).toBe(false);
    expect(sso.commandCalls(PutInlinePolicyToPermissionSetCommand)).toHaveLength(0);
    expect(sso.commandCalls(ProvisionPermissionSetCommand)).toHaveLength(1);
  });

  test('a provisioning refused (one already running) fails the message, so SQS delivers it again', async () => {
    sso.on(ProvisionPermissionSetCommand).rejects(new Error('ConflictException: another provisioning is in progress'));
    await expect(run(record(userAlert()))).rejects.toThrow(/ConflictException/);
  });

  test('never acts on a misuse alert (manual runbook), a set it was not given, a forged sender, or a replay', async () => {
    expect((await run(record(userAlert({ containment: 'manual-identity-center' })))).changed).toBe(false);
    expect((await run(record(userAlert({ identityName: 'SomeoneElsesSet' })))).changed).toBe(false);
    expect((await run(record(userAlert(), 'AROAEXAMPLEOTHERROLE:mallory'))).changed).toBe(false);
    expect((await run(record(userAlert({ eventTime: new Date(NOW - 13 * HOUR).toISOString() })))).changed).toBe(false);
    expect((await run(record(userAlert({ eventTime: '2099-01-01T00:00:00Z' })))).changed).toBe(false);
    expect(sso.commandCalls(PutInlinePolicyToPermissionSetCommand)).toHaveLength(0);
    // The same alert, credible and from the alert path, does act: the refusals above are the checks, not a dead handler.
    expect((await run(record(userAlert()))).changed).toBe(true);
  });
});
