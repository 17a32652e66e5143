import { CredentialSource } from '../../lib/client/client-configuration';
import { ClientInput, clientOutputData, parseClientOutput, renderClient } from '../../lib/client/client-output';
import { startUrlProblem } from '../../lib/client/start-url';
import { SubprocessCredentials } from '../../lib/client/subprocess-credentials';
import { Guardrail } from '../../lib/models/guardrail';
import { ModelReference } from '../../lib/models/model-reference';
import { ACCOUNT_A, ACCOUNT_B } from '../support/template-policies';

const ORIGIN = { partition: 'aws', accountId: ACCOUNT_A };
const ROLE: CredentialSource = { kind: 'role', profile: 'claude-code-role', roleArn: `arn:aws:iam::${ACCOUNT_A}:role/ClaudeCodeBedrockInvoke`, sourceProfile: 'default', sourceIdentity: true };
const SSO: CredentialSource = {
  kind: 'sso', profile: 'claude-code', startUrl: 'https://example-company.awsapps.com/start', ssoRegion: 'us-east-1', accountIds: [ACCOUNT_A, ACCOUNT_B], roleName: 'ClaudeCodeBedrock',
};
const TEAM_SONNET = ModelReference.applicationProfile(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/a1b2c3d4e5f6`, ModelReference.parse('us.anthropic.claude-sonnet-4-6'));

function roundTrip(input: ClientInput, access: 'role' | 'identity-center') {
  return parseClientOutput(JSON.stringify(clientOutputData(input)), access, ORIGIN);
}

describe('the client output format', () => {
  test.each([
    ['the role, with an extended-context model, an Opus model and a guardrail', {
      models: { main: ModelReference.parse('us.anthropic.claude-sonnet-4-6[1m]'), smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'), opus: ModelReference.parse('us.anthropic.claude-opus-4-7') },
      region: 'us-east-1',
      source: ROLE,
      guardrail: Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2'),
    }, 'role'],
    ['Identity Center in two accounts, with an application inference profile', {
      models: { main: TEAM_SONNET, smallFast: ModelReference.parse('global.anthropic.claude-haiku-4-5-20251001-v1:0') },
      region: 'us-east-1',
      source: SSO,
    }, 'identity-center'],
  ] as const)('%s renders the same files after the round trip', (_name, input, access) => {
    expect(renderClient(roundTrip(input, access))).toEqual(renderClient(input));
  });

  test('the data holds ids and names only', () => {
    expect(clientOutputData({ models: { main: TEAM_SONNET, smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') }, region: 'us-east-1', source: ROLE })).toEqual({
      format: 'cdk-bedrock-least-privilege/claude-code-client',
      version: 1,
      access: 'role',
      region: 'us-east-1',
      models: {
        main: { applicationProfileArn: TEAM_SONNET.arn, copies: 'us.anthropic.claude-sonnet-4-6' },
        smallFast: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      },
      profile: 'claude-code-role',
      roleArn: ROLE.roleArn,
      sourceProfile: 'default',
      sourceIdentity: true,
    });
  });

  test.each([['role', ROLE], ['identity-center', SSO]] as const)('the opt-out survives the round trip (%s), as version 2 naming it', (access, source) => {
    const input: ClientInput = {
      models: { main: ModelReference.parse('us.anthropic.claude-sonnet-4-6'), smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') },
      region: 'us-east-1',
      source,
      options: { subprocessCredentials: SubprocessCredentials.INHERIT },
    };
    expect(clientOutputData(input)).toMatchObject({ version: 2, subprocessCredentials: 'inherit' });
    const back = roundTrip(input, access);
    expect(back.options).toEqual({ subprocessCredentials: SubprocessCredentials.INHERIT });
    expect(renderClient(back)).toEqual(renderClient(input));
    // The isolated rendering differs, so the field decides what is written.
    expect(renderClient({ ...back, options: undefined })).not.toEqual(renderClient(input));
  });

  test('the source profile may be default (it only assumes the role); the written profile may not', () => {
    const data = clientOutputData({ models: { main: ModelReference.parse('us.anthropic.claude-sonnet-4-6'), smallFast: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') }, region: 'us-east-1', source: ROLE });
    expect(() => parseClientOutput(JSON.stringify(data), 'role', ORIGIN)).not.toThrow();
    expect(() => parseClientOutput(JSON.stringify({ ...data, profile: 'default', sourceProfile: 'corp' }), 'role', ORIGIN)).toThrow(/profile is 'default'/);
    expect(() => parseClientOutput(JSON.stringify({ ...data, sourceProfile: 'claude-code-role' }), 'role', ORIGIN)).toThrow(/sourceProfile is the profile itself/);
  });
});

describe('AWS access portal URLs', () => {
  test.each([
    'https://d-9067abcdef.awsapps.com/start',
    'https://example-company.awsapps.com/start/',
    'https://example-company.awsapps.com/start#/',
    'https://ssoins-7223abcdef012345.portal.us-east-1.app.aws/',
    'https://ssoins-7223abcdef012345.eu-west-1.portal.amazonaws.com',
    'https://start.us-gov-home.awsapps.com/directory/d-9067abcdef',
    'https://start.home.awsapps.cn/directory/d-9067abcdef',
  ])('%s is one', (url) => {
    expect(startUrlProblem(url)).toBeUndefined();
  });

  test.each([
    ['https://<your-portal>.awsapps.com/start', /placeholder/],
    ['https://example-company.awsapps.com/start@attacker.example', /not an AWS access portal URL/],
    ['https://example-company.awsapps.com:8443/start', /not an AWS access portal URL/],
    ['https://user@example-company.awsapps.com/start', /not an AWS access portal URL/],
    ['https://example-company.awsapps.com/start\n[default]', /not an AWS access portal URL/],
    ['https://sso.example.com/start', /not an AWS access portal URL/],
  ])('%s is not', (url, problem) => {
    expect(startUrlProblem(url)).toMatch(problem);
  });
});
