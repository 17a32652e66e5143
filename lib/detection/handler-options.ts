import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../access/acknowledge';

/** What every detection handler shares: the key of the alert path and its dead-letter queue. */
export interface HandlerFunctionContext {
  readonly key: kms.IKey;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * A function's options with a role of its own whose only policy is customer-managed and names
 * each resource: cdk-nag's packs reject AWS-managed and inline policies.
 */
export function handlerFunctionProps(scope: Construct, context: HandlerFunctionContext, name: string, description: string,
  statements: iam.PolicyStatement[], reservedConcurrency = 5): lambda.FunctionOptions {
  const logGroup = new logs.LogGroup(scope, `${name}Logs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: context.key });
  const role = new iam.Role(scope, `${name}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  role.addManagedPolicy(new iam.ManagedPolicy(scope, `${name}Policy`, {
    description,
    statements: [
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      new iam.PolicyStatement({ sid: 'DeadLetterQueue', actions: ['sqs:SendMessage'], resources: [context.deadLetterQueue.queueArn] }),
      new iam.PolicyStatement({ sid: 'EncryptedTopicAndQueue', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [context.key.keyArn] }),
      ...statements,
    ],
  }));
  return {
    description,
    role,
    memorySize: 256,
    timeout: Duration.seconds(30),
    reservedConcurrentExecutions: reservedConcurrency,
    logGroup,
  };
}

/** Points the function's failures at the dead-letter queue and records why it runs outside a VPC. */
export function handlerFunction(fn: lambda.Function, context: HandlerFunctionContext): lambda.Function {
  // Set on the L1: the L2 option would grant sqs:SendMessage inline, and the managed policy already does.
  (fn.node.defaultChild as lambda.CfnFunction).deadLetterConfig = { targetArn: context.deadLetterQueue.queueArn };
  const reason = 'the function calls only public AWS endpoints (SNS, SQS, EventBridge, IAM, DynamoDB); a VPC would add NAT or endpoint cost and no protection';
  acknowledgeFinding(fn, 'NIST.800.53.R5-LambdaInsideVPC', reason);
  acknowledgeFinding(fn, 'HIPAA.Security-LambdaInsideVPC', reason);
  acknowledgeFinding(fn, 'PCI.DSS.321-LambdaInsideVPC', reason);
  return fn;
}
