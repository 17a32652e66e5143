import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';

/**
 * The AWS clients the doctor uses, for one Region. Only `bedrock` signs with Claude Code's credentials,
 * and it makes only Bedrock's own read calls, which that identity is allowed and detection expects.
 */
export interface DoctorClients {
  /** Claude Code's identity. Absent when no Region is known, because Bedrock is regional. */
  readonly bedrock?: BedrockClient;
  /** The profile the user named with --admin-profile, for IAM questions; absent without it. */
  readonly admin?: { readonly iam: IAMClient };
}

/**
 * Makes the doctor's clients for the Region and the environment Claude Code would have, and for the
 * administrator profile if one is named; tests pass their own.
 */
export type DoctorClientFactory = (region: string | undefined, env: Readonly<Record<string, string>>, adminProfile?: string) => DoctorClients;

/** How long one AWS call may take in all, retries included. */
export const CALL_TIMEOUT_MS = 15_000;

// Short timeouts and one retry: a doctor that hangs on a dead network helps nobody.
const CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

// IAM needs some Region to sign with; it is global within its partition.
const FALLBACK_REGION = 'us-east-1';

/**
 * Real SDK clients with bounded timeouts: Bedrock with the default credential chain (Claude Code's
 * identity), IAM only with the named administrator profile.
 */
export function createDoctorClients(region: string | undefined, adminProfile?: string): DoctorClients {
  return {
    bedrock: region ? new BedrockClient({ ...CLIENT_OPTIONS, region }) : undefined,
    admin: adminProfile ? { iam: new IAMClient({ ...CLIENT_OPTIONS, region: region ?? FALLBACK_REGION, profile: adminProfile }) } : undefined,
  };
}

/** Real Bedrock clients for the catalog refresh, one per Region. */
export function createBedrockClient(region: string): BedrockClient {
  return new BedrockClient({ ...CLIENT_OPTIONS, region });
}

/** The configure command's client, with the named profile's credentials or else the default chain. */
export function createCloudFormationClient(region: string, profile?: string): CloudFormationClient {
  return new CloudFormationClient({ ...CLIENT_OPTIONS, region, ...(profile ? { profile } : {}) });
}

/** Send options that abandon a call after `CALL_TIMEOUT_MS`. */
export function withTimeout(): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) };
}
