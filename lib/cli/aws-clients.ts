import { BedrockClient } from '@aws-sdk/client-bedrock';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

/** The AWS clients the doctor uses, for one Region. */
export interface DoctorClients {
  readonly sts: STSClient;
  readonly iam: IAMClient;
  /** Absent when no Region is known, because Bedrock is regional. */
  readonly bedrock?: BedrockClient;
}

/**
 * Makes the doctor's clients for the Region and the environment Claude Code would have; tests pass
 * their own.
 */
export type DoctorClientFactory = (region: string | undefined, env: Readonly<Record<string, string>>) => DoctorClients;

/** How long one AWS call may take in all, retries included. */
export const CALL_TIMEOUT_MS = 15_000;

// Short timeouts and one retry: a doctor that hangs on a dead network helps nobody.
const CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

// STS and IAM need some Region to sign with; IAM is global within its partition.
const FALLBACK_REGION = 'us-east-1';

/** Real SDK clients with bounded timeouts, using the default credential chain. */
export function createDoctorClients(region: string | undefined): DoctorClients {
  const signingRegion = region ?? FALLBACK_REGION;
  return {
    sts: new STSClient({ ...CLIENT_OPTIONS, region: signingRegion }),
    iam: new IAMClient({ ...CLIENT_OPTIONS, region: signingRegion }),
    bedrock: region ? new BedrockClient({ ...CLIENT_OPTIONS, region }) : undefined,
  };
}

/** Real Bedrock clients for the catalog refresh, one per Region. */
export function createBedrockClient(region: string): BedrockClient {
  return new BedrockClient({ ...CLIENT_OPTIONS, region });
}

/** Send options that abandon a call after `CALL_TIMEOUT_MS`. */
export function withTimeout(): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) };
}
