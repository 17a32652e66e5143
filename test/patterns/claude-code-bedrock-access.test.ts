import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, ClaudeCodeBedrockAccessProps, Guardrail, ModelReference } from '../../lib';
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
  test('the usage guard: on by default, limits passed through, off with usageGuard: false, refused without detection', () => {
    const tuned = access({ identityCenter: IDENTITY_CENTER, usageLimits: { callsPerHourAlarm: 400, callsPerHourLimit: 1200 } }).construct;
    expect([tuned.usageGuard?.callsPerHourAlarm, tuned.usageGuard?.callsPerHourLimit]).toEqual([400, 1200]);
    const off = access({ identityCenter: IDENTITY_CENTER, usageGuard: false });
    expect(off.construct.usageGuard).toBeUndefined();
    // Only detection's own alert-window table is left.
    Template.fromStack(off.stack).resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(() => access({ identityCenter: IDENTITY_CENTER, detection: false, usageGuard: true })).toThrow(/usageGuard needs detection/);
    expect(() => access({ identityCenter: IDENTITY_CENTER, usageGuard: false, usageLimits: { callsPerHourAlarm: 10 } })).toThrow(/usageLimits or invocationLogGroup are set but the usage guard is off/);
    expect(() => access({ identityCenter: IDENTITY_CENTER, usageLimits: { callsPerHourLimit: -1 } })).toThrow(/callsPerHourLimit is -1/);
  });

  test('minimal use: a permission set, misuse detection with a trail, the usage guard, drift, and the settings as outputs', () => {
    const { stack, construct } = access({ identityCenter: IDENTITY_CENTER });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSO::PermissionSet', 1);
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.resourceCountIs('AWS::Config::ConfigRule', 1);
    // The usage guard's counters and detection's alert windows.
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    // Detection's two rules, the usage guard's two, and the heartbeat's.
    template.resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 5);
    expect(construct.usageGuard?.callsPerHourLimit).toBe(3000);
    expect(construct.invokeRole).toBeUndefined();
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ClaudeCodeClientNextSteps', 'ClaudeCodeIdentityCenterClient']);
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

// The outputs: test/patterns/client-outputs.test.ts.

describe('a required guardrail', () => {
  const guardrail = Guardrail.fromArn(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:guardrail/abc123def456`, '2');
  const { stack, construct } = access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], guardrail });
  const settings = JSON.parse(resolveIntrinsics(stack.resolve(construct.roleClientConfiguration().claudeSettingsJson), ACCOUNT_A));

  test('the settings send it, and the role allows exactly what they send', async () => {
    const headers: Record<string, string> = Object.fromEntries((settings.env.ANTHROPIC_CUSTOM_HEADERS as string).split('\n').map((l) => l.split(': ')));
    // Bedrock evaluates bedrock:GuardrailIdentifier as the guardrail ARN with ':<version>' (Bedrock User Guide,
    // "Enforce the use of specific guardrails in model inference requests").
    const sent = `${headers['X-Amzn-Bedrock-GuardrailIdentifier']}:${headers['X-Amzn-Bedrock-GuardrailVersion']}`;
    const subject = roleSubject(stack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
    const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:inference-profile/${settings.env.ANTHROPIC_MODEL}`;
    expect(await decide(subject, { action: 'bedrock:InvokeModelWithResponseStream', resource: profile, context: { 'bedrock:GuardrailIdentifier': sent } })).toBe('Allowed');
    expect(await decide(subject, { action: 'bedrock:InvokeModelWithResponseStream', resource: profile })).not.toBe('Allowed');
  });
});

describe('client configuration', () => {
  const { stack, construct } = access({ identityCenter: IDENTITY_CENTER, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], opusModel: OPUS });
  const sso = construct.identityCenterClientConfiguration();
  const settings = JSON.parse(sso.claudeSettingsJson);

  test('the settings pin every model alias, hold the credential in Claude Code alone, and renew an expired sign-in', () => {
    expect(settings.env).toMatchObject({
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'us-east-1',
      ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'us.anthropic.claude-sonnet-4-6',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-4-7',
      ANTHROPIC_DEFAULT_FABLE_MODEL: 'us.anthropic.claude-opus-4-7',
      ANTHROPIC_SMALL_FAST_MODEL: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      CLAUDE_CODE_SUBAGENT_MODEL: 'us.anthropic.claude-sonnet-4-6',
      CLAUDE_CODE_SUBAGENT_MODEL_FORCE: '1',
      CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: '1',
    });
    // No working profile for the commands Claude Code runs.
    expect(settings.env.AWS_PROFILE).toBeUndefined();
    expect(settings.awsCredentialExport).toContain('aws configure export-credentials --profile claude-code --format process');
    expect(settings.awsAuthRefresh).toContain('aws sso login --profile claude-code');
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
    const ids = Object.entries(settings.env as Record<string, string>).filter(([k]) => /_MODEL$/.test(k)).map(([, v]) => v);
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

  // Runs a generated script the way its reader would, with a stand-in `aws` (and optionally `id`) first on PATH
  // that prints its arguments, so we see exactly what would be called.
  // `callerArn` is what the stand-in answers to `sts get-caller-identity` (nothing by default, as for a role session).
  function runWithStandIns(how: 'aws-cli' | 'shell', command: string, env: Record<string, string | undefined>, idFails = false, callerArn = '') {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
    fs.writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\nif [ "$2" = get-caller-identity ]; then printf "%s\\n" "${callerArn}"; exit 0; fi\nfor a in "$@"; do printf "%s\\n" "$a"; done\n`, { mode: 0o755 });
    if (idFails) {
      fs.writeFileSync(path.join(bin, 'id'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    }
    const baseEnv: Record<string, string> = { PATH: `${bin}:${process.env.PATH}` };
    for (const [k, v] of Object.entries(env)) {
      if (v !== undefined) baseEnv[k] = v;
    }
    // The AWS CLI splits credential_process with Python's shlex (botocore's compat_shell_split); Claude
    // Code runs awsCredentialExport through a shell, as the JS SDK runs credential_process.
    const result = how === 'aws-cli'
      ? spawnSync('python3', ['-c', 'import os,shlex,subprocess,sys; env=dict(os.environ, PATH=sys.argv[2]+":"+os.environ["PATH"]); sys.exit(subprocess.run(shlex.split(sys.argv[1]), env=env).returncode)', command, bin], { env: { ...baseEnv, HOME: os.tmpdir() }, encoding: 'utf8' })
      : spawnSync('/bin/sh', ['-c', command], { env: baseEnv, encoding: 'utf8' });
    return { status: result.status, args: result.stdout.trim().split('\n'), stderr: result.stderr };
  }
  const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
  const hasPython = spawnSync('python3', ['--version']).status === 0;

  const role = construct.roleClientConfiguration();
  const roleConfig: string = resolveIntrinsics(stack.resolve(role.awsConfig), ACCOUNT_A);
  const roleSettings = JSON.parse(resolveIntrinsics(stack.resolve(role.claudeSettingsJson), ACCOUNT_A));
  const credentialProcess = roleConfig.split('\n').find((l: string) => l.startsWith('credential_process = '))!.replace('credential_process = ', '');

  test('Claude Code gets the role through awsCredentialExport, which it keeps until the credentials expire', () => {
    // Claude Code caches awsCredentialExport's answer until 5 minutes before its Expiration and signs every
    // Bedrock call with it; through AWS_PROFILE alone it re-ran credential_process for each request.
    expect(roleSettings.awsCredentialExport).toEqual(expect.stringContaining('aws sts assume-role --profile default --role-arn arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke'));
    // The commands Claude Code runs get no profile: only Claude Code holds the role's credentials.
    expect(roleSettings.env.AWS_PROFILE).toBeUndefined();
    const run = runWithStandIns('shell', roleSettings.awsCredentialExport, { USER: 'alice' });
    expect(run.status).toBe(0);
    expect(run.args.slice(0, 2)).toEqual(['sts', 'assume-role']);
    expect([argAfter(run.args, '--role-session-name'), argAfter(run.args, '--source-identity')]).toEqual(['alice', 'alice']);
    // One shape for both readers: Claude Code reads {"Credentials": {...}}, credential_process the Version 1 keys.
    expect(argAfter(run.args, '--query')).toMatch(/^\{Version: `1`, AccessKeyId: Credentials.AccessKeyId, .*Expiration: Credentials.Expiration, Credentials: Credentials\}$/);
  });

  test.each([
    ['USER', { USER: 'alice', LOGNAME: 'other' }, 'alice'],
    ['LOGNAME when USER is unset (cron)', { LOGNAME: 'bob' }, 'bob'],
    ['AWS_ROLE_SESSION_NAME over USER', { USER: 'root', AWS_ROLE_SESSION_NAME: 'carol@example.com' }, 'carol@example.com'],
    ['characters STS refuses replaced', { USER: 'dan smith' }, 'dan-smith'],
  ])('the session name comes from %s', (_source, env, expected) => {
    const run = runWithStandIns('shell', roleSettings.awsCredentialExport, env);
    expect([argAfter(run.args, '--role-session-name'), argAfter(run.args, '--source-identity')]).toEqual([expected, expected]);
  });

  test('an IAM user as the source profile: the source identity is its own user name, as the trust demands', () => {
    const run = runWithStandIns('shell', roleSettings.awsCredentialExport, { USER: 'alice' }, false, 'arn:aws:iam::111122223333:user/engineering/alice.smith');
    expect([argAfter(run.args, '--role-session-name'), argAfter(run.args, '--source-identity')]).toEqual(['alice', 'alice.smith']);
    const fromSso = runWithStandIns('shell', roleSettings.awsCredentialExport, { USER: 'alice' }, false, 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com');
    expect(argAfter(fromSso.args, '--source-identity')).toBe('alice');
  });

  test('with no user name at all, the command fails saying what to set, and never calls STS with an empty name', () => {
    const run = runWithStandIns('shell', roleSettings.awsCredentialExport, {}, true);
    expect(run.status).toBe(1);
    expect(run.args).toEqual(['']); // the stand-in aws printed nothing: it never ran
    expect(run.stderr).toMatch(/USER and LOGNAME are unset; set AWS_ROLE_SESSION_NAME to your name/);
  });

  (hasPython ? test : test.skip)('the role profile runs the same script under the AWS CLI, with the same output shape', () => {
    const run = runWithStandIns('aws-cli', credentialProcess, { LOGNAME: 'erin' });
    expect(run.status).toBe(0);
    expect(run.args.slice(0, 2)).toEqual(['sts', 'assume-role']);
    expect(argAfter(run.args, '--source-identity')).toBe('erin');
    expect(argAfter(run.args, '--query')).toBe(argAfter(runWithStandIns('shell', roleSettings.awsCredentialExport, { USER: 'erin' }).args, '--query'));
    const unnamed = runWithStandIns('aws-cli', credentialProcess, {}, true);
    expect(unnamed.status).toBe(1);
    expect(unnamed.stderr).toMatch(/set AWS_ROLE_SESSION_NAME/);
  });

  // botocore reads ~/.aws/config with Python's configparser.RawConfigParser, strict by default: a
  // duplicate section or key makes the whole file unreadable (botocore/configloader.py, raw_config_parse).
  function parseAsAwsCli(text: string): { ok: true; sections: string[] } | { ok: false; error: string } {
    const script = 'import configparser,sys\ncp=configparser.RawConfigParser()\ntry:\n  cp.read_string(sys.stdin.read())\nexcept configparser.Error as e:\n  print("ERROR "+type(e).__name__); sys.exit(0)\nprint("\\n".join(cp.sections()))';
    const out = execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' }).trim();
    return out.startsWith('ERROR ') ? { ok: false, error: out.slice(6) } : { ok: true, sections: out.split('\n') };
  }

  (hasPython ? test : test.skip)('the role and permission-set profiles live together in one ~/.aws/config, as the AWS CLI reads it', () => {
    const both = `[default]\nregion = us-east-1\n\n${roleConfig}\n${sso.awsConfig}`;
    expect(parseAsAwsCli(both)).toEqual({ ok: true, sections: ['default', 'profile claude-code-role', 'sso-session claude-code', 'profile claude-code'] });
    // The same check refuses what the earlier outputs made: both profiles named [profile claude-code].
    const clash = construct.roleClientConfiguration({ profileName: 'claude-code' }).awsConfig;
    expect(parseAsAwsCli(`${clash}\n${sso.awsConfig}`)).toEqual({ ok: false, error: 'DuplicateSectionError' });
  });

  test('the permission set gets a profile in every account it is assigned in, the chosen one first', () => {
    const ACCOUNT_B = '222233334444';
    const many = access({
      identityCenter: { ...IDENTITY_CENTER, assignments: [{ ...IDENTITY_CENTER.assignments[0], accountIds: [ACCOUNT_A, ACCOUNT_B] }] },
    }).construct;
    const config = many.identityCenterClientConfiguration().awsConfig;
    expect(config).toContain(`[profile claude-code]\nsso_session = claude-code\nsso_account_id = ${ACCOUNT_A}\n`);
    expect(config).toContain(`[profile claude-code-${ACCOUNT_B}]\nsso_session = claude-code\nsso_account_id = ${ACCOUNT_B}\n`);
    const chosen = many.identityCenterClientConfiguration({ accountId: ACCOUNT_B });
    expect(chosen.awsConfig).toContain(`[profile claude-code]\nsso_session = claude-code\nsso_account_id = ${ACCOUNT_B}\n`);
    expect(chosen.awsConfig).toContain(`[profile claude-code-${ACCOUNT_A}]`);
    if (hasPython) {
      expect(parseAsAwsCli(config)).toEqual({ ok: true, sections: ['sso-session claude-code', 'profile claude-code', `profile claude-code-${ACCOUNT_B}`] });
    }
  });

  test('the source profile is the one the user names, as a prop or per configuration', () => {
    const chosen = access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], roleSourceProfile: 'corp-sso' }).construct;
    expect(chosen.roleClientConfiguration().awsConfig).toContain('--profile corp-sso --role-arn');
    expect(chosen.roleClientConfiguration({ sourceProfile: 'ci' }).claudeSettingsJson).toContain('--profile ci --role-arn');
    expect(() => access({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], roleSourceProfile: 'a b; rm -rf' }))
      .toThrow(/roleSourceProfile 'a b; rm -rf' is not a usable AWS profile name/);
  });
});
