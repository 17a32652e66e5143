import { Outcome } from '../aws-errors';
import { Finding, SEVERITIES, Severity } from '../findings';
import { DANGEROUS_ACTIONS } from './dangerous-actions';

/** What IAM's policy simulator said about the dangerous actions, for one principal. */
export interface SimulationFacts {
  readonly principalArn: string;
  /** Set when the principal ARN was guessed. */
  readonly assumption?: string;
  /** IAM's decision for each action: `allowed`, `explicitDeny` or `implicitDeny`. */
  readonly decisions: Readonly<Record<string, string>>;
}

/** One finding per service whose dangerous actions the identity may call. */
export function checkDangerousActions(simulation: Outcome<SimulationFacts>): Finding[] {
  if (!simulation.ok) {
    return [{
      id: 'permissions-unknown',
      severity: 'info',
      title: 'Unknown: what else this identity may do',
      detail: `IAM SimulatePrincipalPolicy could not run: ${simulation.problem.reason}.`
        + (simulation.problem.kind === 'access-denied' ? ' The administrator profile may not call it.' : ''),
      fix: 'Run the doctor again with --admin-profile <a profile allowed iam:ListRoles and iam:SimulatePrincipalPolicy, not the one Claude Code uses>, '
        + 'or ask an administrator to run: aws iam simulate-principal-policy --policy-source-arn <role ARN> --action-names s3:GetObject iam:CreateUser ...',
      unknown: true,
    }];
  }
  const facts = simulation.value;
  // Worst first, so each finding's title starts with what matters most.
  const allowed = DANGEROUS_ACTIONS.filter((a) => facts.decisions[a.action] === 'allowed')
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  const basis = `IAM SimulatePrincipalPolicy for ${facts.principalArn} on every resource ('*')${facts.assumption ? `, ${facts.assumption}` : ''}. `
    + 'It covers identity policies, permissions boundaries and organization SCPs, not resource policies; a grant limited to '
    + 'named resources may show as denied here.';
  if (allowed.length === 0) {
    return [{
      id: 'permissions-none-dangerous',
      severity: 'info',
      title: `None of ${DANGEROUS_ACTIONS.length} dangerous actions is allowed`,
      detail: basis,
    }];
  }
  const byService = new Map<string, typeof allowed>();
  for (const a of allowed) {
    const service = a.action.split(':')[0];
    byService.set(service, [...(byService.get(service) ?? []), a]);
  }
  return [...byService.entries()].map(([service, actions]) => ({
    id: `permissions-${service}`,
    severity: worst(actions.map((a) => a.severity)),
    title: `This identity may also call ${actions.map((a) => a.action).join(', ')}`,
    detail: `Whoever controls Claude Code's shell could ${[...new Set(actions.map((a) => a.risk))].join(', ')}. ${basis}`,
    fix: 'Give Claude Code a role that may call the Bedrock models only, such as the one BedrockInvokeRole or BedrockPermissionSet creates, '
      + 'and sign in to it in a separate AWS_PROFILE.',
  }));
}

function worst(severities: Severity[]): Severity {
  return SEVERITIES.find((s) => severities.includes(s)) ?? 'info';
}
