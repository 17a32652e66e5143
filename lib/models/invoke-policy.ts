import * as actions from './actions';
import { ModelCatalog } from './catalog';
import { BedrockApiKeys, InvokeScopeProps } from './invoke-scope';
import { sortedUnique } from './regions';
import { ResolvedTarget, resolveTarget } from './resolve';
import { ConditionJson, sid, StatementJson } from './statement';
import { validateScope } from './validate-scope';

/** Where the policy will be evaluated. `account` may be a policy variable such as `${aws:PrincipalAccount}`. */
export interface PolicyEnvironment {
  readonly sourceRegions: string[];
  readonly account: string;
  readonly partition: string;
}

/** Everything an identity needs to invoke the configured models, and the guards around it. */
export interface InvokePolicyPlan {
  /** The Allow statements, each as narrow as the ARNs allow. */
  readonly allow: StatementJson[];
  /** Explicit denies that hold whatever else is attached to the identity; they name every ARN exactly. */
  readonly guard: StatementJson[];
  /**
   * The same denies with each model's foundation-model ARNs folded into one any-Region pattern, for
   * when the exact guard exceeds a policy size limit. What the identity's own policies allow is the
   * same; only a later-attached broad policy could then reach the model in a Region its profile never
   * routes to, which Bedrock does not do.
   */
  readonly compactGuard: StatementJson[];
  /** The permissions boundary: the allowed actions and nothing else. */
  readonly boundary: StatementJson[];
  /** Every action the identity may use, sorted. */
  readonly allowedActions: string[];
  readonly targets: ResolvedTarget[];
}

/** Builds the invoke statements for a scope; throws with a clear message on bad input. */
export function planInvokePolicy(scope: InvokeScopeProps, env: PolicyEnvironment): InvokePolicyPlan {
  validateScope(scope, env.sourceRegions);
  const catalog = scope.catalog ?? ModelCatalog.builtIn();
  const targets = scope.models.map((ref) => resolveTarget(ref, { ...env, catalog }));
  const allow = withUniqueSids(allowStatements(scope, targets));
  const allowedActions = sortedUnique(allow.flatMap((s) => s.Action ?? []));
  return {
    allow,
    guard: guardStatements(scope, targets, env, allowedActions, false),
    compactGuard: guardStatements(scope, targets, env, allowedActions, true),
    boundary: [{ Sid: 'CapAtBedrockInvokeActions', Effect: 'Allow', Action: allowedActions, Resource: ['*'] }],
    allowedActions,
    targets,
  };
}

function allowStatements(scope: InvokeScopeProps, targets: ResolvedTarget[]): StatementJson[] {
  const guardrail = scope.guardrail ? { 'bedrock:GuardrailIdentifier': scope.guardrail.identifier } : undefined;
  const out: StatementJson[] = [];

  const profiles = sortedUnique(targets.flatMap((t) => t.profileArns));
  if (profiles.length > 0) {
    // No bedrock:InferenceProfileArn condition here: Bedrock sets that key only on the model evaluations.
    out.push({ Sid: 'InvokeInferenceProfiles', Effect: 'Allow', Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE], Resource: profiles });
  }
  for (const t of targets) {
    const name = t.reference.invocationId;
    if (t.throughProfileModelArns.length > 0) {
      out.push({
        Sid: sid('ModelsThrough', name),
        Effect: 'Allow',
        Action: [...actions.INVOKE_ACTIONS],
        Resource: t.throughProfileModelArns,
        Condition: { StringEquals: { 'bedrock:InferenceProfileArn': t.viaProfileArns, ...guardrail } },
      });
    }
    if (t.regionlessModelArn) {
      out.push({
        Sid: sid('GlobalModelThrough', name),
        Effect: 'Allow',
        Action: [...actions.INVOKE_ACTIONS],
        Resource: [t.regionlessModelArn],
        Condition: {
          StringEquals: { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': t.viaProfileArns, ...guardrail },
        },
      });
    }
  }
  const direct = sortedUnique(targets.flatMap((t) => t.directModelArns));
  if (direct.length > 0) {
    out.push({ Sid: 'InvokeModelsDirectly', Effect: 'Allow', Action: [...actions.INVOKE_ACTIONS], Resource: direct, ...(guardrail ? { Condition: { StringEquals: guardrail } } : {}) });
  }
  if (scope.countTokens ?? true) {
    out.push({ Sid: 'CountTokens', Effect: 'Allow', Action: [actions.COUNT_TOKENS], Resource: sortedUnique(targets.flatMap((t) => t.countTokensModelArns)) });
  }
  out.push({ Sid: 'ListInferenceProfiles', Effect: 'Allow', Action: [actions.LIST_INFERENCE_PROFILES], Resource: ['*'] });
  if (scope.marketplaceSubscriptions ?? true) {
    out.push({
      Sid: 'MarketplaceSubscribeThroughBedrock',
      Effect: 'Allow',
      Action: [...actions.MARKETPLACE_ACTIONS],
      Resource: ['*'],
      Condition: { StringEquals: { 'aws:CalledViaLast': actions.BEDROCK_SERVICE } },
    });
  }
  if (scope.guardrail) {
    out.push({ Sid: 'ApplyRequiredGuardrail', Effect: 'Allow', Action: [actions.APPLY_GUARDRAIL], Resource: [scope.guardrail.arn] });
  }
  if (scope.apiKeys === BedrockApiKeys.SHORT_TERM) {
    out.push({
      Sid: 'ShortTermApiKeys',
      Effect: 'Allow',
      Action: [actions.CALL_WITH_BEARER_TOKEN],
      Resource: ['*'],
      Condition: { StringEquals: { 'bedrock:bearerTokenType': 'SHORT_TERM' } },
    });
  }
  return out;
}

function guardStatements(
  scope: InvokeScopeProps,
  targets: ResolvedTarget[],
  env: PolicyEnvironment,
  allowed: string[],
  compact: boolean,
): StatementJson[] {
  const p = env.partition;
  const models = compact
    ? targets.map((t) => `arn:${p}:bedrock:*::foundation-model/${t.reference.modelId}`)
    : targets.flatMap((t) => [
      ...t.throughProfileModelArns,
      ...t.directModelArns,
      ...t.countTokensModelArns,
      ...(t.regionlessModelArn ? [t.regionlessModelArn] : []),
    ]);
  const out: StatementJson[] = [
    { Sid: 'DenyAllButBedrockInvoke', Effect: 'Deny', NotAction: allowed, Resource: ['*'] },
    {
      // Another policy (PowerUserAccess, AmazonBedrockFullAccess) must not open other models or Regions.
      Sid: 'DenyOtherModelsAndProfiles',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE, actions.COUNT_TOKENS],
      NotResource: sortedUnique([...targets.flatMap((t) => t.profileArns), ...models]),
    },
    {
      // A model reached without a profile is a direct call; only models configured for it may take one.
      Sid: 'DenyDirectModelCalls',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS],
      NotResource: [
        ...sortedUnique(targets.flatMap((t) => t.directModelArns)),
        `arn:${p}:bedrock:*:*:inference-profile/*`,
        `arn:${p}:bedrock:*:*:application-inference-profile/*`,
      ],
      Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } },
    },
    {
      Sid: 'DenyLongTermApiKeys',
      Effect: 'Deny',
      Action: [actions.CALL_WITH_BEARER_TOKEN],
      Resource: ['*'],
      Condition: { StringEquals: { 'bedrock:bearerTokenType': 'LONG_TERM' } },
    },
  ];
  if (scope.marketplaceSubscriptions ?? true) {
    out.push({
      Sid: 'DenyMarketplaceOutsideBedrock',
      Effect: 'Deny',
      Action: [...actions.MARKETPLACE_ACTIONS],
      Resource: ['*'],
      Condition: { StringNotEquals: { 'aws:CalledViaLast': actions.BEDROCK_SERVICE } },
    });
  }
  if (scope.guardrail) {
    // A request without the guardrail has no key at all, and StringNotEquals is true for a missing key.
    out.push({
      Sid: 'DenyInvokeWithoutGuardrail',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS],
      Resource: ['*'],
      Condition: { StringNotEquals: { 'bedrock:GuardrailIdentifier': scope.guardrail.identifier } },
    });
  }
  const network = networkCondition(scope);
  if (network) {
    out.push({ Sid: 'DenyInvokeFromElsewhere', Effect: 'Deny', Action: [...actions.INVOKE_ACTIONS], Resource: ['*'], Condition: network });
  }
  return out;
}

/** Deny unless the call comes through a listed VPC endpoint or from a listed IP range (either one). */
function networkCondition(scope: InvokeScopeProps): ConditionJson | undefined {
  const vpces = scope.allowedVpcEndpoints ?? [];
  const ips = scope.allowedSourceIps ?? [];
  if (vpces.length === 0 && ips.length === 0) {
    return undefined;
  }
  const condition: ConditionJson = {};
  if (vpces.length > 0) {
    condition.StringNotEquals = { 'aws:SourceVpce': vpces };
  }
  if (ips.length > 0) {
    // Calls through a VPC endpoint carry no aws:SourceIp, and NotIpAddress is true for a missing key.
    condition.NotIpAddress = { 'aws:SourceIp': ips };
  }
  return condition;
}

/** IAM wants each Sid once per policy; two model ids can differ only in punctuation a Sid drops. */
function withUniqueSids(statements: StatementJson[]): StatementJson[] {
  const seen = new Map<string, number>();
  return statements.map((s) => {
    const n = (seen.get(s.Sid) ?? 0) + 1;
    seen.set(s.Sid, n);
    return n === 1 ? s : { ...s, Sid: `${s.Sid}${n}` };
  });
}
