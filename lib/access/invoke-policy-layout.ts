import { Stack, Token } from 'aws-cdk-lib';
import { InvokePolicyPlan, planInvokePolicy } from '../models/invoke-policy';
import { InvokeScopeProps } from '../models/invoke-scope';
import { MANAGED_POLICY_LIMIT, PERMISSION_SET_INLINE_LIMIT, packStatements, policySize } from '../models/policy-size';
import { partitionOf } from '../models/regions';
import { policyDocument, PolicyDocumentJson } from '../models/statement';
import { checkSourceRegions } from '../models/validate-scope';

// Twelve characters, like an account id, so sizes are exact; letters, so it never matches a real ARN.
const ACCOUNT_STAND_IN = 'ACCOUNTIDXYZ';

/** The invoke policy laid out in managed policies that each fit IAM's limit. */
export interface ManagedPolicyLayout {
  readonly plan: InvokePolicyPlan;
  readonly invokeDocuments: PolicyDocumentJson[];
  readonly guardDocument: PolicyDocumentJson;
  readonly boundaryDocument: PolicyDocumentJson;
  readonly sourceRegions: string[];
}

/** The source Regions: the ones given, or the stack's Region when it is known at synth. */
export function sourceRegionsFor(stack: Stack, given: string[] | undefined): string[] {
  if (given !== undefined) {
    const unresolved = given.find((r) => Token.isUnresolved(r));
    if (unresolved !== undefined) {
      throw new Error('sourceRegions holds an unresolved token: list the Regions as plain strings, such as [\'us-east-1\'], so the policy can name exact ARNs');
    }
    checkSourceRegions(given);
    return [...given];
  }
  if (Token.isUnresolved(stack.region)) {
    throw new Error(`stack '${stack.stackName}' has no Region at synth time and sourceRegions is not set: pass sourceRegions (such as ['us-east-1']) or give the stack an env with a region`);
  }
  return [stack.region];
}

/** The exact guard when it fits, else the compact one; a Deny with NotResource cannot be split. */
export function fitGuard(plan: InvokePolicyPlan, limit: number): PolicyDocumentJson {
  for (const statements of [plan.guard, plan.compactGuard]) {
    const doc = policyDocument(statements);
    if (policySize(doc) <= limit) {
      return doc;
    }
  }
  throw new Error(`the deny guard needs ${policySize(policyDocument(plan.compactGuard))} characters even in compact form, over IAM's ${limit}: it lists every profile ARN, so reduce the models or source Regions of this role, or split them over two roles`);
}

/** Plans the statements for the stack's account and packs them into managed policies. */
export function layoutManagedPolicies(stack: Stack, scope: InvokeScopeProps, maxManagedPolicies: number): ManagedPolicyLayout {
  const sourceRegions = sourceRegionsFor(stack, scope.sourceRegions);
  const account = Token.isUnresolved(stack.account) ? ACCOUNT_STAND_IN : stack.account;
  const plan = planInvokePolicy(scope, { sourceRegions, account, partition: partitionOf(sourceRegions[0]) });
  // The exact statements when they fit the role's policies, else the compact ones (same reach in Bedrock).
  const exact = packStatements(plan.allow, MANAGED_POLICY_LIMIT);
  const invokeDocuments = exact.length + 1 <= maxManagedPolicies ? exact : packStatements(plan.compactAllow, MANAGED_POLICY_LIMIT);
  const guardDocument = fitGuard(plan, MANAGED_POLICY_LIMIT);
  const total = invokeDocuments.length + 1;
  if (total > maxManagedPolicies) {
    throw new Error(`the invoke policy needs ${invokeDocuments.length} managed policies plus the guard, ${total} in all, over the ${maxManagedPolicies} this role may attach: reduce the models or source Regions, or raise maxManagedPolicies after raising the IAM quota 'Managed policies per role'`);
  }
  const withAccount = (doc: PolicyDocumentJson): PolicyDocumentJson =>
    account === ACCOUNT_STAND_IN ? JSON.parse(JSON.stringify(doc).split(ACCOUNT_STAND_IN).join(stack.account)) : doc;
  return {
    plan,
    invokeDocuments: invokeDocuments.map(withAccount),
    guardDocument: withAccount(guardDocument),
    boundaryDocument: policyDocument(plan.boundary),
    sourceRegions,
  };
}

/**
 * A permission set's one policy must hold in every account it is assigned to, with no account id in
 * it. IAM substitutes a policy variable only in condition values and after the fifth colon of a
 * resource ARN, never in its account segment (IAM User Guide, "IAM policy elements: Variables and
 * tags"), so profile ARNs take `*` there and the account is pinned where variables work: each model
 * is granted only through `bedrock:InferenceProfileArn` = the caller's own account's profile.
 */
const ANY_ACCOUNT = '*';
const PRINCIPAL_ACCOUNT = '${aws:PrincipalAccount}';

export interface InlinePolicyLayout {
  readonly plan: InvokePolicyPlan;
  readonly document: PolicyDocumentJson;
  readonly sourceRegions: string[];
}

/** The allow statements and the guard in one inline policy, within IAM Identity Center's limit. */
export function layoutInlinePolicy(stack: Stack, scope: InvokeScopeProps): InlinePolicyLayout {
  const sourceRegions = sourceRegionsFor(stack, scope.sourceRegions);
  const plan = planInvokePolicy(scope, {
    sourceRegions,
    account: ANY_ACCOUNT,
    conditionAccount: PRINCIPAL_ACCOUNT,
    partition: partitionOf(sourceRegions[0]),
  });
  const forms = [[plan.allow, plan.guard], [plan.allow, plan.compactGuard], [plan.compactAllow, plan.compactGuard]];
  for (const [allow, guard] of forms) {
    const document = policyDocument([...allow, ...guard]);
    if (policySize(document) <= PERMISSION_SET_INLINE_LIMIT) {
      return { plan, document, sourceRegions };
    }
  }
  const size = policySize(policyDocument([...plan.compactAllow, ...plan.compactGuard]));
  throw new Error(`the permission set's inline policy needs ${size} characters, over IAM Identity Center's ${PERMISSION_SET_INLINE_LIMIT} (one inline policy per set): reduce the models or source Regions, or use two permission sets`);
}

/** The props of `InvokeScopeProps`, models first: what a message from planning the policy can be about. */
export const SCOPE_PROPS = ['models', 'sourceRegions', 'destinationRegions', 'countTokens', 'marketplaceSubscriptions', 'guardrail', 'apiKeys',
  'allowedVpcEndpoints', 'allowedSourceIps', 'catalog'] as const;
