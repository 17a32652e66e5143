import { USER_ID } from '../../models/identity-center-deny-list';
import { isRegionName } from '../../models/regions';
import { SESSION_NAME } from '../../models/role-containment-policy';
import { UsageError } from '../usage-error';

export const CONTAINMENT_USAGE = `  cdk-bedrock-least-privilege containment list (--role <name> | --permission-set-arn <arn> --instance-arn <arn>) [--profile <name>] [--region <r>]
      Lists whom containment denies on an invoke role or a permission set.
  cdk-bedrock-least-privilege containment lift (--role <name> | --permission-set-arn <arn> --instance-arn <arn>)
      (--source-identity <name> | --session <name> | --user-id <id> | --wider-stop | --every-session) [--profile <name>] [--region <r>]
      Lifts one containment: rewrites the policy without it (and, for a permission set, provisions it again).
`;

/** Which identity's containment the command reads or edits. */
export type ContainmentTargetArgs =
  | { readonly kind: 'role'; readonly roleName: string }
  | { readonly kind: 'permission-set'; readonly permissionSetArn: string; readonly instanceArn: string };

/** One entry to lift. */
export type LiftEntry =
  | { readonly sourceIdentity: string }
  | { readonly sessionName: string }
  | { readonly userId: string }
  | { readonly widerStop: true }
  | { readonly everySession: true };

export interface ContainmentCommand {
  readonly name: 'containment';
  readonly action: 'list' | 'lift';
  readonly target: ContainmentTargetArgs;
  readonly lift?: LiftEntry;
  readonly profile?: string;
  readonly region?: string;
}

const VALUED = ['--role', '--permission-set-arn', '--instance-arn', '--source-identity', '--session', '--user-id', '--profile', '--region'];

/** Reads `containment list|lift ...`, with an error that names the value and the fix. */
export function parseContainmentArgs(args: readonly string[]): ContainmentCommand {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'lift') {
    throw new UsageError(`unknown containment command '${action ?? ''}': use 'containment list' or 'containment lift'`);
  }
  const values: Record<string, string> = {};
  let widerStop = false;
  let everySession = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--wider-stop') {
      widerStop = true;
    } else if (rest[i] === '--every-session') {
      everySession = true;
    } else if (VALUED.includes(rest[i])) {
      const value = rest[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`${rest[i - 1]} needs a value`);
      }
      values[rest[i - 1]] = value;
    } else {
      throw new UsageError(`unknown option '${rest[i]}'; known here: ${[...VALUED, '--wider-stop', '--every-session'].join(', ')}`);
    }
  }
  const target = targetOf(values);
  const region = values['--region'];
  if (region !== undefined && !isRegionName(region)) {
    throw new UsageError(`--region '${region}' is not a Region name such as us-east-1`);
  }
  return { name: 'containment', action, target, lift: action === 'lift' ? liftOf(values, widerStop, everySession, target) : undefined, profile: values['--profile'], region };
}

function targetOf(values: Record<string, string>): ContainmentTargetArgs {
  const role = values['--role'];
  const set = values['--permission-set-arn'];
  if ((role === undefined) === (set === undefined)) {
    throw new UsageError('name one identity: --role <invoke role name>, or --permission-set-arn <arn> with --instance-arn <arn>');
  }
  if (role !== undefined) {
    if (!/^[\w+=,.@-]{1,64}$/.test(role)) {
      throw new UsageError(`--role '${role}' is not an IAM role name`);
    }
    return { kind: 'role', roleName: role };
  }
  const instance = values['--instance-arn'];
  if (!/^arn:aws[\w-]*:sso:::permissionSet\/(sso)?ins-[\w.-]{16}\/ps-[\w.-]{16}$/.test(set!)) {
    throw new UsageError(`--permission-set-arn '${set}' is not a permission set ARN such as arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef`);
  }
  if (instance === undefined || !/^arn:aws[\w-]*:sso:::instance\/(sso)?ins-[\w.-]{16}$/.test(instance)) {
    throw new UsageError(`--instance-arn '${instance ?? ''}' is not an Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-1234567890abcdef`);
  }
  return { kind: 'permission-set', permissionSetArn: set!, instanceArn: instance };
}

function liftOf(values: Record<string, string>, widerStop: boolean, everySession: boolean, target: ContainmentTargetArgs): LiftEntry {
  const flags = [widerStop ? 'x' : undefined, everySession ? 'x' : undefined];
  const given = [values['--source-identity'], values['--session'], values['--user-id'], ...flags].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new UsageError('lift needs exactly one of --source-identity, --session, --user-id, --wider-stop or --every-session (see containment list)');
  }
  if (everySession) {
    return { everySession: true };
  }
  if (values['--user-id'] !== undefined) {
    if (target.kind !== 'permission-set' || !USER_ID.test(values['--user-id'])) {
      throw new UsageError(`--user-id '${values['--user-id']}' lifts an Identity Store user id from a permission set (--permission-set-arn)`);
    }
    return { userId: values['--user-id'] };
  }
  if (widerStop) {
    return { widerStop: true };
  }
  if (target.kind !== 'role') {
    throw new UsageError('a permission set contains users by --user-id, or everyone by --wider-stop');
  }
  const name = values['--source-identity'] ?? values['--session'];
  if (!SESSION_NAME.test(name)) {
    throw new UsageError(`'${name}' is not a session name or source identity (2 to 64 of letters, digits and _+=,.@-)`);
  }
  return values['--source-identity'] !== undefined ? { sourceIdentity: name } : { sessionName: name };
}
