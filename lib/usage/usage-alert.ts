import type { ObservedCall, UsageFinding } from './usage-assessment';
import type { Alert, AlertDetail, SourceIdentityTrust } from '../detection/alert-message';
import { sessionNameNote, sourceIdentityNote } from '../detection/alert-message';
import { quoted, subjectLine } from '../detection/untrusted-text';

/** What containment may act on: invoke roles by name, permission sets by name. */
export interface ContainedIdentities {
  readonly roles: string[];
  readonly permissionSets: string[];
  /** Only this account's roles are the watched ones: a role of the same name elsewhere is someone else's. */
  readonly homeAccount: string;
}

/** One alert for all a call's findings: who, what was unusual, and what happens next. */
export function formatUsageAlert(call: ObservedCall, findings: UsageFinding[], contained: ContainedIdentities,
  sourceIdentityTrust: Readonly<Record<string, SourceIdentityTrust>> = {}): Alert {
  const contain = findings.some((f) => f.kind === 'rate-limit');
  const containment: AlertDetail['containment'] = call.identity.kind === 'permission-set'
    ? contain && contained.permissionSets.includes(call.identity.name) ? 'deny-identity-center-user' : 'manual-identity-center'
    : contain && contained.roles.includes(call.identity.roleName) && call.issuerAccount === contained.homeAccount ? 'revoke-sessions' : 'manual-role';
  const sessionName = call.sessionArn.split('/').slice(2).join('/') || undefined;
  const kinds = [...new Set(findings.map((f) => f.kind))];
  const detail: AlertDetail = {
    identityKind: call.identity.kind,
    identityName: call.identity.name,
    roleName: call.identity.roleName,
    sessionName,
    call: call.call,
    errorCode: call.errorCode,
    region: call.region,
    sourceIPAddress: call.sourceIPAddress,
    eventTime: call.eventTime,
    containment,
    usage: kinds,
  };
  const owner = call.identity.kind === 'role' ? `role ${call.identity.roleName}` : `permission set ${call.identity.name}`;
  const declared = call.principal.split('/source-identity/')[1];
  const lines = [
    `Unusual Bedrock use by ${quoted(declared ?? sessionName ?? call.principal)} (${owner}):`,
    ...findings.map((f) => `  - ${f.reason}`),
    '',
    `  session:    ${quoted(call.sessionArn, 300)}`,
    `  name:       ${declared !== undefined
      ? `source identity ${quoted(declared)} (${sourceIdentityNote(sourceIdentityTrust[call.identity.roleName])}); calls are counted by it, whatever the session name`
      : `session name ${quoted(sessionName ?? call.sessionArn)} (${sessionNameNote(call.identity.kind)})`}`,
    `  call:       ${call.call} on ${call.model || 'no model'} in ${call.region}`,
    `  source IP:  ${quoted(call.sourceIPAddress) ?? 'not recorded'}`,
    `  event time: ${call.eventTime}`,
    '',
    'Next step',
    `  ${nextStep(containment, contain, call)}`,
  ];
  return { subject: subjectLine(`Bedrock usage: ${sessionName ?? call.identity.name} ${kinds.join(', ')}`), message: lines.join('\n'), detail };
}

function nextStep(containment: AlertDetail['containment'], overLimit: boolean, call: ObservedCall): string {
  if (containment === 'deny-identity-center-user') {
    return `Over the hard limit: ${call.sessionArn.split('/').pop()} is being denied everything through permission set ${call.identity.name}, in every account (its inline policy, then ProvisionPermissionSet). A second alert says when it is in force everywhere. Ask the person; lift it with npx cdk-bedrock-least-privilege containment lift (docs/containment.md).`;
  }
  if (containment === 'revoke-sessions') {
    return `Over the hard limit: this person (their source identity, else this session) is being denied on ${call.identity.roleName}. Ask the person if it was them; if not, rotate the source credentials.`;
  }
  if (!overLimit) {
    return 'Ask the person whether this was them (a new network, a long agent run). A leaked credential resold through a proxy looks like this.';
  }
  return call.identity.kind === 'permission-set'
    ? `Over the hard limit. IAM Identity Center owns role ${call.identity.roleName}: remove the user's assignment and end their portal session (README, "Operating it"); the sessions they hold stay valid until they expire.`
    : `Over the hard limit, and containment is off for ${call.identity.roleName}: revoke its active sessions in the IAM console.`;
}
