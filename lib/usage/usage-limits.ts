import { Duration } from 'aws-cdk-lib';

/**
 * How much use of the Bedrock-only identities is normal, per person, over any 60 minutes (a sliding
 * window, so no clock boundary lets twice a limit through), in calls and in US dollars.
 *
 * The call limits come from Claude Code's own pace: an agent loop sends one model request every few
 * seconds at most while it streams and runs tools, and a developer rarely drives more than two or three
 * sessions (with their subagents) at once. 1,000 calls in 60 minutes is one request every 3.6 s, the top
 * of a heavy day; 3,000 is four agents flat out, which a reseller's proxy reaches in minutes and a
 * person does not.
 *
 * The dollar limits weigh every call at the most it can cost (CloudTrail records no token counts): a
 * 200,000-token prompt written to the cache and a 64,000-token answer at the model's list price, about
 * $1.71 for Claude Sonnet 4.6, $2.85 for Opus 4.6, $0.57 for Haiku 4.5 (a model without a price weighs
 * $9.41). A heavy developer hour of 300 calls weighs under $900 on any of these; the weight is a
 * ceiling, what was billed is at most that.
 */
export interface UsageLimits {
  /**
   * Alert when one person makes more model calls than this within 60 minutes.
   *
   * @default 1000
   */
  readonly callsPerHourAlarm?: number;

  /**
   * Contain a person who makes more model calls than this within 60 minutes: the invoke role's
   * sessions issued before the call that crossed it are revoked through the detection's containment.
   *
   * @default 3000
   */
  readonly callsPerHourLimit?: number;

  /**
   * Alert when one person's calls within 60 minutes could have cost more than this, in US dollars
   * (each call weighed at the most it can cost).
   *
   * @default 1000
   */
  readonly usdPerHourAlarm?: number;

  /**
   * Contain a person whose calls within 60 minutes could have cost more than this, in US dollars
   * (each call weighed at the most it can cost). This bounds what a leaked credential spends per hour
   * before it is contained (docs/usage-guard.md, "What a leak can spend").
   *
   * @default 2500
   */
  readonly usdPerHourLimit?: number;

  /**
   * Contain the next session of an invoke role once all its sessions together made more calls than this
   * within 60 minutes, whatever names they chose: renaming sessions (or declaring new source identities)
   * cannot start a new count. Applies to roles whose person is not bound by the trust policy. Size it
   * for the team that shares the role.
   *
   * @default - three times callsPerHourLimit
   */
  readonly roleCallsPerHourLimit?: number;

  /**
   * Contain the next session of an invoke role once all its sessions together could have cost more than
   * this within 60 minutes, in US dollars, whatever names they chose.
   *
   * @default - three times usdPerHourLimit
   */
  readonly roleUsdPerHourLimit?: number;

  /**
   * Alert when an identity calls from a network it has not used for this long (an IPv4 /24 or an IPv6
   * /48, so a home router's new address stays quiet). The first network an identity is seen from is
   * learned, not alerted.
   *
   * @default Duration.days(30)
   */
  readonly newNetworkWindow?: Duration;
}
