import { CfnResource } from 'aws-cdk-lib';

/** What one rule finds on one resource, each reported as `BedrockAccess-<rule>[<finding>]`; empty when nothing is wrong. */
export type RuleFindings = string[];

/** A rule's check of one CloudFormation resource; its function name is the rule's name. */
export type RuleCheck = (node: CfnResource) => RuleFindings;
