import { CfnResource } from 'aws-cdk-lib';
import * as base from './InvokeOnWildcard';
import { namedRule } from './rule-builders';
import { invokeOnWildcardFindings, toResult } from '../checks';
import { permissionSetOwnStatements } from '../grants';
import { RuleFindings } from '../rule-findings';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} This rule reads the permission set's inline policy, which cdk-nag's own packs never read.`;

/**
 * IAM Identity Center permission sets whose inline policy allows a Bedrock invoke action on `*` or on a
 * wildcard model or profile ARN.
 * @param node the CfnResource to check
 */
export default namedRule('PermissionSetInvokeOnWildcard', (node: CfnResource): RuleFindings => {
  const statements = permissionSetOwnStatements(node);
  return toResult(statements && invokeOnWildcardFindings(statements));
});
