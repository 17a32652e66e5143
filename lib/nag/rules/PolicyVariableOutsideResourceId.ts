import { CfnResource } from 'aws-cdk-lib';
import { namedRule } from './rule-builders';
import { toResult } from '../checks';
import { iamOwnStatements } from '../grants';
import { RuleFindings } from '../rule-findings';
import { variableOutsideResourceIdFindings } from '../variable-checks';

export const info = 'The policy puts a policy variable such as ${aws:PrincipalAccount} in the partition, service, Region or account of a resource ARN.';

export const explanation = 'IAM substitutes a policy variable only in condition values and in the resource part of an ARN, after its fifth colon. '
  + 'Anywhere else it is literal text that matches no real ARN: an Allow grants nothing (every call fails with AccessDenied) and a '
  + 'NotResource guard excepts nothing (it denies the very resources it meant to leave alone). '
  + 'Write * in that field and pin the value with a condition where variables work, for example bedrock:InferenceProfileArn = '
  + 'arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/<id>. Findings read Resource::<the ARN>.';

/**
 * Roles, users, groups and IAM policies with a policy variable before the fifth colon of a resource ARN.
 * @param node the CfnResource to check
 */
export default namedRule('PolicyVariableOutsideResourceId', (node: CfnResource): RuleFindings => {
  const statements = iamOwnStatements(node);
  return toResult(statements && variableOutsideResourceIdFindings(statements));
});
