import * as actions from './actions';
import { ModelCatalog } from './catalog';
import { compactStatements } from './compact-policy';
import { BedrockApiKeys, DestinationRegions, InvokeScopeProps } from './invoke-scope';
import { sortedUnique } from './regions';
import { lifecycleWarnings, ResolvedTarget, resolveTarget } from './resolve';
import { ConditionJson, sid, StatementJson } from './statement';
import { validateScope } from './validate-scope';

/** Where the policy will be evaluated. */
export interface PolicyEnvironment {
  readonly sourceRegions: string[];
  /**
   * The account segment of the profile ARNs in `Resource` and `NotResource`: a 12-digit id, or `*` for
   * a policy evaluated in many accounts. IAM never substitutes a policy variable there.
   */
  readonly account: string;
  /**
   * The account in condition values (`bedrock:InferenceProfileArn`), where IAM does substitute
   * variables, so `${aws:PrincipalAccount}` pins a many-account policy to the caller's own profiles.
   *
   * @default - the same as `account`
   */
  readonly conditionAccount?: string;
  readonly partition: string;
}

/** Everything an identity needs to invoke the configured models, and the guards around it. */
export interface InvokePolicyPlan {
  /** The Allow statements, each as narrow as the ARNs allow: one per model, profiles per source Region. */
  readonly allow: StatementJson[];
  /** Explicit denies that hold whatever else is attached to the identity; they name every ARN exactly. */
  readonly guard: StatementJson[];
  /**
   * The same grants in fewer characters, for when the exact ones exceed a policy size limit: each
   * profile once with its source Regions pinned by `aws:RequestedRegion`, and every model under one
   * statement whose `bedrock:InferenceProfileArn` lists the profiles. What Bedrock can be made to do
   * is the same: a profile routes only to its own model.
   */
  readonly compactAllow: StatementJson[];
  /** The guard in the compact form's terms. */
  readonly compactGuard: StatementJson[];
  /** The permissions boundary: the allowed actions and nothing else. */
  readonly boundary: StatementJson[];
  /** Every action the identity may use, sorted. */
  readonly allowedActions: string[];
  readonly targets: ResolvedTarget[];
  /** One line per granted model that still works but has an announced end of life. */
  readonly lifecycleWarnings: string[];
}

/** Builds the invoke statements for a scope; throws with a clear message on bad input. */
export function planInvokePolicy(scope: InvokeScopeProps, env: PolicyEnvironment): InvokePolicyPlan {
  validateScope(scope, env.sourceRegions);
  const catalog = scope.catalog ?? ModelCatalog.builtIn();
  const destinations = scope.destinationRegions ?? DestinationRegions.ANY;
  const conditionAccount = env.conditionAccount ?? env.account;
  const targets = scope.models.map((ref) => resolveTarget(ref, { ...env, conditionAccount, catalog, destinations }));
  const allow = withUniqueSids([...exactModelStatements(scope, targets), ...commonAllowStatements(scope)]);
  const allowedActions = sortedUnique(allow.flatMap((s) => s.Action ?? []));
  const compact = compactStatements(targets, {
    partition: env.partition,
    conditionAccount,
    sourceRegions: env.sourceRegions,
    guardrail: guardrailCondition(scope),
    countTokens: scope.countTokens ?? true,
  });
  return {
    allow,
    guard: [...exactGuardStatements(targets, env, allowedActions), ...commonGuardStatements(scope)],
    compactAllow: withUniqueSids([...compact.allow, ...directStatements(scope, targets), ...commonAllowStatements(scope)]),
    compactGuard: [notActionGuard(allowedActions), ...compact.guard, directCallGuard(targets, env), ...commonGuardStatements(scope)],
    boundary: [{ Sid: 'CapAtBedrockInvokeActions', Effect: 'Allow', Action: allowedActions, Resource: ['*'] }],
    allowedActions,
    targets,
    lifecycleWarnings: lifecycleWarnings(scope.models, catalog, env.sourceRegions),
  };
}

/** Per model: its profiles in each source Region, and the model only through those exact profiles. */
function exactModelStatements(scope: InvokeScopeProps, targets: ResolvedTarget[]): StatementJson[] {
  const guardrail = guardrailCondition(scope);
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
  out.push(...directStatements(scope, targets));
  if (scope.countTokens ?? true) {
    out.push({ Sid: 'CountTokens', Effect: 'Allow', Action: [actions.COUNT_TOKENS], Resource: sortedUnique(targets.flatMap((t) => t.countTokensModelArns)) });
  }
  return out;
}

function guardrailCondition(scope: InvokeScopeProps): Record<string, string> | undefined {
  return scope.guardrail ? { 'bedrock:GuardrailIdentifier': scope.guardrail.identifier } : undefined;
}

/** Models configured for direct (in-Region) calls. */
function directStatements(scope: InvokeScopeProps, targets: ResolvedTarget[]): StatementJson[] {
  const guardrail = guardrailCondition(scope);
  const direct = sortedUnique(targets.flatMap((t) => t.directModelArns));
  return direct.length === 0 ? [] : [{
    Sid: 'InvokeModelsDirectly',
    Effect: 'Allow',
    Action: [...actions.INVOKE_ACTIONS],
    Resource: direct,
    ...(guardrail ? { Condition: { StringEquals: guardrail } } : {}),
  }];
}

/** What every form allows besides the models. */
function commonAllowStatements(scope: InvokeScopeProps): StatementJson[] {
  const out: StatementJson[] = [];
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

/** The exact guard: other actions, other models and profiles, other profiles' model calls, direct calls. */
function exactGuardStatements(targets: ResolvedTarget[], env: PolicyEnvironment, allowed: string[]): StatementJson[] {
  const models = withoutCoveredModels(targets.flatMap((t) => [
    ...t.throughProfileModelArns,
    ...t.directModelArns,
    ...t.countTokensModelArns,
    ...(t.regionlessModelArn ? [t.regionlessModelArn] : []),
  ]));
  return [
    notActionGuard(allowed),
    {
      // Another policy (PowerUserAccess, AmazonBedrockFullAccess) must not open other models or Regions.
      Sid: 'DenyOtherModelsAndProfiles',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE, actions.COUNT_TOKENS],
      NotResource: sortedUnique([...targets.flatMap((t) => t.profileArns), ...models]),
    },
    {
      // The model ARNs above hold for any profile; this pins them to ours, account included, even when
      // another policy allows more. Null=false leaves direct calls (no key) to DenyDirectModelCalls.
      Sid: 'DenyModelsThroughOtherProfiles',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS],
      Resource: ['*'],
      Condition: {
        StringNotEquals: { 'bedrock:InferenceProfileArn': sortedUnique(targets.flatMap((t) => t.viaProfileArns)) },
        Null: { 'bedrock:InferenceProfileArn': 'false' },
      },
    },
    directCallGuard(targets, env),
  ];
}

function notActionGuard(allowed: string[]): StatementJson {
  return { Sid: 'DenyAllButBedrockInvoke', Effect: 'Deny', NotAction: allowed, Resource: ['*'] };
}

/** A model reached without a profile is a direct call; only models configured for it may take one. */
function directCallGuard(targets: ResolvedTarget[], env: PolicyEnvironment): StatementJson {
  const p = env.partition;
  return {
    Sid: 'DenyDirectModelCalls',
    Effect: 'Deny',
    Action: [...actions.INVOKE_ACTIONS],
    NotResource: [
      ...sortedUnique(targets.flatMap((t) => t.directModelArns)),
      `arn:${p}:bedrock:*:*:inference-profile/*`,
      `arn:${p}:bedrock:*:*:application-inference-profile/*`,
    ],
    Condition: { Null: { 'bedrock:InferenceProfileArn': 'true' } },
  };
}

/** Denies every form carries whatever the models: long-term keys, Marketplace, guardrail, network. */
function commonGuardStatements(scope: InvokeScopeProps): StatementJson[] {
  const out: StatementJson[] = [{
    Sid: 'DenyLongTermApiKeys',
    Effect: 'Deny',
    Action: [actions.CALL_WITH_BEARER_TOKEN],
    Resource: ['*'],
    Condition: { StringEquals: { 'bedrock:bearerTokenType': 'LONG_TERM' } },
  }];
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

/** Drops a model's Regional ARNs where its any-Region ARN (`bedrock:*::`) is listed too: they add only length. */
function withoutCoveredModels(arns: string[]): string[] {
  const anyRegion = new Set(arns.filter((a) => a.split(':')[3] === '*').map((a) => a.replace(':bedrock:*::', ':bedrock:R::')));
  return arns.filter((a) => {
    const region = a.split(':')[3];
    return region === '*' || region === '' || !anyRegion.has(a.replace(`:bedrock:${region}::`, ':bedrock:R::'));
  });
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
