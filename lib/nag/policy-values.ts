import { Stack, Token } from 'aws-cdk-lib';

/**
 * Stands for a part of a value that synthesis cannot know: a parameter, an attribute of another
 * resource, an import. Matching treats it as "could be anything" when asking whether a grant may
 * cover something, and as "nothing" when asking whether a grant surely does; so an unknown value
 * never produces a finding on its own.
 */
export const UNKNOWN = '\u0001';

/** Values of the pseudo parameters that the stack knows at synth (an environment-bound stack). */
export interface PseudoValues {
  readonly region?: string;
  readonly account?: string;
  readonly partition?: string;
}

/** The pseudo parameters a stack has concrete values for. */
export function pseudoValuesOf(stack: Stack): PseudoValues {
  const known = (v: string) => (Token.isUnresolved(v) ? undefined : v);
  return { region: known(stack.region), account: known(stack.account), partition: known(stack.partition) };
}

/**
 * A resolved CloudFormation value as one string: `Fn::Join` and `Fn::Sub` are expanded, pseudo
 * parameters the stack knows are substituted, anything else becomes `UNKNOWN`. IAM policy variables
 * such as `${aws:PrincipalAccount}` are kept as written.
 */
export function flatten(value: unknown, pseudo: PseudoValues): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return UNKNOWN;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length !== 1) {
    return UNKNOWN;
  }
  if (keys[0] === 'Ref' && typeof obj.Ref === 'string') {
    return pseudoParameter(obj.Ref, pseudo) ?? UNKNOWN;
  }
  if (keys[0] === 'Fn::Join') {
    const args = obj['Fn::Join'];
    if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && Array.isArray(args[1])) {
      return args[1].map((part) => flatten(part, pseudo)).join(args[0]);
    }
    return UNKNOWN;
  }
  if (keys[0] === 'Fn::Sub') {
    return flattenSub(obj['Fn::Sub'], pseudo);
  }
  return UNKNOWN;
}

function pseudoParameter(name: string, pseudo: PseudoValues): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.account;
    case 'AWS::Partition':
      return pseudo.partition;
    default:
      return undefined;
  }
}

function flattenSub(args: unknown, pseudo: PseudoValues): string {
  const [template, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof template !== 'string') {
    return UNKNOWN;
  }
  const vars = (variables && typeof variables === 'object' ? variables : {}) as Record<string, unknown>;
  return template.replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, name: string) => {
    if (bang) {
      // `${!aws:PrincipalAccount}` is Fn::Sub's escape for the literal policy variable.
      return '${' + name + '}';
    }
    if (Object.prototype.hasOwnProperty.call(vars, name)) {
      return flatten(vars[name], pseudo);
    }
    return pseudoParameter(name, pseudo) ?? UNKNOWN;
  });
}

/** A value that is a single string or a list of them, as IAM allows; every element flattened. */
export function flattenList(value: unknown, pseudo: PseudoValues): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => flatten(v, pseudo));
}

/** How to read the unknown parts of a pattern: as anything (may it match?) or as nothing (does it surely?). */
export enum Unknowns {
  MATCH_ANYTHING,
  MATCH_NOTHING,
}

const regexCache = new Map<string, RegExp>();

/**
 * IAM's wildcard matching: `*` is any run of characters (across ARN colons too, which is the
 * more lenient reading and so the safer one for "may it match"), `?` one character. Policy
 * variables (`${aws:PrincipalAccount}`) and unknown parts follow `unknowns`.
 */
export function globMatches(pattern: string, value: string, unknowns: Unknowns, caseInsensitive = false): boolean {
  const key = `${unknowns}|${caseInsensitive}|${pattern}`;
  let regex = regexCache.get(key);
  if (!regex) {
    const anything = unknowns === Unknowns.MATCH_ANYTHING ? '[\\s\\S]*' : '(?!)';
    let source = '';
    for (const piece of pattern.split(/(\$\{[^}]*\}|\u0001)/)) {
      if (piece === UNKNOWN) {
        source += anything;
      } else if (piece.startsWith('${') && piece.endsWith('}')) {
        const inner = piece.slice(2, -1);
        source += ['*', '?', '$'].includes(inner) ? escapeRegex(inner) : anything;
      } else {
        source += piece.split('').map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : escapeRegex(c))).join('');
      }
    }
    regex = new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
    regexCache.set(key, regex);
  }
  return regex.test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when the text holds an IAM wildcard (`*` or `?`) outside policy-variable escapes such as `${*}`. */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text.replace(/\$\{[^}]*\}/g, ''));
}

/** True when the text holds a part that synthesis cannot know, or an IAM policy variable. */
export function hasUnknown(text: string): boolean {
  return text.includes(UNKNOWN) || /\$\{[^}]*\}/.test(text);
}

/** The text with unknown parts shown as `<unknown>`, for findings. */
export function printable(text: string): string {
  return text.split(UNKNOWN).join('<unknown>');
}

/**
 * The six colon-separated fields of an ARN; the last keeps its own colons (`...-v1:0`), and a
 * policy variable such as `${aws:PrincipalAccount}` stays inside its field.
 */
export function arnFields(arn: string): string[] {
  const fields: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < arn.length && fields.length < 5; i++) {
    if (arn.startsWith('${', i)) {
      depth++;
    } else if (arn[i] === '}' && depth > 0) {
      depth--;
    } else if (arn[i] === ':' && depth === 0) {
      fields.push(arn.slice(start, i));
      start = i + 1;
    }
  }
  fields.push(arn.slice(start));
  return fields;
}
