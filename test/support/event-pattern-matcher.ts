/**
 * A test-only EventBridge pattern matcher for the operators the library emits, following EventBridge's
 * documented semantics: a field must be present unless `exists: false`; values in a pattern array are
 * alternatives; an array in the event matches when any element does; `anything-but` never matches a
 * missing field; `$or` holds two or more patterns for the same level, of which one must match besides
 * the level's other keys (EventBridge User Guide, "Content filtering": "Or matching").
 */
export function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isObject)) {
        throw new Error(`$or takes two or more patterns, got ${JSON.stringify(rule)}`);
      }
      return rule.some((branch) => matches(branch, event));
    }
    return matchField(rule, (event as Record<string, unknown> | undefined)?.[key]);
  });
}

function matchField(rule: unknown, value: unknown): boolean {
  if (Array.isArray(rule)) {
    const candidates = Array.isArray(value) ? value : [value];
    // `exists: false` is the one matcher that succeeds on a missing field.
    if (value === undefined) {
      return rule.some((r) => isObject(r) && r.exists === false);
    }
    return rule.some((r) => candidates.some((v) => matchLeaf(r, v)));
  }
  if (isObject(rule)) {
    // EventBridge flattens an array of objects: `resources.ARN` is the list of every element's ARN
    // (EventBridge User Guide, "Matching on arrays": the pattern matches when any element does).
    if (Array.isArray(value)) {
      return value.some((element) => isObject(element) && matches(rule, element));
    }
    if (!isObject(value)) {
      return false;
    }
    return matches(rule, value);
  }
  throw new Error(`pattern leaf must be an array, got ${JSON.stringify(rule)}`);
}

function matchLeaf(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) {
    return rule === value;
  }
  const [op, arg] = single(rule);
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(arg as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(arg as string);
    case 'exists':
      return arg === true;
    case 'wildcard':
      // `*` stands for any run of characters, everything else is literal (EventBridge User Guide, "Wildcard matching").
      return typeof value === 'string' && new RegExp(`^${(arg as string).split('*').map(escapeRegExp).join('.*')}$`).test(value);
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      throw new Error(`operator ${op} is not supported by the test matcher`);
  }
}

function anythingBut(arg: unknown, value: unknown): boolean {
  if (isObject(arg)) {
    const [op, inner] = single(arg);
    const list = Array.isArray(inner) ? inner : [inner];
    if (op === 'prefix') {
      return typeof value === 'string' && !list.some((p) => value.startsWith(p as string));
    }
    throw new Error(`anything-but ${op} is not supported by the test matcher`);
  }
  const list = Array.isArray(arg) ? arg : [arg];
  return !list.includes(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function single(o: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(o);
  if (entries.length !== 1) {
    throw new Error(`an operator object has exactly one key, got ${JSON.stringify(o)}`);
  }
  return entries[0];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
