import * as base from './GlobalProfileWithoutRegionlessModel';
import { namedRule, onPermissionSetGrants, PERMISSION_SET_SCOPE } from './rule-builders';
import { globalProfileFindings } from '../checks';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} ${PERMISSION_SET_SCOPE}`;

/**
 * IAM Identity Center permission sets that allow a `global.` inference profile without the Region-less
 * foundation-model ARN.
 */
export default namedRule('PermissionSetGlobalProfileWithoutRegionlessModel', onPermissionSetGrants(globalProfileFindings));
