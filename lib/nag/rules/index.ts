import * as CrossRegionProfileWithoutDestinationModels from './CrossRegionProfileWithoutDestinationModels';
import * as GlobalProfileWithoutRegionlessModel from './GlobalProfileWithoutRegionlessModel';
import * as InvokeOnWildcard from './InvokeOnWildcard';
import * as InvokeWithNonBedrockActions from './InvokeWithNonBedrockActions';
import * as PermissionSetCrossRegionProfileWithoutDestinationModels from './PermissionSetCrossRegionProfileWithoutDestinationModels';
import * as PermissionSetGlobalProfileWithoutRegionlessModel from './PermissionSetGlobalProfileWithoutRegionlessModel';
import * as PermissionSetInvokeOnWildcard from './PermissionSetInvokeOnWildcard';
import * as PermissionSetInvokeWithNonBedrockActions from './PermissionSetInvokeWithNonBedrockActions';
import * as PermissionSetPolicyVariableOutsideResourceId from './PermissionSetPolicyVariableOutsideResourceId';
import * as PolicyVariableOutsideResourceId from './PolicyVariableOutsideResourceId';
import { RuleCheck } from '../rule-findings';

/** A rule of the pack: the check, and what the finding tells its reader. Every finding is an error. */
export interface BedrockAccessRule {
  readonly rule: RuleCheck;
  readonly info: string;
  readonly explanation: string;
}

interface RuleModule {
  readonly default: RuleCheck;
  readonly info: string;
  readonly explanation: string;
}

const asRule = (m: RuleModule): BedrockAccessRule => ({ rule: m.default, info: m.info, explanation: m.explanation });

/** Every rule, in the order the pack applies them. */
export const RULES: BedrockAccessRule[] = [
  InvokeOnWildcard,
  InvokeWithNonBedrockActions,
  CrossRegionProfileWithoutDestinationModels,
  GlobalProfileWithoutRegionlessModel,
  PolicyVariableOutsideResourceId,
  PermissionSetInvokeOnWildcard,
  PermissionSetInvokeWithNonBedrockActions,
  PermissionSetCrossRegionProfileWithoutDestinationModels,
  PermissionSetGlobalProfileWithoutRegionlessModel,
  PermissionSetPolicyVariableOutsideResourceId,
].map(asRule);
