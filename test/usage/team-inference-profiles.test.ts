import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClaudeCodeBedrockAccess, ModelReference, TeamInferenceProfiles } from '../../lib';
import { anthropicModelId } from '../../lib/client/client-configuration';
import { decide } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A, resolveIntrinsics } from '../support/template-policies';

const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');

test('one application profile per model, copying the system profile of the stack\'s Region, tagged for cost allocation', () => {
  const stack = new Stack(new App(), 'Team', { env: { region: 'us-east-2' } });
  new TeamInferenceProfiles(stack, 'Payments', { team: 'payments', models: [SONNET, HAIKU], tags: { 'cost-center': 'cc-4711' } });
  const profiles = Object.values(Template.fromStack(stack).findResources('AWS::Bedrock::ApplicationInferenceProfile'));
  expect(profiles.map((p) => p.Properties.InferenceProfileName)).toEqual(['payments-claude-sonnet-4-6', 'payments-claude-haiku-4-5-20251001-v1-0']);
  expect(resolveIntrinsics(profiles[0].Properties.ModelSource.CopyFrom, ACCOUNT_A, 'aws', 'us-east-2'))
    .toBe(`arn:aws:bedrock:us-east-2:${ACCOUNT_A}:inference-profile/us.anthropic.claude-sonnet-4-6`);
  expect(profiles[0].Properties.Tags).toEqual([{ Key: 'cost-center', Value: 'cc-4711' }, { Key: 'team', Value: 'payments' }]);
  expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toHaveLength(2);
  // CloudFormation's patterns for both (its validation refused an earlier description with ': ' and ', ').
  for (const p of profiles) {
    expect(p.Properties.InferenceProfileName).toMatch(/^([0-9a-zA-Z][ _-]?)+$/);
    expect(p.Properties.Description).toMatch(/^([0-9a-zA-Z:.][ _-]?)+$/);
  }
  const odd = new Stack(new App(), 'Odd', { env: { region: 'us-east-1' } });
  new TeamInferenceProfiles(odd, 'T', { team: 'Data+ML @ EU/West', models: [SONNET] });
  const [profile] = Object.values(Template.fromStack(odd).findResources('AWS::Bedrock::ApplicationInferenceProfile'));
  expect(profile.Properties.Description).toMatch(/^([0-9a-zA-Z:.][ _-]?)+$/);
  expect(profile.Properties.InferenceProfileName).toMatch(/^([0-9a-zA-Z][ _-]?)+$/);
});

test.each([
  [{ team: '' }, /team is empty|tag value/],
  [{ team: 'a'.repeat(300) }, /is not a valid AWS tag value/],
  [{ team: 'payments', tagKey: 'aws:team' }, /tag key 'aws:team' is not a valid AWS tag key/],
  [{ team: 'payments', models: [] }, /models is empty/],
  [{ team: 'payments', models: [ModelReference.applicationProfile(`arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/a1b2c3d4e5f6`, SONNET)] }, /already an application profile/],
])('refuses %j', (props, message) => {
  const stack = new Stack(new App(), 'Team', { env: { region: 'us-east-1' } });
  expect(() => new TeamInferenceProfiles(stack, 'T', { models: [SONNET], ...props } as any)).toThrow(message);
});

test('refuses a stack without a Region: a profile copies one Region\'s system profile', () => {
  expect(() => new TeamInferenceProfiles(new Stack(new App(), 'Agnostic'), 'T', { team: 'payments', models: [SONNET] })).toThrow(/needs a stack with an explicit region/);
});

test('Anthropic\'s model ids from Bedrock\'s', () => {
  expect(anthropicModelId('anthropic.claude-sonnet-4-6')).toBe('claude-sonnet-4-6');
  expect(anthropicModelId('anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5-20251001');
  expect(anthropicModelId('anthropic.claude-opus-4-7')).toBe('claude-opus-4-7');
});

describe('the second step: the team\'s profiles granted and configured', () => {
  const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/a1b2c3d4e5f6`;
  const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1' } });
  const access = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
    model: ModelReference.applicationProfile(arn, SONNET),
    smallFastModel: HAIKU,
    trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
    detection: false,
    drift: false,
  });
  const settings = JSON.parse(resolveIntrinsics(stack.resolve(access.roleClientConfiguration().claudeSettingsJson), ACCOUNT_A));

  test('the settings name the profile, and map the model it copies to it in modelOverrides', () => {
    expect(settings.env.ANTHROPIC_MODEL).toBe(arn);
    expect(settings.modelOverrides).toEqual({ 'claude-sonnet-4-6': arn });
  });

  test('IAM allows the profile and its models through it, and the copied model directly not at all', async () => {
    const subject = roleSubject(stack, ACCOUNT_A, { rolePrefix: 'ClaudeCodeInvokeRole' });
    expect(await decide(subject, { action: 'bedrock:InvokeModelWithResponseStream', resource: arn })).toBe('Allowed');
    expect(await decide(subject, {
      action: 'bedrock:InvokeModelWithResponseStream',
      resource: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6',
      context: { 'bedrock:InferenceProfileArn': arn },
    })).toBe('Allowed');
    expect(await decide(subject, { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-6' })).not.toBe('Allowed');
    expect(await decide(subject, { action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:us-east-1:${ACCOUNT_A}:application-inference-profile/ffffffffffff` })).not.toBe('Allowed');
  });

  test('without application profiles the only override points the client\'s default Opus at the Opus slot, the main model here', () => {
    const plain = new Stack(new App(), 'Plain', { env: { region: 'us-east-1' } });
    const a = new ClaudeCodeBedrockAccess(plain, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], detection: false, drift: false });
    expect(JSON.parse(resolveIntrinsics(plain.resolve(a.roleClientConfiguration().claudeSettingsJson), ACCOUNT_A)).modelOverrides).toEqual({ 'claude-opus-5-5': SONNET.claudeCodeModelId });
    const withOpus = new Stack(new App(), 'WithOpus', { env: { region: 'us-east-1' } });
    const b = new ClaudeCodeBedrockAccess(withOpus, 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, opusModel: ModelReference.parse('us.anthropic.claude-opus-4-7'), trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], detection: false, drift: false });
    expect(JSON.parse(resolveIntrinsics(withOpus.resolve(b.roleClientConfiguration().claudeSettingsJson), ACCOUNT_A)).modelOverrides).toBeUndefined();
  });
});
