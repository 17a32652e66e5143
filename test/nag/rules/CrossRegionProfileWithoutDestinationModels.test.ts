import { App, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockAccessChecks } from '../../../lib/nag';
import {
  findings, findingsWithPaths, HAIKU, INVOKE, modelArn, newStack, profileArn, roleWith, SONNET, US_EAST_1_DESTINATIONS, usSonnetStatements,
} from '../support';

const RULE = 'BedrockAccess-CrossRegionProfileWithoutDestinationModels';

const grant = (resources: string[]) => new iam.PolicyStatement({ actions: INVOKE, resources });

describe('CrossRegionProfileWithoutDestinationModels', () => {
  describe('non-compliant', () => {
    test('a us. profile with the model in the source Region only', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [grant([profileArn('us-east-1', `us.${SONNET}`), modelArn('us-east-1', SONNET)])]);
      expect(findingsWithPaths(stack)).toEqual([`${RULE}[Profile::us.${SONNET}@us-east-1] App/Agent/Resource`]);
    });

    test('an eu. profile from eu-west-2 that misses eu-west-2, the one Region only that source adds', () => {
      const stack = newStack('eu-west-2');
      const sixRegions = ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'];
      roleWith(stack, 'Agent', [grant([profileArn('eu-west-2', `eu.${HAIKU}`), ...sixRegions.map((r) => modelArn(r, HAIKU))])]);
      expect(findings(stack)).toEqual([`${RULE}[Profile::eu.${HAIKU}@eu-west-2]`]);
    });

    test('the report names every missing Region, per action', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [grant([profileArn('us-east-1', `us.${SONNET}`), modelArn('us-east-1', SONNET)])]);
      const [violation] = new BedrockAccessChecks().validateScope(stack).violations;
      const missing = US_EAST_1_DESTINATIONS.filter((r) => r !== 'us-east-1').join(', ');
      expect(violation.description).toContain(`Found: Profile::us.${SONNET}@us-east-1 (bedrock:InvokeModel misses the foundation model in ${missing}; `
        + `bedrock:InvokeModelWithResponseStream misses the foundation model in ${missing}).`);
    });

    test('the profile Region from the stack (Fn::Join with AWS::Region), the models only for InvokeModel', () => {
      const stack = newStack();
      const role = roleWith(stack, 'Agent', [
        grant([`arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/us.${SONNET}`]),
        new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:*::foundation-model/' + SONNET] }),
      ]);
      expect(findingsWithPaths(role)).toEqual([`${RULE}[Profile::us.${SONNET}@us-east-1] App/Agent/Resource`]);
    });

    test('a global. profile without the model in its source Region', () => {
      const stack = newStack('eu-west-1');
      roleWith(stack, 'Agent', [grant([profileArn('eu-west-1', `global.${SONNET}`), `arn:aws:bedrock:::foundation-model/${SONNET}`])]);
      expect(findings(stack)).toEqual([`${RULE}[Profile::global.${SONNET}@eu-west-1]`]);
    });

    test('a model the catalog does not know, with no foundation model granted at all', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [grant([profileArn('us-east-1', 'us.anthropic.claude-future-5')])]);
      expect(findings(stack)).toEqual([`${RULE}[Profile::us.anthropic.claude-future-5@us-east-1]`]);
    });
  });

  describe('compliant', () => {
    test('the model in every destination, even split over two managed policies', () => {
      const stack = newStack();
      const [profile, models] = usSonnetStatements();
      const role = new iam.Role(stack, 'Agent', { assumedBy: new iam.AccountPrincipal('444455556666') });
      new iam.ManagedPolicy(stack, 'Profiles', { statements: [profile], roles: [role] });
      role.addManagedPolicy(new iam.ManagedPolicy(stack, 'Models', { statements: [models] }));
      expect(findings(stack)).toEqual([]);
    });

    test('the model on a wildcard Region', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [grant([profileArn('us-east-1', `us.${SONNET}`), `arn:aws:bedrock:*::foundation-model/${SONNET}`])]);
      expect(findings(stack)).toEqual([]);
    });

    test('a model the catalog does not know, with its foundation model granted somewhere', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [grant([profileArn('us-east-1', 'us.anthropic.claude-future-5'), modelArn('us-east-2', 'anthropic.claude-future-5')])]);
      expect(findings(stack)).toEqual([]);
    });

    test('an environment-agnostic stack: the source Region is unknown, and some model is granted', () => {
      const stack = new Stack(new App(), 'App');
      roleWith(stack, 'Agent', [grant([`arn:aws:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/us.${SONNET}`, modelArn('us-east-1', SONNET)])]);
      expect(findings(stack)).toEqual([]);
    });

    test('an imported policy or an AWS managed Bedrock policy may hold the rest: nothing to report', () => {
      const stack = newStack();
      const role = roleWith(stack, 'Imported', [grant([profileArn('us-east-1', `us.${SONNET}`)])]);
      role.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Theirs', 'bedrock-models'));
      const other = roleWith(stack, 'AwsManaged', [grant([profileArn('us-east-1', `us.${SONNET}`)])]);
      other.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonBedrockLimitedAccess'));
      expect(findings(stack)).toEqual([
        'BedrockAccess-InvokeWithNonBedrockActions[Policy::AmazonBedrockLimitedAccess]',
      ]);
    });
  });
});
