import * as lambda from 'aws-cdk-lib/aws-lambda';

/** A Config rule of the pipeline, such as a `BedrockDriftRule`, for the detection to watch. */
export interface WatchedConfigRule {
  /** The Config rule's name: changes to it, and to the account's recorder, alert. */
  readonly configRuleName: string;
  /** The function that evaluates it: its errors alarm, changes to it alert. */
  readonly evaluationFunction: lambda.IFunction;
}
