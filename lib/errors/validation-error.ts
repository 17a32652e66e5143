import * as path from 'path';
import { IConstruct } from 'constructs';

/*
 * aws-cdk-lib 2.258 keeps its own ValidationError `@internal` (only `Errors.isValidationError` is
 * public, and the constructor takes a private literal-string type), so this is the same shape built
 * here: the message, the construct path and the prop, and the user's own frames only.
 */

// This package's compiled sources: frames in them are the library's, not the user's.
const LIBRARY_SOURCES = `${path.resolve(__dirname, '..')}${path.sep}`;

/** A bad prop, told as CDK tells its own: `ValidationError: <message>\n  at path [<path>] in prop '<prop>'`. */
class ValidationError extends Error {
  declare readonly constructPath: string | undefined;
  declare readonly prop: string | undefined;
  declare readonly detail: string;

  constructor(message: string, constructPath: string | undefined, prop: string | undefined, detail: string) {
    super(message);
    Object.setPrototypeOf(this, ValidationError.prototype);
    // Not enumerable, so Node.js prints the message alone, not an object dump after it.
    Object.defineProperties(this, {
      constructPath: { value: constructPath },
      prop: { value: prop },
      detail: { value: detail },
      name: { value: 'ValidationError', configurable: true, writable: true },
    });
    this.stack = [`${this.name}: ${message}`, ...userFrames(ValidationError)].join('\n');
  }
}

/** Where the error is: the construct path, and the prop when one is to blame. */
function location(scope: IConstruct, prop: string | undefined): string {
  return `  at path [${scope.node.path}]${prop === undefined ? '' : ` in prop '${prop}'`}`;
}

/** One prop, or either of several ("'a' or 'b'" once quoted). */
function propLabel(prop: string | readonly string[] | undefined): string | undefined {
  return typeof prop === 'string' || prop === undefined ? prop : prop.join('\' or \'');
}

/** The caller's frames, without those in this library, in node_modules or in Node.js itself. */
function userFrames(below: Function): string[] {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  return (holder.stack ?? '').split('\n')
    .filter((line) => line.startsWith('    at '))
    .filter((line) => !line.includes(LIBRARY_SOURCES) && !line.includes(`${path.sep}node_modules${path.sep}`) && !line.includes('(node:') && !line.includes(' node:'));
}

/**
 * The error to throw for a bad prop of `scope`: the message (what is wrong, the value, the fix),
 * then the construct path and the prop.
 */
export function validationError(scope: IConstruct, prop: string | readonly string[] | undefined, message: string): Error {
  const label = propLabel(prop);
  return new ValidationError(`${message}\n${location(scope, label)}`, scope.node.path, label, message);
}

/** For a check that has no construct (a static factory): the message and the user's frames, no trace into the library. */
export function unscopedValidationError(message: string): Error {
  return new ValidationError(message, undefined, undefined, message);
}

/** Options of `attributeTo`. */
export interface Attribution {
  /** Names the inner code uses for props the user set under another name here, such as `{ monthlyLimitUsd: 'monthlySpendLimitUsd' }`. */
  readonly renamed?: Record<string, string>;
  /** Picks the prop from the message when its start does not tell (such as the model whose id it names). */
  readonly propFor?: (message: string) => string | undefined;
}

/**
 * Runs `check` and tells any plain `Error` it throws (from lib/models, a helper without a scope, or
 * an inner construct of this library) as a validation error of `scope`. The prop is the one of
 * `props` the message starts with, else the inner construct's (renamed), else `propFor`'s, else the
 * first. Other errors (a TypeError, aws-cdk-lib's own validation errors) pass through unchanged.
 */
export function attributeTo<T>(scope: IConstruct, props: string | readonly string[], check: () => T, options: Attribution = {}): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ValidationError && e.constructPath === scope.node.path) {
      throw e;
    }
    const inner = e instanceof ValidationError ? e : plainError(e);
    if (inner === undefined) {
      throw e;
    }
    const candidates = typeof props === 'string' ? [props] : props;
    const rename = (text: string) => Object.entries(options.renamed ?? {})
      .reduce((t, [from, to]) => t.replace(new RegExp(`(?<![\\w.])${escape(from)}\\b`, 'g'), to), text);
    const detail = rename(inner.detail);
    const innerProp = inner.prop === undefined ? undefined : rename(inner.prop);
    const prop = candidates.find((p) => new RegExp(`^${escape(p)}(?![\\w.])`).test(detail))
      ?? (candidates.some((p) => innerProp === p || innerProp?.startsWith(`${p}.`)) ? innerProp : undefined)
      ?? options.propFor?.(detail)
      ?? candidates[0];
    // An inner construct of this library already said where: keep that, after the prop of this one that led there.
    const via = inner.constructPath === undefined ? '' : ` (passed on to [${inner.constructPath}]${inner.prop === undefined || inner.prop === prop ? '' : ` as '${inner.prop}'`})`;
    throw new ValidationError(`${detail}\n${location(scope, prop)}${via}`, scope.node.path, prop, detail);
  }
}

/** A plain `Error` (not a subclass such as TypeError or aws-cdk-lib's), as a message to attribute. */
function plainError(e: unknown): { detail: string; constructPath?: string; prop?: string } | undefined {
  return e instanceof Error && Object.getPrototypeOf(e) === Error.prototype ? { detail: e.message } : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True for an error this library threw for a bad prop. */
export function isValidationError(e: unknown): boolean {
  return e instanceof ValidationError;
}

/**
 * A required prop: JavaScript (and jsii languages passing null) can leave a struct's required field
 * out, which TypeScript cannot; say which, and how to set it, instead of a TypeError further in.
 */
export function requireProp<T>(scope: IConstruct, value: T | undefined | null, prop: string, fix: string): T {
  if (value === undefined || value === null) {
    throw validationError(scope, prop, `${prop} is missing: it is required; ${fix}`);
  }
  return value;
}
