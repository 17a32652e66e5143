import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MODELS } from './detection-fixture';
import { BedrockInvokeRole, BedrockInvokeRoleProps } from '../../lib';
import { sourceIdentityTrust } from '../../lib/detection/source-identity-trust';

function trustOf(props: Partial<BedrockInvokeRoleProps>) {
  const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1', account: '111122223333' } });
  const role = new BedrockInvokeRole(stack, 'R', { models: MODELS, trustedPrincipals: [new iam.AccountPrincipal('111122223333')], ...props });
  return sourceIdentityTrust(stack, role.assumeRolePolicy);
}

describe('how a role\'s trust ties the source identity to the caller, as the alert reports it', () => {
  test('IAM users trusted by ARN: bound', () => {
    expect(trustOf({ trustedPrincipals: [new iam.ArnPrincipal('arn:aws:iam::111122223333:user/alice')] })).toBe('bound');
  });

  test('an account: bound for its users, declared by role sessions', () => {
    expect(trustOf({})).toBe('mixed');
  });

  test('a role: declared', () => {
    expect(trustOf({ trustedPrincipals: [new iam.ArnPrincipal('arn:aws:iam::111122223333:role/Developers')] })).toBe('self-declared');
  });

  test('session tags only: no source identity to speak of', () => {
    expect(trustOf({ requireSourceIdentity: false, requiredSessionTags: ['developer'] })).toBeUndefined();
  });
});
