// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { ConfigServiceClient, Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { Sleep, withThrottlingRetries } from './retry';

/** PutEvaluations takes at most 100 evaluations a call. */
export const EVALUATIONS_PER_CALL = 100;

/**
 * Sends the evaluations in batches of 100, each retried while throttled. Every batch is tried; the
 * ones that fail (or that Config reports as failed) come back as messages for the caller to raise.
 */
export async function putEvaluations(config: ConfigServiceClient, resultToken: string, evaluations: Evaluation[], sleep: Sleep): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < evaluations.length; i += EVALUATIONS_PER_CALL) {
    const batch = evaluations.slice(i, i + EVALUATIONS_PER_CALL);
    try {
      const out = await withThrottlingRetries(() => config.send(new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: batch })), sleep);
      for (const failed of out.FailedEvaluations ?? []) {
        failures.push(`Config rejected the evaluation of ${failed.ComplianceResourceId} (${failed.ComplianceType})`);
      }
    } catch (error) {
      failures.push(`PutEvaluations failed for ${batch.length} evaluation(s) starting at ${batch[0].ComplianceResourceId}: ${describe(error)}`);
    }
  }
  return failures;
}

export function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
