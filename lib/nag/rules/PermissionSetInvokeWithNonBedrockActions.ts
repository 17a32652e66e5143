import * as base from './InvokeWithNonBedrockActions';
import { namedRule, onPermissionSetGrants, PERMISSION_SET_SCOPE } from './rule-builders';
import { nonBedrockActionFindings } from '../checks';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} ${PERMISSION_SET_SCOPE}`;

/**
 * IAM Identity Center permission sets that allow a Bedrock invoke action and any non-Bedrock action.
 */
export default namedRule('PermissionSetInvokeWithNonBedrockActions', onPermissionSetGrants(nonBedrockActionFindings));
