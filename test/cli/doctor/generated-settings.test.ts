import * as fs from 'fs';
import * as path from 'path';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { ModelCatalog, ModelReference } from '../../../lib';
import { Finding } from '../../../lib/cli/findings';
import { awsConfigProfile, claudeCodeSettings, ClientOptions, CredentialSource, PinnedModels } from '../../../lib/client/client-configuration';
import { SubprocessCredentials } from '../../../lib/client/subprocess-credentials';
import { Sandbox } from '../cli-harness';
import { systemProfile } from '../fixtures/bedrock-responses';

const bedrock = mockClient(BedrockClient);
let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
  bedrock.reset();
});
afterEach(() => box.cleanup());

// An eu.-only grant: the stack granted these and nothing else.
const EU: PinnedModels = {
  main: ModelReference.parse('eu.anthropic.claude-sonnet-4-6'),
  smallFast: ModelReference.parse('eu.anthropic.claude-haiku-4-5-20251001-v1:0'),
  opus: ModelReference.parse('eu.anthropic.claude-opus-4-8'),
};
const SSO: CredentialSource = {
  kind: 'sso', profile: 'claude-code', startUrl: 'https://example.awsapps.com/start', ssoRegion: 'eu-west-1', accountIds: ['111122223333'], roleName: 'ClaudeCodeBedrock',
};
const ROLE: CredentialSource = {
  kind: 'role', profile: 'claude-code', roleArn: 'arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke', sourceProfile: 'default', sourceIdentity: true,
};

/** Writes what configure writes for these models and this source, exactly as the generator renders it. */
function generated(models: PinnedModels, source: CredentialSource, region = 'eu-west-1', options: ClientOptions = {}): Record<string, any> {
  const settings = claudeCodeSettings(models, region, source, undefined, options);
  box.settings('user', settings);
  box.awsConfig(awsConfigProfile(source, region, options));
  return settings;
}

async function doctor(args: string[] = ['--offline'], env: Record<string, string> = { USER: 'dev' }) {
  const { code, stdout } = await box.run(['doctor', '--json', ...args], env);
  return { code, findings: JSON.parse(stdout).findings as Finding[] };
}

/** The findings about the model variables: the part of the doctor that reads what the generator pins. */
const MODEL_FINDING = /^(model-|small-fast-|subagent-|background-model-|profile-not-in-region)/;

describe('the doctor agrees with the generator', () => {
  test.each([['Identity Center', SSO], ['the invoke role', ROLE]])('%s: no finding about the models the generator pinned, every variable checked', async (_name, source) => {
    const settings = generated(EU, source);
    const { findings } = await doctor();
    expect(findings.filter((f) => MODEL_FINDING.test(f.id))).toEqual([]);
    // Every model variable the generator wrote is one the doctor reads: a wrong value in any of them is caught.
    const modelVariables = Object.keys(settings.env).filter((k) => /MODEL$/.test(k));
    expect(modelVariables).toEqual(expect.arrayContaining(['ANTHROPIC_DEFAULT_FABLE_MODEL', 'CLAUDE_CODE_SUBAGENT_MODEL', 'ANTHROPIC_SMALL_FAST_MODEL']));
    for (const variable of modelVariables) {
      box.settings('local', { env: { [variable]: 'eu.anthropic.claude-sonet-4-6' } });
      const slip = (await doctor()).findings.find((f) => f.id === 'model-id-unknown');
      expect([variable, slip?.title]).toEqual([variable, `${variable} 'eu.anthropic.claude-sonet-4-6' is not a model id the catalog knows`]);
    }
  });

  test('online too: Bedrock lists the pinned profiles, and the doctor finds nothing about them', async () => {
    generated(EU, SSO);
    bedrock.on(ListInferenceProfilesCommand).resolves({
      inferenceProfileSummaries: [EU.main, EU.smallFast, EU.opus!].map((m) => systemProfile('eu-west-1', m.invocationId, ['eu-west-1'])),
    });
    const { findings } = await doctor([]);
    expect(findings.filter((f) => MODEL_FINDING.test(f.id))).toEqual([]);
    expect(findings.find((f) => f.id === 'profiles-exist')).toBeDefined();
  });

  test('a wrong AWS_REGION under an eu.-only grant is fixed by the Region, never by a model outside the grant', async () => {
    generated(EU, SSO);
    box.settings('local', { env: { AWS_REGION: 'us-east-1' } });
    const mismatches = (await doctor()).findings.filter((f) => f.id === 'model-region-mismatch');
    expect(mismatches.length).toBeGreaterThan(0);
    for (const f of mismatches) {
      expect(f.fix).not.toMatch(/'(us|global)\./);
      expect(f.fix).toMatch(/Set AWS_REGION to a Region your granted models can be called from \(.*eu-west-1.*\)/);
    }
    // Hand-made settings (no generated profile) still get the other geographies suggested.
    box.awsConfig('[profile claude-code]\nsso_session = x\nsso_account_id = 111122223333\nsso_role_name = ClaudeCodeBedrock\n');
    const handMade = (await doctor()).findings.find((f) => f.id === 'model-region-mismatch' && f.title.startsWith('ANTHROPIC_MODEL '));
    expect(handMade?.fix).toContain("'us.anthropic.claude-sonnet-4-6'");
  });

  test('a Legacy model is low, one past its end of life high, judged by the injected day', async () => {
    const legacy = { ...EU, opus: ModelReference.parse('eu.anthropic.claude-sonnet-4-5-20250929-v1:0') };
    generated(legacy, SSO);
    const before = (await doctor()).findings.find((f) => f.id === 'model-legacy');
    expect(before).toMatchObject({ severity: 'low' });
    expect(before!.title).toContain(`reaches end of life on Amazon Bedrock on ${ModelCatalog.builtIn().endOfLife('anthropic.claude-sonnet-4-5-20250929-v1:0')}`);
    box.today = new Date('2027-04-08T00:00:00Z');
    expect((await doctor()).findings.find((f) => f.id === 'model-end-of-life')).toMatchObject({ severity: 'high' });
  });
});

test('against everything the generator writes for the machine, the doctor raises nothing above info', async () => {
  for (const source of [SSO, ROLE]) {
    generated(EU, source);
    const { findings, code } = await doctor();
    expect([source.kind, findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}: ${f.title}`)]).toEqual([source.kind, []]);
    expect(code).toBe(0);
  }
});

test('against what the generator writes for the opt-out (INHERIT), nothing is judged broken, and what it gives up is said', async () => {
  for (const source of [SSO, ROLE]) {
    generated(EU, source, 'eu-west-1', { subprocessCredentials: SubprocessCredentials.INHERIT });
    // The machine holds what the opt-out exposes: the developer's own keys and the Identity Center token cache.
    fs.mkdirSync(path.join(box.home, '.aws', 'sso', 'cache'), { recursive: true });
    fs.writeFileSync(path.join(box.home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    fs.writeFileSync(path.join(box.home, '.aws', 'sso', 'cache', 'token.json'), JSON.stringify({ accessToken: 'aoaEXAMPLE', expiresAt: '2026-12-01T20:00:00Z' }));
    const { findings, code } = await doctor();
    expect([source.kind, findings.filter((f) => !['info', 'low'].includes(f.severity)).map((f) => `${f.id}: ${f.title}`)]).toEqual([source.kind, []]);
    expect(code).toBe(0);
    const said = new Map(findings.map((f) => [f.id, f]));
    expect([...said.keys()]).toEqual(expect.arrayContaining(['isolation-inherit', 'sandbox-off-opt-out', 'credential-stores-opt-out', 'other-profiles-opt-out']));
    expect(said.get('credential-stores-opt-out')!.detail).toMatch(/~\/\.aws\/credentials.*~\/\.aws\/sso\/cache/s);
    expect(said.get('other-profiles-opt-out')!.title).toContain('default (long-term access keys)');
  }
});

test('can fail: the same machine with AWS_PROFILE set by hand and no scrub (the shape before isolation) is still flagged', async () => {
  const settings = generated(EU, ROLE, 'eu-west-1', { subprocessCredentials: SubprocessCredentials.INHERIT });
  delete settings.env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB;
  box.settings('user', settings);
  const { findings, code } = await doctor();
  expect(findings.find((f) => f.id === 'env-scrub-off')).toMatchObject({ severity: 'medium' });
  expect(findings.find((f) => f.id === 'sandbox-off')).toMatchObject({ severity: 'high' });
  expect(findings.some((f) => f.id.endsWith('-opt-out'))).toBe(false);
  expect(code).toBe(2);
});
