import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { lineDiff } from './line-diff';
import { ForeignProfileError, mergeAwsConfig } from './merge-aws-config';
import { mergeClaudeSettings } from './merge-settings';
import { ConfigureError, describeStack, DescribedStack, pickClientOutputs } from './stack-outputs';
import { checkProfileName } from '../../client/client-configuration';
import { ClientAccess, ClientInput, ClientOutputError, parseClientOutput, renderClient } from '../../client/client-output';
import { SubprocessCredentials } from '../../client/subprocess-credentials';
import { classifyAwsError } from '../aws-errors';
import { awsFilePaths } from '../doctor/aws-config-file';
import { EXIT_COMMAND_FAILED } from '../findings';

/** Which generated configuration to write. */
export type AccessKind = ClientAccess;

/** What the configure command needs; tests pass their own client and answers. */
export interface ConfigureOptions {
  readonly stackName: string;
  readonly region: string;
  readonly access?: AccessKind;
  readonly sourceProfile?: string;
  readonly construct?: string;
  /** The account the stack must live in; required with `yes`. */
  readonly account?: string;
  /** none keeps isolation whatever the output says; inherit accepts an output's opt-out (needed with `yes`). */
  readonly subprocessCredentials?: 'none' | 'inherit';
  readonly yes: boolean;
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cloudFormation: CloudFormationClient;
  /** Asks the person at the terminal; absent when nobody can answer. */
  readonly confirm?: (question: string) => Promise<boolean>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit code when the diff was shown but nothing was written. */
export const EXIT_NOT_APPLIED = 1;

/** Reads the stack's outputs, shows what would change in the two files, and writes them once confirmed. */
export async function runConfigure(options: ConfigureOptions): Promise<number> {
  try {
    return await configure(options);
  } catch (e) {
    if (e instanceof ConfigureError || e instanceof ForeignProfileError) {
      options.stderr(`cdk-bedrock-least-privilege configure: ${oneLine(e.message)}\n`);
      return EXIT_COMMAND_FAILED;
    }
    throw e;
  }
}

// A hostile value quoted in a message must not move the cursor or fake a second line.
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function readStack(options: ConfigureOptions): Promise<DescribedStack> {
  try {
    return await describeStack(options.cloudFormation, options.stackName);
  } catch (e) {
    if (e instanceof ConfigureError) {
      throw e;
    }
    const problem = classifyAwsError(e);
    const fix = {
      'no-credentials': ': name a profile that may read the stack with --profile',
      'expired-credentials': ': sign in again, or name another profile with --profile',
      'access-denied': ': the reading profile needs cloudformation:DescribeStacks on the stack; name one with --profile',
    }[problem.kind as string] ?? '';
    throw new ConfigureError(`could not read stack '${options.stackName}' in ${options.region} with CloudFormation DescribeStacks: ${problem.reason}${fix}`);
  }
}

async function configure(options: ConfigureOptions): Promise<number> {
  const stack = await readStack(options);
  const where = stack.location;
  if (options.account !== undefined && options.account !== where.accountId) {
    throw new ConfigureError(`stack '${options.stackName}' is in account ${where.accountId}, not in ${options.account} (--account): nothing written. `
      + 'The profile that read it (--profile, AWS_PROFILE) points at another account than you meant');
  }
  if (where.region !== options.region) {
    throw new ConfigureError(`CloudFormation in ${options.region} answered with stack ${where.stackId}, which is in ${where.region}: nothing written`);
  }
  if (options.yes && options.account === undefined) {
    throw new ConfigureError(`stack '${options.stackName}' is in account ${where.accountId}. --yes writes without asking, so it needs the account you expect: `
      + `if ${where.accountId} is yours, run again with --account ${where.accountId}`);
  }
  const picked = pickClientOutputs(stack.outputs, options.stackName, options.construct);
  const kind = chooseAccess(picked.outputs, options);
  const output = picked.outputs[kind]!;
  let input: ClientInput;
  try {
    input = parseClientOutput(output.value, kind, { partition: where.partition, accountId: where.accountId });
  } catch (e) {
    if (e instanceof ClientOutputError) {
      throw new ConfigureError(`output ${output.key} of stack '${options.stackName}' is not what cdk-bedrock-least-privilege writes: ${e.message}. `
        + 'Nothing written. Redeploy the stack from its CDK app, and ask who changed it');
    }
    throw e;
  }
  input = withSubprocessCredentials(withSourceProfile(input, options.sourceProfile), options);
  const rendered = renderClient(input);
  const files = {
    settings: path.join(options.env.CLAUDE_CONFIG_DIR ?? path.join(options.home, '.claude'), 'settings.json'),
    awsConfig: awsFilePaths(options.env, options.home).config,
  };
  const oldSettingsText = readOrEmpty(files.settings);
  const oldSettings = parseSettings(oldSettingsText, files.settings);
  const newSettingsText = JSON.stringify(mergeClaudeSettings(oldSettings, rendered.settings), undefined, 2) + '\n';
  const oldConfigText = readOrEmpty(files.awsConfig);
  const newConfigText = mergeAwsConfig(oldConfigText, rendered.awsConfig);

  options.stdout(`Stack ${options.stackName} is in account ${where.accountId} (${where.region}). ${describeAccess(input)}\n\n`);
  const changes = [
    { file: files.settings, before: oldSettingsText, after: newSettingsText },
    { file: files.awsConfig, before: oldConfigText, after: newConfigText },
  ].filter((c) => c.before !== c.after);
  if (changes.length === 0) {
    options.stdout(`Nothing to change: ${files.settings} and ${files.awsConfig} already hold the ${kind} configuration of ${options.stackName}.\n`);
    return 0;
  }
  for (const change of changes) {
    options.stdout(`--- ${change.file}${change.before === '' ? ' (new file)' : ''}\n${lineDiff(change.before, change.after).join('\n')}\n\n`);
  }
  const optOut = input.options?.subprocessCredentials === SubprocessCredentials.INHERIT ? ', with its opt-out (subprocesses get AWS credentials)' : '';
  const question = `Write ${changes.map((c) => c.file).join(' and ')} for stack ${options.stackName} in account ${where.accountId}${optOut}? [y/N] `;
  const apply = options.yes || (options.confirm ? await options.confirm(question) : false);
  if (!apply) {
    options.stdout(options.confirm || options.yes ? 'Nothing written.\n' : `Nothing written: run again with --yes --account ${where.accountId} to write these changes.\n`);
    return EXIT_NOT_APPLIED;
  }
  for (const change of changes) {
    writeAtomically(change.file, change.after);
  }
  options.stdout(`Wrote ${changes.map((c) => c.file).join(' and ')}. Start Claude Code in a new terminal, then check this machine with: npx cdk-bedrock-least-privilege doctor\n`);
  return 0;
}

function withSourceProfile(input: ClientInput, sourceProfile: string | undefined): ClientInput {
  if (sourceProfile === undefined) {
    return input;
  }
  if (input.source.kind !== 'role') {
    throw new ConfigureError('--source-profile is for the invoke role; Identity Center profiles sign in by themselves');
  }
  try {
    checkProfileName('--source-profile', sourceProfile);
  } catch (e) {
    throw new ConfigureError((e as Error).message);
  }
  if (sourceProfile === input.source.profile) {
    throw new ConfigureError(`--source-profile '${sourceProfile}' is the profile configure writes for Claude Code: name the profile whose credentials assume the role`);
  }
  return { ...input, source: { ...input.source, sourceProfile } };
}

/**
 * The output alone never weakens isolation: an opt-out in it is named before the question, and --yes
 * writes one only when the developer accepts it by name. Refusing it is always allowed.
 */
function withSubprocessCredentials(input: ClientInput, options: ConfigureOptions): ClientInput {
  const optsOut = input.options?.subprocessCredentials === SubprocessCredentials.INHERIT;
  if (options.subprocessCredentials === 'none') {
    return { ...input, options: { subprocessCredentials: SubprocessCredentials.NONE } };
  }
  if (options.subprocessCredentials === 'inherit' && !optsOut) {
    throw new ConfigureError(`stack '${options.stackName}' keeps subprocesses without AWS credentials; configure writes no opt-out the stack does not make: `
      + 'nothing written. Ask your platform team for SubprocessCredentials.INHERIT, or run without --subprocess-credentials');
  }
  if (optsOut && options.yes && options.subprocessCredentials !== 'inherit') {
    throw new ConfigureError(`stack '${options.stackName}' opts out of credential isolation (SubprocessCredentials.INHERIT): every command Claude Code runs would get `
      + 'its AWS profile and could read the credential stores of this machine. Nothing written. Accept it with --subprocess-credentials inherit, '
      + 'or keep isolation with --subprocess-credentials none');
  }
  return input;
}

function describeAccess(input: ClientInput): string {
  const models = [input.models.main, input.models.smallFast, ...(input.models.opus ? [input.models.opus] : [])].map((m) => m.claudeCodeModelId).join(', ');
  const source = input.source;
  const how = source.kind === 'role'
    ? `Claude Code will assume ${source.roleArn} with the credentials of profile '${source.sourceProfile}'`
    : `Claude Code will sign in through ${source.startUrl} as permission set ${source.roleName} in account ${source.accountIds.join(', ')}`;
  const optOut = input.options?.subprocessCredentials === SubprocessCredentials.INHERIT
    ? ' The stack opts out of credential isolation (SubprocessCredentials.INHERIT): every command Claude Code runs gets the profile, '
      + 'unsandboxed, and can read the keys and sign-ins this machine holds; --subprocess-credentials none keeps isolation.'
    : '';
  return `${how}, in ${input.region}, with ${models}.${optOut}`;
}

function chooseAccess(outputs: ReturnType<typeof pickClientOutputs>['outputs'], options: ConfigureOptions): AccessKind {
  const available = (['role', 'identity-center'] as const).filter((k) => outputs[k] !== undefined);
  const kind = options.access ?? (available.length === 1 ? available[0] : undefined);
  if (kind === undefined) {
    throw new ConfigureError(`stack '${options.stackName}' offers both an invoke role and an Identity Center permission set: choose one with --access role or --access identity-center`);
  }
  if (outputs[kind] === undefined) {
    throw new ConfigureError(`stack '${options.stackName}' has no ${kind === 'role' ? 'invoke role' : 'Identity Center permission set'} client output; it offers: ${available.join(', ')}${kind === 'identity-center'
      ? ' (without identityCenter.startUrl the stack gets none: set it in the CDK app and redeploy)' : ''}`);
  }
  return kind;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return '';
    }
    throw e;
  }
}

function parseSettings(text: string, file: string): Record<string, unknown> {
  if (text.trim() === '') {
    return {};
  }
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed;
    }
  } catch {
    // Reported below, with the file's name.
  }
  throw new ConfigureError(`${file} is not a JSON object, so it cannot be merged: fix it or move it away, then run configure again`);
}

// A crash mid-write must not leave half a config file; the new file keeps the old one's mode, else owner-only.
function writeAtomically(given: string, text: string): void {
  // A dotfile manager's symlink stays a symlink: the file it points to is the one replaced.
  const file = fs.existsSync(given) ? fs.realpathSync(given) : given;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // eslint-disable-next-line no-bitwise
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : 0o600;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode });
  fs.renameSync(temporary, file);
}
