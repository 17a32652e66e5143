import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Section, TargetResult } from './report';
import { slope } from './stats';
import { bytes } from './table';
import { BedrockInvokeRole, BedrockPermissionSet, Geography, ModelCatalog, ModelReference } from '../lib';
import { layoutInlinePolicy, layoutManagedPolicies } from '../lib/access/invoke-policy-layout';
import { planInvokePolicy } from '../lib/models/invoke-policy';
import { MANAGED_POLICY_LIMIT, PERMISSION_SET_INLINE_LIMIT, policySize, ROLE_INLINE_LIMIT } from '../lib/models/policy-size';
import { partitionOf } from '../lib/models/regions';
import { policyDocument, PolicyDocumentJson } from '../lib/models/statement';

const ACCOUNT = '123456789012';
/** BedrockInvokeRole's default: IAM's default quota of managed policies per role. */
const DEFAULT_MANAGED_POLICIES = 10;

/** One geography's axis: its models, and the source Regions most of them are offered from first. */
interface Axis {
  readonly geography: Geography;
  readonly modelIds: string[];
  readonly regions: string[];
  readonly offered: (modelId: string) => string[];
}

function axis(geography: Geography): Axis {
  const catalog = ModelCatalog.builtIn();
  const offered = (id: string) => (geography.isGlobal ? catalog.globalSourceRegions(id) : catalog.routes(id, geography).map((r) => r.sourceRegion));
  const modelIds = catalog.modelIds().filter((id) => offered(id).length > 0 && !catalog.isRetired(id)); // retired models fail at synth
  const count = new Map<string, number>();
  modelIds.forEach((id) => offered(id).forEach((r) => count.set(r, (count.get(r) ?? 0) + 1)));
  const regions = [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)! || a.localeCompare(b));
  // Models offered from the most Regions first, so a prefix of the list is callable from a prefix of the Regions.
  modelIds.sort((a, b) => offered(b).length - offered(a).length || a.localeCompare(b));
  return { geography, modelIds, regions, offered };
}

const reference = (g: Geography, id: string) => (g.isGlobal ? ModelReference.globalProfile(id) : ModelReference.crossRegion(g, id));

/** The real layouts for one configuration, or the message synthesis would fail with. */
interface Measured {
  readonly allow: number;
  readonly guard: number;
  readonly compactAllow: number;
  readonly compactGuard: number;
  /** The role: invoke documents and the guard, as BedrockInvokeRole lays them out. */
  readonly role?: { invokeDocs: number; largestDoc: number; guardCompact: boolean; allowCompact: boolean };
  readonly roleError?: string;
  /** The permission set's one inline policy, and which form it took. */
  readonly inline?: { size: number; form: string };
  readonly inlineError?: string;
}

function measure(models: ModelReference[], sourceRegions: string[]): Measured {
  const scope = { models, sourceRegions };
  const partition = partitionOf(sourceRegions[0]);
  const plan = planInvokePolicy(scope, { sourceRegions, account: ACCOUNT, partition });
  const stack = new Stack(new App(), 'Sizes', { env: { region: sourceRegions[0], account: ACCOUNT } });
  const size = (statements: PolicyDocumentJson['Statement']) => policySize(policyDocument(statements));
  const out: { -readonly [K in keyof Measured]: Measured[K] } = {
    allow: size(plan.allow),
    guard: size(plan.guard),
    compactAllow: size(plan.compactAllow),
    compactGuard: size(plan.compactGuard),
  };
  try {
    const l = layoutManagedPolicies(stack, scope, 25);
    out.role = {
      invokeDocs: l.invokeDocuments.length,
      largestDoc: Math.max(...[...l.invokeDocuments, l.guardDocument].map(policySize)),
      guardCompact: policySize(l.guardDocument) !== out.guard,
      allowCompact: l.invokeDocuments.some((d) => d.Statement.some((st) => st.Sid === 'ModelsThroughProfiles')),
    };
  } catch (e) {
    out.roleError = (e as Error).message;
  }
  try {
    const l = layoutInlinePolicy(stack, scope);
    const sids = l.document.Statement.map((st) => st.Sid);
    const form = sids.includes('ModelsThroughProfiles') ? 'compact' : sids.includes('DenyModelsThroughOtherAccountsProfiles') ? 'compact guard' : 'exact';
    out.inline = { size: policySize(l.document), form };
  } catch (e) {
    out.inlineError = (e as Error).message;
  }
  return out;
}

/** The four limits a configuration can hit, as predicates on what was measured. */
const LIMITS: Array<{ name: string; fits: (m: Measured) => boolean }> = [
  { name: `one managed policy (${bytes(MANAGED_POLICY_LIMIT)}), no split`, fits: (m) => Math.min(m.allow, m.compactAllow) <= MANAGED_POLICY_LIMIT && Math.min(m.guard, m.compactGuard) <= MANAGED_POLICY_LIMIT },
  { name: `role, split over the default ${DEFAULT_MANAGED_POLICIES} managed policies`, fits: (m) => m.role !== undefined && m.role.invokeDocs + 1 <= DEFAULT_MANAGED_POLICIES },
  { name: `role inline total (${bytes(ROLE_INLINE_LIMIT)}), if inline`, fits: (m) => Math.min(m.allow, m.compactAllow) + Math.min(m.guard, m.compactGuard) <= ROLE_INLINE_LIMIT },
  { name: `permission-set inline (${bytes(PERMISSION_SET_INLINE_LIMIT)})`, fits: (m) => m.inline !== undefined },
];

interface GridPoint {
  readonly models: number;
  readonly regions: number;
  readonly m: Measured;
}

function grid(a: Axis): GridPoint[] {
  const points: GridPoint[] = [];
  for (let s = 1; s <= a.regions.length; s++) {
    const sources = a.regions.slice(0, s);
    const callable = a.modelIds.filter((id) => a.offered(id).some((r) => sources.includes(r)));
    for (let n = 1; n <= callable.length; n++) {
      points.push({ models: n, regions: s, m: measure(callable.slice(0, n).map((id) => reference(a.geography, id)), sources) });
    }
  }
  return points;
}

/** The largest configuration under a limit: the most model-Region pairs, then the most models. */
function largest(points: GridPoint[], fits: (m: Measured) => boolean): string {
  const ok = points.filter((p) => fits(p.m)).sort((x, y) => y.models * y.regions - x.models * x.regions || y.models - x.models);
  const all = points.every((p) => fits(p.m));
  if (ok.length === 0) {
    return 'none';
  }
  return all ? `all (${ok[0].models} x ${ok[0].regions})` : `${ok[0].models} x ${ok[0].regions}`;
}

const roleCell = (m: Measured) => (m.role
  ? `${m.role.invokeDocs}${m.role.allowCompact ? ' (compact)' : ''} + guard${m.role.guardCompact ? ' (compact)' : ''}, largest ${bytes(m.role.largestDoc)}${m.role.invokeDocs + 1 > DEFAULT_MANAGED_POLICIES ? `; over the default ${DEFAULT_MANAGED_POLICIES}` : ''}`
  : `synth error: ${shortError(m.roleError)}`);
const inlineCell = (m: Measured) => (m.inline ? `${bytes(m.inline.size)} (${m.inline.form})` : `synth error: ${shortError(m.inlineError)}`);

/** A synthesis error in brief: what needs how many characters, over which limit. */
function shortError(message = ''): string {
  const m = /^the (.*?) needs (\d+) characters( even in compact form)?, over [^\d]*(\d+)/.exec(message);
  return m ? `${m[1]} needs ${bytes(Number(m[2]))} > ${bytes(Number(m[4]))}${m[3] ? ' (compact)' : ''}` : message.split(':')[0];
}

/** Every model with a geography's profile, from two source Regions of it; synthesized, limits checked in the template. */
interface FullCatalogCase {
  readonly label: string;
  readonly models: ModelReference[];
  readonly sourceRegions: string[];
}

function fullCatalogCases(axes: Axis[]): FullCatalogCase[] {
  const cases = axes.map((a) => {
    const sourceRegions = a.regions.slice(0, 2);
    const ids = a.modelIds.filter((id) => a.offered(id).some((r) => sourceRegions.includes(r)));
    return { label: `${a.geography.prefix}. (${ids.length} of ${a.modelIds.length} models)`, models: ids.map((id) => reference(a.geography, id)), sourceRegions };
  });
  // What a US team most likely wants: every model through both the us. and the global. profile.
  const us = axes.find((a) => a.geography === Geography.US)!;
  const glob = axes.find((a) => a.geography === Geography.GLOBAL)!;
  const sources = us.regions.slice(0, 2);
  const both = [
    ...us.modelIds.filter((id) => us.offered(id).some((r) => sources.includes(r))).map((id) => reference(Geography.US, id)),
    ...glob.modelIds.filter((id) => glob.offered(id).some((r) => sources.includes(r))).map((id) => reference(Geography.GLOBAL, id)),
  ];
  cases.push({ label: `us. and global. (${both.length} profiles)`, models: both, sourceRegions: sources });
  return cases;
}

interface Deployed {
  readonly managedPolicies: number;
  readonly largestManaged: number;
  readonly inline?: number;
  readonly error?: string;
}

/** Synthesizes the role and the permission set and checks every document in the template against IAM's limits. */
function synthesizeCase(c: FullCatalogCase): { role: Deployed; set: Deployed } {
  const build = (what: 'role' | 'set'): Deployed => {
    const stack = new Stack(new App(), 'Case', { env: { region: c.sourceRegions[0], account: ACCOUNT } });
    try {
      if (what === 'role') {
        new BedrockInvokeRole(stack, 'Role', { models: c.models, sourceRegions: c.sourceRegions, trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
      } else {
        new BedrockPermissionSet(stack, 'Set', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', permissionSetName: 'ClaudeCodeBedrock', models: c.models, sourceRegions: c.sourceRegions });
      }
    } catch (e) {
      return { managedPolicies: 0, largestManaged: 0, error: (e as Error).message };
    }
    const t = Template.fromStack(stack);
    const docs = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).map((r) => policySize(r.Properties.PolicyDocument));
    const roles = Object.values(t.findResources('AWS::IAM::Role'));
    const attached = roles.length > 0 ? (roles[0].Properties.ManagedPolicyArns ?? []).length : 0;
    const sets = Object.values(t.findResources('AWS::SSO::PermissionSet'));
    return {
      managedPolicies: attached,
      largestManaged: docs.length > 0 ? Math.max(...docs) : 0,
      inline: sets.length > 0 ? policySize(sets[0].Properties.InlinePolicy) : undefined,
    };
  };
  return { role: build('role'), set: build('set') };
}

export function measurePolicySize(): Section {
  const axes = [Geography.US, Geography.EU, Geography.JP, Geography.AU, Geography.US_GOV, Geography.GLOBAL].map(axis);
  const grids = new Map(axes.map((a) => [a.geography.prefix, grid(a)]));

  const frontier = {
    title: 'Largest configuration (models x source Regions) that fits each limit',
    headers: ['Profiles', 'Models', 'Source Regions', ...LIMITS.map((l) => l.name)],
    rows: axes.map((a) => [`${a.geography.prefix}.`, a.modelIds.length, a.regions.length, ...LIMITS.map((l) => largest(grids.get(a.geography.prefix)!, l.fits))]),
  };

  const growthRows = axes.filter((a) => a.modelIds.length > 1 && a.regions.length > 1).map((a) => {
    const g = grids.get(a.geography.prefix)!;
    const atTwoRegions = g.filter((p) => p.regions === 2);
    // The Regions from which every model of the geography is callable.
    const allModels = g.filter((p) => p.models === a.modelIds.length);
    const perModel = (f: (m: Measured) => number) => slope(atTwoRegions.map((p) => [p.models, f(p.m)]));
    const perRegion = (f: (m: Measured) => number) => (allModels.length > 1 ? slope(allModels.map((p) => [p.regions, f(p.m)])) : NaN);
    const fmt = (v: number) => (Number.isNaN(v) ? 'n/a' : `+${Math.round(v)}`);
    return [
      `${a.geography.prefix}.`,
      fmt(perModel((m) => m.allow)), fmt(perModel((m) => m.guard)), fmt(perModel((m) => m.compactGuard)),
      fmt(perRegion((m) => m.allow)), fmt(perRegion((m) => m.guard)), fmt(perRegion((m) => m.compactGuard)),
    ];
  });
  const growth = {
    title: 'Growth in characters (IAM counts without white space), least-squares slope',
    headers: ['Profiles', 'Allow, per model (2 Regions)', 'Exact guard, per model', 'Compact guard, per model', 'Allow, per source Region (all models)', 'Exact guard, per Region', 'Compact guard, per Region'],
    rows: growthRows,
    numeric: [1, 2, 3, 4, 5, 6],
  };

  const sweepRows: Array<Array<string | number>> = [];
  for (const prefix of ['us', 'global']) {
    const g = grids.get(prefix)!;
    const maxRegions = Math.max(...g.map((p) => p.regions));
    for (const s of [1, 2, 3, 4, 6, 8, 12, 17, 24, 33].filter((x) => x <= maxRegions)) {
      const row = g.filter((p) => p.regions === s);
      const p = row[row.length - 1];
      sweepRows.push([`${prefix}.`, p.models, s, bytes(p.m.allow), bytes(p.m.guard), bytes(p.m.compactAllow), bytes(p.m.compactGuard), roleCell(p.m), inlineCell(p.m)]);
    }
  }
  const sweep = {
    title: 'Every model of a geography, by number of source Regions: sizes and the real layouts',
    headers: ['Profiles', 'Models', 'Source Regions', 'Allow', 'Exact guard', 'Compact allow', 'Compact guard', 'Role: invoke policies + guard', 'Permission set inline'],
    rows: sweepRows,
    numeric: [1, 2, 3, 4, 5, 6],
  };

  const cases = fullCatalogCases(axes).map((c) => ({ c, ...synthesizeCase(c), m: measure(c.models, c.sourceRegions) }));
  const roleOk = (d: Deployed) => !d.error && d.managedPolicies <= DEFAULT_MANAGED_POLICIES && d.largestManaged <= MANAGED_POLICY_LIMIT;
  const setOk = (d: Deployed) => !d.error && (d.inline ?? Infinity) <= PERMISSION_SET_INLINE_LIMIT;
  const full = {
    title: 'Every Claude model in the catalog, each geography, from two source Regions of it: synthesized, limits checked in the template',
    headers: ['Profiles', 'Source Regions', 'Role: managed policies attached', 'Largest managed policy', 'Permission set inline', 'Fits'],
    rows: cases.map(({ c, role, set, m }) => [
      c.label,
      c.sourceRegions.join(', '),
      role.error ? `synth error: ${shortError(role.error)}` : `${role.managedPolicies} (${role.managedPolicies - 1} invoke + guard${m.role?.guardCompact ? ', compact' : ''})`,
      role.error ? '' : bytes(role.largestManaged),
      set.error ? `synth error: ${shortError(set.error)}` : `${bytes(set.inline!)} (${m.inline?.form})`,
      `role ${roleOk(role) ? 'yes' : 'no'}, set ${setOk(set) ? 'yes' : 'no'}`,
    ]),
  };
  const allPoints = [...grids.values()].flat();
  const byGuard = allPoints.filter((p) => p.m.roleError?.includes('deny guard')).length;
  const byCount = allPoints.filter((p) => p.m.role && p.m.role.invokeDocs + 1 > DEFAULT_MANAGED_POLICIES).length;
  // The target is per geography; the us. + global. row beside them shows where one set stops.
  const perGeography = cases.filter((x) => !x.c.label.includes(' and '));
  const rolesFit = perGeography.every((x) => roleOk(x.role));
  const setsFit = perGeography.every((x) => setOk(x.set));
  const setMisses = perGeography.filter((x) => !setOk(x.set)).map((x) => x.c.label);
  const target: TargetResult = {
    target: 'every Claude model of each geography for two source Regions fits, split if need be, no deploy-time failure',
    measured: `role: ${perGeography.filter((x) => roleOk(x.role)).length}/${perGeography.length} fit the default ${DEFAULT_MANAGED_POLICIES} managed policies; permission set: ${perGeography.filter((x) => setOk(x.set)).length}/${perGeography.length} fit ${bytes(PERMISSION_SET_INLINE_LIMIT)}`,
    met: rolesFit && setsFit,
    note: rolesFit && setsFit
      ? 'every configuration that does not fit fails at synth with the numbers, never at deploy: each synthesized document was checked against its limit.'
      : `does not fit: ${setMisses.join('; ')}. A permission set has exactly one inline policy, so it cannot be split; synthesis fails with the size and the fix (fewer models or Regions, or two permission sets), not at deploy. What would meet it: attach the invoke statements as customer-managed policies (\`CustomerManagedPolicyReferences\`, deployed to each account, up to 10 per set) or split over two permission sets automatically.`,
  };
  return {
    title: '2. Invoke policy size',
    method: [
      'Sizes are characters without white space, as IAM counts them, from the library\'s own planInvokePolicy, packStatements and layoutManagedPolicies / layoutInlinePolicy (the split into several managed policies and the compact-guard fallback included).',
      'A geographic profile can be called only from a source Region of its geography, so each geography is measured on its own: its models (those offered from the most Regions first) against its source Regions (those most models are offered from first). "All" means every configuration on that grid fits.',
    ],
    tables: [frontier, growth, sweep, full],
    notes: [
      `The role puts the allow statements in up to ${DEFAULT_MANAGED_POLICIES - 1} managed policies of ${bytes(MANAGED_POLICY_LIMIT)} (raise maxManagedPolicies up to 25 after raising the IAM quota); the deny guard cannot be split and falls back to the compact form when the exact one is over ${bytes(MANAGED_POLICY_LIMIT)}.`,
      'The exact form names each profile once per source Region and grants each model under its own profiles; the compact form names each profile once with its source Regions pinned by aws:RequestedRegion, grants the models under one statement, and pins model calls to the account\'s own profiles. Both reach the same calls in Bedrock, where a profile routes only to its own model; the simulation tests prove both.',
      `Of the ${allPoints.length} configurations measured, the role fails ${byGuard} on the deny guard (over ${bytes(MANAGED_POLICY_LIMIT)} even in compact form) and ${byCount} on the number of managed policies${byGuard >= byCount ? ': the unsplittable guard, not the quota, is what bounds a role' : ''}. The guard's NotResource list cannot be split (two Deny statements with NotResource deny everything outside either list, so together they deny what each allows), so past that point the fix is two roles with fewer models or Regions each.`,
      'The permission set has one inline policy of at most 10,240 characters holding both the allow statements and the guard, so it reaches its limit first: it takes the exact form, then the exact allow with the compact guard, then the compact form; past that synthesis fails with the size and what to reduce.',
      'Source Regions are taken in order of how many of the geography\'s models are offered from them (ties alphabetically), so the two-Region cases use the Regions with the widest choice of models.',
      'The role inline column is hypothetical: BedrockInvokeRole attaches managed policies, not inline ones. It shows how far a role built from inline policies would get.',
    ],
    targets: [target],
  };
}
