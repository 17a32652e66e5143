import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, ClaudeCodeBedrockAccess, DestinationRegions, Geography, ModelCatalog, ModelReference } from '../../lib';
import { planInvokePolicy } from '../../lib/models/invoke-policy';
import { closestModelIds } from '../../lib/models/model-suggestions';
import { expectDecisions } from '../support/decisions';
import { commonCalls, geographicCalls } from '../support/expected-calls';
import { roleSubject } from '../support/role-subject';
import { ACCOUNT_A } from '../support/template-policies';

const catalog = ModelCatalog.builtIn();
const planFrom = (id: string, sourceRegions: string[]) => planInvokePolicy({ models: [ModelReference.parse(id)] }, { sourceRegions, account: '111122223333', partition: 'aws' });
const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};
/** The ids a message puts in quotes after "did you mean" or "use". */
const quotedIds = (message: string) => [...message.matchAll(/'((?:[a-z-]+\.)?anthropic\.[^']+)'/g)].map((m) => m[1]);

describe('an unknown model id gets the closest known ids', () => {
  test.each([
    ['eu.anthropic.claude-sonet-4-6', ['eu-west-1'], 'eu.anthropic.claude-sonnet-4-6'],
    ['eu.anthropic.claude-haiku-4-5', ['eu-west-1'], 'eu.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['global.anthropic.claude-opus-4-8x', ['us-east-1'], 'global.anthropic.claude-opus-4-8'],
    ['anthropic.claude-sonet-4-6', ['eu-west-2'], 'anthropic.claude-sonnet-4-6'],
  ])('%s from %j: did you mean %s', (typed, regions, meant) => {
    const message = messageOf(() => planFrom(typed, regions));
    expect(message).toContain(`'${typed}'`);
    expect(message).toContain(`Did you mean '${meant}'`);
    // The suggestion is real: the id it names resolves from the same Regions.
    expect(() => planFrom(meant, regions)).not.toThrow();
  });

  test('a name far from every known id gets no guess, only the way to add it', () => {
    const message = messageOf(() => planFrom('eu.anthropic.claude-future-9', ['eu-west-1']));
    expect(message).not.toContain('Did you mean');
    expect(message).toContain('pass routes');
    expect(closestModelIds('eu.anthropic.claude-future-9', catalog)).toEqual([]);
  });

  test('a different model is not mistaken for a slip (opus-5 is not opus-4-7)', () => {
    expect(closestModelIds('us.anthropic.claude-opus-5', catalog)).not.toContain('us.anthropic.claude-opus-4-7');
  });
});

describe('a bare profile-only foundation-model id names the profiles of the stack\'s geography', () => {
  test.each([
    ['anthropic.claude-sonnet-4-6', ['eu-west-1'], ['eu.anthropic.claude-sonnet-4-6', 'global.anthropic.claude-sonnet-4-6']],
    ['anthropic.claude-opus-4-7', ['us-east-1', 'us-west-2'], ['us.anthropic.claude-opus-4-7', 'global.anthropic.claude-opus-4-7']],
    ['anthropic.claude-sonnet-5', ['ap-south-1'], ['in.anthropic.claude-sonnet-5', 'global.anthropic.claude-sonnet-5']],
  ])('%s from %j', (id, regions, profiles) => {
    const message = messageOf(() => planFrom(id, regions));
    expect(message).toContain(`foundation model '${id}' cannot be invoked directly`);
    expect(quotedIds(message).filter((q) => q !== id)).toEqual(profiles);
    // Never a profile of another geography.
    expect(message).not.toMatch(regions[0].startsWith('eu') ? /'us\./ : /'eu\./);
    profiles.forEach((p) => expect(() => planFrom(p, regions)).not.toThrow());
  });
});

describe('the in. geography (India)', () => {
  test('parses, and its profiles route between ap-south-1 and ap-south-2', () => {
    const ref = ModelReference.parse('in.anthropic.claude-sonnet-5');
    expect([ref.geography, ref.modelId]).toEqual([Geography.IN, 'anthropic.claude-sonnet-5']);
    for (const id of ['anthropic.claude-opus-5', 'anthropic.claude-sonnet-5', 'anthropic.claude-haiku-4-5-20251001-v1:0']) {
      expect(catalog.routes(id, Geography.IN)).toEqual([
        { sourceRegion: 'ap-south-1', destinationRegions: ['ap-south-1', 'ap-south-2'] },
        { sourceRegion: 'ap-south-2', destinationRegions: ['ap-south-1', 'ap-south-2'] },
      ]);
    }
    expect(catalog.routes('anthropic.claude-sonnet-4-6', Geography.IN)).toEqual([]);
  });

  describe('a role for in. Sonnet 5 with listed destinations, in IAM\'s own evaluation', () => {
    const stack = new Stack(new App(), 'India');
    new BedrockInvokeRole(stack, 'Invoke', {
      models: [ModelReference.parse('in.anthropic.claude-sonnet-5')],
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
      sourceRegions: ['ap-south-1'],
      destinationRegions: DestinationRegions.LISTED,
    });
    const subject = roleSubject(stack, ACCOUNT_A);

    test('every call through the profile is allowed, in both Indian Regions', async () => {
      await expectDecisions(subject, [...geographicCalls(Geography.IN, 'anthropic.claude-sonnet-5', 'ap-south-1', ACCOUNT_A), ...commonCalls()], 'Allowed');
    });

    test('the model outside India, another geography\'s profile and the bare model are denied', async () => {
      const profile = `arn:aws:bedrock:ap-south-1:${ACCOUNT_A}:inference-profile/in.anthropic.claude-sonnet-5`;
      await expectDecisions(subject, [
        { why: 'the model in us-east-1 through the in. profile', action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-5', context: { 'bedrock:InferenceProfileArn': profile } },
        { why: 'the apac. profile', action: 'bedrock:InvokeModel', resource: `arn:aws:bedrock:ap-south-1:${ACCOUNT_A}:inference-profile/apac.anthropic.claude-sonnet-5` },
        { why: 'the model invoked directly', action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:ap-south-1::foundation-model/anthropic.claude-sonnet-5' },
      ], 'Denied');
    });
  });
});

describe('Claude Haiku 5.5', () => {
  test('is profile-only, with us., eu., au., jp. and global. profiles', () => {
    const id = 'anthropic.claude-haiku-5-5';
    expect(catalog.displayName(id)).toBe('Claude Haiku 5.5');
    expect(Geography.all().filter((g) => !g.isGlobal && catalog.routes(id, g).length > 0).map((g) => g.prefix)).toEqual(['us', 'eu', 'jp', 'au']);
    expect(catalog.globalSourceRegions(id)).toContain('ap-south-1');
    expect(catalog.inRegionRegions(id)).toEqual([]);
    expect(catalog.endOfLife(id)).toBeUndefined();
  });
});

describe('end of life, judged against the day the catalog was checked, never the clock', () => {
  test('the catalog names its check date and the announced dates', () => {
    expect(catalog.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(catalog.endOfLife('anthropic.claude-sonnet-4-20250514-v1:0')).toBe('2026-10-14');
    expect(catalog.endOfLife('anthropic.claude-opus-4-1-20250805-v1:0')).toBe('2027-01-08');
    expect(catalog.endOfLife('anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('2027-04-08');
    expect(catalog.isRetired('anthropic.claude-sonnet-4-20250514-v1:0')).toBe(true);
    expect(catalog.isRetired('anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(false);
  });

  test('a retired model fails at synth, naming the date and a current model of its family that the Regions can call', () => {
    const message = messageOf(() => planFrom('eu.anthropic.claude-sonnet-4-20250514-v1:0', ['eu-west-1']));
    expect(message).toContain('reached end of life on Amazon Bedrock on 2026-10-14');
    const [, successor] = quotedIds(message);
    expect(successor).toMatch(/^(eu|global)\.anthropic\.claude-sonnet-/);
    expect(() => planFrom(successor, ['eu-west-1'])).not.toThrow();
  });

  test('a Legacy model still synthesizes, with a warning that names its end of life', () => {
    const stack = new Stack(new App(), 'Legacy', { env: { region: 'us-east-1' } });
    new BedrockInvokeRole(stack, 'Invoke', {
      models: [ModelReference.parse('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), ModelReference.parse('us.anthropic.claude-sonnet-4-6')],
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)],
    });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ModelEndOfLife'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toContain("'us.anthropic.claude-sonnet-4-5-20250929-v1:0' (Claude Sonnet 4.5) is Legacy on Amazon Bedrock and reaches end of life on 2027-04-08");
  });
});

describe('a JavaScript caller that leaves out a required model gets the prop and the fix, not a TypeError', () => {
  const base = { trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], model: ModelReference.parse('us.anthropic.claude-sonnet-4-6') };
  const build = (props: Record<string, unknown>) => messageOf(() => new ClaudeCodeBedrockAccess(new Stack(new App(), 'Js', { env: { region: 'us-east-1' } }), 'Access', props as any));

  test.each([
    [{ ...base }, /^smallFastModel is missing: it is required; pass ModelReference.parse\('us.anthropic.claude-haiku-4-5-20251001-v1:0'\)/],
    [{ ...base, smallFastModel: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' }, /^smallFastModel is the string 'us.anthropic.claude-haiku-4-5-20251001-v1:0': wrap it as ModelReference.parse/],
    [{ ...base, model: undefined, smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0') }, /^model is missing/],
  ])('%#', (props, message) => {
    const text = build(props);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/Cannot read properties/);
  });

  test('BedrockInvokeRole without models, or with a hole in the list', () => {
    const role = (models: unknown) => messageOf(() => new BedrockInvokeRole(new Stack(new App(), 'Js', { env: { region: 'us-east-1' } }), 'Invoke', { trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], models } as any));
    expect(role(undefined)).toMatch(/^models is missing: pass a list such as \[ModelReference.parse/);
    expect(role([ModelReference.parse('us.anthropic.claude-sonnet-4-6'), undefined])).toMatch(/^models\[1\] is missing/);
  });
});
