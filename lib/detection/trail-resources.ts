import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../access/acknowledge';

/** The cdk-nag packs besides AwsSolutions whose rule ids these acknowledgements name. */
const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** Properties of `DetectionTrailResources`. */
export interface DetectionTrailResourcesProps {
  /** The key that encrypts the log files and the trail's log group. */
  readonly key: kms.Key;
}

/**
 * A multi-Region trail logging every management event, read and write, so EventBridge sees the calls
 * detection watches; log files KMS-encrypted and validated, in a private, versioned, TLS-only bucket.
 */
export class DetectionTrailResources extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket the log files go to. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DetectionTrailResourcesProps) {
    super(scope, id);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    acknowledgeFinding(accessLogs, 'AwsSolutions-S1', 'this bucket receives the trail bucket\'s access logs; logging it to itself would loop');
    for (const pack of COMPLIANCE_PACKS) {
      acknowledgeFinding(accessLogs, `${pack}-S3BucketLoggingEnabled`, 'this bucket receives the trail bucket\'s access logs; logging it to itself would loop');
      // S3 server access logging delivers only to buckets encrypted with SSE-S3, not SSE-KMS.
      acknowledgeFinding(accessLogs, `${pack}-S3DefaultEncryptionKMS`, 'S3 server access logs can be delivered only to a bucket with SSE-S3 encryption, not SSE-KMS');
      acknowledgeFinding(this, `${pack}-S3BucketReplicationEnabled`,
        'trail log files are kept for audit in this account; copying them to another Region is an organization-wide choice (an organization trail with its own replicated bucket)');
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail writes log files encrypted with the key.
    props.key.grantEncrypt(new iam.ServicePrincipal('cloudtrail.amazonaws.com'));
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    this.trail = new cloudtrail.Trail(this, 'Resource', {
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      enableFileValidation: true,
      encryptionKey: props.key,
      bucket: this.bucket,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: props.key }),
    });
    for (const pack of COMPLIANCE_PACKS) {
      acknowledgeFinding(this.trail, `${pack}-IAMNoInlinePolicy`,
        'aws-cdk-lib\'s Trail writes the CloudWatch Logs delivery role\'s policy inline; it allows only writing to this trail\'s log group');
    }
  }
}
