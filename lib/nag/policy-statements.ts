import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { flatten, flattenList, globMatches, PseudoValues, pseudoValuesOf, Unknowns } from './policy-values';

/** One statement of an identity policy, every value flattened to a string (see `flatten`). */
export interface Statement {
  readonly effect: string;
  readonly actions?: string[];
  readonly notActions?: string[];
  readonly resources?: string[];
  readonly notResources?: string[];
  /** Operator, then key, then values: `{ StringEquals: { 'aws:CalledViaLast': ['bedrock.amazonaws.com'] } }`. */
  readonly condition?: Record<string, Record<string, string[]>>;
}

/** The policy documents a resource itself holds, already read into statements. */
export function statementsOf(node: CfnResource): Statement[] {
  const stack = Stack.of(node);
  const pseudo = pseudoValuesOf(stack);
  return documentsOf(node).flatMap((doc) => readDocument(stack.resolve(doc), pseudo));
}

/** The raw (unresolved) policy documents a resource holds: inline policies, a policy's document, a permission set's inline policy. */
function documentsOf(node: CfnResource): unknown[] {
  if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    const policies = Stack.of(node).resolve(node.policies);
    if (!Array.isArray(policies)) {
      return [];
    }
    return policies.map((p) => (p && typeof p === 'object' ? (p.policyDocument ?? p.PolicyDocument) : undefined));
  }
  if (
    node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy
    || node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy
  ) {
    return [node.policyDocument];
  }
  if (node instanceof sso.CfnPermissionSet) {
    return [node.inlinePolicy];
  }
  return [];
}

/** Statements of one resolved policy document; a document that cannot be read yields none. */
export function readDocument(resolved: unknown, pseudo: PseudoValues): Statement[] {
  let doc = resolved;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (!doc || typeof doc !== 'object') {
    return [];
  }
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return statements.filter((s) => s && typeof s === 'object').map((s) => readStatement(s as Record<string, unknown>, pseudo));
}

function readStatement(s: Record<string, unknown>, pseudo: PseudoValues): Statement {
  return {
    effect: flatten(s.Effect, pseudo),
    actions: flattenList(s.Action, pseudo),
    notActions: flattenList(s.NotAction, pseudo),
    resources: flattenList(s.Resource, pseudo),
    notResources: flattenList(s.NotResource, pseudo),
    condition: readCondition(s.Condition, pseudo),
  };
}

function readCondition(value: unknown, pseudo: PseudoValues): Record<string, Record<string, string[]>> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const out: Record<string, Record<string, string[]>> = {};
  for (const [operator, entries] of Object.entries(value as Record<string, unknown>)) {
    out[operator] = {};
    if (entries && typeof entries === 'object' && !Array.isArray(entries)) {
      for (const [key, values] of Object.entries(entries as Record<string, unknown>)) {
        out[operator][key] = flattenList(values, pseudo) ?? [];
      }
    }
  }
  return out;
}

export function isAllow(s: Statement): boolean {
  return s.effect === 'Allow';
}

/** True when the statement surely applies to `action` (a concrete action name). */
export function surelyCoversAction(s: Statement, action: string): boolean {
  return coversAction(s, action, Unknowns.MATCH_NOTHING);
}

/** True when the statement may apply to `action`, reading unknown parts in its favour. */
export function mayCoverAction(s: Statement, action: string): boolean {
  return coversAction(s, action, Unknowns.MATCH_ANYTHING);
}

/** Action or NotAction matching; `unknown` is how an unknown part of Action reads (NotAction reads it the other way). */
function coversAction(s: Statement, action: string, unknown: Unknowns): boolean {
  const inverse = unknown === Unknowns.MATCH_ANYTHING ? Unknowns.MATCH_NOTHING : Unknowns.MATCH_ANYTHING;
  if (s.actions) {
    return s.actions.some((p) => globMatches(p, action, unknown, true));
  }
  if (s.notActions) {
    return !s.notActions.some((p) => globMatches(p, action, inverse, true));
  }
  return false;
}

/** True when the statement may apply to the resource `arn`, reading unknown parts in its favour. */
export function mayCoverResource(s: Statement, arn: string): boolean {
  if (s.resources) {
    return s.resources.some((p) => globMatches(p, arn, Unknowns.MATCH_ANYTHING));
  }
  if (s.notResources) {
    return !s.notResources.some((p) => globMatches(p, arn, Unknowns.MATCH_NOTHING));
  }
  return false;
}

/**
 * True when some Allow statement may allow `action` on `arn`. Conditions are not evaluated: a
 * conditional grant counts as a grant, so a missing-grant check never fires because of one.
 */
export function mayAllow(statements: Statement[], action: string, arn: string): boolean {
  return statements.some((s) => isAllow(s) && mayCoverAction(s, action) && mayCoverResource(s, arn));
}

/** The values of a condition key (case-insensitive) under one operator, or undefined when absent. */
export function conditionValues(s: Statement, operator: string, key: string): string[] | undefined {
  const byKey = s.condition?.[operator];
  if (!byKey) {
    return undefined;
  }
  const found = Object.keys(byKey).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : byKey[found];
}
