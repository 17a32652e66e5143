import { Duration } from 'aws-cdk-lib';

/**
 * How much use of the Bedrock-only identities is normal, per identity (one person's session name).
 *
 * The defaults come from Claude Code's own pace: an agent loop sends one model request every few
 * seconds at most while it streams and runs tools, and a developer rarely drives more than two or three
 * sessions (with their subagents) at once. 1,000 calls in a clock hour is one request every 3.6 s for
 * the whole hour, the top of a heavy day; 3,000 is four agents flat out for an hour, which a reseller's
 * proxy reaches in minutes and a person does not.
 */
export interface UsageLimits {
  /**
   * Alert when one identity makes more model calls than this in one clock hour (UTC).
   *
   * @default 1000
   */
  readonly callsPerHourAlarm?: number;

  /**
   * Contain an identity that makes more model calls than this in one clock hour: the invoke role's
   * sessions issued before the call that crossed it are revoked through the detection's containment.
   *
   * @default 3000
   */
  readonly callsPerHourLimit?: number;

  /**
   * Alert when an identity calls from a network it has not used for this long (an IPv4 /24 or an IPv6
   * /48, so a home router's new address stays quiet). The first network an identity is seen from is
   * learned, not alerted.
   *
   * @default Duration.days(30)
   */
  readonly newNetworkWindow?: Duration;
}
