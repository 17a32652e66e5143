import { ContainmentCommand, parseContainmentArgs } from './containment/containment-args';
import { UsageError } from './usage-error';
import { HelpTopic } from './usage-text';
import { isRegionName } from '../models/regions';

/** Each command's options, valued then switches; its help page explains every one. */
export const OPTIONS = {
  'doctor': { valued: ['--project', '--principal-arn', '--admin-profile'], switches: ['--json', '--offline'] },
  'configure': { valued: ['--stack', '--region', '--profile', '--account', '--access', '--source-profile', '--construct', '--subprocess-credentials'], switches: ['--yes'] },
  'catalog-refresh': { valued: ['--regions', '--file'], switches: ['--check'] },
} as const;

/** The doctor's options. */
export interface DoctorCommand {
  readonly name: 'doctor';
  readonly json: boolean;
  readonly projectDir?: string;
  readonly principalArn?: string;
  /** A profile for IAM questions, never the one Claude Code uses. */
  readonly adminProfile?: string;
  readonly offline: boolean;
}

/** The configure command's options. */
export interface ConfigureCommand {
  readonly name: 'configure';
  readonly stack: string;
  readonly region?: string;
  readonly profile?: string;
  readonly access?: 'role' | 'identity-center';
  readonly sourceProfile?: string;
  readonly construct?: string;
  readonly account?: string;
  /** What the developer accepts for subprocesses: none keeps isolation whatever the stack says; inherit accepts the stack's opt-out. */
  readonly subprocessCredentials?: 'none' | 'inherit';
  readonly yes: boolean;
}

export type Command =
  | { readonly name: 'help'; readonly topic?: HelpTopic }
  | { readonly name: 'version' }
  | DoctorCommand
  | ConfigureCommand
  | ContainmentCommand
  | { readonly name: 'catalog-refresh'; readonly regions?: string[]; readonly file?: string; readonly check: boolean };

/** Reads the command line (without `node` and the script). */
export function parseArgs(argv: readonly string[]): Command {
  const [first, second, ...rest] = argv;
  if (first === '--version') {
    return { name: 'version' };
  }
  if (first === undefined || ['help', '--help', '-h'].includes(first)) {
    // `help doctor` reads as `doctor --help`.
    return second === undefined ? { name: 'help' } : { name: 'help', topic: topicOf(second, rest[0]) };
  }
  // `--help` anywhere after a command asks for that command's help, whatever else is on the line.
  if (argv.some((a) => a === '--help' || a === '-h')) {
    return { name: 'help', topic: topicOf(first, second) };
  }
  if (first === 'doctor') {
    const flags = readFlags([second, ...rest].filter((a): a is string => a !== undefined), OPTIONS.doctor.valued, OPTIONS.doctor.switches);
    const principalArn = flags.values['--principal-arn'];
    if (principalArn !== undefined && !/^arn:[a-z-]+:iam::\d{12}:(user|role)\/.+$/.test(principalArn)) {
      throw new UsageError(`--principal-arn '${principalArn}' is not an IAM user or role ARN such as arn:aws:iam::111122223333:role/ClaudeCode`);
    }
    const adminProfile = flags.values['--admin-profile'];
    if (adminProfile !== undefined && !/^[\w+=,.@:/-]+$/.test(adminProfile)) {
      throw new UsageError(`--admin-profile '${adminProfile}' is not a profile name from ~/.aws/config`);
    }
    return {
      name: 'doctor', json: flags.switches.has('--json'), offline: flags.switches.has('--offline'), projectDir: flags.values['--project'], principalArn, adminProfile,
    };
  }
  if (first === 'configure') {
    return parseConfigure([second, ...rest].filter((a): a is string => a !== undefined));
  }
  if (first === 'catalog' && second === 'refresh') {
    const flags = readFlags(rest, OPTIONS['catalog-refresh'].valued, OPTIONS['catalog-refresh'].switches);
    const regions = flags.values['--regions']?.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
    if (regions !== undefined) {
      if (regions.length === 0) {
        throw new UsageError('--regions is empty: name Regions separated by commas, such as --regions us-east-1,eu-west-1');
      }
      const bad = regions.filter((r) => !isRegionName(r));
      if (bad.length > 0) {
        throw new UsageError(`--regions has ${bad.map((r) => `'${r}'`).join(', ')}, not Region names such as us-east-1`);
      }
    }
    return { name: 'catalog-refresh', regions, file: flags.values['--file'], check: flags.switches.has('--check') };
  }
  if (first === 'containment') {
    return parseContainmentArgs([second, ...rest].filter((a): a is string => a !== undefined));
  }
  if (first === 'catalog') {
    throw new UsageError(`unknown catalog command '${second ?? ''}': the one there is, is 'catalog refresh'`);
  }
  throw new UsageError(`unknown command '${first}': use 'doctor', 'configure' or 'containment' (see --help)`);
}

function topicOf(command: string, subcommand: string | undefined): HelpTopic {
  if (command === 'doctor' || command === 'configure' || command === 'containment') {
    return command;
  }
  if (command === 'catalog' && (subcommand === undefined || subcommand === 'refresh' || subcommand.startsWith('-'))) {
    return 'catalog-refresh';
  }
  throw new UsageError(`unknown command '${[command, ...(command === 'catalog' && subcommand ? [subcommand] : [])].join(' ')}': use 'doctor', 'configure' or 'containment'`);
}

function parseConfigure(args: readonly string[]): ConfigureCommand {
  const flags = readFlags(args, OPTIONS.configure.valued, OPTIONS.configure.switches);
  const stack = flags.values['--stack'];
  if (stack === undefined) {
    throw new UsageError('configure needs --stack <name>: the stack that holds ClaudeCodeBedrockAccess');
  }
  const region = flags.values['--region'];
  if (region !== undefined && !isRegionName(region)) {
    throw new UsageError(`--region '${region}' is not a Region name such as us-east-1`);
  }
  const access = flags.values['--access'];
  if (access !== undefined && access !== 'role' && access !== 'identity-center') {
    throw new UsageError(`--access '${access}' is not one of: role, identity-center`);
  }
  const account = flags.values['--account'];
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new UsageError(`--account '${account}' is not a 12-digit AWS account id such as 111122223333`);
  }
  const subprocessCredentials = flags.values['--subprocess-credentials'];
  if (subprocessCredentials !== undefined && subprocessCredentials !== 'none' && subprocessCredentials !== 'inherit') {
    throw new UsageError(`--subprocess-credentials '${subprocessCredentials}' is not one of: none, inherit`);
  }
  for (const name of ['--profile', '--source-profile'] as const) {
    const value = flags.values[name];
    if (value !== undefined && !/^[\w+.@:/-]+$/.test(value)) {
      throw new UsageError(`${name} '${value}' is not a profile name from ~/.aws/config`);
    }
  }
  return {
    name: 'configure',
    stack,
    region,
    profile: flags.values['--profile'],
    access,
    sourceProfile: flags.values['--source-profile'],
    construct: flags.values['--construct'],
    account,
    subprocessCredentials,
    yes: flags.switches.has('--yes'),
  };
}

function readFlags(args: readonly string[], valued: readonly string[], switches: readonly string[]) {
  const values: Record<string, string> = {};
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].startsWith('--') && args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
    if (switches.includes(name) && inline === undefined) {
      on.add(name);
    } else if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`${name} needs a value`);
      }
      values[name] = value;
    } else {
      throw new UsageError(`unknown option '${args[i]}'; known here: ${[...valued, ...switches].join(', ')}`);
    }
  }
  return { values, switches: on };
}
