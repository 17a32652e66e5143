import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AssignmentPrincipalType, BedrockInvokeRole, BedrockPermissionSet, ClaudeCodeBedrockAccess, ClaudeCodeBedrockAccessProps, ModelReference,
  SubprocessCredentials,
} from '../../lib';
import { CLIENT_OUTPUT_FORMAT } from '../../lib/client/client-output';
import { ACCOUNT_A, ACCOUNT_B, resolveIntrinsics } from '../support/template-policies';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-4-7');
const PORTAL = 'https://example-company.awsapps.com/start';
const IDENTITY_CENTER = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  startUrl: PORTAL,
  assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT_A] }],
};

function access(props: Partial<ClaudeCodeBedrockAccessProps> = {}) {
  const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  const construct = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, detection: false, drift: false, ...props });
  return { stack, construct };
}

const outputsOf = (stack: Stack) => Template.fromStack(stack).findOutputs('*');
const dataOf = (stack: Stack, key: string) => JSON.parse(resolveIntrinsics(outputsOf(stack)[key].Value, ACCOUNT_A));

describe('the front door\'s outputs', () => {
  test('one data-only output per access kind, under fixed keys, and the next steps', () => {
    const { stack } = access({ identityCenter: IDENTITY_CENTER, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], opusModel: OPUS });
    expect(Object.keys(outputsOf(stack)).sort()).toEqual(['ClaudeCodeClientNextSteps', 'ClaudeCodeIdentityCenterClient', 'ClaudeCodeRoleClient']);
    expect(dataOf(stack, 'ClaudeCodeRoleClient')).toEqual({
      format: CLIENT_OUTPUT_FORMAT,
      version: 1,
      access: 'role',
      region: 'us-east-1',
      models: { main: 'us.anthropic.claude-sonnet-4-6', smallFast: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', opus: 'us.anthropic.claude-opus-4-7' },
      profile: 'claude-code-role',
      roleArn: `arn:aws:iam::${ACCOUNT_A}:role/ClaudeCodeBedrockInvoke`,
      sourceProfile: 'default',
      sourceIdentity: true,
    });
    expect(dataOf(stack, 'ClaudeCodeIdentityCenterClient')).toEqual({
      format: CLIENT_OUTPUT_FORMAT,
      version: 1,
      access: 'identity-center',
      region: 'us-east-1',
      models: { main: 'us.anthropic.claude-sonnet-4-6', smallFast: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', opus: 'us.anthropic.claude-opus-4-7' },
      profile: 'claude-code',
      startUrl: PORTAL,
      ssoRegion: 'us-east-1',
      accountIds: [ACCOUNT_A],
      permissionSetName: 'ClaudeCodeBedrock',
    });
  });

  test('no output carries a command, a setting or a profile section', () => {
    const { stack } = access({ identityCenter: IDENTITY_CENTER, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    for (const key of ['ClaudeCodeRoleClient', 'ClaudeCodeIdentityCenterClient']) {
      const text = resolveIntrinsics(outputsOf(stack)[key].Value, ACCOUNT_A) as string;
      expect(text).not.toMatch(/sts assume-role|credential_process|awsCredentialExport|awsAuthRefresh|\[profile|"env"|sh -c/);
    }
  });

  test('the next steps name the exact configure command for this stack, then doctor, as an output and a synth note', () => {
    const { stack } = access({ identityCenter: IDENTITY_CENTER });
    const expected = `npx cdk-bedrock-least-privilege configure --stack Platform --region us-east-1 --account ${ACCOUNT_A} --construct ClaudeCode --access identity-center; `
      + 'then check it with: npx cdk-bedrock-least-privilege doctor';
    expect(outputsOf(stack).ClaudeCodeClientNextSteps.Value).toBe(`On each developer machine run: ${expected}`);
    Annotations.fromStack(stack).hasInfo('/Platform/ClaudeCode', Match.stringLikeRegexp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  test('an environment-agnostic stack: the output takes the account and Region CloudFormation knows, the note says what to fill in', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
      model: SONNET, smallFastModel: HAIKU, sourceRegions: ['us-east-1'], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], detection: false, drift: false,
    });
    const steps = resolveIntrinsics(outputsOf(stack).ClaudeCodeClientNextSteps.Value, ACCOUNT_B, 'aws', 'us-west-2') as string;
    expect(steps).toContain(`configure --stack Agnostic --region us-west-2 --account ${ACCOUNT_B} --construct ClaudeCode --access role`);
    Annotations.fromStack(stack).hasInfo('/Agnostic/ClaudeCode', Match.stringLikeRegexp('--region <stack region> --account <stack account id>'));
  });
});

describe('a start URL is a real portal, or there is no Identity Center output', () => {
  test('omitted: a warning naming identityCenter.startUrl, no output, and the method refuses', () => {
    const { stack, construct } = access({ identityCenter: { ...IDENTITY_CENTER, startUrl: undefined } });
    expect(Object.keys(outputsOf(stack))).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Platform/ClaudeCode', Match.stringLikeRegexp(
      'identityCenter.startUrl is not set, so this stack has no Identity Center client output .* set identityCenter.startUrl to your AWS access portal URL'));
    expect(() => construct.identityCenterClientConfiguration()).toThrow(/identityCenter\.startUrl is not set.*set it to your AWS access portal URL/);
  });

  test('with a role too, the role output stays', () => {
    const trustedPrincipals = [new iam.AccountPrincipal(ACCOUNT_A)];
    const { stack } = access({ identityCenter: { ...IDENTITY_CENTER, startUrl: undefined }, trustedPrincipals });
    expect(Object.keys(outputsOf(stack)).sort()).toEqual(['ClaudeCodeClientNextSteps', 'ClaudeCodeRoleClient']);
  });

  test.each([
    ['https://<your-portal>.awsapps.com/start', /identityCenter\.startUrl: 'https:\/\/<your-portal>\.awsapps\.com\/start' is a placeholder/],
    ['http://example-company.awsapps.com/start', /is not an AWS access portal URL/],
    ['https://example-company.awsapps.com.attacker.example/start', /is not an AWS access portal URL/],
    ['https://example-company.awsapps.com/start?next=https://attacker.example', /is not an AWS access portal URL/],
  ])('%s is an error at synth', (startUrl, message) => {
    expect(() => access({ identityCenter: { ...IDENTITY_CENTER, startUrl } })).toThrow(message);
  });

  test.each([
    'https://d-9067abcdef.awsapps.com/start',
    'https://example-company.awsapps.com/start/#/',
    'https://ssoins-7223abcdef012345.portal.us-east-1.app.aws',
    'https://ssoins-7223abcdef012345.eu-west-1.portal.amazonaws.com',
    'https://start.us-gov-home.awsapps.com/directory/d-9067abcdef',
  ])('%s is accepted', (startUrl) => {
    const { stack } = access({ identityCenter: { ...IDENTITY_CENTER, startUrl } });
    expect(dataOf(stack, 'ClaudeCodeIdentityCenterClient').startUrl).toBe(startUrl);
  });
});

describe('a spend limit with nothing to stop', () => {
  test('Identity Center only: a warning naming monthlySpendLimitUsd and the fix', () => {
    const { stack } = access({ identityCenter: IDENTITY_CENTER, detection: true, monthlySpendLimitUsd: 500 });
    Annotations.fromStack(stack).hasWarning('/Platform/ClaudeCode', Match.stringLikeRegexp(
      'monthlySpendLimitUsd is set but there is no invoke role to stop .* stops nothing.*containment: true'));
  });

  test('with an invoke role to stop: no such warning', () => {
    const { stack } = access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], detection: true, monthlySpendLimitUsd: 500 });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('monthlySpendLimitUsd'));
    expect(warnings).toEqual([]);
  });
});

function stackWithRole() {
  const stack = new Stack(new App(), 'Team', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  const role = new BedrockInvokeRole(stack, 'ClaudeCodeRole', { models: [SONNET, HAIKU], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], roleName: 'ClaudeCodeBedrockInvoke' });
  return { stack, role };
}

describe('BedrockInvokeRole and BedrockPermissionSet on their own', () => {
  test('the role\'s configuration is the front door\'s for the same role and models', () => {
    const { stack, role } = stackWithRole();
    const door = access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    const mine = role.clientConfiguration({ model: SONNET, smallFastModel: HAIKU });
    const theirs = door.construct.roleClientConfiguration();
    expect(stack.resolve(mine)).toEqual(door.stack.resolve(theirs));
  });

  test('addClientOutputs: <id>RoleClient and <id>ClientNextSteps, nothing else', () => {
    expect(Object.keys(outputsOf(stackWithRole().stack))).toEqual([]);
    const { stack, role } = stackWithRole();
    role.addClientOutputs({ model: SONNET, smallFastModel: HAIKU });
    expect(Object.keys(outputsOf(stack)).sort()).toEqual(['ClaudeCodeRoleClientNextSteps', 'ClaudeCodeRoleRoleClient']);
    expect(outputsOf(stack).ClaudeCodeRoleClientNextSteps.Value).toContain('--construct ClaudeCodeRole --access role');
  });

  test('a model the role may not invoke, a profile named default, a Region outside the source Regions: errors that name them', () => {
    const { role } = stackWithRole();
    expect(() => role.clientConfiguration({ model: OPUS, smallFastModel: HAIKU }))
      .toThrow(/model 'us\.anthropic\.claude-opus-4-7' is not one of the models role Team\/ClaudeCodeRole may invoke \(us\.anthropic\.claude-sonnet-4-6, us\.anthropic\.claude-haiku-4-5-20251001-v1:0\)/);
    expect(() => role.addClientOutputs({ model: SONNET, smallFastModel: OPUS })).toThrow(/smallFastModel 'us\.anthropic\.claude-opus-4-7' is not one of the models/);
    expect(() => role.clientConfiguration({ model: SONNET, smallFastModel: HAIKU, profileName: 'default' })).toThrow(/profileName is 'default'/);
    expect(() => role.clientConfiguration({ model: SONNET, smallFastModel: HAIKU, profileName: 'x', sourceProfile: 'x' })).toThrow(/profileName and sourceProfile are both 'x'/);
    expect(() => role.clientConfiguration({ model: SONNET, smallFastModel: HAIKU, region: 'eu-west-1' })).toThrow(/region 'eu-west-1' is not a source Region/);
  });

  test('the permission set: outputs on request, a real start URL, at least one account for the method', () => {
    const stack = new Stack(new App(), 'Team', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    const set = new BedrockPermissionSet(stack, 'Set', { models: [SONNET, HAIKU], instanceArn: IDENTITY_CENTER.instanceArn });
    const options = { model: SONNET, smallFastModel: HAIKU, startUrl: PORTAL };
    expect(() => set.clientConfiguration(options)).toThrow(/permission set Team\/Set is assigned in no account yet: add an assignment, or pass accountId/);
    expect(() => set.addClientOutputs({ ...options, startUrl: 'https://<your-portal>.awsapps.com/start' })).toThrow(/startUrl: .* is a placeholder/);
    expect(() => set.clientConfiguration({ ...options, ssoRegion: 'us-east-1; rm -rf ~' })).toThrow(/ssoRegion 'us-east-1; rm -rf ~' is not a Region name/);
    set.addClientOutputs(options);
    set.addAssignment(IDENTITY_CENTER.assignments[0]);
    expect(dataOf(stack, 'SetIdentityCenterClient').accountIds).toEqual([ACCOUNT_A]);
    expect(set.clientConfiguration(options).awsConfig).toContain(`sso_account_id = ${ACCOUNT_A}`);
  });
});

describe('the opt-out (SubprocessCredentials.INHERIT) is carried to every client output and method', () => {
  test('the front door: both outputs say inherit (version 2), both methods render the profile in env and no sandbox, and synthesis warns of nothing', () => {
    const { stack, construct } = access({
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], identityCenter: IDENTITY_CENTER, subprocessCredentials: SubprocessCredentials.INHERIT,
    });
    for (const key of ['ClaudeCodeRoleClient', 'ClaudeCodeIdentityCenterClient']) {
      expect([key, dataOf(stack, key).version, dataOf(stack, key).subprocessCredentials]).toEqual([key, 2, 'inherit']);
    }
    for (const [config, profile] of [[construct.roleClientConfiguration(), 'claude-code-role'], [construct.identityCenterClientConfiguration(), 'claude-code']] as const) {
      const settings = JSON.parse(config.claudeSettingsJson);
      expect([settings.env.AWS_PROFILE, settings.sandbox, settings.env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB]).toEqual([profile, undefined, '1']);
    }
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the default outputs stay version 1 without the key, so a redeploy changes nothing', () => {
    const { stack } = access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)] });
    expect(dataOf(stack, 'ClaudeCodeRoleClient')).toMatchObject({ version: 1 });
    expect(dataOf(stack, 'ClaudeCodeRoleClient')).not.toHaveProperty('subprocessCredentials');
  });

  test('the constructs\' own methods and outputs take it too, and refuse BEDROCK_ONLY at synth', () => {
    const { stack, role } = stackWithRole();
    const options = { model: SONNET, smallFastModel: HAIKU, subprocessCredentials: SubprocessCredentials.INHERIT };
    expect(JSON.parse(role.clientConfiguration(options).claudeSettingsJson).env.AWS_PROFILE).toBe('claude-code-role');
    role.addClientOutputs(options);
    expect(dataOf(stack, 'ClaudeCodeRoleRoleClient').subprocessCredentials).toBe('inherit');
    expect(() => role.clientConfiguration({ ...options, subprocessCredentials: SubprocessCredentials.BEDROCK_ONLY })).toThrow(/BEDROCK_ONLY is not available/);
    const setStack = new Stack(new App(), 'Team', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    const set = new BedrockPermissionSet(setStack, 'Set', { models: [SONNET, HAIKU], instanceArn: IDENTITY_CENTER.instanceArn, assignments: IDENTITY_CENTER.assignments });
    expect(JSON.parse(set.clientConfiguration({ ...options, startUrl: PORTAL }).claudeSettingsJson).env.AWS_PROFILE).toBe('claude-code');
    expect(() => set.addClientOutputs({ ...options, startUrl: PORTAL, subprocessCredentials: SubprocessCredentials.BEDROCK_ONLY })).toThrow(/BEDROCK_ONLY is not available/);
  });
});
