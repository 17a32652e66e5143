import { BedrockClient, GetInferenceProfileCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { IAMClient, ListRolesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { DANGEROUS_ACTIONS } from '../../../lib/cli/doctor/dangerous-actions';
import { Finding } from '../../../lib/cli/findings';
import { GOOD_AWS_CONFIG, GOOD_ENV, ISOLATION_SETTINGS, Sandbox } from '../cli-harness';
import { ACCOUNT, EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY } from '../fixtures/aws-examples';
import { otherProviderProfile, page, systemProfile } from '../fixtures/bedrock-responses';

const iam = mockClient(IAMClient);
const bedrock = mockClient(BedrockClient);

const SSO_ROLE = 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6';
const SSO_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${SSO_ROLE}`;
const US_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

/** An SDK service error as the SDK throws it. */
function serviceError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

/** A role as IAM ListRoles returns it. */
function listedRole(name: string, arn: string) {
  return { RoleName: name, Arn: arn, Path: arn.slice(arn.indexOf(':role') + 5, arn.lastIndexOf('/') + 1), RoleId: 'AROA3XFRBF535PLBIFPI4', CreateDate: new Date('2024-01-01T00:00:00Z') };
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
  // Isolation is in place (as the generator writes it): these tests are about the other findings.
  box.settings('managed', ISOLATION_SETTINGS);
  box.awsConfig(GOOD_AWS_CONFIG);
  iam.reset();
  bedrock.reset();
  bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: usEast1Profiles() });
  iam.on(ListRolesCommand).resolves({ Roles: [listedRole(SSO_ROLE, SSO_ROLE_ARN)], IsTruncated: false });
  iam.on(SimulatePrincipalPolicyCommand).rejects(serviceError('AccessDenied', 'User is not authorized to perform: iam:SimulatePrincipalPolicy', 403));
});
afterEach(() => box.cleanup());

interface DoctorRun {
  readonly code: number;
  readonly byId: (id: string) => Finding | undefined;
}

async function doctor(env: Record<string, string> = GOOD_ENV, extra: string[] = []): Promise<DoctorRun> {
  const { code, stdout } = await box.run(['doctor', '--json', ...extra], env);
  const findings = JSON.parse(stdout).findings as Finding[];
  return { code, byId: (id) => findings.find((f) => f.id === id) };
}

describe('identity, read from the configuration', () => {
  test('an Identity Center profile is named plainly: permission set and account, with where it was read', async () => {
    const { byId, code } = await doctor();
    expect(byId('identity')!.title).toBe(`Claude Code will act as the IAM Identity Center permission set 'ClaudeCodeBedrock' in account ${ACCOUNT}`);
    expect(byId('identity')!.detail).toMatch(/From profile 'claude-code' in .*\.aws\/config\..*not asked of AWS/);
    // Least privilege: nothing worse than info, so the machine passes.
    expect(code).toBe(0);
  });

  test('a role profile names the role from role_arn', async () => {
    box.awsConfig('[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/engineering/ClaudeCode\nsource_profile = base\n');
    expect((await doctor({ ...GOOD_ENV, AWS_PROFILE: 'ci' })).byId('identity')!.title).toBe(`Claude Code will act as role 'ClaudeCode' in account ${ACCOUNT}`);
  });

  test('an access key in the environment wins over any profile, and a long-lived one is said to be a user\'s or root\'s', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, AWS_ACCESS_KEY_ID: EXAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY });
    expect(byId('identity')!.title).toMatch(/whoever owns access key AKIA\*+MPLE/);
    expect(byId('identity')!.detail).toContain('an IAM user or to the root user');
  });

  test('a profile the files do not have is unknown, saying which', async () => {
    expect((await doctor({ ...GOOD_ENV, AWS_PROFILE: 'nowhere' })).byId('identity-unknown')!.detail).toMatch(/profile 'nowhere' is in neither/);
  });
});

describe('no credentials, expired credentials, no network: Bedrock\'s own answer tells', () => {
  test('no credentials: a high finding with the fix, and no IAM call even with an administrator profile', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const { byId, code } = await doctor();
    expect(byId('no-usable-credentials')).toMatchObject({ severity: 'high', unknown: true });
    expect(byId('no-usable-credentials')!.fix).toContain('aws sso login');
    expect(byId('permissions-unknown')!.unknown).toBe(true);
    expect(iam.calls()).toHaveLength(0);
    expect(code).toBe(2);
  });

  test('an expired SSO session is the same high finding', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(serviceError('ExpiredTokenException', 'The security token included in the request is expired', 403));
    expect((await doctor()).byId('no-usable-credentials')!.detail).toContain('expired');
  });

  test('an unreachable network is medium and says what failed', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND bedrock.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    const { byId, code } = await doctor();
    expect(byId('aws-unreachable')!.severity).toBe('medium');
    expect(byId('aws-unreachable')!.detail).toContain('AWS could not be reached (ENOTFOUND');
    expect(code).toBe(1);
  });
});

describe('profiles in the Region', () => {
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

describe('what else the identity may do: asked of IAM by the administrator profile only', () => {
  const ADMIN = ['--admin-profile', 'platform-admin'];
  function allow(...actions: string[]) {
    iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
      EvaluationResults: (input.ActionNames as string[]).map((a) => ({
        EvalActionName: a, EvalResourceName: '*', EvalDecision: actions.includes(a) ? 'allowed' : 'implicitDeny',
      })),
      IsTruncated: false,
    }));
  }

  test('without --admin-profile: unknown, no IAM call at all, and the fix names the flag', async () => {
    const { byId } = await doctor();
    expect(byId('permissions-unknown')!.detail).toContain('no --admin-profile was named');
    expect(byId('permissions-unknown')!.fix).toContain('--admin-profile');
    expect(iam.calls()).toHaveLength(0);
  });

  test('an Identity Center role is found by its permission set and account, its path kept, and allowed actions become findings by service', async () => {
    allow('s3:GetObject', 's3:ListAllMyBuckets', 'iam:CreateAccessKey');
    const { byId, code } = await doctor(GOOD_ENV, ADMIN);
    expect(iam.commandCalls(ListRolesCommand)[0].args[0].input.PathPrefix).toBe('/aws-reserved/sso.amazonaws.com/');
    const input = iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input;
    expect(input.PolicySourceArn).toBe(SSO_ROLE_ARN);
    expect(input.ActionNames).toEqual(DANGEROUS_ACTIONS.map((a) => a.action));
    // The worst action of a service sets its severity: GetObject (high) outranks ListAllMyBuckets (medium).
    expect(byId('permissions-s3')).toMatchObject({ severity: 'high', title: 'This identity may also call s3:GetObject, s3:ListAllMyBuckets' });
    expect(byId('permissions-iam')!.severity).toBe('critical');
    expect(code).toBe(3);
  });

  test('a rival permission set sharing the name prefix, or the same set in another account, is not taken for it', async () => {
    iam.on(ListRolesCommand).resolves({
      Roles: [
        listedRole('AWSReservedSSO_ClaudeCodeBedrock_Admin_9f3c1e2d4b5a6c7d', `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ClaudeCodeBedrock_Admin_9f3c1e2d4b5a6c7d`),
        listedRole(SSO_ROLE, `arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`),
      ],
      IsTruncated: false,
    });
    const { byId } = await doctor(GOOD_ENV, ADMIN);
    expect(byId('permissions-unknown')!.detail).toContain(`sees no role of permission set 'ClaudeCodeBedrock' in account ${ACCOUNT}`);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(0);
  });

  test('a role profile is simulated by its role_arn, path included, with no lookup', async () => {
    box.awsConfig(`${GOOD_AWS_CONFIG}\n[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/engineering/ClaudeCode\nsource_profile = platform-admin\n`);
    allow('ec2:RunInstances');
    const { byId } = await doctor({ ...GOOD_ENV, AWS_PROFILE: 'ci' }, ADMIN);
    expect(iam.commandCalls(ListRolesCommand)).toHaveLength(0);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn).toBe(`arn:aws:iam::${ACCOUNT}:role/engineering/ClaudeCode`);
    expect(byId('permissions-ec2')!.severity).toBe('high');
  });

  test('--principal-arn overrides the derived ARN', async () => {
    allow();
    const arn = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/us-west-2/${SSO_ROLE}`;
    const { byId } = await doctor(GOOD_ENV, [...ADMIN, '--principal-arn', arn]);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[0].args[0].input.PolicySourceArn).toBe(arn);
    expect(byId('permissions-none-dangerous')!.title).toBe(`None of ${DANGEROUS_ACTIONS.length} dangerous actions is allowed`);
  });

  test('an access key\'s owner is not in the configuration: unknown, asking for --principal-arn', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, AWS_ACCESS_KEY_ID: EXAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY }, ADMIN);
    expect(byId('permissions-unknown')!.detail).toContain('pass --principal-arn');
    expect(iam.calls()).toHaveLength(0);
  });

  test('naming Claude Code\'s own profile as the administrator is refused', async () => {
    const { byId } = await doctor(GOOD_ENV, ['--admin-profile', 'claude-code']);
    expect(byId('permissions-unknown')!.detail).toContain("--admin-profile 'claude-code' is the profile Claude Code uses");
    expect(iam.calls()).toHaveLength(0);
  });

  test('simulation denied to the administrator: unknown, saying so', async () => {
    const { byId } = await doctor(GOOD_ENV, ADMIN);
    expect(byId('permissions-unknown')!.detail).toContain('The administrator profile may not call it');
  });

  test('simulation results on several pages are all read', async () => {
    iam.on(SimulatePrincipalPolicyCommand)
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: 'iam:CreateUser', EvalDecision: 'implicitDeny' }], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed' }], IsTruncated: false });
    const { byId } = await doctor(GOOD_ENV, ADMIN);
    expect(iam.commandCalls(SimulatePrincipalPolicyCommand)[1].args[0].input.Marker).toBe('m1');
    expect(byId('permissions-secretsmanager')!.severity).toBe('critical');
  });
});
