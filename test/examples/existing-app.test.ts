import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildApp, ExistingServiceStack } from '../../examples/existing-app/app';
import { BedrockAccessChecks } from '../../lib';
import { describeCompliance } from '../support/compliance';

describe('the existing-app example', () => {
  const app = buildApp(new App());
  describeCompliance(app);

  test('the Bedrock rule pack finds nothing in the app with the library\'s role', () => {
    expect(new BedrockAccessChecks().validateScope(app).violations).toEqual([]);
  });

  test('and catches a hand-written wildcard grant added to the same app', () => {
    const withGrant = buildApp(new App());
    const stack = withGrant.node.children[0] as ExistingServiceStack;
    const legacy = new iam.Role(stack, 'LegacyAgentRole', { assumedBy: new iam.AccountPrincipal('111122223333') });
    legacy.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    const violations = new BedrockAccessChecks().validateScope(withGrant).violations;
    expect(violations.map((v) => [v.ruleName, v.ruleMetadata?.findings])).toContainEqual(['BedrockAccess-InvokeOnWildcard', 'BedrockAccess-InvokeOnWildcard[Resource::*]']);
  });
});
