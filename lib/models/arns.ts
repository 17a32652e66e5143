/** ARN of a system-defined inference profile (`us.`, `global.` ...) as called from one Region. */
export function profileArn(partition: string, region: string, account: string, profileId: string): string {
  return `arn:${partition}:bedrock:${region}:${account}:inference-profile/${profileId}`;
}

/** ARN of a foundation model; `region` is empty for the Region-less ARN that `global.` profiles use. */
export function foundationModelArn(partition: string, region: string, modelId: string): string {
  return `arn:${partition}:bedrock:${region}::foundation-model/${modelId}`;
}

/** The Region of an ARN (its fourth field). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3];
}
