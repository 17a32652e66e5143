import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { BedrockMisuseDetection } from './bedrock-misuse-detection';
import { CommercialRegions } from './commercial-regions';
import { CoverageGapAcknowledgement } from './coverage-gap-acknowledgement';
import { CoverageGap, CoverageIdentity, CoverageInput, CoveragePlan, describeGaps, GLOBAL_SERVICES_REGION, HOME_ACCOUNT, planCoverage } from './coverage-plan';
import { DetectionTrail } from './detection-trail';
import { ForwarderStackSet } from './forwarder-stack-set';

const REGION_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** What the front door knows about where its identities act and what watches them. */
export interface CoverageSources {
  readonly detection: BedrockMisuseDetection;
  readonly forwarders?: ForwarderStackSet;
  readonly trail: DetectionTrail;
  readonly optInRegions: string[];
  readonly usageGuard: () => boolean;
  /** Read at synthesis, so assignments added later count. */
  readonly identities: () => CoverageIdentity[];
}

/** The account label the plan uses for a stack: its id, or `HOME_ACCOUNT` when known only at deploy. */
export function accountOf(stack: Stack): string {
  return Token.isUnresolved(stack.account) ? HOME_ACCOUNT : stack.account;
}

/** Opt-in Regions as given, checked against the commercial partition this aws-cdk-lib knows. */
export function checkOptInRegions(regions: string[]): string[] {
  const known = CommercialRegions.all();
  for (const region of regions) {
    if (!REGION_NAME.test(region) || !known.includes(region)) {
      throw new Error(`optInRegions: '${region}' is not a commercial AWS Region name such as 'eu-south-1' (CommercialRegions.all() lists them)`);
    }
  }
  return [...new Set(regions)].sort();
}

/**
 * The Regions default forwarders cover: every default-enabled Region, the opt-in ones declared, and
 * the grant's source Regions, where callers must have the Region enabled to call at all.
 */
export function forwarderRegions(optInRegions: string[], sourceRegions: string[]): string[] {
  return [...new Set([...CommercialRegions.enabledByDefault(), ...optInRegions, ...sourceRegions, GLOBAL_SERVICES_REGION])].sort();
}

export function coverageInput(sources: CoverageSources): CoverageInput {
  const stack = Stack.of(sources.detection);
  const homeAccount = accountOf(stack);
  const f = sources.forwarders;
  return {
    homeAccount,
    homeRegion: Token.isUnresolved(stack.region) ? undefined : stack.region,
    identities: sources.identities(),
    enabledByDefault: CommercialRegions.enabledByDefault(),
    optInRegions: sources.optInRegions,
    forwarders: f && {
      accounts: [...f.accounts, ...(f.includesHomeAccount ? [homeAccount] : [])],
      organization: f.permissionModel === 'SERVICE_MANAGED',
      regions: f.regions,
      modelCalls: sources.usageGuard(),
      memberTrails: sources.trail.creates,
    },
    // A forwarder stack with no account at synth deploys, like the home stack, with the deploying credentials.
    handPlaced: sources.detection._handPlacedForwarders().flatMap((h) => {
      const s = Stack.of(h);
      const account = Token.isUnresolved(s.account) ? homeAccount : s.account;
      return Token.isUnresolved(s.region) ? [] : [{ account, region: s.region, modelCalls: h.forwardsModelCalls, path: h.node.path }];
    }),
    trail: sources.trail.creates ? 'created' : 'declared',
    usageGuard: sources.usageGuard(),
  };
}

export function coveragePlan(sources: CoverageSources): CoveragePlan {
  return planCoverage(coverageInput(sources));
}

/** Acknowledgements checked at construction: a gap is accepted only with a Region and a reason. */
export function checkAcknowledgements(acks: CoverageGapAcknowledgement[]): CoverageGapAcknowledgement[] {
  for (const ack of acks) {
    if (!REGION_NAME.test(ack.region)) {
      throw new Error(`acknowledgedCoverageGaps: '${ack.region}' is not an AWS Region name such as 'ap-east-1'`);
    }
    if (ack.account !== undefined && !/^\d{12}$/.test(ack.account)) {
      throw new Error(`acknowledgedCoverageGaps: account '${ack.account}' is not a 12-digit AWS account id`);
    }
    if (ack.reason.trim().length === 0) {
      throw new Error(`acknowledgedCoverageGaps: the gap in ${ack.region} has no reason: say why nothing needs to watch it`);
    }
  }
  return acks;
}

/**
 * Fails synthesis naming each account and Region left uncovered; acknowledged gaps become warnings
 * that name them and the reason.
 */
export function addCoverageValidation(scope: IConstruct, sources: CoverageSources, acks: CoverageGapAcknowledgement[]): void {
  scope.node.addValidation({
    validate: () => {
      const gaps = coveragePlan(sources).gaps;
      const accepted = (g: CoverageGap) => acks.find((a) => a.region === g.region && (a.account === undefined || a.account === g.account));
      const open = gaps.filter((g) => !accepted(g));
      for (const ack of acks) {
        const covered = gaps.filter((g) => accepted(g) === ack);
        if (covered.length > 0) {
          Annotations.of(scope).addWarningV2('cdk-bedrock-least-privilege:CoverageGapAcknowledged',
            `acknowledged coverage gap (${ack.reason}): ${describeGaps(covered).join('; ')}`);
        }
      }
      return describeGaps(open).map((m) => `${m} (or acknowledge it in acknowledgedCoverageGaps, with the reason)`);
    },
  });
}
