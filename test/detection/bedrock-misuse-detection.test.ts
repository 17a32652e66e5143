import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { detectionStack } from './detection-fixture';
import { DetectionTrail, ForwarderStackSet } from '../../lib';
import { INVOKE_ROLE } from './fixtures/cloudtrail-events';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE } from '../../lib/detection/alert-message';

describe('BedrockMisuseDetection', () => {
  test('watching rules see read-only management events, on the default bus and on the central bus', () => {
    const template = Template.fromStack(detectionStack().stack);
    // The two watching rules, and the heartbeat's, which brings back the alert function's own call.
    template.resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }, 3);
    template.resourcePropertiesCountIs('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', Description: Match.stringLikeRegexp('heartbeat') }, 1);
    template.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', EventBusName: Match.absent() });
    template.hasResourceProperties('AWS::Events::Rule', { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', EventBusName: { Ref: Match.stringLikeRegexp('^DetectionBus') } });
  });

  test('the central bus admits only this account by default, or the organization', () => {
    const own = Template.fromStack(detectionStack().stack);
    own.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Sid: 'cdk-AccountForwarders',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
      },
    });
    const org = Template.fromStack(detectionStack({ organizationId: 'o-a1b2c3d4e5' }).stack);
    org.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: { Sid: 'cdk-OrganizationForwarders', Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
    });
    org.resourcePropertiesCountIs('AWS::Events::EventBusPolicy', { Statement: { Sid: 'cdk-AccountForwarders' } }, 0);
  });

  test('alerts go to a KMS-encrypted, TLS-only topic with e-mail subscriptions', () => {
    const template = Template.fromStack(detectionStack({ alertEmails: ['security@example.com', 'oncall@example.com'] }).stack);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    // Each address on the alert topic and on the health topic.
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 4);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('failed deliveries go to an encrypted dead-letter queue, from the rule targets and the functions', () => {
    const template = Template.fromStack(detectionStack({ containment: true }).stack);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } }, RetryPolicy: Match.anyValue() })],
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } } }, 2);
  });

  test('the alert function knows exactly whom it watches, and may only publish and put alert events', () => {
    const { stack } = detectionStack();
    const template = Template.fromStack(stack);
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.ALERT_CONFIG);
    // The permission set's ARN is known at deploy time only: CloudFormation joins it into the JSON.
    const [, parts] = fn!.Properties.Environment.Variables.ALERT_CONFIG['Fn::Join'];
    const config = JSON.parse(parts.map((p: unknown) => (typeof p === 'string' ? p : 'PERMISSION_SET_ARN')).join(''));
    expect(config.watchedPermissionSets).toEqual([{ arn: 'PERMISSION_SET_ARN', name: 'ClaudeCodeBedrock' }]);
    // The fixture trusts an account: its IAM users' names are bound, role sessions declare theirs.
    expect(config.sourceIdentityTrust).toEqual({ [INVOKE_ROLE]: 'mixed' });
    expect(config.matchers.roleNames).toEqual([INVOKE_ROLE]);
    expect(config.matchers.permissionSets).toEqual([{ name: 'ClaudeCodeBedrock', pattern: '^AWSReservedSSO_ClaudeCodeBedrock_[0-9a-f]{16}$' }]);
    expect(config.containedRoles).toEqual([]);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('AlertTopic') } },
          { Sid: 'PutAlertEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DetectionBus'), 'Arn'] } },
        ]),
      },
    });
  });

  test('containment: a function that reads the containment queue and may only read and write the watched role\'s inline policy', () => {
    const template = Template.fromStack(detectionStack({ containment: true }).stack);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { CONTAINED_ROLES: INVOKE_ROLE } } });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ContainSessionsOfWatchedRolesOnly',
          Effect: 'Allow',
          Action: ['iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
          Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: INVOKE_ROLE } }))[0], 'Arn'] },
        }]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() } });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });

  test('addAlertTarget sends the alert events, not raw CloudTrail events, to the target', () => {
    const { stack, detection } = detectionStack();
    detection.addAlertTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Ticketing', { enforceSSL: true })));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [ALERT_SOURCE], 'detail-type': [ALERT_DETAIL_TYPE] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Ticketing'), 'Arn'] } })],
    });
  });

  test('with no trail, synthesis warns that no event will arrive', () => {
    const { stack } = detectionStack();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('no trail is configured: .* no alert will ever fire'));
    const declared = detectionStack({ trail: DetectionTrail.existing('organization trail in the management account') }).stack;
    expect(Annotations.fromStack(declared).findWarning('*', Match.stringLikeRegexp('no trail is configured'))).toEqual([]);
  });

  test('DetectionTrail.create(): a multi-Region trail of all management events, validated, KMS-encrypted, in a hardened bucket', () => {
    const template = Template.fromStack(detectionStack({ trail: DetectionTrail.create() }).stack);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
      LoggingConfiguration: Match.anyValue(),
    });
  });

  test('forwarderProps() point a regional forwarder at this bus, with the same watch list', () => {
    const { stack, detection } = detectionStack({ allowedEventNames: ['GetCallerIdentity'] });
    const props = detection.forwarderProps();
    expect(stack.resolve(props.centralEventBusArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DetectionBus/), 'Arn'] });
    expect(props.roleNames).toEqual([INVOKE_ROLE]);
    expect(props.permissionSetNames).toEqual(['ClaudeCodeBedrock']);
    expect(props.allowedEventNames).toEqual(['GetCallerIdentity']);
  });

  test.each<[string, object, RegExp]>([
    ['containment with nothing it can edit (sets watched by name only)', { roles: [], permissionSets: [], permissionSetNames: ['ClaudeCodeBedrock'], containment: true },
      /containment is on but nothing here can be contained: it revokes sessions of BedrockInvokeRoles in this account, and denies users of BedrockPermissionSets administered in this account and Region/],
    ['a malformed source account', { sourceAccounts: ['1234'] }, /sourceAccounts: '1234' is not a 12-digit AWS account id/],
    ['a malformed organization id', { organizationId: 'org-1' }, /organizationId 'org-1' is not an AWS Organizations id/],
    ['a malformed e-mail', { alertEmails: ['security'] }, /alertEmails: 'security' is not an e-mail address/],
    ['a service-managed StackSet without an organization', {
      forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['ou-ab12-cdef3456'], regions: ['us-east-1'] }),
    }, /set organizationId/],
  ])('bad input: %s', (_n, props, message) => {
    expect(() => detectionStack(props)).toThrow(message);
  });

  test('the rule target the L2 cannot express is set on the L1, and CDK reads back what we set', () => {
    const { detection } = detectionStack();
    const rules = detection.node.findAll().filter((c): c is events.CfnRule => c instanceof events.CfnRule);
    expect(rules.filter((r) => r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')).toHaveLength(3);
  });
});
