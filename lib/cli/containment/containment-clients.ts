import { IAMClient } from '@aws-sdk/client-iam';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { ContainmentCommand } from './containment-args';
import type { ContainmentClients } from './run-containment';

/** Real clients with the named profile (an administrator's, never Claude Code's); IAM is global, Identity Center is in its home Region. */
export function createContainmentClients(command: ContainmentCommand, env: Readonly<Record<string, string | undefined>>): ContainmentClients {
  const region = command.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const options = { region, maxAttempts: 3, ...(command.profile ? { profile: command.profile } : {}) };
  return { iam: new IAMClient(options), ssoAdmin: new SSOAdminClient(options) };
}
