import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { deployedOutputs, describeStacksAnswer, frontDoor, HAIKU, IDENTITY_CENTER, platformStack, SONNET, STACK_NAME } from './deployed-stack';
import { BedrockInvokeRole, BedrockPermissionSet, ClientConfiguration, Guardrail } from '../../../lib';
import { ACCOUNT_A, ACCOUNT_B, resolveIntrinsics } from '../../support/template-policies';
import { Sandbox } from '../cli-harness';

const cloudFormation = mockClient(CloudFormationClient);

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = new Sandbox();
  cloudFormation.reset();
});
afterEach(() => sandbox.cleanup());

/** Deploys the stack (its outputs, resolved), runs configure on a fresh machine, and returns what it wrote. */
async function configureOnFreshMachine(stack: Stack, args: string[]) {
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK_NAME }).resolves(describeStacksAnswer(deployedOutputs(stack)));
  const run = await sandbox.run(['configure', '--stack', STACK_NAME, '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('then check this machine with: npx cdk-bedrock-least-privilege doctor');
  return {
    settings: JSON.parse(fs.readFileSync(path.join(sandbox.home, '.claude', 'settings.json'), 'utf8')),
    awsConfig: fs.readFileSync(path.join(sandbox.home, '.aws', 'config'), 'utf8'),
  };
}

/** A construct's own client configuration, with the intrinsics CloudFormation resolves. */
function resolved(stack: Stack, configuration: ClientConfiguration) {
  return {
    settings: JSON.parse(resolveIntrinsics(stack.resolve(configuration.claudeSettingsJson), ACCOUNT_A)),
    awsConfig: `${(resolveIntrinsics(stack.resolve(configuration.awsConfig), ACCOUNT_A) as string).trimEnd()}\n`,
  };
}

describe('every path ends in the settings the construct generates, written by configure from its outputs', () => {
  test('the front door, invoke role', async () => {
    const stack = platformStack();
    const access = frontDoor(stack, true, true);
    expect(await configureOnFreshMachine(stack, ['--access', 'role'])).toEqual(resolved(stack, access.roleClientConfiguration()));
  });

  test('the front door, Identity Center', async () => {
    const stack = platformStack();
    const access = frontDoor(stack, true, true);
    const written = await configureOnFreshMachine(stack, ['--access', 'identity-center']);
    expect(written).toEqual(resolved(stack, access.identityCenterClientConfiguration()));
    expect(written.awsConfig).toContain('sso_start_url = https://example-company.awsapps.com/start');
  });

  test('only a BedrockInvokeRole, added to an existing stack, with addClientOutputs', async () => {
    const stack = platformStack();
    new iam.Role(stack, 'SomethingTheTeamHadAlready', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const guardrail = Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '3');
    const role = new BedrockInvokeRole(stack, 'ClaudeCodeRole', {
      models: [SONNET, HAIKU],
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
      roleName: 'TeamClaudeCode',
      guardrail,
    });
    const options = { model: SONNET, smallFastModel: HAIKU, sourceProfile: 'team-sso' };
    role.addClientOutputs(options);
    const written = await configureOnFreshMachine(stack, ['--construct', 'ClaudeCodeRole']);
    expect(written).toEqual(resolved(stack, role.clientConfiguration(options)));
    expect(written.settings.awsCredentialExport).toContain(`--profile team-sso --role-arn arn:aws:iam::${ACCOUNT_A}:role/TeamClaudeCode`);
    expect(written.settings.env.ANTHROPIC_CUSTOM_HEADERS).toContain(`X-Amzn-Bedrock-GuardrailIdentifier: ${guardrail.arn}`);
  });

  test('only a BedrockPermissionSet, with an assignment added after addClientOutputs', async () => {
    const stack = platformStack();
    const set = new BedrockPermissionSet(stack, 'ClaudeCodeSet', {
      models: [SONNET, HAIKU],
      instanceArn: IDENTITY_CENTER.instanceArn,
      assignments: IDENTITY_CENTER.assignments,
    });
    const options = { model: SONNET, smallFastModel: HAIKU, startUrl: 'https://ssoins-7223abcdef012345.portal.us-east-1.app.aws' };
    set.addClientOutputs(options);
    set.addAssignment({ ...IDENTITY_CENTER.assignments[0], accountIds: [ACCOUNT_B] });
    const written = await configureOnFreshMachine(stack, []);
    expect(written).toEqual(resolved(stack, set.clientConfiguration(options)));
    expect(written.awsConfig).toContain(`[profile claude-code-${ACCOUNT_B}]`);
  });

  test('two constructs in one stack: --construct picks one, and without it the message lists both', async () => {
    const stack = platformStack();
    frontDoor(stack, true, false);
    const role = new BedrockInvokeRole(stack, 'CiRole', { models: [SONNET, HAIKU], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], roleName: 'CiClaudeCode' });
    role.addClientOutputs({ model: SONNET, smallFastModel: HAIKU, profileName: 'claude-code-ci' });
    cloudFormation.on(DescribeStacksCommand).resolves(describeStacksAnswer(deployedOutputs(stack)));
    const ambiguous = await sandbox.run(['configure', '--stack', STACK_NAME, '--region', 'us-east-1', '--account', ACCOUNT_A, '--yes']);
    expect(ambiguous.code).toBe(4);
    expect(ambiguous.stderr).toMatch(/holds the client outputs of several constructs \(ClaudeCode, CiRole\): pick one with --construct <id>/);
    const written = await configureOnFreshMachine(stack, ['--construct', 'CiRole']);
    expect(written.settings.awsCredentialExport).toContain('role/CiClaudeCode');
    expect(written.awsConfig).toContain('role/CiClaudeCode');
  });
});
