import { CONTAINMENT_USAGE, ContainmentCommand, parseContainmentArgs } from './containment/containment-args';
import { UsageError } from './usage-error';
import { isRegionName } from '../models/regions';

export const USAGE = `Usage:
  cdk-bedrock-least-privilege doctor [--json] [--project <dir>] [--admin-profile <name>] [--principal-arn <arn>] [--offline]
      Audits this machine the way Claude Code sees it: settings files, environment, credentials,
      model ids, the AWS identity and, with --admin-profile, what else it may do. As Claude Code's
      identity it calls only Bedrock's ListInferenceProfiles and GetInferenceProfile.
      Exit code: 0 fine or low, 1 medium, 2 high, 3 critical, 4 the doctor could not run.
  cdk-bedrock-least-privilege configure --stack <name> [--region <r>] [--profile <name>] [--account <id>]
      [--access role|identity-center] [--source-profile <name>] [--construct <id>] [--yes]
      Reads the stack's Claude Code outputs (CloudFormation DescribeStacks, with --profile's credentials)
      and merges them into ~/.claude/settings.json and ~/.aws/config, keeping every other setting and
      profile. Shows the changes first; writes after you confirm, or at once with --yes. Never replaces
      a profile it did not write. --source-profile: the profile that assumes the invoke role.
      --account: the account the stack must be in (required with --yes). --construct: the construct
      id the outputs are under, when the stack holds several.
  cdk-bedrock-least-privilege catalog refresh [--regions r1,r2] [--file <catalog.json>] [--check]
      For maintainers: asks Bedrock in each Region for its Claude inference profiles and rewrites
      lib/models/catalog.json in a stable order. --check writes nothing and exits 1 on a difference.
${CONTAINMENT_USAGE}`;

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
  readonly yes: boolean;
}

export type Command =
  | { readonly name: 'help' }
  | DoctorCommand
  | ConfigureCommand
  | ContainmentCommand
  | { readonly name: 'catalog-refresh'; readonly regions?: string[]; readonly file?: string; readonly check: boolean };

/** Reads the command line (without `node` and the script). */
export function parseArgs(argv: readonly string[]): Command {
  const [first, second, ...rest] = argv;
  if (first === undefined || ['help', '--help', '-h'].includes(first)) {
    return { name: 'help' };
  }
  if (first === 'doctor') {
    const flags = readFlags([second, ...rest].filter((a): a is string => a !== undefined), ['--project', '--principal-arn', '--admin-profile'], ['--json', '--offline']);
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
    const flags = readFlags(rest, ['--regions', '--file'], ['--check']);
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
  throw new UsageError(`unknown command '${first}': use 'doctor', 'configure', 'containment' or 'catalog refresh'`);
}

function parseConfigure(args: readonly string[]): ConfigureCommand {
  const flags = readFlags(args, ['--stack', '--region', '--profile', '--access', '--source-profile', '--construct', '--account'], ['--yes']);
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
