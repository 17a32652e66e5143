import type { Alert, AlertDetail, CloudTrailApiCallEvent } from './alert-message';
import type { IdentityMatchers } from './event-pattern';
import { classifyPermissionSetRole, SSO_ROLE_PATH } from '../models/permission-set-role';

/**
 * An alert that a role named like a watched permission set's role, but outside the path IAM reserves
 * for Identity Center, made a call: it names no user (the session name is whatever its creator chose)
 * and asks for no containment. Someone created it, perhaps to get a colleague blamed.
 */
export function lookAlikeAlert(event: CloudTrailApiCallEvent, matchers: IdentityMatchers): Alert | undefined {
  const d = event.detail ?? {};
  const issuer = d.userIdentity?.sessionContext?.sessionIssuer;
  const verdict = classifyPermissionSetRole(issuer?.arn, matchers.permissionSets.map((p) => p.name));
  if (verdict.kind !== 'look-alike') {
    return undefined;
  }
  const call = `${d.eventSource ?? 'unknown source'}:${d.eventName ?? 'unknown call'}`;
  const detail: AlertDetail = {
    identityKind: 'role',
    identityName: issuer?.userName ?? '',
    roleName: issuer?.userName ?? '',
    roleArn: issuer?.arn,
    call,
    errorCode: d.errorCode,
    account: verdict.accountId,
    region: d.awsRegion ?? event.region,
    eventTime: d.eventTime ?? event.time,
    cloudTrailEventId: d.eventID,
    containment: 'manual-role',
  };
  const message = [
    `A role named like permission set ${verdict.permissionSetName}'s role, but at path ${verdict.path} instead of ${SSO_ROLE_PATH}, called ${call}.`,
    'IAM Identity Center never creates roles outside that path: this role is a look-alike, and the session name it carries names nobody.',
    '',
    `  role:             ${issuer?.arn}`,
    `  account:          ${verdict.accountId}`,
    `  CloudTrail event: ${d.eventID ?? 'not recorded'}`,
    '',
    'Next step',
    '  Find who created the role (CloudTrail: iam:CreateRole with this role name) and delete it. No user is contained for it.',
  ].join('\n');
  const subject = `Look-alike Identity Center role ${issuer?.userName ?? ''} in ${verdict.accountId}`;
  return { subject: subject.length < 100 ? subject : `${subject.slice(0, 96)}...`, message, detail };
}
