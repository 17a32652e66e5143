import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, INVOKE, modelArn, newStack, profileArn, roleWith, SONNET } from '../support';

const RULE = 'BedrockAccess-GlobalProfileWithoutRegionlessModel';
const PROFILE = profileArn('eu-west-1', `global.${SONNET}`);

describe('GlobalProfileWithoutRegionlessModel', () => {
  test('non-compliant: the global profile and the model in the source Region, but no Region-less model', () => {
    const stack = newStack('eu-west-1');
    roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: INVOKE, resources: [PROFILE, modelArn('eu-west-1', SONNET)] })]);
    expect(findingsWithPaths(stack)).toEqual([`${RULE}[Profile::global.${SONNET}] App/Agent/Resource`]);
  });

  test('non-compliant: every named Region is not the Region-less ARN', () => {
    const stack = newStack('eu-west-1');
    roleWith(stack, 'Agent', [new iam.PolicyStatement({
      actions: INVOKE,
      resources: [PROFILE, ...['eu-west-1', 'us-east-1', 'ap-southeast-2'].map((r) => modelArn(r, SONNET))],
    })]);
    expect(findings(stack)).toEqual([`${RULE}[Profile::global.${SONNET}]`]);
  });

  test('compliant: the Region-less ARN, conditioned as AWS documents', () => {
    const stack = newStack('eu-west-1');
    roleWith(stack, 'Agent', [
      new iam.PolicyStatement({ actions: INVOKE, resources: [PROFILE] }),
      new iam.PolicyStatement({ actions: INVOKE, resources: [modelArn('eu-west-1', SONNET)], conditions: { StringEquals: { 'bedrock:InferenceProfileArn': PROFILE } } }),
      new iam.PolicyStatement({
        actions: INVOKE,
        resources: [`arn:aws:bedrock:::foundation-model/${SONNET}`],
        conditions: { StringEquals: { 'aws:RequestedRegion': 'unspecified', 'bedrock:InferenceProfileArn': PROFILE } },
      }),
    ]);
    expect(findings(stack)).toEqual([]);
  });

  test('compliant: a wildcard Region also matches the empty one', () => {
    const stack = newStack('eu-west-1');
    roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: INVOKE, resources: [PROFILE, `arn:aws:bedrock:*::foundation-model/${SONNET}`] })]);
    expect(findings(stack)).toEqual([]);
  });
});
