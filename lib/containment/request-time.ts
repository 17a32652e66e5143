/** How far a request's times may run ahead of the handler's clock before they are not believed. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * IAM's longest role session (12 hours, also the longest permission-set session): a request older than
 * this is about a session that no longer exists, so it is a replay, not news.
 */
export const LONGEST_SESSION_MS = 12 * 60 * 60 * 1000;

/**
 * Why a request's times are not believed, or undefined when they are: a call dated after the moment the
 * request was sent (or handled), older than any live session, or a session issued after its own call.
 */
export function implausibleTimes(eventTime: string, issuedAt: string | undefined, now: number, sentAt?: number): string | undefined {
  const t = Date.parse(eventTime);
  const latest = Math.min(now, sentAt ?? now);
  if (t > latest + CLOCK_SKEW_MS) {
    return `dated ${eventTime}, after the moment it was sent or handled (${new Date(latest).toISOString()})`;
  }
  if (t < now - LONGEST_SESSION_MS) {
    return `dated ${eventTime}, older than the longest session: a replay, and nothing left to contain`;
  }
  if (issuedAt !== undefined) {
    const issued = Date.parse(issuedAt);
    if (issued > t + CLOCK_SKEW_MS || issued < t - LONGEST_SESSION_MS) {
      return `a session issued at ${issuedAt} cannot have made a call at ${eventTime}`;
    }
  }
  return undefined;
}
