import { Aws, CfnParameter } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, INVOKE, modelArn, newStack, profileArn, roleWith, SONNET, usSonnetStatements } from '../support';

const RULE = 'BedrockAccess-InvokeOnWildcard';

describe('InvokeOnWildcard', () => {
  describe('non-compliant', () => {
    test('invoke on "*" in a role inline policy', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })]);
      expect(findingsWithPaths(stack)).toEqual([`${RULE}[Resource::*] App/Agent/Resource`]);
    });

    test('bedrock:* on every foundation model and profile, in a policy added to a role', () => {
      const stack = newStack();
      const role = roleWith(stack, 'Agent', []);
      role.addToPolicy(new iam.PolicyStatement({
        actions: ['bedrock:*'],
        resources: ['arn:aws:bedrock:*::foundation-model/*', `arn:aws:bedrock:us-east-1:${Aws.ACCOUNT_ID}:inference-profile/*`],
      }));
      expect(findingsWithPaths(stack)).toEqual([
        `${RULE}[Resource::foundation-model/*] App/Agent/DefaultPolicy/Resource`,
        `${RULE}[Resource::inference-profile/*] App/Agent/DefaultPolicy/Resource`,
      ]);
    });

    test('bedrock:Invoke* on a wildcard model family built with Fn::Join, in a managed policy', () => {
      const stack = newStack();
      new iam.ManagedPolicy(stack, 'Claude', {
        statements: [new iam.PolicyStatement({
          actions: ['bedrock:Invoke*'],
          resources: [`arn:${Aws.PARTITION}:bedrock:${Aws.REGION}::foundation-model/anthropic.claude-*`],
        })],
      });
      expect(findings(stack)).toEqual([`${RULE}[Resource::foundation-model/anthropic.claude-*]`]);
    });

    test('an Allow with NotResource, and "*" on "*"', () => {
      const stack = newStack();
      roleWith(stack, 'Admin', [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })]);
      roleWith(stack, 'AllButOne', [new iam.PolicyStatement({ actions: INVOKE, notResources: [modelArn('us-east-1', SONNET)] })]);
      expect(findingsWithPaths(stack)).toEqual([
        `${RULE}[Resource::*] App/Admin/Resource`,
        `${RULE}[Resource::NotResource] App/AllButOne/Resource`,
        'BedrockAccess-InvokeWithNonBedrockActions[Action::*] App/Admin/Resource',
      ]);
    });
  });

  describe('compliant', () => {
    test('exact profile and models, with a wildcard Region only', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [
        new iam.PolicyStatement({ actions: INVOKE, resources: [profileArn('us-east-1', `us.${SONNET}`)] }),
        new iam.PolicyStatement({ actions: INVOKE, resources: [`arn:aws:bedrock:*::foundation-model/${SONNET}`] }),
      ]);
      expect(findings(stack)).toEqual([]);
    });

    test('models on "*" pinned to an exact profile with bedrock:InferenceProfileArn', () => {
      const stack = newStack();
      const profile = profileArn('us-east-1', `us.${SONNET}`);
      roleWith(stack, 'Agent', [
        new iam.PolicyStatement({ actions: INVOKE, resources: [profile] }),
        new iam.PolicyStatement({ actions: INVOKE, resources: ['*'], conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profile } } }),
      ]);
      expect(findings(stack)).toEqual([]);
    });

    test('a managed policy used only as a permissions boundary, a Deny on "*", and non-invoke actions on "*"', () => {
      const stack = newStack();
      const boundary = new iam.ManagedPolicy(stack, 'Boundary', {
        statements: [new iam.PolicyStatement({ actions: [...INVOKE, 'bedrock:ListInferenceProfiles'], resources: ['*'] })],
      });
      new iam.Role(stack, 'Agent', {
        assumedBy: new iam.AccountPrincipal('444455556666'),
        permissionsBoundary: boundary,
        inlinePolicies: {
          Bedrock: new iam.PolicyDocument({
            statements: [
              ...usSonnetStatements(),
              new iam.PolicyStatement({ actions: ['bedrock:ListInferenceProfiles'], resources: ['*'] }),
              new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: INVOKE, resources: ['*'], conditions: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ],
          }),
        },
      });
      expect(findings(stack)).toEqual([]);
    });

    test('a resource that cannot be known at synth is not reported', () => {
      const stack = newStack();
      const arn = new CfnParameter(stack, 'ModelArn');
      roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: INVOKE, resources: [arn.valueAsString] })]);
      expect(findings(stack)).toEqual([]);
    });
  });
});
