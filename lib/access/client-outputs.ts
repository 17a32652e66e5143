import { Annotations, Aws, CfnOutput, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClaudeCodeClientOptions, ClientConfiguration } from './client-options';
import { checkProfileName, ClientOptions, PinnedModels } from '../client/client-configuration';
import { accessOf, ClientAccess, ClientInput, clientOutputData, renderClient } from '../client/client-output';
import { checkSubprocessCredentials } from '../client/credential-isolation';
import { SubprocessCredentials } from '../client/subprocess-credentials';
import { ModelReference } from '../models/model-reference';

/** The output key suffix of each access kind; `configure` finds the outputs by it. */
export const CLIENT_OUTPUT_SUFFIX: Record<ClientAccess, string> = { 'role': 'RoleClient', 'identity-center': 'IdentityCenterClient' };

/** The options of a client configuration, for naming the one a message is about. */
export const CLIENT_OPTION_PROPS = ['profileName', 'sourceProfile', 'model', 'smallFastModel', 'opusModel', 'region', 'startUrl', 'ssoRegion', 'accountId'] as const;

/** The settings and profile text, from the one generator `configure` uses too. */
export function clientConfiguration(input: ClientInput): ClientConfiguration {
  const rendered = renderClient(input);
  return { claudeSettingsJson: JSON.stringify(rendered.settings, undefined, 2), awsConfig: rendered.awsConfig };
}

/** Pins the chosen models, each of which the identity must be allowed to invoke, or Claude Code meets a 403. */
export function pinModels(granted: readonly ModelReference[], options: ClaudeCodeClientOptions, who: string): PinnedModels {
  const pinned = { main: options.model, smallFast: options.smallFastModel, opus: options.opusModel };
  for (const [name, model] of [['model', pinned.main], ['smallFastModel', pinned.smallFast], ['opusModel', pinned.opus]] as const) {
    if (model && !granted.some((g) => g.invocationId === model.invocationId)) {
      throw new Error(`${name} '${model.invocationId}' is not one of the models ${who} may invoke (${granted.map((g) => g.invocationId).join(', ')}): `
        + 'pick one of them, or add it to the models');
    }
  }
  return pinned;
}

/** The generator's options from a construct's client options, refused at synth when it cannot honour them. */
export function clientOptions(options: ClaudeCodeClientOptions): ClientOptions {
  const subprocessCredentials = options.subprocessCredentials ?? SubprocessCredentials.NONE;
  checkSubprocessCredentials(subprocessCredentials);
  return { subprocessCredentials };
}

/** The client Region: the first source Region, or one of them. */
export function clientRegion(sourceRegions: readonly string[], region: string | undefined): string {
  const chosen = region ?? sourceRegions[0];
  if (!sourceRegions.includes(chosen)) {
    throw new Error(`region '${chosen}' is not a source Region (${sourceRegions.join(', ')}): the models are granted only there`);
  }
  return chosen;
}

/** Refuses profile names `configure` would refuse, at synth rather than on every developer's machine. */
export function checkClientProfiles(profileName: string, sourceProfile?: string): void {
  checkProfileName('profileName', profileName);
  if (profileName === 'default') {
    throw new Error('profileName is \'default\', the profile every AWS command without --profile uses: choose a name of its own, such as \'claude-code\'');
  }
  if (sourceProfile !== undefined) {
    // The source profile may be 'default': it only assumes the role, and is never Claude Code's own.
    checkProfileName('sourceProfile', sourceProfile);
    if (sourceProfile === profileName) {
      throw new Error(`profileName and sourceProfile are both '${profileName}': the role must be assumed with another profile's credentials`);
    }
  }
}

/** The prefix of a construct's output keys: its id without the characters logical ids refuse. */
export function outputPrefix(scope: Construct): string {
  return scope.node.id.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Adds the data-only output `configure` reads, under the fixed key `<prefix>RoleClient` or
 * `<prefix>IdentityCenterClient` (no hash suffix, so people and `configure` find it). Produced at
 * synthesis, so assignments added later count.
 */
export function addClientOutput(scope: Construct, prefix: string, access: ClientAccess, produce: () => ClientInput): void {
  const description = access === 'role'
    ? 'Claude Code client data for the invoke role (read by cdk-bedrock-least-privilege configure; data only)'
    : 'Claude Code client data for IAM Identity Center sign-in (read by cdk-bedrock-least-privilege configure; data only)';
  const output = new CfnOutput(scope, CLIENT_OUTPUT_SUFFIX[access], {
    description,
    value: Lazy.string({
      produce: () => {
        const input = produce();
        if (accessOf(input.source) !== access) {
          throw new Error(`internal: a ${access} output was given ${accessOf(input.source)} data`);
        }
        return Stack.of(scope).toJsonString(clientOutputData(input));
      },
    }),
  });
  output.overrideLogicalId(`${prefix}${CLIENT_OUTPUT_SUFFIX[access]}`);
}

/**
 * Says what a developer runs next, as a stack output (exact once deployed) and as a synth-time note:
 * `configure` for this construct's outputs, then `doctor`.
 */
export function addNextSteps(scope: Construct, prefix: string, accesses: readonly ClientAccess[]): void {
  if (accesses.length === 0) {
    return;
  }
  const stack = Stack.of(scope);
  const command = (stackName: string, region: string, account: string) => {
    const access = accesses.length === 1
      ? `--access ${accesses[0]}`
      : '--access role (to assume the invoke role) or --access identity-center (to sign in through IAM Identity Center)';
    return `On each developer machine run: npx cdk-bedrock-least-privilege configure --stack ${stackName} --region ${region} --account ${account} `
      + `--construct ${prefix} ${access}; then check it with: npx cdk-bedrock-least-privilege doctor`;
  };
  // Literal where synthesis knows the value, CloudFormation's own where it does not (an environment-agnostic stack).
  const either = (value: string, deployed: string) => (Token.isUnresolved(value) ? deployed : value);
  new CfnOutput(scope, 'ClientNextSteps', {
    description: 'What a developer runs to set up Claude Code from this stack',
    value: command(either(stack.stackName, Aws.STACK_NAME), either(stack.region, Aws.REGION), either(stack.account, Aws.ACCOUNT_ID)),
  }).overrideLogicalId(`${prefix}ClientNextSteps`);
  Annotations.of(scope).addInfo(`after deploying: ${command(either(stack.stackName, '<stack name>'), either(stack.region, '<stack region>'), either(stack.account, '<stack account id>'))}`);
}
