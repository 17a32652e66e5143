import { GrantView } from './grants';
import {
  conditionValues, isAllow, mayAllow, mayCoverAction, mayCoverResource, Statement, surelyCoversAction,
} from './policy-statements';
import { arnFields, globMatches, hasUnknown, hasWildcard, printable, UNKNOWN, Unknowns } from './policy-values';
import { RuleFinding, RuleFindings } from './rule-findings';
import { foundationModelArn } from '../models/arns';
import { ModelCatalog } from '../models/catalog';
import { Geography } from '../models/geography';
import { isRegionName, partitionOf } from '../models/regions';

/** `bedrock:InvokeModel` also authorizes Converse; the streaming one also ConverseStream. */
const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** IAM prefixes of Bedrock itself; `bedrock-mantle` serves the same models through the Mantle endpoint. */
const BEDROCK_PREFIXES = ['bedrock', 'bedrock-mantle'];

/**
 * The only non-Bedrock actions an invoke identity needs: Bedrock subscribes to a Marketplace
 * model on the caller's behalf on first use. Allowed only when the statement requires the call to
 * come through Bedrock (`aws:CalledViaLast = bedrock.amazonaws.com`).
 */
const MARKETPLACE_ACTIONS = ['aws-marketplace:subscribe', 'aws-marketplace:viewsubscriptions'];
const BEDROCK_SERVICE = 'bedrock.amazonaws.com';

/** Bedrock resource types an invoke action applies to; a wildcard in their id names many models at once. */
const INVOKABLE_TYPES = [
  'foundation-model', 'inference-profile', 'application-inference-profile', 'provisioned-model',
  'imported-model', 'custom-model', 'custom-model-deployment', 'prompt',
];

/**
 * AWS managed policies whose content we cannot read here but which may grant Bedrock invoke; when one
 * is attached, the missing-grant rules stay silent rather than guess.
 */
const MAY_GRANT_BEDROCK = /bedrock|administratoraccess|poweruseraccess|sagemaker/i;

/** Findings become a rule's result, one per id (their details joined), sorted; none (or not applicable) reports nothing. */
export function toResult(findings: Array<string | RuleFinding> | undefined): RuleFindings {
  const details = new Map<string, string[]>();
  for (const f of findings ?? []) {
    const { id, detail } = typeof f === 'string' ? { id: f, detail: undefined } : f;
    const known = details.get(id) ?? [];
    details.set(id, detail === undefined || known.includes(detail) ? known : [...known, detail]);
  }
  return [...details.keys()].sort().map((id) => {
    const detail = details.get(id)!.join('; ');
    return detail ? { id, detail } : { id };
  });
}

/** True when the statement surely allows running a model (on some resource). */
function allowsInvoke(s: Statement): boolean {
  return isAllow(s) && INVOKE_ACTIONS.some((a) => surelyCoversAction(s, a));
}

// ---------------------------------------------------------------------------------------------
// InvokeOnWildcard

/**
 * `Resource::<what>` for each Allow of a Bedrock invoke action on `*`, on a wildcard model or
 * profile id (`foundation-model/*`, `inference-profile/us.*`), or with `NotResource`.
 */
export function invokeOnWildcardFindings(statements: Statement[]): string[] {
  const findings: string[] = [];
  for (const s of statements.filter(allowsInvoke)) {
    if (pinsInferenceProfile(s)) {
      continue;
    }
    for (const r of s.resources ?? []) {
      const broad = wildcardModelPart(r);
      if (broad !== undefined) {
        findings.push(`Resource::${printable(broad)}`);
      }
    }
    if (s.notResources && !s.notResources.some((p) => globMatches(p, 'arn:aws:bedrock:us-east-1::foundation-model/any.model-v1:0', Unknowns.MATCH_ANYTHING))) {
      findings.push('Resource::NotResource');
    }
  }
  return findings;
}

/** The part of a resource pattern that makes it name many models, or undefined when it names exact ones. */
function wildcardModelPart(resource: string): string | undefined {
  if (!hasWildcard(resource)) {
    return undefined;
  }
  const fields = arnFields(resource);
  if (fields.length < 6) {
    // `*`, or an ARN cut short by a wildcard such as `arn:aws:bedrock:*`.
    return globMatches(resource, 'arn:aws:bedrock:us-east-1::foundation-model/any.model-v1:0', Unknowns.MATCH_NOTHING) ? resource : undefined;
  }
  const [, , service, , , part] = fields;
  if (!globMatches(service, 'bedrock', Unknowns.MATCH_NOTHING)) {
    return undefined;
  }
  const type = part.split('/')[0];
  const invokable = hasWildcard(type) || INVOKABLE_TYPES.includes(type);
  return invokable && hasWildcard(part) ? part : undefined;
}

/**
 * A condition that pins `bedrock:InferenceProfileArn` to exact profiles lets the statement reach
 * only the models behind those profiles (Bedrock does not set the key when it evaluates a profile
 * itself, so no profile is granted either). AWS documents this for foundation models on `*` Regions.
 */
function pinsInferenceProfile(s: Statement): boolean {
  const operators = ['StringEquals', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike', 'StringLike'];
  return operators.some((op) => {
    const values = conditionValues(s, op, 'bedrock:InferenceProfileArn');
    return values !== undefined && values.length > 0 && values.every((v) => {
      const fields = arnFields(v);
      return v === UNKNOWN || (fields.length === 6 && /^(application-)?inference-profile\//.test(fields[5]) && !hasWildcard(fields[5]));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// InvokeWithNonBedrockActions

/**
 * For an identity that can invoke a model: `Action::<action>` for each non-Bedrock action it is
 * allowed, `NotAction::<list>` for an Allow with NotAction, `Policy::<name>` for each AWS managed
 * policy. Silent when a deny guard or a permissions boundary confines the identity to Bedrock.
 */
export function nonBedrockActionFindings(view: GrantView): string[] {
  // A role only AWS services may assume is a workload (a Lambda function's role): no developer or agent holds its credentials.
  if (view.assumedOnlyByServices || !view.statements.some(allowsInvoke) || confinedToBedrock(view)) {
    return [];
  }
  const findings: string[] = [];
  for (const s of view.statements.filter(isAllow)) {
    for (const action of s.actions ?? []) {
      const allowListed = isMarketplaceAction(action) && calledViaBedrock(s);
      if (!isBedrockAction(action) && !hasUnknown(action) && !allowListed && !deniedOutright(view.statements, action)) {
        findings.push(`Action::${action}`);
      }
    }
    if (s.notActions && !s.notActions.some((p) => globMatches(p, 'any-service:AnyAction', Unknowns.MATCH_ANYTHING, true))) {
      findings.push(`NotAction::${[...s.notActions].sort().join(',')}`);
    }
  }
  return [...findings, ...view.awsManagedPolicies.map((name) => `Policy::${name}`)];
}

function isBedrockAction(action: string): boolean {
  const at = action.indexOf(':');
  return at > 0 && BEDROCK_PREFIXES.includes(action.slice(0, at).toLowerCase());
}

function isMarketplaceAction(action: string): boolean {
  return MARKETPLACE_ACTIONS.includes(action.toLowerCase());
}

function calledViaBedrock(s: Statement): boolean {
  const only = (values: string[] | undefined) =>
    values !== undefined && values.length > 0 && values.every((v) => v.toLowerCase() === BEDROCK_SERVICE);
  return ['StringEquals', 'StringEqualsIgnoreCase', 'StringLike'].some((op) => only(conditionValues(s, op, 'aws:CalledViaLast')))
    || ['ForAnyValue:StringEquals', 'ForAnyValue:StringLike'].some((op) => only(conditionValues(s, op, 'aws:CalledVia')));
}

/** An unconditional Deny on every resource that covers the whole action pattern. */
function deniedOutright(statements: Statement[], action: string): boolean {
  return statements.some((s) => isUnconditionalDenyOnAll(s)
    && (s.actions ?? []).some((d) => globMatches(d, action, Unknowns.MATCH_NOTHING, true)));
}

function isUnconditionalDenyOnAll(s: Statement): boolean {
  return s.effect === 'Deny' && s.condition === undefined && (s.resources ?? []).includes('*');
}

/**
 * The identity can do nothing outside Bedrock (and the Marketplace subscription Bedrock makes for
 * it): an unconditional `Deny NotAction` guard on `*`, or a permissions boundary that allows only
 * those actions. This is how `BedrockInvokeRole` and `BedrockPermissionSet` hold even after someone
 * attaches `PowerUserAccess`.
 */
function confinedToBedrock(view: GrantView): boolean {
  const bedrockOnly = (patterns: string[]) => patterns.every((p) => isBedrockAction(p) || isMarketplaceAction(p));
  const guard = view.statements.some((s) => isUnconditionalDenyOnAll(s) && s.notActions !== undefined && bedrockOnly(s.notActions));
  const boundary = view.boundary !== undefined
    && view.boundary.filter(isAllow).every((s) => s.actions !== undefined && bedrockOnly(s.actions));
  return guard || boundary;
}

// ---------------------------------------------------------------------------------------------
// CrossRegionProfileWithoutDestinationModels and GlobalProfileWithoutRegionlessModel

/** A system-defined inference profile named by an exact ARN in a grant. */
interface ProfileGrant {
  readonly action: string;
  readonly profileId: string;
  readonly geography: Geography;
  readonly modelId: string;
  /** The partition written in the ARN, when it is literal. */
  readonly partition?: string;
  /** The source Region written in the ARN, when it is a literal Region name. */
  readonly sourceRegion?: string;
}

/** Each (invoke action, geographic or global profile) an identity is surely allowed. */
function profileGrants(statements: Statement[]): ProfileGrant[] {
  const grants: ProfileGrant[] = [];
  for (const s of statements.filter(allowsInvoke)) {
    for (const resource of s.resources ?? []) {
      const profile = parseSystemProfile(resource);
      if (profile) {
        INVOKE_ACTIONS.filter((a) => surelyCoversAction(s, a)).forEach((action) => grants.push({ action, ...profile }));
      }
    }
  }
  return grants;
}

function parseSystemProfile(resource: string): Omit<ProfileGrant, 'action'> | undefined {
  const fields = arnFields(resource);
  if (fields.length !== 6 || fields[0] !== 'arn' || fields[2] !== 'bedrock') {
    return undefined;
  }
  const m = /^inference-profile\/(.+)$/.exec(fields[5]);
  if (!m || hasWildcard(m[1]) || hasUnknown(m[1])) {
    return undefined;
  }
  const profileId = m[1];
  const head = profileId.split('.')[0];
  const geography = Geography.all().find((g) => g.prefix === head);
  if (!geography) {
    return undefined;
  }
  const literal = (v: string) => (hasWildcard(v) || hasUnknown(v) || v === '' ? undefined : v);
  const region = literal(fields[3]);
  return {
    profileId,
    geography,
    modelId: profileId.slice(head.length + 1),
    partition: literal(fields[1]),
    sourceRegion: region && isRegionName(region) ? region : undefined,
  };
}

/** Whether a view's unreadable policies might hold the missing grant; if so the missing-grant rules stay silent. */
function mayBeGrantedElsewhere(view: GrantView): boolean {
  return view.hasUnreadablePolicies || view.awsManagedPolicies.some((name) => MAY_GRANT_BEDROCK.test(name));
}

/**
 * `Profile::<profile id>@<source Region>` for each geographic or global profile the identity may
 * invoke without the foundation model in every Region the profile routes to from that source.
 * The Regions come from the built-in catalog; for a model or source it does not list, only a grant
 * with no foundation model of that model at all is reported (that call fails wherever it routes).
 */
export function crossRegionFindings(view: GrantView): RuleFinding[] {
  if (mayBeGrantedElsewhere(view)) {
    return [];
  }
  const catalog = ModelCatalog.builtIn();
  const findings: RuleFinding[] = [];
  for (const grant of profileGrants(view.statements)) {
    const source = grant.sourceRegion;
    const label = `Profile::${grant.profileId}${source ? `@${source}` : ''}`;
    const destinations = source === undefined ? undefined : grant.geography.isGlobal
      ? [source]
      : catalog.routes(grant.modelId, grant.geography).find((r) => r.sourceRegion === source)?.destinationRegions;
    if (destinations) {
      const partition = grant.partition ?? partitionOf(source!);
      const missing = destinations.filter((d) => !mayAllow(view.statements, grant.action, foundationModelArn(partition, d, grant.modelId)));
      if (missing.length > 0) {
        findings.push({ id: label, detail: `${grant.action} misses the foundation model in ${missing.join(', ')}` });
      }
    } else if (!mayAllowModelSomewhere(view.statements, grant)) {
      findings.push({ id: label, detail: `${grant.action} grants ${grant.modelId} in no Region` });
    }
  }
  return findings;
}

/** True when some Allow may reach the profile's foundation model in some Region (the Region-less ARN does not count). */
function mayAllowModelSomewhere(statements: Statement[], grant: ProfileGrant): boolean {
  const partition = grant.partition ?? (grant.sourceRegion ? partitionOf(grant.sourceRegion) : 'aws');
  const model = `foundation-model/${grant.modelId}`;
  return statements.some((s) => isAllow(s) && mayCoverAction(s, grant.action) && (
    s.resources === undefined
      ? mayCoverResource(s, foundationModelArn(partition, 'us-east-1', grant.modelId))
      : s.resources.some((p) => {
        const f = arnFields(p);
        if (f.length < 6) {
          return globMatches(p, foundationModelArn(partition, 'us-east-1', grant.modelId), Unknowns.MATCH_ANYTHING);
        }
        const any = Unknowns.MATCH_ANYTHING;
        return globMatches(f[1], partition, any) && globMatches(f[2], 'bedrock', any) && f[3] !== ''
          && globMatches(f[4], '', any) && globMatches(f[5], model, any);
      })));
}

/**
 * `Profile::global.<model>` for each `global.` profile the identity may invoke without the
 * Region-less foundation model `arn:<partition>:bedrock:::foundation-model/<model>`, against which
 * Bedrock authorizes global routing.
 */
export function globalProfileFindings(view: GrantView): string[] {
  if (mayBeGrantedElsewhere(view)) {
    return [];
  }
  return profileGrants(view.statements)
    .filter((g) => g.geography.isGlobal)
    .filter((g) => !mayAllow(view.statements, g.action, foundationModelArn(g.partition ?? 'aws', '', g.modelId)))
    .map((g) => `Profile::${g.profileId}`);
}
