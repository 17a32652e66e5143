import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import * as base from './InvokeWithNonBedrockActions';
import { nonBedrockActionFindings, toResult } from '../checks';
import { permissionSetGrantView } from '../grants';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} The permission set is checked with its inline policy, the customer managed policies of this app it references, `
  + "the AWS managed policies it lists and its permissions boundary; cdk-nag's own packs do not read permission sets.";

/**
 * IAM Identity Center permission sets that allow a Bedrock invoke action and any non-Bedrock action.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleResult => {
    const view = permissionSetGrantView(node);
    return toResult(view && nonBedrockActionFindings(view));
  },
  'name',
  { value: 'PermissionSetInvokeWithNonBedrockActions' },
);
