import { Outcome } from '../aws-errors';
import { Finding } from '../findings';
import { ConfiguredIdentity } from './configured-identity';

const NOT_ASKED = 'Read from the configuration, not asked of AWS: an STS GetCallerIdentity by these credentials is one of the calls leak detection alerts on.';

/**
 * Names the identity and account Claude Code will act as, from its configuration, and says whether
 * the credentials work, from Bedrock's answer to ListInferenceProfiles (a call Claude Code makes too).
 */
export function checkIdentity(identity: ConfiguredIdentity, bedrockAnswer: Outcome<unknown>, noCredentialsFix?: string): Finding[] {
  const findings: Finding[] = [identityFinding(identity)];
  if (bedrockAnswer.ok || bedrockAnswer.problem.kind === 'not-possible') {
    return findings;
  }
  const problem = bedrockAnswer.problem;
  const noAccess = ['no-credentials', 'expired-credentials', 'invalid-credentials'].includes(problem.kind);
  if (noAccess) {
    findings.push({
      id: 'no-usable-credentials',
      severity: 'high',
      title: 'Claude Code has no usable AWS credentials',
      detail: `Bedrock ListInferenceProfiles failed: ${problem.reason}. The model and permission checks are unknown.`,
      fix: noCredentialsFix ?? 'Sign in (aws sso login --profile <name>), set AWS_PROFILE in the env block of ~/.claude/settings.json, and set awsAuthRefresh '
        + 'so Claude Code signs in again when the session ends.',
      unknown: true,
    });
  } else if (problem.kind === 'network') {
    findings.push({
      id: 'aws-unreachable',
      severity: 'medium',
      title: 'Could not reach AWS with Claude Code\'s credentials',
      detail: `Bedrock ListInferenceProfiles failed: ${problem.reason}. Whether the credentials work is unknown.`,
      fix: 'Check the network connection, proxy (HTTPS_PROXY) and firewall, then run the doctor again.',
      unknown: true,
    });
  }
  return findings;
}

function identityFinding(identity: ConfiguredIdentity): Finding {
  switch (identity.kind) {
    case 'sso':
      return {
        id: 'identity',
        severity: 'info',
        title: `Claude Code will act as the IAM Identity Center permission set '${identity.permissionSet}' in account ${identity.account}`,
        detail: `From ${identity.source}. Every command Claude Code runs acts as this identity too. ${NOT_ASKED}`,
      };
    case 'role':
      return {
        id: 'identity',
        severity: 'info',
        title: `Claude Code will act as role '${identity.roleName}' in account ${identity.account}`,
        detail: `From ${identity.source} (${identity.roleArn}). Every command Claude Code runs acts as this identity too. ${NOT_ASKED}`,
      };
    case 'access-key':
      return {
        id: 'identity',
        severity: 'info',
        title: `Claude Code will act as whoever owns access key ${identity.accessKeyId}`,
        detail: `From ${identity.source}. ${identity.accessKeyId.startsWith('AKIA') ? 'A long-lived key belongs to an IAM user or to the root user. ' : ''}${NOT_ASKED} `
          + 'An administrator can tell whose it is: aws iam get-access-key-last-used --access-key-id <id>.',
      };
    default:
      return {
        id: 'identity-unknown',
        severity: 'info',
        title: 'Unknown: which identity Claude Code will act as',
        detail: `${identity.reason}. ${NOT_ASKED}`,
        unknown: true,
      };
  }
}
