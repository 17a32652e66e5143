import * as iam from 'aws-cdk-lib/aws-iam';
import { findings, findingsWithPaths, INVOKE, newStack, roleWith, usSonnetStatements } from '../support';

const RULE = 'BedrockAccess-InvokeWithNonBedrockActions';

const marketplace = (conditions?: Record<string, unknown>) => new iam.PolicyStatement({
  actions: ['aws-marketplace:Subscribe', 'aws-marketplace:ViewSubscriptions'],
  resources: ['*'],
  conditions,
});

describe('InvokeWithNonBedrockActions', () => {
  describe('non-compliant', () => {
    test('an invoke role that can also read S3 and subscribe to anything on the Marketplace', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [
        ...usSonnetStatements(),
        new iam.PolicyStatement({ actions: ['s3:GetObject', 'bedrock:ListInferenceProfiles'], resources: ['*'] }),
        marketplace(),
      ]);
      expect(findingsWithPaths(stack)).toEqual([
        `${RULE}[Action::aws-marketplace:Subscribe] App/Agent/Resource`,
        `${RULE}[Action::aws-marketplace:ViewSubscriptions] App/Agent/Resource`,
        `${RULE}[Action::s3:GetObject] App/Agent/Resource`,
      ]);
    });

    test('the grant in a policy added to the role, the extra power in an AWS managed policy: reported once, on the role', () => {
      const stack = newStack();
      const role = new iam.Role(stack, 'Agent', {
        assumedBy: new iam.AccountPrincipal('444455556666'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      });
      usSonnetStatements().forEach((s) => role.addToPolicy(s));
      expect(findingsWithPaths(stack)).toEqual([`${RULE}[Policy::ReadOnlyAccess] App/Agent/Resource`]);
    });

    test('an Allow with NotAction, and a user whose group holds the extra actions', () => {
      const stack = newStack();
      roleWith(stack, 'Everything', [...usSonnetStatements(), new iam.PolicyStatement({ notActions: ['iam:*', 'organizations:*'], resources: ['*'] })]);
      const group = new iam.Group(stack, 'Developers');
      group.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:TerminateInstances'], resources: ['*'] }));
      const user = new iam.User(stack, 'Ci', { groups: [group] });
      usSonnetStatements().forEach((s) => user.addToPolicy(s));
      expect(findingsWithPaths(stack)).toEqual([
        'BedrockAccess-InvokeOnWildcard[Resource::*] App/Everything/Resource',
        `${RULE}[Action::ec2:TerminateInstances] App/Ci/Resource`,
        `${RULE}[NotAction::iam:*,organizations:*] App/Everything/Resource`,
      ]);
    });

    test('a managed policy that no identity of the app holds is checked on its own', () => {
      const stack = newStack();
      new iam.ManagedPolicy(stack, 'ForSomeoneElse', {
        statements: [...usSonnetStatements(), new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] })],
      });
      expect(findingsWithPaths(stack)).toEqual([`${RULE}[Action::sts:AssumeRole] App/ForSomeoneElse/Resource`]);
    });
  });

  describe('compliant', () => {
    test('invoke, Bedrock discovery, and Marketplace subscriptions that Bedrock makes', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [
        ...usSonnetStatements(),
        new iam.PolicyStatement({ actions: ['bedrock:ListInferenceProfiles', 'bedrock-mantle:CreateInference'], resources: ['*'] }),
        marketplace({ StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } }),
      ]);
      expect(findings(stack)).toEqual([]);
    });

    test('a role that cannot invoke Bedrock may do anything else', () => {
      const stack = newStack();
      roleWith(stack, 'Builder', [new iam.PolicyStatement({ actions: ['s3:*', 'bedrock:ListFoundationModels'], resources: ['*'] })]);
      expect(findings(stack)).toEqual([]);
    });

    test('a Deny NotAction guard confines the role, even with PowerUserAccess attached', () => {
      const stack = newStack();
      const role = roleWith(stack, 'Agent', [
        ...usSonnetStatements(),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, notActions: [...INVOKE, 'aws-marketplace:Subscribe'], resources: ['*'] }),
      ]);
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'));
      expect(findings(stack)).toEqual([]);
    });

    test('a permissions boundary that allows only Bedrock confines the role', () => {
      const stack = newStack();
      const boundary = new iam.ManagedPolicy(stack, 'Boundary', {
        statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources: ['*'] })],
      });
      const role = new iam.Role(stack, 'Agent', { assumedBy: new iam.AccountPrincipal('444455556666'), permissionsBoundary: boundary });
      usSonnetStatements().forEach((s) => role.addToPolicy(s));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      expect(findings(stack)).toEqual([]);
    });

    test('an action an unconditional Deny takes back is not reported', () => {
      const stack = newStack();
      roleWith(stack, 'Agent', [
        ...usSonnetStatements(),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] }),
      ]);
      expect(findings(stack)).toEqual([]);
    });
  });
});
