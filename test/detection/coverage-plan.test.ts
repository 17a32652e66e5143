import { CoverageInput, coverageTable, describeGaps, HOME_ACCOUNT, planCoverage } from '../../lib/detection/coverage-plan';

const DEFAULTS = ['eu-west-1', 'us-east-1', 'us-west-2'];
const base: CoverageInput = {
  homeAccount: '111122223333',
  homeRegion: 'us-east-1',
  identities: [{ label: 'invoke role \'R\'', accounts: ['111122223333'], sourceRegions: ['us-east-1'] }],
  enabledByDefault: DEFAULTS,
  optInRegions: [],
  forwarders: { accounts: ['111122223333'], organization: false, regions: DEFAULTS, modelCalls: true, memberTrails: true },
  handPlaced: [],
  trail: 'created',
  usageGuard: true,
};

describe('planCoverage', () => {
  test('the home Region is the central rules\', the others the StackSet\'s, all on the home trail, model calls everywhere', () => {
    const plan = planCoverage(base);
    expect(plan.gaps).toEqual([]);
    expect(plan.cells.map((c) => [c.region, c.watchedBy, c.trail, c.modelCalls])).toEqual([
      ['eu-west-1', 'the StackSet forwarder', 'the home stack\'s trail', 'the StackSet forwarder'],
      ['us-east-1', 'the central rules', 'the home stack\'s trail', 'the central rules'],
      ['us-west-2', 'the StackSet forwarder', 'the home stack\'s trail', 'the StackSet forwarder'],
    ]);
  });

  test('source Regions and declared opt-in Regions are places the identity acts in; us-east-1 always is', () => {
    const plan = planCoverage({ ...base, enabledByDefault: ['eu-west-1'], optInRegions: ['eu-south-1'], identities: [{ label: 'x', accounts: ['444455556666'], sourceRegions: ['ap-east-1'] }] });
    expect(plan.cells.map((c) => c.region)).toEqual(['ap-east-1', 'eu-south-1', 'eu-west-1', 'us-east-1']);
    expect(describeGaps(plan.gaps)).toEqual([
      'account 444455556666, Regions ap-east-1, eu-south-1, eu-west-1, us-east-1: no forwarder watches x, so their calls raise no alert: add 444455556666 to the forwarders\' accounts',
    ]);
  });

  test('a member account in the StackSet gets the member trail; without member trails it has none, and that is a gap', () => {
    const member = { ...base, identities: [{ label: 'set', accounts: ['444455556666'], sourceRegions: ['us-east-1'] }], forwarders: { ...base.forwarders!, accounts: ['444455556666'] } };
    expect(planCoverage(member).cells.every((c) => c.trail === 'the StackSet\'s member trail')).toBe(true);
    const gaps = planCoverage({ ...member, forwarders: { ...member.forwarders, memberTrails: false } }).gaps;
    expect(gaps.map((g) => g.region)).toEqual(DEFAULTS);
    expect(gaps[0].problem).toMatch(/no trail logs management events/);
  });

  test('a declared trail covers every account', () => {
    const plan = planCoverage({ ...base, trail: 'declared', identities: [{ label: 'set', accounts: ['444455556666'], sourceRegions: ['us-east-1'] }], forwarders: { ...base.forwarders!, accounts: ['444455556666'], memberTrails: false } });
    expect(plan.gaps).toEqual([]);
  });

  test('a service-managed StackSet covers member accounts, never the home one', () => {
    const plan = planCoverage({ ...base, forwarders: { ...base.forwarders!, accounts: [], organization: true } });
    expect(plan.gaps.map((g) => g.region)).toEqual(['eu-west-1', 'us-west-2']);
    expect(plan.gaps[0].problem).toMatch(/never deploys to the organization's management account/);
  });

  test('with a usage guard, a hand-placed forwarder without model calls is a gap; with one, it covers', () => {
    const hand = (modelCalls: boolean) => planCoverage({ ...base, forwarders: { ...base.forwarders!, regions: ['us-east-1', 'us-west-2'] }, handPlaced: [{ account: '111122223333', region: 'eu-west-1', modelCalls, path: 'Eu/F' }] });
    expect(hand(true).gaps).toEqual([]);
    expect(describeGaps(hand(false).gaps)).toEqual([expect.stringMatching(/^account 111122223333, Region eu-west-1: forwarder Eu\/F does not forward model calls[^]*set forwardModelCalls: true/)]);
    expect(planCoverage({ ...base, usageGuard: false, forwarders: { ...base.forwarders!, regions: ['us-east-1', 'us-west-2'] }, handPlaced: [{ account: '111122223333', region: 'eu-west-1', modelCalls: false, path: 'Eu/F' }] }).gaps).toEqual([]);
  });

  test('an unknown home Region: the StackSet\'s cells say the central rules may stand in; a missing Region says to give the stack a Region', () => {
    const plan = planCoverage({ ...base, homeAccount: HOME_ACCOUNT, homeRegion: undefined, identities: [{ label: 'r', accounts: [HOME_ACCOUNT], sourceRegions: ['us-east-1'] }], forwarders: { ...base.forwarders!, accounts: [HOME_ACCOUNT], regions: ['us-east-1', 'us-west-2'] } });
    expect(plan.cells.find((c) => c.region === 'us-east-1')!.watchedBy).toBe('the StackSet forwarder (the central rules in the home Region)');
    expect(describeGaps(plan.gaps)).toEqual([expect.stringMatching(/^the home account, Region eu-west-1: no forwarder watches r[^]*give it an env region/)]);
  });

  test('the table has a row per account and Region', () => {
    const table = coverageTable(planCoverage(base)).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^111122223333 \| us-east-1 +\| the central rules/);
  });
});
