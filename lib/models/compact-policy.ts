import * as actions from './actions';
import { sortedUnique } from './regions';
import { ResolvedTarget } from './resolve';
import { StatementJson } from './statement';

/** What the compact form needs to know beside the targets. */
export interface CompactOptions {
  readonly partition: string;
  /** The account in condition values: an id, or `${aws:PrincipalAccount}` for a policy used in many accounts. */
  readonly conditionAccount: string;
  readonly sourceRegions: string[];
  /** `bedrock:GuardrailIdentifier` every invocation must carry, if any. */
  readonly guardrail?: Record<string, string>;
  readonly countTokens: boolean;
}

/**
 * The grants and their guard with each profile named once, not once per source Region: the source
 * Regions are pinned by `aws:RequestedRegion`, which Bedrock sets to the Region called when it
 * evaluates a profile (Bedrock User Guide, "Global cross-Region inference", IAM policy requirements).
 */
export function compactStatements(targets: ResolvedTarget[], options: CompactOptions): { allow: StatementJson[]; guard: StatementJson[] } {
  const p = options.partition;
  const inSourceRegions = { 'aws:RequestedRegion': sortedUnique(options.sourceRegions) };
  const profiles = sortedUnique(targets.flatMap((t) => t.profileArns.map(anySourceRegion)));
  const via = sortedUnique(targets.flatMap((t) => t.viaProfileArns.map(anySourceRegion)));
  // A `*` Region also matches the empty Region of a `global.` profile's model ARN: IAM's * matches zero or
  // more characters within a segment (IAM User Guide, "IAM JSON policy elements: Resource").
  const models = sortedUnique(targets.flatMap((t) => {
    const arns = [...t.throughProfileModelArns, ...(t.regionlessModelArn ? [t.regionlessModelArn] : [])];
    return arns.some((a) => a.includes(':bedrock:*::')) ? arns.filter((a) => !a.includes(':bedrock:::')) : arns;
  }));
  const countedArns = targets.flatMap((t) => t.countTokensModelArns);
  const counted = sortedUnique(countedArns.map(anyRegion));
  const countedRegions = { 'aws:RequestedRegion': sortedUnique(countedArns.map((a) => a.split(':')[3])) };

  const allow: StatementJson[] = [];
  if (profiles.length > 0) {
    allow.push({
      Sid: 'InvokeInferenceProfiles',
      Effect: 'Allow',
      Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE],
      Resource: profiles,
      Condition: { StringEquals: inSourceRegions },
    });
  }
  if (models.length > 0) {
    allow.push({
      Sid: 'ModelsThroughProfiles',
      Effect: 'Allow',
      Action: [...actions.INVOKE_ACTIONS],
      Resource: models,
      // StringLike: IAM documents variables in string conditions' values; iam-simulate keeps one literal in
      // an ArnLike value's account segment, so ArnLike could not be proven here.
      Condition: { StringLike: { 'bedrock:InferenceProfileArn': via }, ...(options.guardrail ? { StringEquals: options.guardrail } : {}) },
    });
  }
  if (options.countTokens && counted.length > 0) {
    allow.push({ Sid: 'CountTokens', Effect: 'Allow', Action: [actions.COUNT_TOKENS], Resource: counted, Condition: { StringEquals: countedRegions } });
  }

  const guard: StatementJson[] = [
    {
      Sid: 'DenyOtherModelsAndProfiles',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE, actions.COUNT_TOKENS],
      NotResource: sortedUnique([...profiles, ...targets.map((t) => `arn:${p}:bedrock:*::foundation-model/${t.reference.modelId}`)]),
    },
    {
      Sid: 'DenyProfilesOutsideSourceRegions',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS, actions.GET_INFERENCE_PROFILE],
      Resource: [`arn:${p}:bedrock:*:*:inference-profile/*`, `arn:${p}:bedrock:*:*:application-inference-profile/*`],
      Condition: { StringNotEquals: inSourceRegions },
    },
    {
      // Another profile of this account is already denied above; this refuses the models behind any other
      // account's profile. Null=false leaves direct calls (no key) to DenyDirectModelCalls.
      Sid: 'DenyModelsThroughOtherAccountsProfiles',
      Effect: 'Deny',
      Action: [...actions.INVOKE_ACTIONS],
      Resource: ['*'],
      Condition: {
        StringNotLike: {
          'bedrock:InferenceProfileArn': sortedUnique([
            ...options.sourceRegions.flatMap((r) => ['inference-profile', 'application-inference-profile']
              .map((type) => `arn:${p}:bedrock:${r}:${options.conditionAccount}:${type}/*`)),
            ...via.filter((a) => a.includes(':application-inference-profile/')),
          ]),
        },
        Null: { 'bedrock:InferenceProfileArn': 'false' },
      },
    },
  ];
  return { allow, guard };
}

/** A system profile's ARN with `*` for its Region; an application profile keeps its one Region. */
function anySourceRegion(arn: string): string {
  return /:inference-profile\//.test(arn) ? anyRegion(arn) : arn;
}

/** The ARN with `*` for its Region; split by pattern, since a policy variable holds a colon. */
function anyRegion(arn: string): string {
  return arn.replace(/^(arn:[^:]*:[^:]*:)[^:]*/, '$1*');
}
