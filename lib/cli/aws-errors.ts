/** Why an AWS call did not give an answer, in words for the terminal. */
export type AwsProblemKind =
  | 'no-credentials'
  | 'expired-credentials'
  | 'invalid-credentials'
  | 'network'
  | 'access-denied'
  | 'not-found'
  | 'not-possible'
  | 'other';

export interface AwsProblem {
  readonly kind: AwsProblemKind;
  /** One line, for the terminal. */
  readonly reason: string;
}

/** The result of asking AWS something: the answer, or why there is none. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: AwsProblem };

const NETWORK_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'];

/** Sorts an SDK error into what the person at the terminal can act on. */
export function classifyAwsError(error: unknown): AwsProblem {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; Code?: string };
  const name = e.name ?? e.Code ?? '';
  const code = e.code ?? '';
  const message = firstLine(e.message ?? String(error));
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return { kind: 'no-credentials', reason: `no AWS credentials found (${message})` };
  }
  if (name === 'TokenProviderError' || /ExpiredToken|RequestExpired/.test(name) || /sso session .* expired|token .* expired|refresh failed/i.test(message)) {
    return { kind: 'expired-credentials', reason: `the AWS credentials have expired (${message})` };
  }
  if (['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'IncompleteSignature'].includes(name)) {
    return { kind: 'invalid-credentials', reason: `AWS rejected the credentials (${name}: ${message})` };
  }
  if (NETWORK_CODES.includes(code) || NETWORK_CODES.some((c) => message.includes(c)) || name === 'TimeoutError' || name === 'AbortError'
    || /timed? ?out|socket hang up|network/i.test(message)) {
    return { kind: 'network', reason: `AWS could not be reached (${code || name || 'network error'}: ${message})` };
  }
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
    return { kind: 'access-denied', reason: `access denied (${message})` };
  }
  if (/NotFound|NoSuchEntity/.test(name)) {
    return { kind: 'not-found', reason: `${name}: ${message}` };
  }
  return { kind: 'other', reason: `${name || 'error'}: ${message}` };
}

/** Runs an AWS call and returns its answer or its classified failure, never throwing. */
export async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, problem: classifyAwsError(e) };
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
