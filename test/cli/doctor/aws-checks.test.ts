import { BedrockClient, GetInferenceProfileCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { DANGEROUS_ACTIONS } from '../../../lib/cli/doctor/dangerous-actions';
import { Finding } from '../../../lib/cli/findings';
import { GOOD_ENV, Sandbox } from '../cli-harness';
import { ACCOUNT } from '../fixtures/aws-examples';
import { otherProviderProfile, page, systemProfile } from '../fixtures/bedrock-responses';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const bedrock = mockClient(BedrockClient);

const SSO_ROLE = 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6';
const US_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

/** An SDK service error as the SDK throws it. */
function serviceError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

function assumedRole(role: string, session: string) {
  return { UserId: `AROA3XFRBF535PLBIFPI4:${session}`, Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` };
}

function usEast1Profiles() {
  return [
    systemProfile('us-east-1', 'us.anthropic.claude-sonnet-4-6', US_DESTINATIONS),
    systemProfile('us-east-1', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', US_DESTINATIONS),
    systemProfile('us-east-1', 'global.anthropic.claude-sonnet-4-6', []),
    otherProviderProfile('us-east-1'),
  ];
}

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
  sts.reset();
  iam.reset();
  bedrock.reset();
  bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: usEast1Profiles() });
  iam.on(GetRoleCommand).rejects(serviceError('AccessDenied', 'User is not authorized to perform: iam:GetRole', 403));
  iam.on(SimulatePrincipalPolicyCommand).rejects(serviceError('AccessDenied', 'User is not authorized to perform: iam:SimulatePrincipalPolicy', 403));
});
afterEach(() => box.cleanup());

interface DoctorRun {
  readonly code: number;
  readonly byId: (id: string) => Finding | undefined;
}

async function doctor(env: Record<string, string> = GOOD_ENV): Promise<DoctorRun> {
  const { code, stdout } = await box.run(['doctor', '--json'], env);
  const findings = JSON.parse(stdout).findings as Finding[];
  return { code, byId: (id) => findings.find((f) => f.id === id) };
}

describe('identity', () => {
  test('an Identity Center session is named plainly: person, permission set, account', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole(SSO_ROLE, 'alice'));
    const { byId, code } = await doctor();
    expect(byId('identity')!.title).toBe(`Claude Code will act as 'alice' signed in through IAM Identity Center with permission set 'ClaudeCodeBedrock' in account ${ACCOUNT}`);
    // Least privilege: nothing worse than info, so the machine passes.
    expect(code).toBe(0);
  });

  test('the root user is critical; an IAM user is medium', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
    expect((await doctor()).byId('identity-root')!.severity).toBe('critical');
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AIDAJQABLZS4A3QDU576Q', Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev/bob` });
    const user = await doctor();
    expect(user.byId('identity')!.title).toBe(`Claude Code will act as IAM user 'bob' in account ${ACCOUNT}`);
    expect(user.byId('identity-iam-user')!.severity).toBe('medium');
  });
});

describe('no credentials, expired credentials, no network', () => {
  test('no credentials: a high finding with the fix, the other AWS checks unknown, and no further AWS call', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { byId, code } = await doctor();
    expect(byId('no-usable-credentials')).toMatchObject({ severity: 'high', unknown: true });
    expect(byId('no-usable-credentials')!.fix).toContain('aws sso login');
    expect(byId('profiles-unknown')!.detail).toContain('skipped, because STS failed');
    expect(byId('permissions-unknown')!.unknown).toBe(true);
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)).toHaveLength(0);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
    expect(code).toBe(2);
  });

  test('an expired SSO session is the same high finding', async () => {
    sts.on(GetCallerIdentityCommand).rejects(serviceError('ExpiredToken', 'The security token included in the request is expired', 403));
    expect((await doctor()).byId('no-usable-credentials')!.detail).toContain('expired');
  });

  test('an unreachable network is medium and says what failed', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    const { byId, code } = await doctor();
    expect(byId('identity-unknown')!.severity).toBe('medium');
    expect(byId('identity-unknown')!.detail).toContain('AWS could not be reached (ENOTFOUND');
    expect(code).toBe(1);
  });
});

describe('profiles in the Region', () => {
  beforeEach(() => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole(SSO_ROLE, 'alice'));
  });

  test('every configured profile listed: one info finding, and only system-defined profiles were asked for', async () => {
    const { byId } = await doctor();
    expect(byId('profiles-exist')!.title).toBe('Bedrock lists every configured inference profile in us-east-1');
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)[0].args[0].input.typeEquals).toBe('SYSTEM_DEFINED');
  });

  test('a profile the Region does not list is high', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-4-8' });
    expect(byId('profile-not-in-region')!.title).toBe("ANTHROPIC_DEFAULT_OPUS_MODEL 'us.anthropic.claude-opus-4-8' is not an inference profile Bedrock offers in us-east-1");
  });

  test('profiles on a later page are found', async () => {
    const profiles = usEast1Profiles().reverse();
    bedrock.on(ListInferenceProfilesCommand).callsFake((input) => page(profiles, input.nextToken, 1));
    const { byId } = await doctor();
    expect(byId('profile-not-in-region')).toBeUndefined();
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)).toHaveLength(profiles.length);
  });

  test('an application profile is looked up with GetInferenceProfile; a missing one is high', async () => {
    const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
    bedrock.on(GetInferenceProfileCommand).rejects(serviceError('ResourceNotFoundException', 'The specified inference profile does not exist', 404));
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: arn });
    expect(bedrock.commandCalls(GetInferenceProfileCommand)[0].args[0].input.inferenceProfileIdentifier).toBe(arn);
    expect(byId('profile-not-in-region')!.title).toContain(arn);
  });

  test('ListInferenceProfiles denied: unknown, with the fix Claude Code itself needs', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(serviceError('AccessDeniedException', 'not authorized to perform: bedrock:ListInferenceProfiles', 403));
    const { byId } = await doctor();
    expect(byId('profiles-unknown')).toMatchObject({ severity: 'info', unknown: true });
    expect(byId('profiles-unknown')!.fix).toContain('bedrock:ListInferenceProfiles on "*"');
  });
});

describe('what else the identity may do', () => {
  function allow(...actions: string[]) {
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
      EvaluationResults: (input.ActionNames as string[]).map((a) => ({
        EvalActionName: a, EvalResourceName: '*', EvalDecision: actions.includes(a) ? 'allowed' : 'implicitDeny',
      })),
      IsTruncated: false,
    }));
  }

  test('an SSO role cannot be simulated without iam:GetRole: unknown, saying why', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole(SSO_ROLE, 'alice'));
    const { byId } = await doctor();
    expect(byId('permissions-unknown')!.detail).toContain('aws-reserved/sso.amazonaws.com/');
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });

  test('with iam:GetRole, the role ARN keeps its path, and allowed actions become findings by service', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole('Developer', 'bob'));
    iam.on(GetRoleCommand).resolves({
      Role: {
        Path: '/engineering/',
        RoleName: 'Developer',
        RoleId: 'AROA3XFRBF535PLBIFPI4',
        CreateDate: new Date('2024-01-01T00:00:00Z'),
        Arn: `arn:aws:iam::${ACCOUNT}:role/engineering/Developer`,
      },
    });
    allow('s3:GetObject', 's3:ListAllMyBuckets', 'iam:CreateAccessKey');
    const { byId, code } = await doctor();
    const input = iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input;
    expect(input.PolicySourceArn).toBe(`arn:aws:iam::${ACCOUNT}:role/engineering/Developer`);
    expect(input.ActionNames).toEqual(DANGEROUS_ACTIONS.map((a) => a.action));
    // The worst action of a service sets its severity: GetObject (high) outranks ListAllMyBuckets (medium).
    expect(byId('permissions-s3')).toMatchObject({ severity: 'high', title: 'This identity may also call s3:GetObject, s3:ListAllMyBuckets' });
    expect(byId('permissions-iam')!.severity).toBe('critical');
    expect(code).toBe(3);
  });

  test('an IAM user is simulated by its own ARN; nothing dangerous allowed is one info finding', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:user/dev/bob`;
    sts.on(GetCallerIdentityCommand).resolves({ UserId: 'AIDAJQABLZS4A3QDU576Q', Account: ACCOUNT, Arn: arn });
    allow();
    const { byId } = await doctor();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn).toBe(arn);
    expect(byId('permissions-none-dangerous')!.title).toBe(`None of ${DANGEROUS_ACTIONS.length} dangerous actions is allowed`);
  });

  test('a role without GetRole is simulated at the root path, and the finding says it assumed so', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole('ClaudeCode', 'carol'));
    allow('ec2:RunInstances');
    const { byId } = await doctor();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ClaudeCode`);
    expect(byId('permissions-ec2')!.detail).toContain('assumed the role has no path');
  });

  test('--principal-arn overrides the derived ARN', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole(SSO_ROLE, 'alice'));
    allow();
    const arn = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${SSO_ROLE}`;
    await box.run(['doctor', '--json', '--principal-arn', arn], GOOD_ENV);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn).toBe(arn);
  });

  test('simulation denied: unknown, and it says that is expected of a least-privilege identity', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole('ClaudeCode', 'carol'));
    const { byId } = await doctor();
    expect(byId('permissions-unknown')!.detail).toContain('A least-privilege identity is not allowed to simulate itself');
  });

  test('simulation results on several pages are all read', async () => {
    sts.on(GetCallerIdentityCommand).resolves(assumedRole('ClaudeCode', 'carol'));
    iam.on(SimulatePrincipalPolicyCommand)
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: 'iam:CreateUser', EvalDecision: 'implicitDeny' }], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed' }], IsTruncated: false });
    const { byId } = await doctor();
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[1].args[0].input.Marker).toBe('m1');
    expect(byId('permissions-secretsmanager')!.severity).toBe('critical');
  });
});
