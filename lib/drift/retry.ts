/** Waits; injected so tests never depend on the clock. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many times a throttled call is tried in all, and the first pause (doubled each time). */
export const MAX_ATTEMPTS = 6;
export const FIRST_BACKOFF_MS = 200;

/** True for the errors AWS returns when a caller goes too fast. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

/** Runs a call, trying again with a doubling pause while AWS throttles it; any other error passes through. */
export async function withThrottlingRetries<T>(call: () => Promise<T>, sleep: Sleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= MAX_ATTEMPTS) {
        throw error;
      }
      await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}
