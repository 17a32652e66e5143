import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolveWatchScope } from '../../lib/detection/event-pattern';
import { forwarderStack, MEMBER_TRAIL_CONDITION } from '../../lib/detection/forwarder-template';
import { describeCompliance } from '../support/compliance';
import { INVOKE_ROLE, PERMISSION_SET } from './fixtures/cloudtrail-events';

const watch = resolveWatchScope({ roleNames: [INVOKE_ROLE], permissionSetNames: [PERMISSION_SET] });

describe('the StackSet template with the member trail', () => {
  const app = new App();
  const stack = forwarderStack(app, watch, { forwardModelCalls: true, memberTrail: true });
  const template = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(template.Resources);

  // The template deploys outside this app, so the packs are run over it here.
  describeCompliance(app);

  test('a multi-Region trail of every management event, read and write, with validated, KMS-encrypted log files', () => {
    const trail = resources.find((r) => r.Type === 'AWS::CloudTrail::Trail');
    expect(trail.Properties).toMatchObject({
      IsMultiRegionTrail: true, IsLogging: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true, KMSKeyId: expect.anything(),
    });
    // With no selector a trail logs all management events; with one, it must say All.
    for (const selector of trail.Properties.EventSelectors ?? []) {
      expect(selector).toMatchObject({ IncludeManagementEvents: true, ReadWriteType: 'All' });
    }
  });

  test('the bucket lets CloudTrail check its ACL and write log files, over TLS only', () => {
    const policy = resources.find((r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r).includes('cloudtrail.amazonaws.com'));
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements.map((s) => [s.Effect, s.Action])).toEqual(expect.arrayContaining([['Allow', 's3:GetBucketAcl'], ['Allow', 's3:PutObject'], ['Deny', 's3:*']]));
  });

  test('every trail resource exists only outside the home account, once per account, in us-east-1', () => {
    const trailTypes = ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::KMS::Key', 'AWS::Logs::LogGroup'];
    for (const r of resources.filter((x) => trailTypes.includes(x.Type))) {
      expect(r.Condition).toBe(MEMBER_TRAIL_CONDITION);
    }
    expect(template.Conditions[MEMBER_TRAIL_CONDITION]).toEqual({
      'Fn::And': [{ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, { Ref: 'HomeAccountId' }] }] }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }],
    });
  });

  test('the forwarder rules keep their own condition', () => {
    const rules = resources.filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(2);
    rules.forEach((r) => expect(r.Condition).toBe('NotHomeRegionOfHomeAccount'));
  });

  test('fits CloudFormation\'s 51,200-byte TemplateBody', () => {
    expect(JSON.stringify(template).length).toBeLessThan(51_200);
  });
});
