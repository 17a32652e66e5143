import { Duration, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import { IConstruct } from 'constructs';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../access/bedrock-permission-set';
import { validationError } from '../errors/validation-error';

const FREQUENCIES: Record<number, config.MaximumExecutionFrequency> = {
  1: config.MaximumExecutionFrequency.ONE_HOUR,
  3: config.MaximumExecutionFrequency.THREE_HOURS,
  6: config.MaximumExecutionFrequency.SIX_HOURS,
  12: config.MaximumExecutionFrequency.TWELVE_HOURS,
  24: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
};

/**
 * Regions where AWS Config arrived after February 2022 cannot record IAM roles
 * (https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html).
 */
const NO_IAM_RECORDING = [
  'ap-east-2', 'ap-south-2', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1',
];

export function checkWatched(scope: IConstruct, roles: BedrockInvokeRole[], permissionSets: BedrockPermissionSet[], autoRevert: boolean): void {
  if (roles.length === 0 && permissionSets.length === 0) {
    throw validationError(scope, ['roles', 'permissionSets'], 'BedrockDriftRule watches nothing: pass roles (BedrockInvokeRole) or permissionSets (BedrockPermissionSet), or both');
  }
  if (autoRevert && roles.length === 0) {
    throw validationError(scope, 'autoRevert', 'autoRevert is true but only permission sets are watched: IAM Identity Center owns their roles and undoes direct edits, so drop autoRevert or add the invoke roles it should revert');
  }
  if (new Set(roles).size !== roles.length || new Set(permissionSets).size !== permissionSets.length) {
    throw validationError(scope, new Set(roles).size !== roles.length ? 'roles' : 'permissionSets', 'BedrockDriftRule lists the same role or permission set twice: list each once');
  }
  const names = permissionSets.map((s) => s.permissionSetName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) {
    throw validationError(scope, 'permissionSets', `two permission sets are named '${dup}': their roles cannot be told apart, so watch one of them`);
  }
}

/** The Config frequency for a duration, or a clear error when Config has none. */
export function checkFrequency(scope: IConstruct, frequency: Duration): config.MaximumExecutionFrequency {
  if (Token.isUnresolved(frequency.toSeconds())) {
    throw validationError(scope, 'maximumExecutionFrequency', 'maximumExecutionFrequency is a token: give one of Duration.hours(1), 3, 6, 12 or 24');
  }
  const hours = frequency.toSeconds() / 3600;
  const match = FREQUENCIES[hours];
  if (match === undefined) {
    throw validationError(scope, 'maximumExecutionFrequency', `maximumExecutionFrequency is ${frequency.toHumanString()}: AWS Config runs periodic rules every 1, 3, 6, 12 or 24 hours, so use one of those, such as Duration.hours(24)`);
  }
  return match;
}

export function checkRecordingRegion(scope: IConstruct, region: string): void {
  if (!Token.isUnresolved(region) && NO_IAM_RECORDING.includes(region)) {
    throw validationError(scope, undefined, `the stack's Region ${region} cannot record IAM roles in AWS Config (it arrived after February 2022): deploy the drift rule in a Region such as us-east-1, where IAM roles are recorded`);
  }
}
