import { namedRule, onIamGrants } from './rule-builders';
import { nonBedrockActionFindings } from '../checks';

export const info = 'An identity that can invoke Bedrock models is also allowed actions outside Bedrock.';

export const explanation = 'A coding agent hands its credentials to every command it runs, so a prompt injection or a careless "clean up" acts with everything '
  + 'these credentials allow, and invoking models needs nothing outside Bedrock. '
  + 'Move the other actions to a separate role, or confine this identity with an unconditional Deny NotAction guard or a permissions boundary, '
  + "as cdk-bedrock-least-privilege's BedrockInvokeRole and BedrockPermissionSet do. "
  + 'Not reported: Bedrock actions (bedrock:, bedrock-mantle:) and aws-marketplace:Subscribe and ViewSubscriptions in a statement that requires '
  + 'aws:CalledViaLast = bedrock.amazonaws.com (Bedrock subscribes to a model on first use). '
  + 'The role, user or group is checked with every in-app policy attached to it. '
  + 'Findings read Action::<action>, NotAction::<list> or Policy::<AWS managed policy name>; '
  + 'acknowledge them for a workload, such as a Lambda function that calls Bedrock, that needs both.';

/**
 * Roles, users, groups, and policies not attached to any of them in the app, that allow a Bedrock
 * invoke action and any non-Bedrock action.
 * @param node the CfnResource to check
 */
export default namedRule('InvokeWithNonBedrockActions', onIamGrants(nonBedrockActionFindings));
