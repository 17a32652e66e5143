import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { lineDiff } from './line-diff';
import { ForeignProfileError, mergeAwsConfig } from './merge-aws-config';
import { mergeClaudeSettings } from './merge-settings';
import { ConfigureError, describeStackOutputs, pickClientOutputs } from './stack-outputs';
import { classifyAwsError } from '../aws-errors';
import { awsFilePaths } from '../doctor/aws-config-file';
import { EXIT_COMMAND_FAILED } from '../findings';

/** Which generated configuration to write. */
export type AccessKind = 'role' | 'identity-center';

/** What the configure command needs; tests pass their own client and answers. */
export interface ConfigureOptions {
  readonly stackName: string;
  readonly region: string;
  readonly access?: AccessKind;
  readonly sourceProfile?: string;
  readonly construct?: string;
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
      options.stderr(`cdk-bedrock-least-privilege configure: ${e.message}\n`);
      return EXIT_COMMAND_FAILED;
    }
    throw e;
  }
}

async function readOutputs(options: ConfigureOptions): Promise<Record<string, string>> {
  try {
    return await describeStackOutputs(options.cloudFormation, options.stackName);
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
  const outputs = pickClientOutputs(await readOutputs(options), options.stackName, options.construct);
  const chosen = chooseAccess(outputs, options);
  let { claudeSettings, awsConfig } = chosen.outputs;
  if (options.sourceProfile !== undefined) {
    if (chosen.kind !== 'role') {
      throw new ConfigureError('--source-profile is for the invoke role; Identity Center profiles sign in by themselves');
    }
    // The generated command names the source profile as `--profile <source> --role-arn` (AssumeRole) and
    // `--profile <source> --query Arn` (who the source is); only that profile changes.
    const swap = (text: string) => text.replace(/--profile \S+ (--role-arn|--query Arn)/g, `--profile ${options.sourceProfile} $1`);
    [claudeSettings, awsConfig] = [swap(claudeSettings), swap(awsConfig)];
  }
  const files = {
    settings: path.join(options.env.CLAUDE_CONFIG_DIR ?? path.join(options.home, '.claude'), 'settings.json'),
    awsConfig: awsFilePaths(options.env, options.home).config,
  };
  const oldSettingsText = readOrEmpty(files.settings);
  const oldSettings = parseSettings(oldSettingsText, files.settings);
  const newSettingsText = JSON.stringify(mergeClaudeSettings(oldSettings, JSON.parse(claudeSettings)), undefined, 2) + '\n';
  const oldConfigText = readOrEmpty(files.awsConfig);
  const newConfigText = mergeAwsConfig(oldConfigText, awsConfig);

  const changes = [
    { file: files.settings, before: oldSettingsText, after: newSettingsText },
    { file: files.awsConfig, before: oldConfigText, after: newConfigText },
  ].filter((c) => c.before !== c.after);
  if (changes.length === 0) {
    options.stdout(`Nothing to change: ${files.settings} and ${files.awsConfig} already hold the ${chosen.kind} configuration of ${options.stackName}.\n`);
    return 0;
  }
  for (const change of changes) {
    options.stdout(`--- ${change.file}${change.before === '' ? ' (new file)' : ''}\n${lineDiff(change.before, change.after).join('\n')}\n\n`);
  }
  const apply = options.yes || (options.confirm ? await options.confirm(`Write ${changes.map((c) => c.file).join(' and ')}? [y/N] `) : false);
  if (!apply) {
    options.stdout(options.confirm || options.yes ? 'Nothing written.\n' : 'Nothing written: run again with --yes to write these changes.\n');
    return EXIT_NOT_APPLIED;
  }
  for (const change of changes) {
    writeAtomically(change.file, change.after);
  }
  options.stdout(`Wrote ${changes.map((c) => c.file).join(' and ')}. Start Claude Code in a new terminal to use them.\n`);
  return 0;
}

function chooseAccess(outputs: ReturnType<typeof pickClientOutputs>, options: ConfigureOptions) {
  const available: AccessKind[] = [...(outputs.role ? ['role' as const] : []), ...(outputs.identityCenter ? ['identity-center' as const] : [])];
  const kind = options.access ?? (available.length === 1 ? available[0] : undefined);
  if (kind === undefined) {
    throw new ConfigureError(`stack '${options.stackName}' offers both an invoke role and an Identity Center permission set: choose one with --access role or --access identity-center`);
  }
  const picked = kind === 'role' ? outputs.role : outputs.identityCenter;
  if (!picked) {
    throw new ConfigureError(`stack '${options.stackName}' has no ${kind === 'role' ? 'invoke role' : 'Identity Center permission set'} configuration; it offers: ${available.join(', ')}`);
  }
  return { kind, outputs: picked };
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
