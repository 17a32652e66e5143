import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, OrganizationDetectionStack } from '../../examples/organization/app';
import { CommercialRegions } from '../../lib';
import { describeCompliance } from '../support/compliance';

describe('the organization example app', () => {
  const app = buildApp(new App());
  const stack = app.node.children[0] as OrganizationDetectionStack;
  const template = Template.fromStack(stack);

  describeCompliance(app);

  test('one service-managed StackSet covers the OU in every commercial Region, auto-deploying to new accounts', () => {
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true },
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] }, Regions: CommercialRegions.all() }],
    });
  });

  test('the central bus admits the organization only', () => {
    template.hasResourceProperties('AWS::Events::EventBusPolicy', { Statement: { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } } });
    template.resourcePropertiesCountIs('AWS::Events::EventBusPolicy', { Statement: { Principal: { AWS: Match.not('*') } } }, 0);
  });

  test('an existing organization trail is declared, so no trail is created and no warning is raised', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });
});
