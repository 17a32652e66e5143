import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, BedrockMisuseDetection, BedrockMisuseDetectionProps, BedrockPermissionSet, ModelReference } from '../../lib';
import { INVOKE_ROLE, PERMISSION_SET } from './fixtures/cloudtrail-events';

export const MODELS = [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')];

/** A platform stack with the watched role and permission set, and detection over them. */
export function detectionStack(props: Partial<BedrockMisuseDetectionProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Platform', { env: { region: 'us-east-1', account: '111122223333' } });
  const role = new BedrockInvokeRole(stack, 'Invoke', { models: MODELS, roleName: INVOKE_ROLE, trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
  const permissionSet = new BedrockPermissionSet(stack, 'Sso', { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', models: MODELS, permissionSetName: PERMISSION_SET });
  const detection = new BedrockMisuseDetection(stack, 'Detection', { roles: [role], permissionSets: [permissionSet], ...props });
  return { app, stack, role, permissionSet, detection };
}
