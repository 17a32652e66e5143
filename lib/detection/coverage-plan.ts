/**
 * Where each watched identity can act, and what watches each place: pure computation over plain
 * values, so the front door can refuse a gap at synth and tests can print the table.
 */

/** The label for the account that deploys the home stack when its id is not known at synth. */
export const HOME_ACCOUNT = 'home account';
/** IAM, Organizations and the other global services log their calls here (CloudTrail User Guide, "Global service events"). */
export const GLOBAL_SERVICES_REGION = 'us-east-1';

/** A watched identity and where it lives. */
export interface CoverageIdentity {
  /** How messages name it, such as `invoke role 'ClaudeCodeBedrockInvoke'`. */
  readonly label: string;
  /** The 12-digit accounts it lives in; `HOME_ACCOUNT` for the home stack's account when unknown. */
  readonly accounts: string[];
  /** The Regions its grant lets callers invoke models from. */
  readonly sourceRegions: string[];
}

/** Forwarders a StackSet deploys. */
export interface CoverageForwarders {
  /** The accounts it targets, `HOME_ACCOUNT` included when it covers the home account. */
  readonly accounts: string[];
  /** Targets every account of organizational units, which synthesis cannot list: taken to hold every account but home. */
  readonly organization: boolean;
  readonly regions: string[];
  /** Whether they also forward billed model calls. */
  readonly modelCalls: boolean;
  /** Whether each target account outside home gets a trail through the StackSet. */
  readonly memberTrails: boolean;
}

/** A `NonBedrockCallForwarder` placed in a stack of the same app. */
export interface HandPlacedForwarder {
  /** Its stack's account; `HOME_ACCOUNT` when the stack has none at synth. */
  readonly account: string;
  readonly region: string;
  readonly modelCalls: boolean;
  /** Its construct path, for the table. */
  readonly path: string;
}

/** How the trail that feeds EventBridge is provided. */
export type TrailCoverage = 'created' | 'declared' | 'none';

export interface CoverageInput {
  /** The home stack's account, or `HOME_ACCOUNT` when unknown at synth. */
  readonly homeAccount: string;
  /** The home stack's Region, or undefined when unknown at synth. */
  readonly homeRegion?: string;
  readonly identities: CoverageIdentity[];
  /** The Regions every account has enabled (the commercial default-enabled Regions). */
  readonly enabledByDefault: string[];
  /** Opt-in Regions the accounts have enabled. */
  readonly optInRegions: string[];
  readonly forwarders?: CoverageForwarders;
  readonly handPlaced: HandPlacedForwarder[];
  readonly trail: TrailCoverage;
  /** Whether a usage guard counts model calls on the central bus. */
  readonly usageGuard: boolean;
}

/** One account and Region a watched identity can act in. */
export interface CoverageCell {
  readonly account: string;
  readonly region: string;
  /** The identities that can act here. */
  readonly identities: string[];
  /** What sees their non-Bedrock calls here, or undefined. */
  readonly watchedBy?: string;
  /** The trail that gives EventBridge the calls here, or undefined. */
  readonly trail?: string;
  /** What brings their model calls to the usage guard, or undefined (also when there is no guard). */
  readonly modelCalls?: string;
}

export interface CoverageGap {
  readonly account: string;
  readonly region: string;
  /** What is missing and how to fix it, the same for every Region of the account with this gap. */
  readonly problem: string;
}

export interface CoveragePlan {
  readonly cells: CoverageCell[];
  readonly gaps: CoverageGap[];
}

/** The Regions an identity can act in: every enabled one, us-east-1 for global services, and the grant's source Regions. */
export function actingRegions(input: CoverageInput, identity: CoverageIdentity, account: string): string[] {
  const home = account === input.homeAccount && input.homeRegion ? [input.homeRegion] : [];
  return [...new Set([...input.enabledByDefault, ...input.optInRegions, GLOBAL_SERVICES_REGION, ...identity.sourceRegions, ...home])].sort();
}

export function planCoverage(input: CoverageInput): CoveragePlan {
  const cells = new Map<string, { account: string; region: string; identities: string[] }>();
  for (const identity of input.identities) {
    for (const account of identity.accounts) {
      for (const region of actingRegions(input, identity, account)) {
        const key = `${account}/${region}`;
        const cell = cells.get(key) ?? { account, region, identities: [] };
        cell.identities.push(identity.label);
        cells.set(key, cell);
      }
    }
  }
  const planned: CoverageCell[] = [];
  const gaps: CoverageGap[] = [];
  for (const cell of [...cells.values()].sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region))) {
    const watcher = watcherOf(input, cell.account, cell.region);
    const trail = trailOf(input, cell.account);
    const modelCalls = input.usageGuard && watcher?.modelCalls ? watcher.name : undefined;
    planned.push({ ...cell, watchedBy: watcher?.name, trail, modelCalls });
    const who = cell.identities.join(' and ');
    if (!watcher) {
      gaps.push({ ...cell, problem: `no forwarder watches ${who}, so their calls raise no alert: ${forwarderFix(input, cell.account)}` });
    } else if (input.usageGuard && !watcher.modelCalls) {
      gaps.push({ ...cell, problem: `${watcher.name} does not forward model calls, so the usage guard never counts ${who}'s calls: set forwardModelCalls: true on it` });
    }
    if (watcher && !trail) {
      gaps.push({ ...cell, problem: `no trail logs management events, so EventBridge never sees ${who}'s calls: use DetectionTrail.create(), or DetectionTrail.existing('...') if an organization trail logs this account` });
    }
  }
  return { cells: planned, gaps };
}

/** One message per account and problem, naming the Regions. */
export function describeGaps(gaps: CoverageGap[]): string[] {
  const grouped = new Map<string, { account: string; problem: string; regions: string[] }>();
  for (const gap of gaps) {
    const key = `${gap.account}\n${gap.problem}`;
    const group = grouped.get(key) ?? { account: gap.account, problem: gap.problem, regions: [] };
    group.regions.push(gap.region);
    grouped.set(key, group);
  }
  return [...grouped.values()].map((g) => `${g.account === HOME_ACCOUNT ? 'the home account' : `account ${g.account}`}, `
    + `Region${g.regions.length > 1 ? 's' : ''} ${g.regions.join(', ')}: ${g.problem}`);
}

/** A line per account and Region, for people and the report. */
export function coverageTable(plan: CoveragePlan): string {
  const rows = plan.cells.map((c) => [c.account, c.region, c.watchedBy ?? 'NOTHING', c.trail ?? 'NO TRAIL', c.modelCalls ? 'yes' : 'no']);
  const header = ['account', 'Region', 'non-Bedrock calls seen by', 'trail', 'model calls to the guard'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd()).join('\n');
}

interface Watcher {
  readonly name: string;
  readonly modelCalls: boolean;
}

function watcherOf(input: CoverageInput, account: string, region: string): Watcher | undefined {
  const homeAccount = account === input.homeAccount;
  if (homeAccount && input.homeRegion === region) {
    return { name: 'the central rules', modelCalls: true };
  }
  const f = input.forwarders;
  const inStackSet = f && stackSetTargets(f, account, homeAccount) && f.regions.includes(region);
  if (inStackSet) {
    // The StackSet skips the home Region of the home account; when that Region is unknown, the central rules cover it.
    const name = homeAccount && !input.homeRegion ? 'the StackSet forwarder (the central rules in the home Region)' : 'the StackSet forwarder';
    return { name, modelCalls: f.modelCalls };
  }
  const hand = input.handPlaced.find((h) => h.account === account && h.region === region);
  return hand ? { name: `forwarder ${hand.path}`, modelCalls: hand.modelCalls } : undefined;
}

function trailOf(input: CoverageInput, account: string): string | undefined {
  if (input.trail === 'declared') {
    return 'the declared existing trail';
  }
  if (input.trail === 'none') {
    return undefined;
  }
  if (account === input.homeAccount) {
    return 'the home stack\'s trail';
  }
  const f = input.forwarders;
  return f?.memberTrails && stackSetTargets(f, account, false) ? 'the StackSet\'s member trail' : undefined;
}

/**
 * Service-managed StackSets never deploy to the organization's management account (CloudFormation API
 * Reference, DeploymentTargets), which the home account may be, so they are not counted there.
 */
function stackSetTargets(f: CoverageForwarders, account: string, homeAccount: boolean): boolean {
  return f.organization ? !homeAccount : f.accounts.includes(account);
}

function forwarderFix(input: CoverageInput, account: string): string {
  const home = account === input.homeAccount;
  const f = input.forwarders;
  if (home && f?.organization) {
    return 'a service-managed StackSet never deploys to the organization\'s management account: place a NonBedrockCallForwarder '
      + 'in each of these Regions of the home account, or, if the home account is a member of the targeted units, acknowledge the gaps';
  }
  const inAccounts = f && (f.organization || f.accounts.includes(account));
  const fix = inAccounts
    ? 'add these Regions to the forwarders\' Regions (opt-in Regions the accounts enabled go in optInRegions)'
    : `add ${home ? 'the home account (includeHomeAccount: true)' : account} to the forwarders' accounts`;
  const unknownRegion = home && !input.homeRegion
    ? '; the home stack has no Region at synth, so its own rules cannot stand in for any of these: give it an env region'
    : '';
  return `${fix}${unknownRegion}`;
}
