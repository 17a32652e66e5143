import type { ContainmentRequest } from './containment-request';

/** What containment did with one request. */
export interface ContainmentOutcome {
  readonly request?: ContainmentRequest;
  /** True only once the deny is in force everywhere it must be. */
  readonly contained: boolean;
  /** Whether a policy was written. */
  readonly changed: boolean;
  readonly by?: 'source-identity' | 'session' | 'issued-before' | 'user-id' | 'every-session';
  readonly issuedBefore?: string;
  /** The Identity Store user id denied. */
  readonly userId?: string;
  /** Accounts where the permission set's latest version is not yet provisioned: the user is not contained there. */
  readonly pendingAccounts?: string[];
  readonly warning?: string;
  /** Why the request was not acted on. */
  readonly ignored?: string;
}

const BY: Record<NonNullable<ContainmentOutcome['by']>, string> = {
  'source-identity': 'every session that carries the source identity',
  'session': 'this one session (its name and issue time)',
  'issued-before': 'every session issued before the cut-off, colleagues\' included',
  'user-id': 'every session of the Identity Center user, by Identity Store user id',
  'every-session': 'every session, whoever holds it, until someone lifts the stop',
};

/** The alert an incident responder reads about containment itself, or undefined when nothing is worth saying. */
export function outcomeAlert(o: ContainmentOutcome): { subject: string; message: string } | undefined {
  const r = o.request;
  if (!r || (!o.changed && o.contained && !o.warning)) {
    return undefined;
  }
  const target = r.target.kind === 'role' ? `role ${r.target.roleName}` : `permission set ${r.target.permissionSetName}`;
  const s = r.session;
  const who = !s ? 'every session' : s.sourceIdentity ? `source identity ${s.sourceIdentity} (session ${s.sessionName})` : `session ${s.sessionName}`;
  const lines = [
    o.contained
      ? `Contained: ${who} of ${target} is denied every action.`
      : `NOT yet contained: ${who} of ${target}.`,
    '',
    `  denied:        ${o.by ? BY[o.by] : 'nothing yet'}`,
    ...(o.issuedBefore ? [`  cut-off:       sessions issued before ${o.issuedBefore}`] : []),
    ...(o.userId ? [`  user id:       ${o.userId}`] : []),
    ...(o.pendingAccounts && o.pendingAccounts.length > 0 ? [`  not yet in:    ${o.pendingAccounts.join(', ')} (the permission set's latest version is not provisioned there; containment retries)`] : []),
    `  because:       ${r.reason} (${r.call} at ${r.eventTime})`,
    ...(s?.issuedAt ? [`  session from:  ${s.issuedAt}`] : []),
    ...(o.warning ? ['', `Warning: ${o.warning}`] : []),
    '',
    'Lift it, once the cause is understood: npx cdk-bedrock-least-privilege containment lift (docs/containment.md).',
  ];
  const subject = `${o.contained ? 'Contained' : 'NOT contained'}: ${s ? s.sourceIdentity ?? s.sessionName : 'every session'} on ${target}`;
  return { subject: subject.length < 100 ? subject : `${subject.slice(0, 96)}...`, message: lines.join('\n') };
}
