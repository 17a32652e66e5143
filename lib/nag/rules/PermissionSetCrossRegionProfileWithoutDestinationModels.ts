import * as base from './CrossRegionProfileWithoutDestinationModels';
import { namedRule, onPermissionSetGrants, PERMISSION_SET_SCOPE } from './rule-builders';
import { crossRegionFindings } from '../checks';

export const info = `IAM Identity Center permission set: ${base.info}`;

export const explanation = `${base.explanation} ${PERMISSION_SET_SCOPE}`;

/**
 * IAM Identity Center permission sets that allow a geographic or global inference profile without the
 * foundation model in each destination Region.
 */
export default namedRule('PermissionSetCrossRegionProfileWithoutDestinationModels', onPermissionSetGrants(crossRegionFindings));
