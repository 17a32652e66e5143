import { CfnResource } from 'aws-cdk-lib';
import * as base from './PolicyVariableOutsideResourceId';
import { namedRule } from './rule-builders';
import { toResult } from '../checks';
import { permissionSetOwnStatements } from '../grants';
import { RuleFindings } from '../rule-findings';
import { variableOutsideResourceIdFindings } from '../variable-checks';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} A permission set's one policy must hold in every account it is assigned to, which is where this mistake is made.`;

/**
 * IAM Identity Center permission sets whose inline policy has a policy variable before the fifth colon of a resource ARN.
 * @param node the CfnResource to check
 */
export default namedRule('PermissionSetPolicyVariableOutsideResourceId', (node: CfnResource): RuleFindings => {
  const statements = permissionSetOwnStatements(node);
  return toResult(statements && variableOutsideResourceIdFindings(statements));
});
