import { ContainmentReason, ContainmentRequest, ContainmentTarget, normalizeIssueTime, sessionNameOf } from './containment-request';

/** The fields of a CloudTrail record a containment request is built from. */
export interface CloudTrailSessionRecord {
  readonly time?: string;
  readonly detail?: {
    readonly eventID?: string;
    readonly eventTime?: string;
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly userIdentity?: {
      readonly arn?: string;
      readonly sessionContext?: { readonly sourceIdentity?: string; readonly attributes?: { readonly creationDate?: string } };
    };
  };
}

/**
 * The request to contain the session that made a CloudTrail-recorded call, or undefined when the
 * record names no role session (the session name is the part of `assumed-role/<role>/<session>` after the role).
 */
export function containmentRequestFor(
  record: CloudTrailSessionRecord, target: ContainmentTarget, reason: ContainmentReason,
): ContainmentRequest | undefined {
  const d = record.detail ?? {};
  const arn = d.userIdentity?.arn ?? '';
  const sessionName = sessionNameOf(arn);
  const eventTime = d.eventTime ?? record.time;
  if (!sessionName || !eventTime) {
    return undefined;
  }
  return {
    version: 1,
    reason,
    target,
    session: {
      sessionName,
      sourceIdentity: d.userIdentity?.sessionContext?.sourceIdentity || undefined,
      issuedAt: normalizeIssueTime(d.userIdentity?.sessionContext?.attributes?.creationDate),
    },
    eventTime,
    call: `${d.eventSource ?? 'unknown source'}:${d.eventName ?? 'unknown call'}`,
    cloudTrailEventId: d.eventID,
  };
}
