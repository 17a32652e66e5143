/**
 * Text a caller controls (user agent, session name, source identity, request values, error messages
 * that echo them) made safe to show: control and invisible formatting characters (line breaks that
 * forge a line of the alert, bidirectional overrides that reorder what a reader sees) become `?`,
 * and the length is capped.
 */
// C0 and C1 controls, zero-width and bidirectional marks, line and paragraph separators, the BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** The value as plain text, unsafe characters replaced and at most `max` characters kept. */
export function cleaned(value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const text = String(value).replace(UNSAFE, '?');
  return text.length > max ? `${text.slice(0, max)}... (${text.length - max} more characters)` : text;
}

/** The value cleaned and in double quotes, so a reader sees where what the caller typed begins and ends. */
export function quoted(value: unknown, max = 200): string | undefined {
  const text = cleaned(value, max);
  return text === undefined ? undefined : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * An SNS subject: ASCII letters, digits, punctuation and spaces only, under 100 characters (SNS
 * rejects anything else, and a rejected publish is a lost alert).
 */
export function subjectLine(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length < 100 ? ascii : `${ascii.slice(0, 96)}...`;
}
