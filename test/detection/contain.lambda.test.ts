import { GetRolePolicyCommand, IAMClient, NoSuchEntityException, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { AlertDetail } from '../../lib/detection/alert-message';
import { handler } from '../../lib/detection/contain.lambda';
import { REVOKE_POLICY_NAME, revokePolicy } from '../../lib/detection/revoke-policy';
import { decide } from '../support/iam-simulator';
import { ADMINISTRATOR_ACCESS } from '../support/template-policies';
import { INVOKE_ROLE } from './fixtures/cloudtrail-events';

const iam = mockClient(IAMClient);
const alert = (over: Partial<AlertDetail> = {}): { detail: AlertDetail } => ({
  detail: {
    identityKind: 'role',
    identityName: INVOKE_ROLE,
    roleName: INVOKE_ROLE,
    call: 'sts.amazonaws.com:GetCallerIdentity',
    eventTime: '2026-11-20T09:14:07Z',
    containment: 'revoke-sessions',
    ...over,
  },
});
const existing = (cutoff: string) => encodeURIComponent(JSON.stringify(revokePolicy(cutoff)));

beforeEach(() => {
  iam.reset();
  process.env.CONTAINED_ROLES = INVOKE_ROLE;
  iam.on(PutRolePolicyCommand).resolves({});
});

describe('the containment handler', () => {
  test('writes the revocation policy with the event time as the cut-off', async () => {
    iam.on(GetRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));
    expect(await handler(alert())).toEqual({ roleName: INVOKE_ROLE, cutoff: '2026-11-20T09:14:07.000Z', changed: true });
    const put = iam.commandCalls(PutRolePolicyCommand)[0].args[0].input;
    expect(put).toMatchObject({ RoleName: INVOKE_ROLE, PolicyName: REVOKE_POLICY_NAME });
    expect(JSON.parse(put.PolicyDocument!).Statement[0].Condition).toEqual({ DateLessThan: { 'aws:TokenIssueTime': '2026-11-20T09:14:07.000Z' } });
  });

  test('is idempotent: the same or an older alert changes nothing', async () => {
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2026-11-20T09:14:07.000Z') });
    expect(await handler(alert())).toEqual({ roleName: INVOKE_ROLE, changed: false });
    expect(await handler(alert({ eventTime: '2026-11-20T08:00:00Z' }))).toEqual({ roleName: INVOKE_ROLE, changed: false });
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  test('a later alert moves the cut-off forward', async () => {
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: existing('2026-11-20T09:14:07.000Z') });
    expect((await handler(alert({ eventTime: '2026-11-20T10:00:00Z' }))).cutoff).toBe('2026-11-20T10:00:00.000Z');
  });

  test('never touches a permission-set role or a role it was not given', async () => {
    expect(await handler(alert({ identityKind: 'permission-set', roleName: 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6' }))).toEqual({ changed: false });
    expect(await handler(alert({ roleName: 'SomeoneElsesRole' }))).toEqual({ changed: false });
    expect(iam.commandCalls(GetRolePolicyCommand)).toHaveLength(0);
  });

  test('an IAM failure surfaces as an error', async () => {
    iam.on(GetRolePolicyCommand).rejects(new Error('AccessDenied'));
    await expect(handler(alert())).rejects.toThrow(/AccessDenied/);
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
