import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/** The rule state that also delivers read-only management events (Get*, List*, Describe*). */
export const ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/**
 * A rule on `pattern` (CloudFormation's JSON form) that sees read-only CloudTrail calls too: they are
 * what leaked credentials do first (GetCallerIdentity, ListBuckets). The L2 can say only ENABLED or
 * DISABLED, so the state, and the exact pattern, are set on the L1.
 */
export function managementEventsRule(scope: Construct, id: string, props: events.RuleProps, pattern: Record<string, unknown>): events.Rule {
  const rule = new events.Rule(scope, id, { ...props, eventPattern: { detailType: ['AWS API Call via CloudTrail'] } });
  const cfn = rule.node.defaultChild as events.CfnRule;
  cfn.eventPattern = pattern;
  cfn.state = ALL_MANAGEMENT_EVENTS;
  return rule;
}
