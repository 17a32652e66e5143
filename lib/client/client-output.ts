import { awsConfigProfile, checkProfileName, claudeCodeSettings, ClientOptions, CredentialSource, PinnedModels } from './client-configuration';
import { checkSubprocessCredentials } from './credential-isolation';
import { startUrlProblem } from './start-url';
import { SubprocessCredentials } from './subprocess-credentials';
import { Guardrail } from '../models/guardrail';
import { ModelReference, ModelReferenceKind } from '../models/model-reference';
import { isRegionName, partitionOf } from '../models/regions';

/**
 * The stack output a construct emits for `configure`: data only (ids, ARNs, names), never a command,
 * a setting or a file. `configure` validates every value and renders the files itself with the same
 * generator the constructs use, so a changed output can at worst name another granted model, never
 * add a hook, a URL or a command.
 */
export const CLIENT_OUTPUT_FORMAT = 'cdk-bedrock-least-privilege/claude-code-client';

/**
 * The versions this code reads. It writes the oldest that holds the data: version 1 for the isolated
 * default (so those outputs stay as they were), version 2, which must name `subprocessCredentials`,
 * for the opt-out; a configure that knows only version 1 then refuses it by its version, not in silence.
 */
export const CLIENT_OUTPUT_VERSION = 1;
export const CLIENT_OUTPUT_VERSION_WITH_OPT_OUT = 2;

/** How a developer's machine gets credentials, as `configure --access` names it. */
export type ClientAccess = 'role' | 'identity-center';

/** What the generator needs, as the constructs hold it and as `configure` reads it back. */
export interface ClientInput {
  readonly models: PinnedModels;
  readonly region: string;
  readonly source: CredentialSource;
  readonly guardrail?: Guardrail;
  /** @default - isolated: SubprocessCredentials.NONE */
  readonly options?: ClientOptions;
}

/** Where the output comes from: the stack's partition and account, which every ARN in it must share. */
export interface OutputOrigin {
  readonly partition: string;
  readonly accountId: string;
}

/** An output that is not exactly what this library writes; the message names the key and the value. */
export class ClientOutputError extends Error {}

/** The settings and the `~/.aws/config` text for an input: the constructs and `configure` both render through here. */
export function renderClient(input: ClientInput): { settings: Record<string, unknown>; awsConfig: string } {
  return {
    settings: claudeCodeSettings(input.models, input.region, input.source, input.guardrail, input.options),
    awsConfig: awsConfigProfile(input.source, input.region, input.options),
  };
}

/** The access kind of a credential source. */
export function accessOf(source: CredentialSource): ClientAccess {
  return source.kind === 'role' ? 'role' : 'identity-center';
}

/** The output's value, before JSON: the format, the version, then the data. May hold CDK tokens. */
export function clientOutputData(input: ClientInput): Record<string, unknown> {
  const { models, source } = input;
  const choice = input.options?.subprocessCredentials ?? SubprocessCredentials.NONE;
  checkSubprocessCredentials(choice);
  const optOut = choice !== SubprocessCredentials.NONE;
  const common = {
    format: CLIENT_OUTPUT_FORMAT,
    version: optOut ? CLIENT_OUTPUT_VERSION_WITH_OPT_OUT : CLIENT_OUTPUT_VERSION,
    ...(optOut ? { subprocessCredentials: choice } : {}),
    access: accessOf(source),
    region: input.region,
    models: {
      main: modelData(models.main),
      smallFast: modelData(models.smallFast),
      ...(models.opus ? { opus: modelData(models.opus) } : {}),
    },
    ...(input.guardrail ? { guardrail: { arn: input.guardrail.arn, version: input.guardrail.version } } : {}),
    profile: source.profile,
  };
  return source.kind === 'role'
    ? { ...common, roleArn: source.roleArn, sourceProfile: source.sourceProfile, sourceIdentity: source.sourceIdentity }
    : { ...common, startUrl: source.startUrl, ssoRegion: source.ssoRegion, accountIds: [...source.accountIds], permissionSetName: source.roleName };
}

function modelData(model: ModelReference): unknown {
  return model.kind === ModelReferenceKind.APPLICATION_PROFILE
    ? { applicationProfileArn: model.arn, copies: model.copies!.claudeCodeModelId }
    : model.claudeCodeModelId;
}

const COMMON_KEYS = ['format', 'version', 'access', 'region', 'models', 'profile'];
const KEYS: Record<ClientAccess, { required: string[]; optional: string[] }> = {
  'role': { required: [...COMMON_KEYS, 'roleArn', 'sourceProfile', 'sourceIdentity'], optional: ['guardrail'] },
  'identity-center': { required: [...COMMON_KEYS, 'startUrl', 'ssoRegion', 'accountIds', 'permissionSetName'], optional: ['guardrail'] },
};

const ROLE_ARN = /^arn:([a-z-]+):iam::(\d{12}):role\/([\w+=,.@-]{1,64})$/;
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads an output value strictly: exactly the keys of its access kind, each value checked against what
 * AWS and this library accept, every ARN in the stack's partition and, where it names an account, the
 * stack's account. The first problem throws, naming the key.
 */
export function parseClientOutput(text: string, access: ClientAccess, origin: OutputOrigin): ClientInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ClientOutputError('it is not JSON');
  }
  const version = versionIn(parsed);
  const { required, optional } = KEYS[access];
  const keys = version === CLIENT_OUTPUT_VERSION ? required : [...required, 'subprocessCredentials'];
  const data = objectWith(parsed, 'the output', keys, optional);
  const options = version === CLIENT_OUTPUT_VERSION
    ? {}
    : { options: { subprocessCredentials: subprocessCredentialsIn(data.subprocessCredentials) } };
  if (data.access !== access) {
    throw new ClientOutputError(`access is ${show(data.access)}, but the output's key says '${access}'`);
  }
  const region = regionIn(data.region, 'region', origin);
  const models = modelsIn(data.models, origin);
  const guardrail = data.guardrail === undefined ? undefined : guardrailIn(data.guardrail, origin);
  const profile = profileIn(data.profile, 'profile');
  if (access === 'role') {
    const roleArn = stringIn(data.roleArn, 'roleArn');
    const m = ROLE_ARN.exec(roleArn);
    if (!m) {
      throw new ClientOutputError(`roleArn ${show(roleArn)} is not an IAM role ARN such as arn:aws:iam::111122223333:role/ClaudeCodeBedrockInvoke`);
    }
    inOrigin(m[1], m[2], `roleArn ${show(roleArn)}`, origin);
    const sourceProfile = profileIn(data.sourceProfile, 'sourceProfile', true);
    if (sourceProfile === profile) {
      throw new ClientOutputError(`sourceProfile is the profile itself ('${profile}'), which would assume the role with its own credentials`);
    }
    if (typeof data.sourceIdentity !== 'boolean') {
      throw new ClientOutputError(`sourceIdentity is ${show(data.sourceIdentity)}, not true or false`);
    }
    return { models, region, guardrail, source: { kind: 'role', profile, roleArn, sourceProfile, sourceIdentity: data.sourceIdentity }, ...options };
  }
  const startUrl = stringIn(data.startUrl, 'startUrl');
  const urlProblem = startUrlProblem(startUrl);
  if (urlProblem) {
    throw new ClientOutputError(`startUrl: ${urlProblem}`);
  }
  const ssoRegion = regionIn(data.ssoRegion, 'ssoRegion', origin);
  if (!Array.isArray(data.accountIds) || data.accountIds.length === 0) {
    throw new ClientOutputError(`accountIds is ${show(data.accountIds)}: the permission set must be assigned in at least one account; ask your platform team to assign it`);
  }
  const accountIds = data.accountIds.map((a, i) => {
    if (typeof a !== 'string' || !ACCOUNT_ID.test(a)) {
      throw new ClientOutputError(`accountIds[${i}] is ${show(a)}, not a 12-digit account id`);
    }
    return a;
  });
  if (new Set(accountIds).size !== accountIds.length) {
    throw new ClientOutputError('accountIds lists an account twice');
  }
  const roleName = stringIn(data.permissionSetName, 'permissionSetName');
  if (!PERMISSION_SET_NAME.test(roleName)) {
    throw new ClientOutputError(`permissionSetName ${show(roleName)} is not a permission set name (1 to 32 letters, digits or _+=,.@-)`);
  }
  return { models, region, guardrail, source: { kind: 'sso', profile, startUrl, ssoRegion, accountIds, roleName }, ...options };
}

// Read before the keys are checked, since the version decides which keys belong.
function versionIn(parsed: unknown): number {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ClientOutputError(`the output is ${show(parsed)}, not a JSON object`);
  }
  const { format, version } = parsed as Record<string, unknown>;
  if (format !== CLIENT_OUTPUT_FORMAT) {
    throw new ClientOutputError(`format is ${show(format)}, not '${CLIENT_OUTPUT_FORMAT}'`);
  }
  if (version !== CLIENT_OUTPUT_VERSION && version !== CLIENT_OUTPUT_VERSION_WITH_OPT_OUT) {
    throw new ClientOutputError(`version is ${show(version)}, and this configure reads versions ${CLIENT_OUTPUT_VERSION} and ${CLIENT_OUTPUT_VERSION_WITH_OPT_OUT} only: `
      + 'use the cdk-bedrock-least-privilege version the stack was deployed with');
  }
  return version;
}

// Only the opt-out the generator can render; BEDROCK_ONLY is refused at synthesis, so no output of ours names it.
function subprocessCredentialsIn(value: unknown): SubprocessCredentials {
  if (value !== SubprocessCredentials.NONE && value !== SubprocessCredentials.INHERIT) {
    throw new ClientOutputError(`subprocessCredentials is ${show(value)}, not '${SubprocessCredentials.NONE}' or '${SubprocessCredentials.INHERIT}'`);
  }
  return value;
}

function modelsIn(value: unknown, origin: OutputOrigin): PinnedModels {
  const models = objectWith(value, 'models', ['main', 'smallFast'], ['opus']);
  return {
    main: modelIn(models.main, 'models.main', origin),
    smallFast: modelIn(models.smallFast, 'models.smallFast', origin),
    opus: models.opus === undefined ? undefined : modelIn(models.opus, 'models.opus', origin),
  };
}

function modelIn(value: unknown, where: string, origin: OutputOrigin): ModelReference {
  if (typeof value === 'string') {
    return checked(where, () => ModelReference.parse(value));
  }
  const profile = objectWith(value, where, ['applicationProfileArn', 'copies'], []);
  const arn = stringIn(profile.applicationProfileArn, `${where}.applicationProfileArn`);
  const copies = checked(`${where}.copies`, () => ModelReference.parse(stringIn(profile.copies, `${where}.copies`)));
  const model = checked(where, () => ModelReference.applicationProfile(arn, copies));
  const [, partition, , , account] = arn.split(':');
  inOrigin(partition, account, `${where}.applicationProfileArn ${show(arn)}`, origin);
  return model;
}

function guardrailIn(value: unknown, origin: OutputOrigin): Guardrail {
  const g = objectWith(value, 'guardrail', ['arn', 'version'], []);
  const guardrail = checked('guardrail', () => Guardrail.fromArn(stringIn(g.arn, 'guardrail.arn'), stringIn(g.version, 'guardrail.version')));
  if (guardrail.arn.split(':')[1] !== origin.partition) {
    throw new ClientOutputError(`guardrail.arn ${show(guardrail.arn)} is in another partition than the stack (${origin.partition})`);
  }
  return guardrail;
}

function regionIn(value: unknown, where: string, origin: OutputOrigin): string {
  const region = stringIn(value, where);
  if (!isRegionName(region)) {
    throw new ClientOutputError(`${where} ${show(region)} is not a Region name such as us-east-1`);
  }
  if (partitionOf(region) !== origin.partition) {
    throw new ClientOutputError(`${where} ${show(region)} is in another partition than the stack (${origin.partition})`);
  }
  return region;
}

function profileIn(value: unknown, where: string, mayBeDefault = false): string {
  const name = stringIn(value, where);
  checked(where, () => checkProfileName(where, name));
  // Written as a profile, default would answer every AWS command run without --profile; as the source it is only read.
  if (name === 'default' && !mayBeDefault) {
    throw new ClientOutputError(`${where} is 'default', the profile every AWS command without --profile uses; configure writes only named profiles`);
  }
  return name;
}

function inOrigin(partition: string, account: string, what: string, origin: OutputOrigin): void {
  if (partition !== origin.partition || account !== origin.accountId) {
    throw new ClientOutputError(`${what} is not in the stack's account ${origin.accountId} (${origin.partition})`);
  }
}

function objectWith(value: unknown, where: string, required: readonly string[], optional: readonly string[]): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ClientOutputError(`${where} is ${show(value)}, not a JSON object`);
  }
  const record = value as Record<string, unknown>;
  const unexpected = Object.keys(record).filter((k) => !required.includes(k) && !optional.includes(k));
  if (unexpected.length > 0) {
    const prefix = where === 'the output' ? '' : `${where}.`;
    throw new ClientOutputError(`unexpected ${unexpected.map((k) => `'${prefix}${k}'`).join(', ')} (a ${where === 'the output' ? 'client output' : where} holds only ${[...required, ...optional].join(', ')})`);
  }
  const missing = required.filter((k) => record[k] === undefined);
  if (missing.length > 0) {
    throw new ClientOutputError(`${where} lacks ${missing.join(', ')}`);
  }
  return record;
}

function stringIn(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new ClientOutputError(`${where} is ${show(value)}, not a string`);
  }
  return value;
}

function checked<T>(where: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    throw new ClientOutputError(`${where}: ${(e as Error).message}`);
  }
}

// Values shown in messages are cut short and kept on one line: a hostile value must not flood the terminal.
function show(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
