import { Outcome } from '../aws-errors';
import { Finding } from '../findings';
import { CallerIdentity, describePrincipal, principalOf } from './caller-identity';

/** Names the identity and account Claude Code will act as, and flags the ones it should never be. */
export function checkIdentity(identity: Outcome<CallerIdentity>): Finding[] {
  if (!identity.ok && identity.problem.kind === 'not-possible') {
    return [{
      id: 'identity-unknown',
      severity: 'info',
      title: 'Unknown: which identity Claude Code will act as',
      detail: `STS GetCallerIdentity was not called: ${identity.problem.reason}.`,
      unknown: true,
    }];
  }
  if (!identity.ok) {
    const problem = identity.problem;
    const noAccess = ['no-credentials', 'expired-credentials', 'invalid-credentials'].includes(problem.kind);
    return [{
      id: noAccess ? 'no-usable-credentials' : 'identity-unknown',
      severity: noAccess ? 'high' : 'medium',
      title: noAccess ? 'Claude Code has no usable AWS credentials' : 'Could not ask AWS who the credentials belong to',
      detail: `STS GetCallerIdentity failed: ${problem.reason}. The identity, model and permission checks are unknown.`,
      fix: noAccess
        ? 'Sign in (aws sso login --profile <name>), set AWS_PROFILE in the env block of ~/.claude/settings.json, and set awsAuthRefresh '
          + 'so Claude Code signs in again when the session ends.'
        : 'Check the network connection, proxy (HTTPS_PROXY) and firewall, then run the doctor again.',
      unknown: true,
    }];
  }
  const who = describePrincipal(identity.value);
  const principal = principalOf(identity.value.arn);
  const findings: Finding[] = [{
    id: 'identity',
    severity: 'info',
    title: `Claude Code will act as ${who}`,
    detail: `STS GetCallerIdentity: ${identity.value.arn} (account ${identity.value.account}). Every command Claude Code runs acts as this identity too.`,
  }];
  if (principal.kind === 'root') {
    findings.push({
      id: 'identity-root',
      severity: 'critical',
      title: `The credentials are the root user's, of account ${principal.account}`,
      detail: 'The root user may do anything in the account, and no IAM policy can limit it.',
      fix: 'Delete the root access keys now (IAM console, Security credentials) and use an IAM Identity Center permission set.',
    });
  } else if (principal.kind === 'user') {
    findings.push({
      id: 'identity-iam-user',
      severity: 'medium',
      title: `The credentials belong to IAM user '${principal.name}', not to a role session`,
      detail: 'IAM users sign in with long-lived access keys as a rule, and every action is attributed to the user, not to the person.',
      fix: 'Sign in through IAM Identity Center (a permission set such as the one BedrockPermissionSet creates) and remove the user\'s access keys.',
    });
  }
  return findings;
}
