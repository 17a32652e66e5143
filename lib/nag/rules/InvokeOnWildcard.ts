import { CfnResource } from 'aws-cdk-lib';
import { namedRule } from './rule-builders';
import { invokeOnWildcardFindings, toResult } from '../checks';
import { iamOwnStatements } from '../grants';
import { RuleFindings } from '../rule-findings';

export const info = 'The policy allows bedrock:InvokeModel or bedrock:InvokeModelWithResponseStream on "*" or on a wildcard model or inference-profile ARN.';

export const explanation = 'Whoever holds these credentials, and every shell command, subprocess or MCP server a coding agent starts with them, '
  + 'can run any model in the account, including the most expensive ones and models nobody approved. '
  + 'Grant the exact inference-profile ARNs in each source Region and the exact foundation models behind them, conditioned on bedrock:InferenceProfileArn; '
  + "cdk-bedrock-least-privilege's BedrockInvokeRole and BedrockPermissionSet build that policy from a list of model ids. "
  + 'Findings read Resource::<the wildcard part>. A statement whose bedrock:InferenceProfileArn condition names exact profiles is not reported, '
  + 'and neither is a managed policy used only as a permissions boundary.';

/**
 * Roles, users, groups and IAM policies that allow a Bedrock invoke action on `*` or on a wildcard
 * model or profile ARN.
 * @param node the CfnResource to check
 */
export default namedRule('InvokeOnWildcard', (node: CfnResource): RuleFindings => {
  const statements = iamOwnStatements(node);
  return toResult(statements && invokeOnWildcardFindings(statements));
});
