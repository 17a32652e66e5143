import { App, PolicyViolation, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { IConstruct } from 'constructs';
import { BedrockAccessChecks } from '../../lib/nag';

export const ACCOUNT = '111122223333';
export const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const SONNET = 'anthropic.claude-sonnet-4-6';
export const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
export const INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
/** Where `us.` Sonnet 4.6 routes from us-east-1, per the built-in catalog. */
export const US_EAST_1_DESTINATIONS = ['us-east-1', 'us-east-2', 'us-west-2'];

/** An environment-bound stack in its own app. */
export function newStack(region = 'us-east-1', account: string | undefined = ACCOUNT): Stack {
  return new Stack(new App(), 'App', { env: { region, account } });
}

/** `<rule id>[<finding>]` for each finding the pack reports under `scope` (one per id, as each can be acknowledged), sorted. */
export function findings(scope: IConstruct): string[] {
  return [...new Set(new BedrockAccessChecks().validateScope(scope).violations.flatMap(findingIds))].sort();
}

/** `<rule id>[<finding>] <construct path>` for each finding, sorted. */
export function findingsWithPaths(scope: IConstruct): string[] {
  return new BedrockAccessChecks().validateScope(scope).violations
    .flatMap((v) => findingIds(v).flatMap((id) => v.violatingResources.map((r) => `${id} ${r.constructPath}`)))
    .sort();
}

function findingIds(v: PolicyViolation): string[] {
  return v.ruleMetadata?.findings?.split('\n') ?? [v.ruleName];
}

export function profileArn(region: string, profileId: string, account = ACCOUNT): string {
  return `arn:aws:bedrock:${region}:${account}:inference-profile/${profileId}`;
}

export function modelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** A complete grant of `us.` Sonnet 4.6 from us-east-1: the profile, and the model in every destination. */
export function usSonnetStatements(account = ACCOUNT): iam.PolicyStatement[] {
  const profile = profileArn('us-east-1', `us.${SONNET}`, account);
  return [
    new iam.PolicyStatement({ actions: INVOKE, resources: [profile] }),
    new iam.PolicyStatement({
      actions: INVOKE,
      resources: US_EAST_1_DESTINATIONS.map((r) => modelArn(r, SONNET)),
      conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    }),
  ];
}

/** A role whose only policy is an inline one holding `statements`. */
export function roleWith(scope: IConstruct, id: string, statements: iam.PolicyStatement[]): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.AccountPrincipal(ACCOUNT),
    inlinePolicies: { Bedrock: new iam.PolicyDocument({ statements }) },
  });
}

/** A permission set whose inline policy holds `statements`. */
export function permissionSetWith(
  scope: IConstruct, id: string, statements: object[], props: Partial<sso.CfnPermissionSetProps> = {},
): sso.CfnPermissionSet {
  return new sso.CfnPermissionSet(scope, id, {
    instanceArn: INSTANCE,
    name: id,
    inlinePolicy: { Version: '2012-10-17', Statement: statements },
    ...props,
  });
}

/**
 * `usSonnetStatements` as one policy for many accounts, the shape `BedrockPermissionSet` writes: `*` for the
 * profile's account (IAM never substitutes a variable there) and `${aws:PrincipalAccount}` in the condition.
 */
export function usSonnetJson(): object[] {
  const [profiles, models] = usSonnetStatements('*').map((s) => s.toStatementJson());
  return [profiles, { ...models, Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn('us-east-1', `us.${SONNET}`, '${aws:PrincipalAccount}') } } }];
}
