import { API_CALL_DETAIL_TYPE, AWS_SOURCE_PREFIX } from './cloudtrail-event-types';

/** Where IAM Identity Center's administration API (sso-admin) is logged (IAM Identity Center User Guide, "Understanding IAM Identity Center log file entries"). */
export const IDENTITY_CENTER_EVENT_SOURCE = 'sso.amazonaws.com';

/**
 * The sso-admin calls that change what a permission set grants, or who holds it where. Each carries
 * the permission set's ARN in its request, so the rule can watch one set and not the others.
 */
export const PERMISSION_SET_CHANGE_EVENT_NAMES = [
  'PutInlinePolicyToPermissionSet',
  'DeleteInlinePolicyFromPermissionSet',
  'AttachManagedPolicyToPermissionSet',
  'DetachManagedPolicyFromPermissionSet',
  'AttachCustomerManagedPolicyReferenceToPermissionSet',
  'DetachCustomerManagedPolicyReferenceFromPermissionSet',
  'PutPermissionsBoundaryToPermissionSet',
  'DeletePermissionsBoundaryFromPermissionSet',
  'UpdatePermissionSet',
  'DeletePermissionSet',
  'ProvisionPermissionSet',
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
];

/** A watched permission set, by the ARN Identity Center gave it. */
export interface WatchedPermissionSet {
  readonly arn: string;
  readonly name: string;
}

/**
 * A change, by anyone, to one of the permission sets, in the account and Region where Identity
 * Center is administered (the only place sso-admin calls are logged).
 */
export function permissionSetChangePattern(arns: string[]): Record<string, unknown> {
  return {
    'source': [{ prefix: AWS_SOURCE_PREFIX }],
    'detail-type': [API_CALL_DETAIL_TYPE],
    'detail': {
      eventSource: [IDENTITY_CENTER_EVENT_SOURCE],
      eventName: PERMISSION_SET_CHANGE_EVENT_NAMES,
      requestParameters: { permissionSetArn: arns },
    },
  };
}

/** True for an sso-admin call that changes a permission set or its assignments. */
export function isPermissionSetChange(detail: { readonly eventSource?: string; readonly eventName?: string } | undefined): boolean {
  return detail?.eventSource === IDENTITY_CENTER_EVENT_SOURCE && PERMISSION_SET_CHANGE_EVENT_NAMES.includes(detail.eventName ?? '');
}
