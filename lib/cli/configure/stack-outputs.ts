import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { withTimeout } from '../aws-clients';

/** A problem the person can fix, reported as one sentence without a stack trace. */
export class ConfigureError extends Error {}

/** The generated client configuration a deployed stack offers, by kind of access. */
export interface StackClientOutputs {
  readonly role?: { readonly claudeSettings: string; readonly awsConfig: string };
  readonly identityCenter?: { readonly claudeSettings: string; readonly awsConfig: string };
}

// The output keys ClaudeCodeBedrockAccess writes, after the construct id it prefixes them with.
const SUFFIXES = {
  role: ['RoleClaudeSettings', 'RoleAwsConfig'],
  identityCenter: ['IdentityCenterClaudeSettings', 'IdentityCenterAwsConfig'],
} as const;

/** Reads a stack's outputs with CloudFormation DescribeStacks; the one AWS call the command makes. */
export async function describeStackOutputs(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }), withTimeout());
  const stack = answer.Stacks?.[0];
  if (!stack) {
    throw new ConfigureError(`CloudFormation returned no stack named '${stackName}'`);
  }
  const outputs = (stack.Outputs ?? []).filter((o) => o.OutputKey && o.OutputValue !== undefined);
  return Object.fromEntries(outputs.map((o) => [o.OutputKey!, o.OutputValue!]));
}

/**
 * Finds the client configuration among a stack's outputs. One ClaudeCodeBedrockAccess per stack is
 * the rule; with several, `prefix` (the construct id) picks one.
 */
export function pickClientOutputs(outputs: Record<string, string>, stackName: string, prefix?: string): StackClientOutputs {
  const prefixes = new Set(Object.keys(outputs).flatMap((key) => Object.values(SUFFIXES).flat()
    .filter((suffix) => key.endsWith(suffix)).map((suffix) => key.slice(0, -suffix.length))));
  if (prefix !== undefined && !prefixes.has(prefix)) {
    throw new ConfigureError(`stack '${stackName}' has no Claude Code outputs under '${prefix}'; it has ${[...prefixes].map((p) => `'${p}'`).join(', ') || 'none'}`);
  }
  if (prefix === undefined && prefixes.size > 1) {
    throw new ConfigureError(`stack '${stackName}' holds several ClaudeCodeBedrockAccess constructs (${[...prefixes].join(', ')}): pick one with --construct <id>`);
  }
  const chosen = prefix ?? [...prefixes][0];
  if (chosen === undefined) {
    throw new ConfigureError(`stack '${stackName}' has no Claude Code outputs (keys ending in RoleClaudeSettings or IdentityCenterClaudeSettings): is it the stack with ClaudeCodeBedrockAccess?`);
  }
  const pair = (kind: keyof typeof SUFFIXES) => {
    const [settings, config] = SUFFIXES[kind].map((s) => outputs[`${chosen}${s}`]);
    return settings !== undefined && config !== undefined ? { claudeSettings: settings, awsConfig: config } : undefined;
  };
  return { role: pair('role'), identityCenter: pair('identityCenter') };
}
