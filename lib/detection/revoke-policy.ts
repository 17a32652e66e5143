/** The inline policy the containment handler writes: the same effect as the console's "Revoke active sessions". */
export const REVOKE_POLICY_NAME = 'BedrockMisuseRevokeOlderSessions';

/** How far an alert's time may run ahead of the handler's clock before the alert is not believed. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/**
 * IAM's longest role session (12 hours): a cut-off older than this revokes nothing that is still
 * alive, so an alert that old is a replay, not news.
 */
export const LONGEST_SESSION_MS = 12 * 60 * 60 * 1000;

/** A policy that denies everything to sessions issued before `before` (ISO 8601). */
export function revokePolicy(before: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenySessionsIssuedBeforeMisuse',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': before } },
    }],
  };
}

/** The cut-off already in force, if the role has the policy. */
export function currentCutoff(document: string | undefined): string | undefined {
  if (!document) {
    return undefined;
  }
  const parsed = JSON.parse(decodeURIComponent(document));
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const values = statements.map((s: any) => s?.Condition?.DateLessThan?.['aws:TokenIssueTime']).filter((v: unknown) => typeof v === 'string');
  return values.sort().pop();
}

/**
 * The cut-off an alert justifies, never later than the handler's own clock (`now`) or the time the
 * alert was sent; or why the alert is not believed (dated in the future, or older than any live session).
 */
export function credibleCutoff(eventTime: string | undefined, now: number, sentAt?: number): { cutoff: string } | { ignored: string } {
  const t = eventTime === undefined ? NaN : Date.parse(eventTime);
  if (Number.isNaN(t)) {
    return { ignored: `no valid event time (${eventTime})` };
  }
  const latest = Math.min(now, sentAt ?? now);
  if (t > latest + CLOCK_SKEW_MS) {
    return { ignored: `dated ${eventTime}, after the moment it was sent or handled (${new Date(latest).toISOString()})` };
  }
  if (t < now - LONGEST_SESSION_MS) {
    return { ignored: `dated ${eventTime}, older than the longest role session: a replay, and nothing left to revoke` };
  }
  return { cutoff: new Date(Math.min(t, latest)).toISOString() };
}

/**
 * The cut-off to write, or undefined when the policy in force already covers it. A cut-off in force
 * that lies in the future (written by a forged alert) is not trusted and is replaced.
 */
export function nextCutoff(existing: string | undefined, cutoff: string, now: number = Date.now()): string | undefined {
  const inForce = existing === undefined ? NaN : Date.parse(existing);
  if (!Number.isNaN(inForce) && inForce <= now && inForce >= Date.parse(cutoff)) {
    return undefined;
  }
  return cutoff;
}
