import { namedRule, onIamGrants } from './rule-builders';
import { crossRegionFindings } from '../checks';

export const info = 'A cross-Region inference profile is granted without the foundation model in every Region it routes to: those calls fail with AccessDenied.';

export const explanation = 'Bedrock authorizes a profile call against the profile in the source Region and against the foundation model in the Region '
  + 'it routes the request to (for a global. profile, the model in the source Region). A policy that grants the profile but misses a destination '
  + 'works on some requests and fails on others, depending on where Bedrock sends them. '
  + 'Grant arn:<partition>:bedrock:<Region>::foundation-model/<model> in every destination Region of the profile, conditioned on bedrock:InferenceProfileArn '
  + "('aws bedrock get-inference-profile' lists them); cdk-bedrock-least-privilege's BedrockInvokeRole and BedrockPermissionSet take them from their catalog. "
  + 'Findings read Profile::<profile id>@<source Region>. The destinations come from the catalog shipped with cdk-bedrock-least-privilege; '
  + 'for a model or source Region it does not list, only a grant with no foundation model of that model at all is reported. '
  + 'Nothing is reported when a policy that cannot be read here (imported, or an AWS managed policy that may grant Bedrock) is attached.';

/**
 * Roles, users, groups, and policies not attached to any of them in the app, that allow a
 * geographic or global inference profile without the foundation model in each destination Region.
 * @param node the CfnResource to check
 */
export default namedRule('CrossRegionProfileWithoutDestinationModels', onIamGrants(crossRegionFindings));
