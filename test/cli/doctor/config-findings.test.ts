import { Finding } from '../../../lib/cli/findings';
import { GOOD_ENV, ISOLATION_SETTINGS, Sandbox } from '../cli-harness';
import { EXAMPLE_ACCESS_KEY_ID, EXAMPLE_LONG_TERM_API_KEY, EXAMPLE_SECRET_ACCESS_KEY, EXAMPLE_SHORT_TERM_API_KEY } from '../fixtures/aws-examples';

let box: Sandbox;
beforeEach(() => {
  box = new Sandbox();
  // Isolation is in place (as the generator writes it): these tests are about the other findings.
  box.settings('managed', ISOLATION_SETTINGS);
});
afterEach(() => box.cleanup());

/** Runs `doctor --json --offline` and returns the findings by id. */
async function doctor(env: Record<string, string> = {}): Promise<{ code: number; byId: Map<string, Finding[]> }> {
  const { code, stdout } = await box.run(['doctor', '--json', '--offline'], env);
  const findings = JSON.parse(stdout).findings as Finding[];
  const byId = new Map<string, Finding[]>();
  findings.forEach((f) => byId.set(f.id, [...(byId.get(f.id) ?? []), f]));
  return { code, byId };
}

const CONFIG_IDS = [
  'credentials-in-settings-file', 'long-lived-access-key', 'long-term-bedrock-api-key', 'bedrock-not-enabled', 'region-missing',
  'region-invalid', 'model-not-pinned', 'background-model-not-pinned', 'model-region-mismatch', 'model-id-invalid', 'opus-start-up-probe',
];

test('a machine set up as the README says has no configuration finding', async () => {
  box.settings('user', { env: GOOD_ENV, awsAuthRefresh: 'aws sso login --profile claude-code' });
  const { code, byId } = await doctor();
  CONFIG_IDS.forEach((id) => expect(byId.get(id)).toBeUndefined());
  // Offline, the AWS checks are unknown (info), never a pass.
  expect(byId.get('identity-unknown')?.[0]).toMatchObject({ severity: 'info', unknown: true });
  expect(byId.get('permissions-unknown')?.[0].detail).toContain('skipped (--offline)');
  expect(code).toBe(0);
});

describe('static keys', () => {
  test('keys in the project settings file are critical, and the finding says the file is shared', async () => {
    const file = box.settings('project', { env: { AWS_ACCESS_KEY_ID: EXAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY } });
    box.settings('user', { env: GOOD_ENV });
    const { code, byId } = await doctor();
    const [finding] = byId.get('credentials-in-settings-file')!;
    expect(finding.severity).toBe('critical');
    expect(finding.title).toContain(file);
    expect(finding.title).toContain('env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY');
    expect(finding.detail).toContain('committed');
    expect(code).toBe(3);
  });

  test('an access key id anywhere in a settings file counts, not only in env', async () => {
    box.settings('local', { apiKeyHelper: `echo ${EXAMPLE_ACCESS_KEY_ID}`, misc: { key: EXAMPLE_ACCESS_KEY_ID } });
    const { byId } = await doctor(GOOD_ENV);
    expect(byId.get('credentials-in-settings-file')![0].title).toContain('misc.key');
  });

  test('a long-lived AKIA key exported in the shell is high; temporary ASIA keys are not flagged', async () => {
    const akia = await doctor({ ...GOOD_ENV, AWS_ACCESS_KEY_ID: EXAMPLE_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY });
    expect(akia.byId.get('long-lived-access-key')![0]).toMatchObject({ severity: 'high' });
    expect(akia.byId.get('long-lived-access-key')![0].title).toContain('from environment');
    expect(akia.byId.get('credentials-in-settings-file')).toBeUndefined();
    const asia = await doctor({ ...GOOD_ENV, AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: EXAMPLE_SECRET_ACCESS_KEY });
    expect(asia.byId.get('long-lived-access-key')).toBeUndefined();
  });

  test('a long-term Bedrock API key is high; a short-term one is only noted', async () => {
    const long = await doctor({ ...GOOD_ENV, AWS_BEARER_TOKEN_BEDROCK: EXAMPLE_LONG_TERM_API_KEY });
    expect(long.byId.get('long-term-bedrock-api-key')![0].severity).toBe('high');
    const short = await doctor({ ...GOOD_ENV, AWS_BEARER_TOKEN_BEDROCK: EXAMPLE_SHORT_TERM_API_KEY });
    expect(short.byId.get('long-term-bedrock-api-key')).toBeUndefined();
    expect(short.byId.get('short-term-bedrock-api-key')![0].severity).toBe('info');
  });
});

describe('Bedrock environment', () => {
  test('CLAUDE_CODE_USE_BEDROCK and AWS_REGION missing are high', async () => {
    const { byId } = await doctor({ ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6' });
    expect(byId.get('bedrock-not-enabled')![0].severity).toBe('high');
    expect(byId.get('region-missing')![0].severity).toBe('high');
  });

  test('CLAUDE_CODE_USE_BEDROCK=0 turns Bedrock off, and the finding names the value and the file', async () => {
    const file = box.settings('local', { env: { CLAUDE_CODE_USE_BEDROCK: '0' } });
    const { byId } = await doctor(GOOD_ENV);
    expect(byId.get('bedrock-not-enabled')![0].title).toContain(`'0' (from ${file})`);
  });

  test('AWS_DEFAULT_REGION alone is low; a non-Region AWS_REGION is high', async () => {
    const { AWS_REGION: _, ...noRegion } = GOOD_ENV;
    expect((await doctor({ ...noRegion, AWS_DEFAULT_REGION: 'us-east-1' })).byId.get('region-from-default-region')![0].severity).toBe('low');
    expect((await doctor({ ...GOOD_ENV, AWS_REGION: 'useast1' })).byId.get('region-invalid')![0].severity).toBe('high');
  });
});

describe('model ids and the Region', () => {
  test('a us. profile with eu-west-1 is high and suggests the eu. and global. profiles', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, AWS_REGION: 'eu-west-1', ANTHROPIC_DEFAULT_HAIKU_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });
    const mismatches = byId.get('model-region-mismatch')!;
    // Only the us. model: the eu. Haiku profile may be called from eu-west-1.
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0].severity).toBe('high');
    expect(mismatches[0].title).toBe("ANTHROPIC_MODEL 'us.anthropic.claude-sonnet-4-6' does not work from AWS_REGION eu-west-1");
    expect(mismatches[0].fix).toContain("'eu.anthropic.claude-sonnet-4-6' or 'global.anthropic.claude-sonnet-4-6'");
  });

  test('a model id invoked directly where the catalog has no in-Region endpoint is high', async () => {
    // Opus 4.7 is profile-only; Sonnet 4.6 is served in-Region in eu-west-2 alone.
    const opus = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'anthropic.claude-opus-4-7' });
    expect(opus.byId.get('model-region-mismatch')![0].detail).toContain('invoking the model id directly fails');
    const sonnet = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'anthropic.claude-sonnet-4-6' });
    expect(sonnet.byId.get('model-region-mismatch')![0].detail).toContain('in eu-west-2 only');
    const haiku = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';
    const inEuWest2 = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'anthropic.claude-sonnet-4-6', AWS_REGION: 'eu-west-2', ANTHROPIC_DEFAULT_HAIKU_MODEL: haiku });
    expect(inEuWest2.byId.get('model-region-mismatch')).toBeUndefined();
  });

  test('a global. profile from a GovCloud Region is high', async () => {
    const { byId } = await doctor({
      ...GOOD_ENV,
      AWS_REGION: 'us-gov-west-1',
      ANTHROPIC_MODEL: 'global.anthropic.claude-sonnet-4-6',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0',
    });
    const titles = byId.get('model-region-mismatch')!.map((f) => f.title);
    expect(titles).toEqual(["ANTHROPIC_MODEL 'global.anthropic.claude-sonnet-4-6' does not work from AWS_REGION us-gov-west-1"]);
  });

  test('an application profile from another Region is high', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/a1b2c3d4e5f6' });
    expect(byId.get('model-region-mismatch')![0].detail).toContain('lives in eu-west-1');
  });

  test('a model the catalog does not know is left to Bedrock, not guessed', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'us.anthropic.claude-future-9' });
    expect(byId.get('model-region-mismatch')).toBeUndefined();
    // us-east-1 is a source of some us. profile, so nothing says the geography is wrong.
    expect(byId.get('model-region-unknown')).toBeUndefined();
  });

  test('a us-gov. profile from a commercial Region is high, naming both partitions', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(byId.get('model-region-mismatch')![0].detail).toContain('aws-us-gov partition and us-east-1 is in aws');
  });

  test('where the catalog lacks the geography for a model it knows, the answer is unknown (info), not a pass or a failure', async () => {
    // The catalog lists Opus 4.1 for us. only; the apac. geography has no entry at all.
    for (const model of ['jp.anthropic.claude-opus-4-1-20250805-v1:0', 'apac.anthropic.claude-sonnet-4-20250514-v1:0']) {
      const haiku = 'jp.anthropic.claude-haiku-4-5-20251001-v1:0';
      const { byId } = await doctor({ ...GOOD_ENV, AWS_REGION: 'ap-northeast-1', ANTHROPIC_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: haiku });
      expect(byId.get('model-region-mismatch')).toBeUndefined();
      expect(byId.get('model-region-unknown')![0]).toMatchObject({ severity: 'info', unknown: true });
    }
  });

  test('a value that is not a model id is high', async () => {
    const { byId } = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'claude sonnet' });
    expect(byId.get('model-id-invalid')![0].severity).toBe('high');
  });
});

describe('pinning', () => {
  test('no model settings at all: both the main and the background model are unpinned (medium)', async () => {
    const { byId, code } = await doctor({ CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1' });
    expect(byId.get('model-not-pinned')![0].severity).toBe('medium');
    expect(byId.get('background-model-not-pinned')![0].severity).toBe('medium');
    expect(code).toBe(1);
  });

  test('an alias is unpinned unless its ANTHROPIC_DEFAULT_*_MODEL pins it', async () => {
    const alias = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'sonnet' });
    expect(alias.byId.get('model-not-pinned')![0].fix).toContain('ANTHROPIC_DEFAULT_SONNET_MODEL');
    const pinned = await doctor({ ...GOOD_ENV, ANTHROPIC_MODEL: 'sonnet', ANTHROPIC_DEFAULT_SONNET_MODEL: 'us.anthropic.claude-sonnet-4-6' });
    expect(pinned.byId.get('model-not-pinned')).toBeUndefined();
  });

  test('the model settings key pins the main model when ANTHROPIC_MODEL is unset', async () => {
    const { ANTHROPIC_MODEL: _, ...rest } = GOOD_ENV;
    box.settings('project', { model: 'us.anthropic.claude-opus-4-7' });
    expect((await doctor(rest)).byId.get('model-not-pinned')).toBeUndefined();
  });

  test('a non-Opus Opus slot without the default Opus override is the start-up probe (low); the generated override or an Opus pin clears it', async () => {
    const sonnetSlot = { ...GOOD_ENV, ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-sonnet-4-6' };
    const probe = (await doctor(sonnetSlot)).byId.get('opus-start-up-probe')![0];
    expect(probe.severity).toBe('low');
    expect(probe.fix).toContain('"claude-opus-5-5": "us.anthropic.claude-sonnet-4-6"');
    box.settings('user', { modelOverrides: { 'claude-opus-5-5': 'us.anthropic.claude-sonnet-4-6' } });
    expect((await doctor(sonnetSlot)).byId.get('opus-start-up-probe')).toBeUndefined();
    expect((await doctor({ ...GOOD_ENV, ANTHROPIC_DEFAULT_OPUS_MODEL: 'us.anthropic.claude-opus-4-7' })).byId.get('opus-start-up-probe')).toBeUndefined();
  });

  test('ANTHROPIC_SMALL_FAST_MODEL still pins the background model but is reported as deprecated (low)', async () => {
    const { ANTHROPIC_DEFAULT_HAIKU_MODEL: haiku, ...rest } = GOOD_ENV;
    const { byId } = await doctor({ ...rest, ANTHROPIC_SMALL_FAST_MODEL: haiku });
    expect(byId.get('background-model-not-pinned')).toBeUndefined();
    expect(byId.get('small-fast-model-deprecated')![0].severity).toBe('low');
  });
});

test('an unreadable settings file is medium and its content is never printed', async () => {
  const file = box.settings('user', `{ "env": { "AWS_SECRET_ACCESS_KEY": "${EXAMPLE_SECRET_ACCESS_KEY}", } oops`);
  const { stdout } = await box.run(['doctor', '--offline'], GOOD_ENV);
  expect(stdout).toContain(`${file} is not valid JSON`);
  expect(stdout).not.toContain(EXAMPLE_SECRET_ACCESS_KEY);
  expect(stdout).not.toContain('oops');
});
