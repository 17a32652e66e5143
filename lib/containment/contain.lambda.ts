// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle
import { IAMClient } from '@aws-sdk/client-iam';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { SQSClient } from '@aws-sdk/client-sqs';
// eslint-disable-next-line import/no-extraneous-dependencies -- as above
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { ContainmentOutcome } from './containment-outcome';
import { ContainClients, configFromEnv, drainQueue } from './drain-queue';

const clients: ContainClients = {
  sqs: new SQSClient({}),
  iam: new IAMClient({}),
  sns: new SNSClient({}),
  ssoAdmin: new SSOAdminClient({}),
  identityStore: new IdentitystoreClient({}),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/**
 * Woken by the schedule, by the alert event, or by anyone allowed to invoke it: whatever the event says,
 * it contains only what the containment queue holds.
 */
export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<ContainmentOutcome[]> {
  const remaining = context?.getRemainingTimeInMillis ?? (() => 5 * 60 * 1000);
  return drainQueue(clients, configFromEnv(process.env), remaining);
}
