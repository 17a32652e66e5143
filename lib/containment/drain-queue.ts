// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { IAMClient } from '@aws-sdk/client-iam';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { DeleteMessageCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { containIdentityCenterUser, ContainedPermissionSet, IdentityCenterClients, stopEveryUserOfSet } from './contain-identity-center-user';
import { containRoleSession, stopEverySessionOfRole } from './contain-role';
import { ContainmentOutcome, outcomeAlert } from './containment-outcome';
import { parseContainmentRequest } from './containment-request';
import { implausibleTimes } from './request-time';

/** What the contain function is configured with, from its environment. */
export interface ContainConfig {
  readonly queueUrl: string;
  readonly topicArn: string;
  /** The role ids of the functions that may ask for containment. */
  readonly requesterRoleIds: string[];
  /** The role ids of the functions that may ask for a whole stop (the spend-rate cap's). */
  readonly wholeStopRequesterRoleIds: string[];
  readonly roles: string[];
  readonly permissionSets: ContainedPermissionSet[];
}

export interface ContainClients extends IdentityCenterClients {
  readonly sqs: SQSClient;
  readonly iam: IAMClient;
  readonly sns: SNSClient;
}

/** Stop taking new messages when fewer than this many milliseconds are left of the invocation. */
const RESERVE_MS = 4 * 60 * 1000;

/**
 * Contains what the queue holds. The invocation's own event is only a wake-up and is never read:
 * requests come from SQS's ReceiveMessage, where SQS, not the sender, records who sent each one (its
 * SenderId attribute), and the queue's policy lets nobody but the library's functions send. A direct
 * invoke with a forged request therefore changes nothing; at most it drains the queue early.
 */
export async function drainQueue(c: ContainClients, config: ContainConfig, remainingMs: () => number): Promise<ContainmentOutcome[]> {
  const outcomes: ContainmentOutcome[] = [];
  while (remainingMs() > RESERVE_MS) {
    const received = await c.sqs.send(new ReceiveMessageCommand({
      QueueUrl: config.queueUrl,
      // One at a time: a message waiting in a batch could outlive its visibility timeout and reach a second invocation.
      MaxNumberOfMessages: 1,
      MessageSystemAttributeNames: ['SenderId', 'SentTimestamp'],
      WaitTimeSeconds: 0,
    }));
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      break;
    }
    for (const message of messages) {
      try {
        // Sequential on purpose: one role's or set's policy is read and written by one request at a time.
        const outcome = await containMessage(c, config, message);
        outcomes.push(outcome);
        await tell(c, config, outcome);
        if (outcome.contained || outcome.ignored) {
          await c.sqs.send(new DeleteMessageCommand({ QueueUrl: config.queueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      } catch (e) {
        // Left on the queue: visible again after the visibility timeout, dead-lettered after five tries.
        console.log(JSON.stringify({ failed: (e as Error).message, messageId: message.MessageId }));
        outcomes.push({ contained: false, changed: false, ignored: undefined, warning: (e as Error).message });
        await tell(c, config, { contained: false, changed: false, warning: (e as Error).message, request: parsedOrUndefined(message) });
      }
    }
  }
  return outcomes;
}

async function containMessage(c: ContainClients, config: ContainConfig, message: Message): Promise<ContainmentOutcome> {
  // SQS reports a role session's sender as '<role id>:<session name>' (SQS API Reference, ReceiveMessage, SenderId).
  const sender = message.Attributes?.SenderId ?? '';
  const sentBy = (ids: string[]) => ids.some((id) => id.length > 0 && sender.startsWith(`${id}:`));
  if (!sentBy(config.requesterRoleIds)) {
    return skip(`sent by ${sender || 'an unknown sender'}, not by a function of the library`, message);
  }
  const request = parseContainmentRequest(message.Body);
  if ('ignored' in request) {
    return skip(request.ignored, message);
  }
  if (request.everySession && !sentBy(config.wholeStopRequesterRoleIds)) {
    return skip(`a whole stop sent by ${sender}, not by the spend-rate cap`, message);
  }
  const sentAt = Number(message.Attributes?.SentTimestamp);
  const sent = Number.isFinite(sentAt) && sentAt > 0 ? sentAt : undefined;
  const implausible = implausibleTimes(request.eventTime, request.session?.issuedAt, c.now(), sent);
  if (implausible) {
    return skip(implausible, message);
  }
  if (request.target.kind === 'role') {
    if (!config.roles.includes(request.target.roleName)) {
      return skip(`role ${request.target.roleName} is not one containment covers`, message);
    }
    return request.everySession
      ? stopEverySessionOfRole(c.iam, request, request.target.roleName)
      : containRoleSession(c.iam, request, request.target.roleName, c.now());
  }
  const name = request.target.permissionSetName;
  const set = config.permissionSets.find((p) => p.name === name);
  if (!set) {
    return skip(`permission set ${name} is not one containment covers`, message);
  }
  return request.everySession ? stopEveryUserOfSet(c, request, set) : containIdentityCenterUser(c, request, set);
}

async function tell(c: ContainClients, config: ContainConfig, outcome: ContainmentOutcome): Promise<void> {
  const r = outcome.request;
  console.log(JSON.stringify({ ...outcome, request: r && { target: r.target, session: r.session, call: r.call } }));
  const alert = outcomeAlert(outcome);
  if (alert) {
    await c.sns.send(new PublishCommand({ TopicArn: config.topicArn, Subject: alert.subject, Message: alert.message }));
  }
}

function parsedOrUndefined(message: Message) {
  const parsed = parseContainmentRequest(message.Body);
  return 'ignored' in parsed ? undefined : parsed;
}

function skip(reason: string, message: Message): ContainmentOutcome {
  console.log(JSON.stringify({ ignored: reason, messageId: message.MessageId }));
  return { contained: false, changed: false, ignored: reason };
}

/** The configuration from the function's environment, with a clear error when the construct did not set it. */
export function configFromEnv(env: NodeJS.ProcessEnv): ContainConfig {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new Error(`environment variable ${name} is not set: the function must be deployed by BedrockMisuseDetection with containment on`);
    }
    return value;
  };
  return {
    queueUrl: need('CONTAINMENT_QUEUE_URL'),
    topicArn: need('TOPIC_ARN'),
    requesterRoleIds: need('REQUESTER_ROLE_IDS').split(','),
    wholeStopRequesterRoleIds: (env.WHOLE_STOP_REQUESTER_ROLE_IDS ?? '').split(',').filter((id) => id.length > 0),
    roles: (env.CONTAINED_ROLES ?? '').split(',').filter((r) => r.length > 0),
    permissionSets: JSON.parse(env.CONTAINED_PERMISSION_SETS ?? '[]') as ContainedPermissionSet[],
  };
}
