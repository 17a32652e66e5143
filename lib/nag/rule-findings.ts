import { CfnResource } from 'aws-cdk-lib';

/**
 * One thing a rule found on one resource. `id` is what `BedrockAccess-<rule>[<id>]` acknowledges alone
 * (acknowledging `BedrockAccess-<rule>` covers them all); `detail` tells the reader more.
 */
export interface RuleFinding {
  readonly id: string;
  readonly detail?: string;
}

/** What one rule finds on one resource; empty when nothing is wrong. */
export type RuleFindings = RuleFinding[];

/** A rule's check of one CloudFormation resource; its function name is the rule's name. */
export type RuleCheck = (node: CfnResource) => RuleFindings;
