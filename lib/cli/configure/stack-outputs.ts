import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ClientAccess } from '../../client/client-output';
import { withTimeout } from '../aws-clients';

/** A problem the person can fix, reported as one sentence without a stack trace. */
export class ConfigureError extends Error {}

/** Where a stack lives, from the stack ARN CloudFormation returns. */
export interface StackLocation {
  readonly stackId: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** A stack as `configure` reads it. */
export interface DescribedStack {
  readonly location: StackLocation;
  readonly outputs: Record<string, string>;
}

/** The client outputs of one construct, by access kind: the output key and its value. */
export interface ClientOutputs {
  /** The construct id the keys start with, for `--construct`. */
  readonly prefix: string;
  readonly outputs: Partial<Record<ClientAccess, { readonly key: string; readonly value: string }>>;
}

// The keys the constructs write: `<construct id>RoleClient`, `<construct id>IdentityCenterClient`.
const SUFFIXES: ReadonlyArray<[ClientAccess, string]> = [['role', 'RoleClient'], ['identity-center', 'IdentityCenterClient']];
// Keys of versions that put ready-made settings and commands in the outputs.
const OLD_SUFFIXES = ['RoleClaudeSettings', 'RoleAwsConfig', 'IdentityCenterClaudeSettings', 'IdentityCenterAwsConfig'];

// arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id> (CloudFormation API Reference, Stack.StackId).
const STACK_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):cloudformation:([a-z0-9-]+):(\d{12}):stack\/([^/]+)\/[^/]+$/;

/** Reads a stack with CloudFormation DescribeStacks, the one AWS call the command makes, and where it lives. */
export async function describeStack(client: CloudFormationClient, stackName: string): Promise<DescribedStack> {
  const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }), withTimeout());
  const stacks = answer.Stacks ?? [];
  if (stacks.length !== 1) {
    throw new ConfigureError(`CloudFormation returned ${stacks.length} stacks named '${stackName}', not one`);
  }
  const stack = stacks[0];
  const m = STACK_ARN.exec(stack.StackId ?? '');
  if (!m) {
    throw new ConfigureError(`CloudFormation returned '${stack.StackId}' as the id of stack '${stackName}', which is not a stack ARN`);
  }
  const outputs = (stack.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue !== undefined);
  return {
    location: { stackId: stack.StackId!, partition: m[1], region: m[2], accountId: m[3] },
    outputs: Object.fromEntries(outputs.map((o) => [o.OutputKey!, o.OutputValue!])),
  };
}

/**
 * Finds one construct's client outputs among a stack's outputs. With several constructs, `prefix` (the
 * construct id) picks one. Outputs of older versions are refused: they carry commands.
 */
export function pickClientOutputs(outputs: Record<string, string>, stackName: string, prefix?: string): ClientOutputs {
  const found = Object.keys(outputs).flatMap((key) => SUFFIXES
    .filter(([, suffix]) => key.endsWith(suffix))
    .map(([access, suffix]) => ({ access, key, prefix: key.slice(0, -suffix.length) })));
  const prefixes = [...new Set(found.map((f) => f.prefix))];
  if (prefix !== undefined && !prefixes.includes(prefix)) {
    throw new ConfigureError(`stack '${stackName}' has no Claude Code client outputs under '${prefix}'; it has ${prefixes.map((p) => `'${p}'`).join(', ') || 'none'}${oldNote(outputs)}`);
  }
  if (prefix === undefined && prefixes.length > 1) {
    throw new ConfigureError(`stack '${stackName}' holds the client outputs of several constructs (${prefixes.join(', ')}): pick one with --construct <id>`);
  }
  const chosen = prefix ?? prefixes[0];
  if (chosen === undefined) {
    const old = Object.keys(outputs).filter((k) => OLD_SUFFIXES.some((s) => k.endsWith(s)));
    if (old.length > 0) {
      throw new ConfigureError(`stack '${stackName}' has the outputs of an older cdk-bedrock-least-privilege (${old.join(', ')}), which hold ready-made settings and commands, `
        + 'and configure no longer writes those: update cdk-bedrock-least-privilege in the stack\'s app, redeploy the stack, then run configure again');
    }
    throw new ConfigureError(`stack '${stackName}' has no Claude Code client outputs (keys ending in RoleClient or IdentityCenterClient): `
      + 'is it the stack with ClaudeCodeBedrockAccess (with identityCenter.startUrl set, for Identity Center), or one where addClientOutputs() was called?');
  }
  return {
    prefix: chosen,
    outputs: Object.fromEntries(found.filter((f) => f.prefix === chosen).map((f) => [f.access, { key: f.key, value: outputs[f.key] }])),
  };
}

function oldNote(outputs: Record<string, string>): string {
  return Object.keys(outputs).some((k) => OLD_SUFFIXES.some((s) => k.endsWith(s)))
    ? ' (outputs of an older cdk-bedrock-least-privilege are not read: redeploy the stack with this version)'
    : '';
}
