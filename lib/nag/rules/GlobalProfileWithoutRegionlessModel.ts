import { namedRule, onIamGrants } from './rule-builders';
import { globalProfileFindings } from '../checks';

export const info = 'A global. inference profile is granted without the Region-less foundation model arn:<partition>:bedrock:::foundation-model/<model>: '
  + 'global routing fails with AccessDenied.';

export const explanation = 'For a global. profile Bedrock also authorizes the foundation-model ARN with no Region and no account, '
  + 'with aws:RequestedRegion set to "unspecified". A policy that lists the model only in named Regions never matches it. '
  + 'Grant arn:aws:bedrock:::foundation-model/<model>, conditioned on bedrock:InferenceProfileArn and aws:RequestedRegion = unspecified, '
  + "or name the model with ModelReference.globalProfile(...) in cdk-bedrock-least-privilege's BedrockInvokeRole or BedrockPermissionSet. "
  + 'Findings read Profile::global.<model>. Nothing is reported when a policy that cannot be read here is attached.';

/**
 * Roles, users, groups, and policies not attached to any of them in the app, that allow a `global.`
 * inference profile without the Region-less foundation-model ARN.
 * @param node the CfnResource to check
 */
export default namedRule('GlobalProfileWithoutRegionlessModel', onIamGrants(globalProfileFindings));
