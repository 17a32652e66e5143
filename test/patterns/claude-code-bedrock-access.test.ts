import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, ClaudeCodeBedrockAccessProps, ModelReference } from '../../lib';
import { decide, SimulationSubject } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, PolicyJson, resolveIntrinsics } from '../support/template-policies';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const OPUS = ModelReference.parse('us.anthropic.claude-opus-4-7');
const IDENTITY_CENTER = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  startUrl: 'https://example-company.awsapps.com/start',
  assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT_A] }],
};

function access(props: Partial<ClaudeCodeBedrockAccessProps> = {}, env = { region: 'us-east-1' }) {
  const stack = new Stack(new App(), 'Platform', { env });
  const construct = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, ...props });
  return { stack, construct };
}

describe('ClaudeCodeBedrockAccess', () => {
  test('minimal use: a permission set, misuse detection with a trail, drift, and the settings as outputs', () => {
    const { stack, construct } = access({ identityCenter: IDENTITY_CENTER });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSO::PermissionSet', 1);
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.resourceCountIs('AWS::Config::ConfigRule', 1);
    template.resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 2);
    expect(construct.invokeRole).toBeUndefined();
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      expect.stringMatching(/^ClaudeCodeIdentityCenterAwsConfig/),
      expect.stringMatching(/^ClaudeCodeIdentityCenterClaudeSettings/),
    ]);
  });

  test('the role and the permission set get the same models, including the small/fast and Opus models', () => {
    const { construct } = access({ identityCenter: IDENTITY_CENTER, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], opusModel: OPUS });
    const ids = [SONNET, HAIKU, OPUS].map((m) => m.invocationId);
    expect(construct.invokeRole!.models.map((m) => m.invocationId)).toEqual(ids);
    expect(construct.permissionSet!.models.map((m) => m.invocationId)).toEqual(ids);
    expect(construct.invokeRole!.roleName).toBe('ClaudeCodeBedrockInvoke');
  });

  test('drift alerts go to the detection topic; pieces can be turned off', () => {
    const { stack } = access({ identityCenter: IDENTITY_CENTER });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.config'], 'detail-type': ['Config Rules Compliance Change'] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('DetectionAlertTopic') } })],
    });
    const bare = Template.fromStack(access({ identityCenter: IDENTITY_CENTER, detection: false, drift: false }).stack);
    bare.resourceCountIs('AWS::Config::ConfigRule', 0);
    bare.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  test('nobody to give access to is an error that says what to pass', () => {
    expect(() => access()).toThrow(/gives access to nobody: pass trustedPrincipals .* or identityCenter/);
  });

  test('a settings Region outside the source Regions is an error', () => {
    const { construct } = access({ identityCenter: IDENTITY_CENTER });
    expect(() => construct.identityCenterClientConfiguration({ region: 'eu-west-1' })).toThrow(/region 'eu-west-1' is not a source Region \(us-east-1\)/);
    expect(() => construct.roleClientConfiguration()).toThrow(/has no invoke role: pass trustedPrincipals/);
  });
});

describe('client configuration', () => {
  const { stack, construct } = access({ identityCenter: IDENTITY_CENTER, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], opusModel: OPUS });
  const sso = construct.identityCenterClientConfiguration();
  const settings = JSON.parse(sso.claudeSettingsJson);

  test('the settings pin every model alias and renew an expired sign-in', () => {
    expect(settings).toEqual({
      env: {
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: 'claude-code',
        ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
        ANTHROPIC_DEFAULT_SONNET_MODEL: 'us.anthropic.claude-sonnet-4-6',
        ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-4-7',
        ANTHROPIC_DEFAULT_FABLE_MODEL: 'us.anthropic.claude-opus-4-7',
        ANTHROPIC_SMALL_FAST_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
        CLAUDE_CODE_SUBAGENT_MODEL: 'us.anthropic.claude-sonnet-4-6',
      },
      awsAuthRefresh: 'aws sso login --profile claude-code',
    });
  });

  test('the SSO profile names the portal, the account and the permission set', () => {
    expect(sso.awsConfig).toContain('[sso-session claude-code]\nsso_start_url = https://example-company.awsapps.com/start\nsso_region = us-east-1');
    expect(sso.awsConfig).toContain(`[profile claude-code]\nsso_session = claude-code\nsso_account_id = ${ACCOUNT_A}\nsso_role_name = ClaudeCodeBedrock\nregion = us-east-1`);
  });

  const policies: Array<[string, SimulationSubject]> = [
    ['the invoke role', roleSubject(stack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' })],
    ['the permission set', {
      identityPolicies: [resolveIntrinsics(stack.resolve(construct.permissionSet!.inlinePolicy.toJSON()), ACCOUNT_A) as PolicyJson],
      principal: { account: ACCOUNT_A, roleArn: `arn:aws:iam::${ACCOUNT_A}:role/AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6` },
    }],
  ];
  test.each(policies)('every model id in the settings is invocable by %s in AWS_REGION', async (_who, subject) => {
    const region = settings.env.AWS_REGION;
    const ids = Object.entries(settings.env as Record<string, string>).filter(([k]) => k.startsWith('ANTHROPIC_') || k === 'CLAUDE_CODE_SUBAGENT_MODEL').map(([, v]) => v);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      const profile = `arn:aws:bedrock:${region}:${ACCOUNT_A}:inference-profile/${id}`;
      const model = `arn:aws:bedrock:${region}::foundation-model/${id.split('.').slice(1).join('.')}`;
      for (const action of ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']) {
        expect(await decide(subject, { action, resource: profile })).toBe('Allowed');
        expect(await decide(subject, { action, resource: model, context: { 'bedrock:InferenceProfileArn': profile } })).toBe('Allowed');
      }
    }
  });

  test('the role profile assumes the role with a source identity, through the AWS CLI, in a way the CLI can run', () => {
    const role = construct.roleClientConfiguration();
    const line = resolveIntrinsics(stack.resolve(role.awsConfig), ACCOUNT_A).split('\n').find((l: string) => l.startsWith('credential_process = '))!;
    expect(line).toContain('--role-arn arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke');
    const python = spawnSync('python3', ['--version']);
    if (python.status !== 0) {
      return; // The split below is the AWS CLI's own (Python's shlex); without Python, the shape check above stands.
    }
    // A stand-in `aws` prints its arguments, so we see exactly what the CLI would run.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
    fs.writeFileSync(path.join(bin, 'aws'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', { mode: 0o755 });
    // The stand-in goes first on PATH inside Python: a pyenv shim puts its own bin (with a real aws) in front.
    const script = 'import os,shlex,subprocess,sys; env=dict(os.environ, PATH=sys.argv[2]+":"+os.environ["PATH"]); subprocess.run(shlex.split(sys.argv[1]), check=True, env=env)';
    const out = execFileSync('python3', ['-c', script, line.replace('credential_process = ', ''), bin], { env: { ...process.env, USER: 'alice' }, encoding: 'utf8' });
    const args = out.trim().split('\n');
    expect(args.slice(0, 2)).toEqual(['sts', 'assume-role']);
    expect(args[args.indexOf('--source-identity') + 1]).toBe('alice');
    expect(args[args.indexOf('--role-session-name') + 1]).toBe('alice');
    expect(args[args.indexOf('--query') + 1]).toMatch(/^\{Version: length\('x'\), AccessKeyId: Credentials.AccessKeyId/);
  });
});
