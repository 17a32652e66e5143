import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  ConflictException, DescribeInstanceCommand, DescribePermissionSetProvisioningStatusCommand, GetInlinePolicyForPermissionSetCommand,
  ListAccountsForProvisionedPermissionSetCommand, ProvisionPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/containment/contain.lambda';
import { ContainmentRequest } from '../../lib/containment/containment-request';
import { ContainClients, ContainConfig, drainQueue } from '../../lib/containment/drain-queue';
import { readRoleContainment, ROLE_CONTAINMENT_POLICY_NAME } from '../../lib/models/role-containment-policy';

const sqs = mockClient(SQSClient);
const iam = mockClient(IAMClient);
const sns = mockClient(SNSClient);
const sso = mockClient(SSOAdminClient);
const ids = mockClient(IdentitystoreClient);

const NOW = Date.parse('2026-11-20T09:20:00Z');
const ROLE = 'ClaudeCodeBedrockInvoke';
const ALERT_ROLE_ID = 'AROAEXAMPLEALERTFN01';
const USAGE_ROLE_ID = 'AROAEXAMPLEUSAGEFN01';
const SPEND_ROLE_ID = 'AROAEXAMPLESPENDFN01';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/111122223333/Containment.fifo';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const SET_ARN = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef';
const BOB_ID = '9067a1b2c3-4d5e6f70-1a2b-3c4d-5e6f-7a8b9c0d1e2f';
const config: ContainConfig = {
  queueUrl: QUEUE,
  topicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
  requesterRoleIds: [ALERT_ROLE_ID, USAGE_ROLE_ID, SPEND_ROLE_ID],
  wholeStopRequesterRoleIds: [SPEND_ROLE_ID],
  roles: [ROLE],
  permissionSets: [{ name: 'ClaudeCodeBedrock', instanceArn: INSTANCE, permissionSetArn: SET_ARN }],
};
let clock = NOW;
const clients: ContainClients = {
  sqs: new SQSClient({}),
  iam: new IAMClient({}),
  sns: new SNSClient({}),
  ssoAdmin: new SSOAdminClient({}),
  identityStore: new IdentitystoreClient({}),
  sleep: async (ms) => { clock += ms; },
  now: () => clock,
};

const request = (over: Partial<ContainmentRequest> = {}): ContainmentRequest => ({
  version: 1,
  reason: 'misuse',
  target: { kind: 'role', roleName: ROLE },
  session: { sessionName: 'claude-code', sourceIdentity: 'alice@example.com', issuedAt: '2026-11-20T08:50:00.000Z' },
  eventTime: '2026-11-20T09:14:07Z',
  call: 'sts.amazonaws.com:GetCallerIdentity',
  ...over,
});
/** A message as SQS returns it: SQS, not the sender, sets SenderId and SentTimestamp. */
const message = (body: unknown, sender = `${ALERT_ROLE_ID}:awslambda_812`, sentAt = '2026-11-20T09:14:09Z', id = 'm-1'): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: typeof body === 'string' ? body : JSON.stringify(body),
  Attributes: { SenderId: sender, SentTimestamp: String(Date.parse(sentAt)) },
});
/** The queue holds these messages; each is handed out once. */
function queueHolds(...messages: Message[]): void {
  const left = [...messages];
  sqs.on(ReceiveMessageCommand).callsFake(() => ({ Messages: left.length > 0 ? [left.shift()!] : [] }));
  sqs.on(DeleteMessageCommand).resolves({});
}
/** The role's inline policy, kept the way IAM would keep it. */
let rolePolicy: string | undefined;
const drain = () => drainQueue(clients, config, () => 8 * 60 * 1000);
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

beforeEach(() => {
  for (const m of [sqs, iam, sns, sso, ids]) m.reset();
  clock = NOW;
  rolePolicy = undefined;
  iam.on(GetRolePolicyCommand).callsFake(() => {
    if (rolePolicy === undefined) throw new NoSuchEntityException({ message: 'not found', $metadata: {} });
    return { PolicyDocument: encodeURIComponent(rolePolicy) };
  });
  iam.on(PutRolePolicyCommand).callsFake((input) => { rolePolicy = input.PolicyDocument; return {}; });
  iam.on(DeleteRolePolicyCommand).callsFake(() => { rolePolicy = undefined; return {}; });
  sns.on(PublishCommand).resolves({});
  queueHolds();
});

describe('nothing forged reaches an action', () => {
  test('a direct invoke with a well-formed request and a plausible sender does nothing: the event is never read', async () => {
    process.env.CONTAINMENT_QUEUE_URL = QUEUE;
    process.env.TOPIC_ARN = config.topicArn;
    process.env.REQUESTER_ROLE_IDS = config.requesterRoleIds.join(',');
    process.env.CONTAINED_ROLES = ROLE;
    const forged = { Records: [{ messageId: 'x', body: JSON.stringify(request()), attributes: { SenderId: `${ALERT_ROLE_ID}:awslambda_1`, SentTimestamp: String(NOW) } }] };
    expect(await handler(forged)).toEqual([]);
    expect(iam.calls()).toHaveLength(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input).toMatchObject({ QueueUrl: QUEUE, MessageSystemAttributeNames: ['SenderId', 'SentTimestamp'] });
  });

  test('a message from any other sender is dropped unread, even with a plausible body', async () => {
    queueHolds(
      message(request(), 'AROAEXAMPLEOTHERROLE:mallory', undefined, 'a'),
      message(request(), 'AIDAEXAMPLEUSERID001', undefined, 'b'),
      message(request(), `${ALERT_ROLE_ID}X:session`, undefined, 'c'),
      message(request(), ':x', undefined, 'd'),
    );
    const outcomes = await drain();
    expect(outcomes.map((o) => o.ignored)).toEqual(Array(4).fill(expect.stringMatching(/not by a function of the library/)));
    expect(iam.calls()).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(4);
  });

  test('a padded request meant to exhaust the deny list is refused field by field', async () => {
    queueHolds(
      message(request({ session: { sessionName: 'x'.repeat(5000) } }), undefined, undefined, 'a'),
      message(request({ session: { sessionName: 'claude-code', sourceIdentity: '*' } }), undefined, undefined, 'b'),
      message(request({ session: { sessionName: 'a*b' } }), undefined, undefined, 'c'),
      message({ ...request(), version: 2 }, undefined, undefined, 'd'),
      message('not json', undefined, undefined, 'e'),
    );
    const outcomes = await drain();
    expect(outcomes.every((o) => o.ignored !== undefined && !o.changed)).toBe(true);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  test('a replayed request changes nothing: too old to matter, or already done', async () => {
    queueHolds(message(request({ eventTime: '2026-11-19T20:00:00Z', session: { sessionName: 'claude-code', sourceIdentity: 'alice@example.com', issuedAt: '2026-11-19T19:50:00Z' } }), undefined, undefined, 'old'));
    expect((await drain())[0].ignored).toMatch(/older than the longest session: a replay/);
    queueHolds(message(request(), undefined, undefined, 'first'), message(request({ eventTime: '2026-11-20T09:16:00Z' }), undefined, '2026-11-20T09:16:01Z', 'again'));
    const [first, again] = await drain();
    expect([first.changed, again.changed]).toEqual([true, false]);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(1);
    // Told once: the repeat is not news.
    expect(published()).toHaveLength(1);
  });

  test('a request dated after it was sent, or for a session issued after its own call, is not believed', async () => {
    queueHolds(
      message(request({ eventTime: '2099-01-01T00:00:00Z' }), undefined, undefined, 'a'),
      message(request({ session: { sessionName: 'claude-code', issuedAt: '2026-11-20T09:50:00Z' } }), undefined, undefined, 'b'),
    );
    const outcomes = await drain();
    expect(outcomes.map((o) => o.ignored)).toEqual([expect.stringMatching(/after the moment it was sent/), expect.stringMatching(/cannot have made a call/)]);
  });

  test('a stand-in check: the same request from the alert path, and from the usage guard, does act', async () => {
    queueHolds(message(request(), undefined, undefined, 'a'), message(request({ reason: 'usage-limit', session: { sessionName: 'other', issuedAt: '2026-11-20T09:00:00Z' } }), `${USAGE_ROLE_ID}:awslambda_9`, undefined, 'b'));
    expect((await drain()).map((o) => o.changed)).toEqual([true, true]);
    expect(readRoleContainment(rolePolicy)).toEqual({ sourceIdentities: ['alice@example.com'], sessions: [{ sessionName: 'other', issuedAt: '2026-11-20T09:00:00.000Z' }], issuedBefore: undefined });
  });
});

describe('containing the invoke role', () => {
  test('writes the deny for the offender and tells what it did; a role it was not given is never touched', async () => {
    queueHolds(message(request(), undefined, undefined, 'a'), message(request({ target: { kind: 'role', roleName: 'SomeoneElsesRole' } }), undefined, undefined, 'b'));
    const [done, other] = await drain();
    expect(done).toMatchObject({ contained: true, changed: true, by: 'source-identity' });
    expect(other.ignored).toMatch(/role SomeoneElsesRole is not one containment covers/);
    expect(iam.commandCalls(PutRolePolicyCommand).map((c) => c.args[0].input.RoleName)).toEqual([ROLE]);
    expect(published()[0].Subject).toBe(`Contained: alice@example.com on role ${ROLE}`);
    expect(published()[0].Message).toMatch(/every session that carries the source identity/);
  });

  test('a policy of containment\'s name that someone altered is not overwritten: the request fails and stays on the queue', async () => {
    rolePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    queueHolds(message(request()));
    const [outcome] = await drain();
    expect(outcome.contained).toBe(false);
    expect(outcome.warning).toMatch(new RegExp(`the inline policy ${ROLE_CONTAINMENT_POLICY_NAME} is not what containment writes`));
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(published()[0].Subject).toMatch(/^NOT contained/);
  });
});

describe('containing an Identity Center user, followed to the end in every account', () => {
  const userRequest = () => request({
    reason: 'usage-limit',
    target: { kind: 'permission-set', permissionSetName: 'ClaudeCodeBedrock' },
    session: { sessionName: 'bob@example.com', issuedAt: '2026-11-20T08:50:00.000Z' },
    call: 'bedrock.amazonaws.com:InvokeModel',
  });
  let inline: string;
  beforeEach(() => {
    inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'InvokeModels', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] });
    sso.on(DescribeInstanceCommand).resolves({ IdentityStoreId: 'd-1234567890' });
    ids.on(GetUserIdCommand).resolves({ UserId: BOB_ID, IdentityStoreId: 'd-1234567890' });
    sso.on(GetInlinePolicyForPermissionSetCommand).callsFake(() => ({ InlinePolicy: inline }));
    sso.on(PutInlinePolicyToPermissionSetCommand).callsFake((input) => { inline = input.InlinePolicy; return {}; });
  });

  test('denies the user by Identity Store id, retries a conflict, polls the provisioning, and says contained only once no account lags', async () => {
    let accountsBehind = ['111122223333', '444455556666'];
    sso.on(ProvisionPermissionSetCommand)
      .rejectsOnce(new ConflictException({ message: 'another provisioning is in progress', $metadata: {} }))
      .resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-1', Status: 'IN_PROGRESS' } });
    let polls = 0;
    sso.on(DescribePermissionSetProvisioningStatusCommand).callsFake(() => {
      polls += 1;
      if (polls < 3) return { PermissionSetProvisioningStatus: { RequestId: 'req-1', Status: 'IN_PROGRESS' } };
      accountsBehind = [];
      return { PermissionSetProvisioningStatus: { RequestId: 'req-1', Status: 'SUCCEEDED' } };
    });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).callsFake(() => ({ AccountIds: accountsBehind }));
    queueHolds(message(userRequest(), `${USAGE_ROLE_ID}:awslambda_9`));
    const [outcome] = await drain();
    expect(outcome).toMatchObject({ contained: true, changed: true, by: 'user-id', userId: BOB_ID, pendingAccounts: [] });
    expect(ids.commandCalls(GetUserIdCommand)[0].args[0].input).toEqual({ IdentityStoreId: 'd-1234567890', AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'bob@example.com' } } });
    expect(JSON.parse(inline).Statement[1]).toEqual({ Sid: 'ContainedIdentityCenterUsers', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'identitystore:UserId': [BOB_ID] } } });
    expect(sso.commandCalls(ProvisionPermissionSetCommand)).toHaveLength(2);
    expect(polls).toBe(3);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1);
    expect(published()[0].Subject).toBe('Contained: bob@example.com on permission set ClaudeCodeBedrock');
  });

  test('a failed provisioning is told with the accounts where the user is not yet contained, and the request stays for a retry', async () => {
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-2', Status: 'IN_PROGRESS' } });
    sso.on(DescribePermissionSetProvisioningStatusCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-2', Status: 'FAILED', FailureReason: 'Received a 404 status error: No policy found' } });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).resolves({ AccountIds: ['444455556666'] });
    queueHolds(message(userRequest(), `${USAGE_ROLE_ID}:awslambda_9`));
    const [outcome] = await drain();
    expect(outcome).toMatchObject({ contained: false, pendingAccounts: ['444455556666'] });
    expect(published()[0].Subject).toBe('NOT contained: bob@example.com on permission set ClaudeCodeBedrock');
    expect(published()[0].Message).toMatch(/not yet in: {4}444455556666/);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  test('a provisioning still running when patience ends is not called contained', async () => {
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-3', Status: 'IN_PROGRESS' } });
    sso.on(DescribePermissionSetProvisioningStatusCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-3', Status: 'IN_PROGRESS' } });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).resolves({ AccountIds: [] });
    queueHolds(message(userRequest(), `${USAGE_ROLE_ID}:awslambda_9`));
    const [outcome] = await drain();
    expect(outcome.contained).toBe(false);
    expect(outcome.pendingAccounts).toEqual(['unknown (provisioning IN_PROGRESS)']);
  });

  test('a user already contained everywhere: no write, no provisioning, nothing told', async () => {
    inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ContainedIdentityCenterUsers', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'identitystore:UserId': [BOB_ID] } } }] });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).resolves({ AccountIds: [] });
    queueHolds(message(userRequest(), `${USAGE_ROLE_ID}:awslambda_9`));
    const [outcome] = await drain();
    expect(outcome).toMatchObject({ contained: true, changed: false });
    expect(sso.commandCalls(PutInlinePolicyToPermissionSetCommand)).toHaveLength(0);
    expect(sso.commandCalls(ProvisionPermissionSetCommand)).toHaveLength(0);
    expect(published()).toHaveLength(0);
  });
});

describe('the whole stop (the spend-rate cap), asked by the spend-rate function alone', () => {
  const wholeStop = (over: Record<string, unknown> = {}) => ({
    version: 1,
    reason: 'spend-limit',
    target: { kind: 'role', roleName: ROLE },
    everySession: true,
    eventTime: '2026-11-20T09:14:07Z',
    call: 'cloudwatch:alarm bedrock-spend-rate-stop-1',
    ...over,
  });
  const fromSpend = `${SPEND_ROLE_ID}:awslambda_3`;

  test('denies every session of the role with a condition-free deny; asked again, writes nothing and tells nothing', async () => {
    queueHolds(message(wholeStop(), fromSpend, undefined, 'a'), message(wholeStop({ eventTime: '2026-11-20T09:18:00Z' }), fromSpend, '2026-11-20T09:18:01Z', 'b'));
    const [first, again] = await drain();
    expect(first).toMatchObject({ contained: true, changed: true, by: 'every-session' });
    expect(again).toMatchObject({ contained: true, changed: false });
    expect(JSON.parse(rolePolicy!).Statement).toEqual([{ Sid: 'DenyEverySession', Effect: 'Deny', Action: '*', Resource: '*' }]);
    expect(readRoleContainment(rolePolicy)).toEqual({ sourceIdentities: [], sessions: [], everySession: true });
    expect(published()).toHaveLength(1);
    expect(published()[0].Subject).toBe('Contained: every session on role ClaudeCodeBedrockInvoke');
  });

  test('keeps the people contained before it: lifting the whole stop later leaves them denied', async () => {
    queueHolds(message(request(), undefined, undefined, 'a'), message(wholeStop(), fromSpend, undefined, 'b'));
    await drain();
    expect(readRoleContainment(rolePolicy)).toEqual({ sourceIdentities: ['alice@example.com'], sessions: [], everySession: true });
  });

  test('a forged whole stop is refused: from another of the library\'s functions, with a session, for another reason, or not exactly true', async () => {
    queueHolds(
      message(wholeStop(), `${ALERT_ROLE_ID}:awslambda_1`, undefined, 'a'),
      message(wholeStop(), `${USAGE_ROLE_ID}:awslambda_1`, undefined, 'b'),
      message(wholeStop({ session: { sessionName: 'claude-code' } }), fromSpend, undefined, 'c'),
      message(wholeStop({ reason: 'misuse' }), fromSpend, undefined, 'd'),
      message(wholeStop({ everySession: 'yes' }), fromSpend, undefined, 'e'),
      message(wholeStop({ target: { kind: 'role', roleName: 'SomeoneElsesRole' } }), fromSpend, undefined, 'f'),
      message(wholeStop({ eventTime: '2026-11-19T08:00:00Z' }), fromSpend, undefined, 'g'),
    );
    const outcomes = await drain();
    expect(outcomes.map((o) => o.ignored)).toEqual([
      expect.stringMatching(/a whole stop sent by AROAEXAMPLEALERTFN01:awslambda_1, not by the spend-rate cap/),
      expect.stringMatching(/not by the spend-rate cap/),
      expect.stringMatching(/only for the spend limit, with no session/),
      expect.stringMatching(/only for the spend limit, with no session/),
      expect.stringMatching(/only for the spend limit, with no session/),
      expect.stringMatching(/role SomeoneElsesRole is not one containment covers/),
      expect.stringMatching(/older than the longest session/),
    ]);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  test('a stand-in check: a session request from the spend-rate function still acts (it is a requester like the others)', async () => {
    queueHolds(message(request({ reason: 'spend-limit' }), fromSpend));
    expect((await drain())[0]).toMatchObject({ contained: true, changed: true, by: 'source-identity' });
  });

  test('denies every user of a permission set in every account, followed to the end; asked again, no write and no provisioning', async () => {
    let inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'InvokeModels', Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] });
    sso.on(GetInlinePolicyForPermissionSetCommand).callsFake(() => ({ InlinePolicy: inline }));
    sso.on(PutInlinePolicyToPermissionSetCommand).callsFake((input) => { inline = input.InlinePolicy; return {}; });
    sso.on(ProvisionPermissionSetCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-9', Status: 'IN_PROGRESS' } });
    sso.on(DescribePermissionSetProvisioningStatusCommand).resolves({ PermissionSetProvisioningStatus: { RequestId: 'req-9', Status: 'SUCCEEDED' } });
    sso.on(ListAccountsForProvisionedPermissionSetCommand).resolves({ AccountIds: [] });
    const setStop = wholeStop({ target: { kind: 'permission-set', permissionSetName: 'ClaudeCodeBedrock' } });
    queueHolds(message(setStop, fromSpend, undefined, 'a'), message(setStop, fromSpend, undefined, 'b'));
    const [first, again] = await drain();
    expect(first).toMatchObject({ contained: true, changed: true, by: 'every-session', pendingAccounts: [] });
    expect(again).toMatchObject({ contained: true, changed: false });
    expect(JSON.parse(inline).Statement[1]).toEqual({ Sid: 'DenyEverySessionOfTheSet', Effect: 'Deny', Action: '*', Resource: '*' });
    expect(sso.commandCalls(ProvisionPermissionSetCommand)).toHaveLength(1);
    expect(ids.commandCalls(GetUserIdCommand)).toHaveLength(0);
  });
});
