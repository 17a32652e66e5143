import { Stack } from 'aws-cdk-lib';
import { SimulationSubject } from './iam-simulator';
import { ADMINISTRATOR_ACCESS, rolePolicies } from './template-policies';

/** The invoke role of a stack, as a session of it in `account` would be evaluated. */
export interface RoleSubjectOptions {
  readonly withAdministratorAccess?: boolean;
  /** The role's logical-id prefix, when the stack holds other roles. */
  readonly rolePrefix?: string;
}

export function roleSubject(stack: Stack, account: string, options: RoleSubjectOptions = {}): SimulationSubject {
  const policies = rolePolicies(stack, account, options.rolePrefix);
  return {
    identityPolicies: options.withAdministratorAccess ? [...policies.identityPolicies, ADMINISTRATOR_ACCESS] : policies.identityPolicies,
    permissionsBoundary: policies.permissionsBoundary,
    principal: { account, roleArn: `arn:aws:iam::${account}:role/ClaudeCodeBedrockInvoke` },
  };
}
