// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { containmentGroup, ContainmentRequest } from './containment-request';

const sqs = new SQSClient({});

/**
 * Puts a request on the containment queue, the one way any part of the library asks for containment.
 * FIFO de-duplication by content drops the same request sent again within five minutes (a retried
 * invocation); the contain function drops a repeat after that (the session is already contained).
 */
export async function requestContainment(queueUrl: string, request: ContainmentRequest): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request), MessageGroupId: containmentGroup(request) }));
}
