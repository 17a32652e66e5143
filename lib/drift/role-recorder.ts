import { Duration, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../access/acknowledge';

/**
 * A configuration recorder that records IAM roles and managed policies and nothing else, with its delivery channel and a
 * hardened bucket for the history Config writes.
 */
export class RoleRecorder extends Construct {
  public readonly recorder: config.CfnConfigurationRecorder;
  public readonly deliveryChannel: config.CfnDeliveryChannel;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'HistoryKey', {
      description: 'Encrypts the AWS Config history of the IAM roles the Bedrock drift rule watches',
      enableKeyRotation: true,
    });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // Server access logs go only to SSE-S3 buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365) }],
    });
    this.bucket = new s3.Bucket(this, 'History', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'config-history/',
    });

    const role = new iam.Role(this, 'Role', {
      description: 'Lets AWS Config record IAM roles and deliver their history to its bucket',
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    const delivery = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'Lets AWS Config write the IAM role history to its own bucket, encrypted with its own key',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [this.bucket.bucketArn] }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:PutObjectAcl'],
          resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`)],
          conditions: { StringLike: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      ],
    });
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    acknowledgeFinding(delivery, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/AWSLogs/<AWS::AccountId>/Config/*]`,
      'Config names each history object itself; the policy limits it to this account\'s AWSLogs/<account>/Config/ prefix of this bucket');
    acknowledgeFinding(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]',
      'AWS_ConfigRole is the policy AWS documents for a recorder role; AWS keeps it current with the Describe and List calls recording needs');
    const replication = 'Config keeps the history itself (GetResourceConfigHistory, seven years by default); this bucket is a second copy, and replicating it would need a third bucket in another Region';
    for (const bucket of [this.bucket, accessLogs]) {
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
        acknowledgeFinding(bucket, `${pack}-S3BucketReplicationEnabled`, replication);
      }
    }
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      acknowledgeFinding(accessLogs, `${pack}-S3DefaultEncryptionKMS`,
        'S3 delivers server access logs only to buckets encrypted with S3-managed keys, so this log bucket cannot use KMS');
    }

    this.recorder = new config.CfnConfigurationRecorder(this, 'Resource', {
      roleArn: role.roleArn,
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        // Policies too: a new default version of the guard is an AWS::IAM::Policy item, seen within minutes.
        resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy'],
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
    });
    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: this.bucket.bucketName,
      s3KmsKeyArn: key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // Config wants the recorder before the channel, and the role's policy before either.
    this.deliveryChannel.node.addDependency(this.recorder);
    this.recorder.node.addDependency(delivery);
  }
}
