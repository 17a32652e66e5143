/** A policy statement as IAM accepts it: single values or lists, any key case in conditions. */
export interface StatementInput {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly NotPrincipal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}

export interface PolicyInput {
  readonly Statement?: StatementInput | StatementInput[];
}

/**
 * Reads a policy document as Config sends it (URL-encoded JSON), as IAM returns it elsewhere (plain
 * JSON), or already parsed. Returns undefined when it cannot be read.
 */
export function readPolicy(value: unknown): PolicyInput | undefined {
  if (value && typeof value === 'object') {
    return value as PolicyInput;
  }
  if (typeof value !== 'string' || value.length === 0) {
    return undefined;
  }
  for (const text of [value, safeDecode(value)]) {
    if (text === undefined) {
      continue;
    }
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        return parsed as PolicyInput;
      }
    } catch {
      // Not JSON in this form; try the next.
    }
  }
  return undefined;
}

/** The statements of a policy, always as a list. */
export function statementsOf(policy: PolicyInput): StatementInput[] {
  const s = policy.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

/** A single value or a list, always as a list of strings. */
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function safeDecode(text: string): string | undefined {
  try {
    // Config encodes spaces as '+' in some items, as form encoding does.
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}
