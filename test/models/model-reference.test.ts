import { Geography, ModelReference, ModelReferenceKind } from '../../lib';

describe('ModelReference.parse', () => {
  test.each([
    ['us.anthropic.claude-sonnet-4-6', ModelReferenceKind.CROSS_REGION_PROFILE, 'us', 'anthropic.claude-sonnet-4-6'],
    ['eu.anthropic.claude-haiku-4-5-20251001-v1:0', ModelReferenceKind.CROSS_REGION_PROFILE, 'eu', 'anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0', ModelReferenceKind.CROSS_REGION_PROFILE, 'us-gov', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['apac.anthropic.claude-sonnet-4-20250514-v1:0', ModelReferenceKind.CROSS_REGION_PROFILE, 'apac', 'anthropic.claude-sonnet-4-20250514-v1:0'],
    ['global.anthropic.claude-opus-4-7', ModelReferenceKind.GLOBAL_PROFILE, 'global', 'anthropic.claude-opus-4-7'],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', ModelReferenceKind.FOUNDATION_MODEL, undefined, 'anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-6', ModelReferenceKind.CROSS_REGION_PROFILE, 'eu', 'anthropic.claude-sonnet-4-6'],
    ['arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-6', ModelReferenceKind.GLOBAL_PROFILE, 'global', 'anthropic.claude-sonnet-4-6'],
    ['  jp.anthropic.claude-sonnet-4-6 ', ModelReferenceKind.CROSS_REGION_PROFILE, 'jp', 'anthropic.claude-sonnet-4-6'],
  ])('%s', (text, kind, prefix, modelId) => {
    const ref = ModelReference.parse(text);
    expect(ref.kind).toBe(kind);
    expect(ref.geography?.prefix).toBe(prefix);
    expect(ref.modelId).toBe(modelId);
  });

  test('a foundation-model ARN keeps its Region', () => {
    const ref = ModelReference.parse('arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(ref.kind).toBe(ModelReferenceKind.FOUNDATION_MODEL);
    expect(ref.regions).toEqual(['us-west-2']);
  });

  test('the invocation id is what a client passes to Bedrock', () => {
    expect(ModelReference.parse('us.anthropic.claude-sonnet-4-6').invocationId).toBe('us.anthropic.claude-sonnet-4-6');
    expect(ModelReference.globalProfile('anthropic.claude-sonnet-4-6').invocationId).toBe('global.anthropic.claude-sonnet-4-6');
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    expect(ModelReference.applicationProfile(arn, ModelReference.parse('us.anthropic.claude-sonnet-4-6')).invocationId).toBe(arn);
  });
});

// Claude Code reads `[1m]` after a model id as "this model with its 1M-token context window"
// (Claude Code docs, "Model configuration", extended context), and people copy ANTHROPIC_MODEL as is.
describe('the [1m] suffix of ANTHROPIC_MODEL', () => {
  test.each([
    ['us.anthropic.claude-sonnet-4-6[1m]', 'us.anthropic.claude-sonnet-4-6'],
    ['global.anthropic.claude-opus-5-5[1m]', 'global.anthropic.claude-opus-5-5'],
    ['anthropic.claude-sonnet-4-6[1m]', 'anthropic.claude-sonnet-4-6'],
    [' arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu.anthropic.claude-sonnet-4-6[1m] ', 'eu.anthropic.claude-sonnet-4-6'],
  ])('%s names the same model as %s, with the long context asked of Claude Code', (text, id) => {
    const withSuffix = ModelReference.parse(text);
    const plain = ModelReference.parse(id);
    expect(withSuffix.invocationId).toBe(id);
    expect([withSuffix.kind, withSuffix.modelId, withSuffix.geography]).toEqual([plain.kind, plain.modelId, plain.geography]);
    expect(withSuffix.extendedContext).toBe(true);
    expect(withSuffix.claudeCodeModelId).toBe(`${id}[1m]`);
  });

  test('without the suffix nothing is asked of Claude Code', () => {
    const ref = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
    expect(ref.extendedContext).toBe(false);
    expect(ref.claudeCodeModelId).toBe('us.anthropic.claude-sonnet-4-6');
    expect(ModelReference.globalProfile('anthropic.claude-opus-5').extendedContext).toBe(false);
  });

  test.each([
    ['[1m]', /not a model with Claude Code's \[1m\] suffix/],
    ['us.anthropic.claude-sonnet-4-6[1m][1m]', /write the model id once, then \[1m\]/],
    ['us.anthropic.claude-sonnet-4-6[2m]', /not a Bedrock model id/],
    ['us.anthropic.*[1m]', /wildcard/],
  ])('%j is refused', (text, message) => {
    expect(() => ModelReference.parse(text)).toThrow(message);
  });
});

describe('names that are reserved words in other languages', () => {
  test('the deprecated TypeScript-only global() builds the same reference as globalProfile()', () => {
    const old = ModelReference.global('anthropic.claude-sonnet-4-6', { sourceRegions: ['eu-west-1'] });
    const renamed = ModelReference.globalProfile('anthropic.claude-sonnet-4-6', { sourceRegions: ['eu-west-1'] });
    expect(old).toEqual(renamed);
  });
});

describe('bad model input names the value and the fix', () => {
  test.each([
    ['', /empty string is not a model/],
    ['*', /wildcard.*exact models only/],
    ['us.anthropic.*', /wildcard/],
    ['claude-sonnet', /not a Bedrock model id.*<provider>\.<model>/],
    ['arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123', /applicationProfile\(arn/],
    ['arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-sonnet-4-6', /lacks a Region or account/],
    ['arn:aws:s3:::my-bucket', /not a Bedrock inference-profile or foundation-model ARN/],
    ['arn:aws:bedrock:us-east-1:111122223333:foundation-model/anthropic.claude-sonnet-4-6', /foundation-model ARNs have none/],
    ['arn:aws:bedrock:us-east-1:111122223333:inference-profile/anthropic.claude-sonnet-4-6', /no geography prefix/],
  ])('%j', (text, message) => {
    expect(() => ModelReference.parse(text)).toThrow(message);
  });

  test('an unknown geography prefix is read as a model id and rejected by the catalog later, not silently', () => {
    expect(() => Geography.of('mars')).toThrow(/unknown inference-profile geography 'mars': use one of 'us', 'eu'/);
  });

  test('crossRegion refuses the global geography', () => {
    expect(() => ModelReference.crossRegion(Geography.GLOBAL, 'anthropic.claude-sonnet-4-6')).toThrow(/use ModelReference.globalProfile\('anthropic.claude-sonnet-4-6'\)/);
  });

  test('a model id with the profile prefix left on', () => {
    expect(() => ModelReference.crossRegion(Geography.US, 'us.anthropic.claude-sonnet-4-6')).toThrow(/starts with the profile prefix 'us.'.*'anthropic.claude-sonnet-4-6'/);
  });

  test('a route with no destinations', () => {
    expect(() => ModelReference.crossRegion(Geography.EU, 'anthropic.claude-new', { routes: [{ sourceRegion: 'eu-west-1', destinationRegions: [] }] }))
      .toThrow(/route for 'eu.anthropic.claude-new' from 'eu-west-1' has no destination Regions/);
  });

  test('a route naming a source Region twice', () => {
    const route = { sourceRegion: 'eu-west-1', destinationRegions: ['eu-west-1'] };
    expect(() => ModelReference.crossRegion(Geography.EU, 'anthropic.claude-new', { routes: [route, route] })).toThrow(/lists 'eu-west-1' twice/);
  });

  test('a route with a malformed Region', () => {
    expect(() => ModelReference.crossRegion(Geography.EU, 'anthropic.claude-new', { routes: [{ sourceRegion: 'eu-west-1', destinationRegions: ['Ireland'] }] }))
      .toThrow(/'Ireland' is not an AWS Region name/);
  });

  test('an application profile with a malformed ARN', () => {
    expect(() => ModelReference.applicationProfile('arn:aws:bedrock:us-east-1:1234:application-inference-profile/x', ModelReference.parse('us.anthropic.claude-sonnet-4-6')))
      .toThrow(/not an application inference profile ARN/);
  });

  test('a foundation model with an empty Region list', () => {
    expect(() => ModelReference.foundationModel('anthropic.claude-haiku-4-5-20251001-v1:0', { regions: [] })).toThrow(/empty regions list/);
  });
});
