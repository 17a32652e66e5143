import { Stack } from 'aws-cdk-lib';
import { SimulationSubject } from './iam-simulator';
import { ADMINISTRATOR_ACCESS, rolePolicies } from './template-policies';

/** The invoke role of a stack, as a session of it in `account` would be evaluated. */
export function roleSubject(stack: Stack, account: string, options: { withAdministratorAccess?: boolean } = {}): SimulationSubject {
  const policies = rolePolicies(stack, account);
  return {
    identityPolicies: options.withAdministratorAccess ? [...policies.identityPolicies, ADMINISTRATOR_ACCESS] : policies.identityPolicies,
    permissionsBoundary: policies.permissionsBoundary,
    principal: { account, roleArn: `arn:aws:iam::${account}:role/ClaudeCodeBedrockInvoke` },
  };
}
