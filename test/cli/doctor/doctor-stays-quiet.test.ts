import { BedrockClient, GetInferenceProfileCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { IAMClient, ListRolesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockInvokeRole, ModelReference } from '../../../lib';
import { detectionStack } from '../../detection/detection-fixture';
import { call, invokeRoleSession, ssoSession } from '../../detection/fixtures/cloudtrail-events';
import { matches } from '../../support/event-pattern-matcher';
import { decide } from '../../support/iam-simulator';
import { roleSubject } from '../../support/role-subject';
import { GOOD_AWS_CONFIG, GOOD_ENV, ISOLATION_SETTINGS, Sandbox } from '../cli-harness';
import { ACCOUNT } from '../fixtures/aws-examples';
import { systemProfile } from '../fixtures/bedrock-responses';

const bedrock = mockClient(BedrockClient);
const iamApi = mockClient(IAMClient);

const ADMIN_PROFILE = 'platform-admin';
const APPLICATION_PROFILE = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
const SSO_ROLE = 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6';

/** One AWS call the doctor made: which client (whose credentials), and its CloudTrail event source and name. */
interface DoctorCall {
  readonly eventSource: string;
  readonly eventName: string;
  /** The profile the client was built for; undefined means the default chain, Claude Code's identity. */
  readonly profile?: string;
}

/** Runs the doctor in every situation the AWS-check tests cover and records each call it makes. */
async function everyCallTheDoctorMakes(): Promise<DoctorCall[]> {
  const scenarios: Array<{ env?: Record<string, string>; args?: string[]; config?: string; settings?: Record<string, unknown> }> = [
    {},
    // Isolated: no AWS_PROFILE, Claude Code's credentials come from the CLI's export of the SSO profile, every isolation check runs.
    {
      env: {},
      settings: {
        ...ISOLATION_SETTINGS,
        env: { ...GOOD_ENV, AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
        awsCredentialExport: 'aws configure export-credentials --profile claude-code --format process',
      },
      args: ['--admin-profile', ADMIN_PROFILE],
    },
    { env: { ...GOOD_ENV, ANTHROPIC_MODEL: APPLICATION_PROFILE } },
    { args: ['--admin-profile', ADMIN_PROFILE] },
    { args: ['--admin-profile', ADMIN_PROFILE, '--principal-arn', `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`] },
    {
      env: { ...GOOD_ENV, AWS_PROFILE: 'ci' },
      args: ['--admin-profile', ADMIN_PROFILE],
      config: `${GOOD_AWS_CONFIG}\n[profile ci]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/ClaudeCodeBedrockInvoke\nsource_profile = ${ADMIN_PROFILE}\n`,
    },
  ];
  const calls: DoctorCall[] = [];
  for (const s of scenarios) {
    const box = new Sandbox();
    box.awsConfig(s.config ?? GOOD_AWS_CONFIG);
    if (s.settings) {
      box.settings('user', s.settings);
    }
    bedrock.reset();
    iamApi.reset();
    bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: [systemProfile('us-east-1', 'us.anthropic.claude-sonnet-4-6', ['us-east-1'])] });
    bedrock.on(GetInferenceProfileCommand).resolves({});
    iamApi.on(ListRolesCommand).resolves({ Roles: [{ RoleName: SSO_ROLE, Arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${SSO_ROLE}`, Path: '/', RoleId: 'AROA3XFRBF535PLBIFPI4', CreateDate: new Date() }] });
    iamApi.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [], IsTruncated: false });
    try {
      await box.run(['doctor', '--json', ...(s.args ?? [])], s.env ?? GOOD_ENV);
    } finally {
      box.cleanup();
    }
    for (const [mock, eventSource] of [[bedrock, 'bedrock.amazonaws.com'], [iamApi, 'iam.amazonaws.com']] as const) {
      for (const c of mock.calls()) {
        const client = c.thisValue as { config: { profile?: string } };
        calls.push({ eventSource, eventName: (c.args[0] as object).constructor.name.replace(/Command$/, ''), profile: client.config.profile });
      }
    }
  }
  return calls;
}

const { stack } = detectionStack();
const patterns = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule', { Properties: { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' } }))
  .map((r) => r.Properties.EventPattern as Record<string, any>)
  // The rules that watch the identities; the heartbeat's rule watches only the alert function's own role.
  .filter((p) => p.detail?.userIdentity?.sessionContext?.sessionIssuer?.userName !== undefined);
const alerts = (c: DoctorCall) => [invokeRoleSession(), ssoSession()].some((who) => patterns.some((p) => matches(p, call(c, who))));

describe('the doctor stays quiet', () => {
  let calls: DoctorCall[];
  beforeAll(async () => {
    calls = await everyCallTheDoctorMakes();
  });

  test('as Claude Code\'s identity it makes only Bedrock\'s own read calls', () => {
    const asIdentity = calls.filter((c) => c.profile === undefined);
    expect(asIdentity.length).toBeGreaterThan(0);
    expect([...new Set(asIdentity.map((c) => `${c.eventSource}:${c.eventName}`))].sort())
      .toEqual(['bedrock.amazonaws.com:GetInferenceProfile', 'bedrock.amazonaws.com:ListInferenceProfiles']);
  });

  test('every IAM call is made with the administrator profile the user named', () => {
    const asAdmin = calls.filter((c) => c.eventSource === 'iam.amazonaws.com');
    expect(asAdmin.map((c) => c.eventName)).toEqual(expect.arrayContaining(['ListRoles', 'SimulatePrincipalPolicy']));
    asAdmin.forEach((c) => expect(c.profile).toBe(ADMIN_PROFILE));
  });

  test('no call it makes as that identity matches the synthesized detection patterns, for an invoke role or a permission set', () => {
    expect(patterns).toHaveLength(2);
    calls.filter((c) => c.profile === undefined).forEach((c) => expect(alerts(c)).toBe(false));
  });

  test('a stand-in check: the calls the doctor used to make as that identity would each have alerted', () => {
    const before: DoctorCall[] = [
      { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' },
      { eventSource: 'iam.amazonaws.com', eventName: 'GetRole' },
      { eventSource: 'iam.amazonaws.com', eventName: 'SimulatePrincipalPolicy' },
    ];
    before.forEach((c) => expect(alerts(c)).toBe(true));
  });

  test('each call it makes as that identity is one the invoke role is allowed', async () => {
    const app = new App();
    const roleStack = new Stack(app, 'Doctor', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new BedrockInvokeRole(roleStack, 'Invoke', {
      models: [ModelReference.applicationProfile(APPLICATION_PROFILE, ModelReference.parse('us.anthropic.claude-sonnet-4-6'))],
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)],
    });
    const subject = roleSubject(roleStack, ACCOUNT);
    const resourceOf: Record<string, string> = { ListInferenceProfiles: '*', GetInferenceProfile: APPLICATION_PROFILE };
    const asIdentity = [...new Set(calls.filter((c) => c.profile === undefined).map((c) => c.eventName))];
    for (const name of asIdentity) {
      expect([name, await decide(subject, { action: `bedrock:${name}`, resource: resourceOf[name] })]).toEqual([name, 'Allowed']);
    }
    // And the decision can go the other way: a profile the role was not given is refused.
    expect(await decide(subject, { action: 'bedrock:GetInferenceProfile', resource: `${APPLICATION_PROFILE.slice(0, -12)}ffffffffffff` })).not.toBe('Allowed');
  });
});
