import type { MatchedIdentity } from '../detection/alert-message';

/** One person the usage guard counted in a window, with what their calls in it could cost. */
export interface HeaviestCaller {
  /** The person as the guard counts them (an Identity Center user id, a bound source identity, or a session). */
  readonly principal: string;
  readonly identity: MatchedIdentity;
  /** The last session ARN the guard saw for the person in the window. */
  readonly sessionArn: string;
  /** The session's source identity, when it had one. */
  readonly sourceIdentity?: string;
  /** The account the session's role lives in. */
  readonly issuerAccount?: string;
  /** What the person's calls in the window could cost, in US dollars, as the guard weighs them. */
  readonly weightUsd: number;
}

/**
 * The callers with the greatest weight between `since` and `now` (epoch milliseconds), heaviest first,
 * at most `limit`. Contract shared by the spend-rate cap's stop and the usage guard; the guard's
 * sliding-window store implements it.
 */
export async function heaviestCallers(_tableName: string, _since: number, _now: number, _limit: number): Promise<HeaviestCaller[]> {
  return [];
}
