import { formatUsageAlert } from '../../lib/usage/usage-alert';
import type { ObservedCall, UsageFinding } from '../../lib/usage/usage-assessment';

const ROLE = 'ClaudeCodeBedrockInvoke';
const contained = { roles: [ROLE], permissionSets: [], homeAccount: '111122223333' };
const findings: UsageFinding[] = [{ kind: 'new-network', reason: 'first call from 203.0.113.0/24 in 30 days' } as UsageFinding];

function observed(sessionName: string, sourceIdentity?: string, kind: 'role' | 'permission-set' = 'role'): ObservedCall {
  const roleName = kind === 'role' ? ROLE : 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6';
  const sessionArn = `arn:aws:sts::111122223333:assumed-role/${roleName}/${sessionName}`;
  return {
    identity: { kind, name: kind === 'role' ? ROLE : 'ClaudeCodeBedrock', roleName },
    principal: sourceIdentity ? `arn:aws:sts::111122223333:assumed-role/${roleName}/source-identity/${sourceIdentity}` : sessionArn,
    principalKind: sourceIdentity ? 'source-identity' : 'session',
    sessionArn,
    issuerAccount: '111122223333',
    call: 'bedrock.amazonaws.com:InvokeModel',
    model: 'us.anthropic.claude-sonnet-4-6',
    region: 'us-east-1',
    sourceIPAddress: '203.0.113.9',
    eventTime: '2026-11-20T09:14:07Z',
    bucket: '2026-11-20T09:10:00.000Z',
    weightUsd: 1.71,
  };
}

describe('the usage guard\'s alert says whether the name it gives is bound or self-declared', () => {
  test('a source identity the trust policy binds to the IAM user name is called bound', () => {
    const alert = formatUsageAlert(observed('laptop', 'alice'), findings, contained, { [ROLE]: 'bound' });
    expect(alert.message).toMatch(/^Unusual Bedrock use by "alice"/);
    expect(alert.message).toMatch(/name: +source identity "alice" \(bound by the trust policy to the caller's own IAM user name\)/);
  });

  test('a source identity nothing binds is called self-declared, never presented as the person', () => {
    const alert = formatUsageAlert(observed('laptop', 'alice'), findings, contained);
    expect(alert.message).toMatch(/name: +source identity "alice" \(self-declared: the caller chose it, nothing ties it to a person\)/);
  });

  test('a role session name is self-declared; an Identity Center session name is the signed-in user\'s', () => {
    expect(formatUsageAlert(observed('bob'), findings, contained).message).toMatch(/name: +session name "bob" \(self-declared: whoever assumed the role chose it\)/);
    expect(formatUsageAlert(observed('carol@example.com', undefined, 'permission-set'), findings, contained).message)
      .toMatch(/name: +session name "carol@example.com" \(bound: IAM Identity Center sets it to the signed-in user's name\)/);
  });
});
