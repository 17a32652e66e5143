// Names whose values are secrets wherever they appear: environment, settings files, SDK errors.
export const SECRET_VARIABLES: readonly string[] = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
];

const REDACTED = '[redacted]';
// Access key ids: AKIA (long-term, IAM user) and ASIA (temporary, STS) followed by 16 characters.
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;
// Short-term Bedrock API keys start with this prefix (aws-bedrock-token-generator's AUTH_PREFIX).
const BEDROCK_SHORT_TERM_KEY = /bedrock-api-key-[A-Za-z0-9+/=_-]+/g;
// Session tokens and long-term API keys are long base64 runs; nothing the tools print legitimately is.
const LONG_BASE64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{100,}={0,2}/g;
// A secret access key is 40 base64 characters; hex digests (git, SHA-1) are left alone.
const FORTY_BASE64 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g;

/** Keeps the first and last four characters of an access key id, enough to tell keys apart. */
export function maskAccessKeyId(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/**
 * Removes secrets from everything the command prints: the known secret values it read, anything
 * shaped like a secret key, session token or bearer token, and all but the ends of access key ids.
 */
export class Redactor {
  private readonly known: string[];

  /** @param secrets the secret values read from the environment and settings files */
  constructor(secrets: Iterable<string> = []) {
    // Longest first, so a secret that contains another is removed whole.
    this.known = [...new Set([...secrets].filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  }

  /** The text with every secret removed and access key ids masked. */
  public text(text: string): string {
    let out = text;
    for (const secret of this.known) {
      out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(BEDROCK_SHORT_TERM_KEY, REDACTED)
      .replace(LONG_BASE64, REDACTED)
      .replace(FORTY_BASE64, (m) => (looksLikeSecretKey(m) ? REDACTED : m))
      .replace(ACCESS_KEY_ID, maskAccessKeyId);
  }

  /** A deep copy of a JSON-shaped value with every string redacted. */
  public value<T>(value: T): T {
    return redactDeep(value, this) as T;
  }
}

/** The secret values in an environment-like record, for a `Redactor`. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return SECRET_VARIABLES.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function looksLikeSecretKey(candidate: string): boolean {
  // Mixed case plus a digit or symbol: the shape of a key, not of a word or a hex digest.
  return /[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9+/]/.test(candidate);
}

function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') {
    return redactor.text(value);
  }
  if (Array.isArray(value)) {
    return value.map((v) => redactDeep(v, redactor));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)]));
  }
  return value;
}
