import { CfnResource } from 'aws-cdk-lib';
import { toResult } from '../checks';
import { GrantView, iamGrantView, permissionSetGrantView } from '../grants';
import { RuleCheck, RuleFinding } from '../rule-findings';

/** What a permission-set rule adds to its IAM rule's explanation. */
export const PERMISSION_SET_SCOPE = 'The permission set is checked with its inline policy, the customer managed policies of this app it references, '
  + "the AWS managed policies it lists and its permissions boundary; cdk-nag's own packs do not read permission sets.";

/** A rule's check, named as the pack reports it. */
export function namedRule(name: string, rule: RuleCheck): RuleCheck {
  return Object.defineProperty(rule, 'name', { value: name });
}

/** A check applied to everything a role, user, group or unattached policy grants. */
export function onIamGrants(findings: (view: GrantView) => Array<string | RuleFinding>): RuleCheck {
  return onGrants(iamGrantView, findings);
}

/** An IAM check applied to everything a permission set grants. */
export function onPermissionSetGrants(findings: (view: GrantView) => Array<string | RuleFinding>): RuleCheck {
  return onGrants(permissionSetGrantView, findings);
}

function onGrants(
  viewOf: (node: CfnResource) => GrantView | undefined,
  findings: (view: GrantView) => Array<string | RuleFinding>,
): RuleCheck {
  return (node) => {
    const view = viewOf(node);
    return toResult(view && findings(view));
  };
}
