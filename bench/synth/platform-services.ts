// What a platform team's app already holds before it adds this library: a bucket, a function, a queue.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledgeFinding } from '../../lib/access/acknowledge';

/** The services stack, written as cdk-nag's four packs want it where that is cheap. */
export function addPlatformServices(app: App): Stack {
  const stack = new Stack(app, 'PlatformServices', { env: { region: 'us-east-1' } });
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  const logs = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
  });
  new s3.Bucket(stack, 'Data', {
    encryptionKey: key,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
  });
  const deadLetters = new sqs.Queue(stack, 'DeadLetters', { encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14) });
  new sqs.Queue(stack, 'Work', { encryptionMasterKey: key, enforceSSL: true, deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 } });
  new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    reservedConcurrentExecutions: 5,
    deadLetterQueue: deadLetters,
  });
  // A timing fixture, never deployed: what these findings would ask for (a VPC, a replica bucket) is the
  // team's own design, and adding it would only make the baseline heavier, the library's share smaller.
  const acknowledged: Array<[string, string]> = [
    ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'the function\'s role uses AWSLambdaBasicExecutionRole, as lambda.Function writes it'],
    ['AwsSolutions-L1', 'the runtime is pinned so the timing does not move with aws-cdk-lib\'s latest runtime'],
    ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].flatMap((pack): Array<[string, string]> => [
      [`${pack}-IAMNoInlinePolicy`, 'lambda.Function grants its dead-letter queue through an inline policy'],
      [`${pack}-LambdaInsideVPC`, 'a timing fixture: VPC placement is the team\'s design, not measured here'],
      [`${pack}-S3BucketReplicationEnabled`, 'a timing fixture: replication needs a second bucket in another Region'],
      [`${pack}-S3DefaultEncryptionKMS`, 'the access-log bucket: S3 server access logging writes only to SSE-S3 buckets'],
    ]),
  ];
  acknowledged.forEach(([id, reason]) => acknowledgeFinding(stack, id, reason));
  return stack;
}
