/** The inline policy the containment handler writes: the same effect as the console's "Revoke active sessions". */
export const REVOKE_POLICY_NAME = 'BedrockMisuseRevokeOlderSessions';

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

/** The cut-off already in force, if the role has the policy; a later alert only ever moves it forward. */
export function currentCutoff(document: string | undefined): string | undefined {
  if (!document) {
    return undefined;
  }
  const parsed = JSON.parse(decodeURIComponent(document));
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const values = statements.map((s: any) => s?.Condition?.DateLessThan?.['aws:TokenIssueTime']).filter((v: unknown) => typeof v === 'string');
  return values.sort().pop();
}

/** The cut-off to write, or undefined when the policy in force already covers this event. */
export function nextCutoff(existing: string | undefined, eventTime: string): string | undefined {
  if (existing !== undefined && Date.parse(existing) >= Date.parse(eventTime)) {
    return undefined;
  }
  return new Date(Date.parse(eventTime)).toISOString();
}
