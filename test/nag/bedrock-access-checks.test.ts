import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ACCOUNT, findings, HAIKU, INSTANCE, newStack, roleWith, SONNET } from './support';
import { BedrockAccessChecks } from '../../lib';
import { BedrockInvokeRole } from '../../lib/access/bedrock-invoke-role';
import { BedrockPermissionSet } from '../../lib/access/bedrock-permission-set';
import { ModelReference } from '../../lib/models/model-reference';

describe('BedrockAccessChecks', () => {
  test('rule ids carry the pack name, and every rule has a reader-facing explanation', () => {
    const stack = newStack();
    roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] })]);
    const report = new BedrockAccessChecks({ verbose: true }).validateScope(stack);
    expect(report.success).toBe(false);
    expect(report.violations).toEqual([expect.objectContaining({
      ruleName: 'BedrockAccess-InvokeOnWildcard',
      severity: 'error',
      description: expect.stringMatching(/on "\*".*Found: Resource::\*\..*BedrockInvokeRole and BedrockPermissionSet/),
      ruleMetadata: { findings: 'BedrockAccess-InvokeOnWildcard[Resource::*]' },
    })]);
  });

  describe('the library\'s own constructs report nothing', () => {
    const models = () => [ModelReference.parse(`global.${SONNET}`), ModelReference.parse(`eu.${HAIKU}`)];

    test('BedrockInvokeRole and BedrockPermissionSet with a global and an EU profile', () => {
      const stack = newStack('eu-west-1');
      new BedrockInvokeRole(stack, 'Role', { models: models(), trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] });
      new BedrockPermissionSet(stack, 'PermissionSet', { instanceArn: INSTANCE, models: models() });
      expect(findings(stack)).toEqual([]);
    });

    test('an environment-agnostic role with several source Regions, and PowerUserAccess attached later', () => {
      const stack = new Stack(new App(), 'App');
      const invoke = new BedrockInvokeRole(stack, 'Role', {
        models: [ModelReference.parse(`us.${SONNET}`), ModelReference.parse(`us.${HAIKU}`)],
        sourceRegions: ['us-east-1', 'us-west-2'],
        trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)],
      });
      invoke.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess'));
      new BedrockPermissionSet(stack, 'PermissionSet', { instanceArn: INSTANCE, models: [ModelReference.parse(`us.${SONNET}`)], sourceRegions: ['us-east-1', 'us-west-2'] });
      expect(findings(stack)).toEqual([]);
    });
  });

  test('an acknowledged finding is not reported; the others are', () => {
    const stack = newStack();
    const role = roleWith(stack, 'Lambda', [
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`] }),
      new iam.PolicyStatement({ actions: ['logs:PutLogEvents', 'dynamodb:GetItem'], resources: ['*'] }),
    ]);
    Validations.of(role).acknowledge({
      id: 'BedrockAccess-InvokeWithNonBedrockActions[Action::logs:PutLogEvents]',
      reason: 'a Lambda function writes its own logs',
    });
    expect(findings(stack)).toEqual(['BedrockAccess-InvokeWithNonBedrockActions[Action::dynamodb:GetItem]']);
  });

  test('runs as a validation plugin at synth, and fails it on a finding', () => {
    const synth = (statement: iam.PolicyStatement) => {
      const app = new App();
      const stack = new Stack(app, 'App', { env: { region: 'us-east-1', account: ACCOUNT } });
      new BedrockInvokeRole(stack, 'Role', { models: [ModelReference.parse(`us.${SONNET}`)], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] });
      roleWith(stack, 'Other', [statement]);
      Validations.of(app).addPlugins(new BedrockAccessChecks());
      const saved = process.exitCode;
      const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        app.synth();
        return { exitCode: process.exitCode, report: quiet.mock.calls.flat().join('\n') };
      } finally {
        quiet.mockRestore();
        process.exitCode = saved;
      }
    };
    const clean = synth(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(clean.exitCode).not.toBe(1);
    const broad = synth(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));
    expect(broad.exitCode).toBe(1);
    expect(broad.report).toContain('BedrockAccess-InvokeOnWildcard[Resource::*]');
    expect(broad.report).toContain('App/Other/Resource');
  });

  test('a second run sees constructs added after the first', () => {
    const stack = newStack();
    const pack = new BedrockAccessChecks();
    const role = roleWith(stack, 'Agent', [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`] })]);
    expect(pack.validateScope(stack).violations).toEqual([]);
    role.addManagedPolicy(new iam.ManagedPolicy(stack, 'Late', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }));
    expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual(['BedrockAccess-InvokeWithNonBedrockActions']);
  });

  describe('one violation per rule and identity, naming every finding', () => {
    const readsABucket = (scope: Stack, id: string, assumedBy: iam.IPrincipal) => new iam.Role(scope, id, {
      assumedBy,
      inlinePolicies: {
        App: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`] }),
            new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion'], resources: ['*'] }),
          ],
        }),
      },
    });

    test('a person\'s role that reads a bucket: one violation listing the four actions, one acknowledgement silences it', () => {
      const stack = newStack();
      const role = readsABucket(stack, 'Developer', new iam.AccountPrincipal(ACCOUNT));
      const { violations } = new BedrockAccessChecks().validateScope(stack);
      expect(violations).toHaveLength(1);
      expect(violations[0].ruleName).toBe('BedrockAccess-InvokeWithNonBedrockActions');
      for (const action of ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion']) {
        expect(violations[0].description).toContain(`Action::${action}`);
      }
      expect(violations[0].fix).toContain("with the id 'BedrockAccess-InvokeWithNonBedrockActions'");
      Validations.of(role).acknowledge({ id: 'BedrockAccess-InvokeWithNonBedrockActions', reason: 'the team reads its own data set' });
      expect(new BedrockAccessChecks().validateScope(stack).violations).toEqual([]);
    });

    test('a role only an AWS service assumes is a workload: non-Bedrock actions are not reported, a wildcard invoke still is', () => {
      const stack = newStack();
      readsABucket(stack, 'Function', new iam.ServicePrincipal('lambda.amazonaws.com'));
      expect(findings(stack)).toEqual([]);
      new iam.Role(stack, 'Broad', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        inlinePolicies: { App: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['bedrock:InvokeModel', 's3:GetObject'], resources: ['*'] })] }) },
      });
      expect(findings(stack)).toEqual(['BedrockAccess-InvokeOnWildcard[Resource::*]']);
    });

    test('can fail: a role a service and an account may both assume is judged as a person\'s', () => {
      const stack = newStack();
      readsABucket(stack, 'Shared', new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.AccountPrincipal(ACCOUNT)));
      expect(findings(stack)).toHaveLength(4);
    });
  });
});
