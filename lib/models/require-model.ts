import { ModelReference } from './model-reference';

/**
 * The prop as a `ModelReference`, or an error naming the prop and the fix. TypeScript callers cannot
 * get here with anything else; JavaScript callers (and jsii languages passing null) can, and would
 * otherwise meet a TypeError deep inside the library.
 */
export function requireModel(value: unknown, prop: string, example: string): ModelReference {
  if (value instanceof ModelReference) {
    return value;
  }
  const fix = `pass ModelReference.parse('${example}') or another ModelReference`;
  if (value === undefined || value === null) {
    throw new Error(`${prop} is missing: it is required; ${fix}`);
  }
  if (typeof value === 'string') {
    throw new Error(`${prop} is the string '${value}': wrap it as ModelReference.parse('${value}')`);
  }
  throw new Error(`${prop} is not a ModelReference (got ${Array.isArray(value) ? 'an array' : typeof value}): ${fix}`);
}

/** A required list of models, each checked as `requireModel` does. */
export function requireModels(value: unknown, prop: string, example: string): ModelReference[] {
  if (!Array.isArray(value)) {
    throw new Error(`${prop} is ${value === undefined || value === null ? 'missing' : `not a list (got ${typeof value})`}: pass a list such as [ModelReference.parse('${example}')]`);
  }
  return value.map((v, i) => requireModel(v, `${prop}[${i}]`, example));
}
