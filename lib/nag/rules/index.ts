import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import * as CrossRegionProfileWithoutDestinationModels from './CrossRegionProfileWithoutDestinationModels';
import * as GlobalProfileWithoutRegionlessModel from './GlobalProfileWithoutRegionlessModel';
import * as InvokeOnWildcard from './InvokeOnWildcard';
import * as InvokeWithNonBedrockActions from './InvokeWithNonBedrockActions';
import * as PermissionSetCrossRegionProfileWithoutDestinationModels from './PermissionSetCrossRegionProfileWithoutDestinationModels';
import * as PermissionSetGlobalProfileWithoutRegionlessModel from './PermissionSetGlobalProfileWithoutRegionlessModel';
import * as PermissionSetInvokeOnWildcard from './PermissionSetInvokeOnWildcard';
import * as PermissionSetInvokeWithNonBedrockActions from './PermissionSetInvokeWithNonBedrockActions';

/** A rule of the pack: the check, and what the finding tells its reader. */
export interface BedrockAccessRule {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  readonly level: NagMessageLevel;
}

interface RuleModule {
  readonly default: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
}

const error = (m: RuleModule): BedrockAccessRule => ({ rule: m.default, info: m.info, explanation: m.explanation, level: NagMessageLevel.ERROR });

/** Every rule, in the order the pack applies them. */
export const RULES: BedrockAccessRule[] = [
  InvokeOnWildcard,
  InvokeWithNonBedrockActions,
  CrossRegionProfileWithoutDestinationModels,
  GlobalProfileWithoutRegionlessModel,
  PermissionSetInvokeOnWildcard,
  PermissionSetInvokeWithNonBedrockActions,
  PermissionSetCrossRegionProfileWithoutDestinationModels,
  PermissionSetGlobalProfileWithoutRegionlessModel,
].map(error);
