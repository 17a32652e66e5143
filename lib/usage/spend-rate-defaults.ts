/**
 * The spend-rate cap's defaults, in one place so the bench (bench/) simulates what the library deploys.
 * Values are owned by the spend-rate cap; the names are a contract with the bench.
 */

/** The alarms' period: CloudWatch evaluates an alarm of a period of a minute or more every minute. */
export const SPEND_RATE_PERIOD_SECONDS = 60;
/** The rolling window the spend is summed over (EvaluationPeriods of SPEND_RATE_PERIOD_SECONDS). */
export const DEFAULT_SPEND_RATE_WINDOW_MINUTES = 5;
/** Alert when the window's spend in one account and Region passes this, in US dollars. */
export const DEFAULT_SPEND_RATE_ALERT_USD = 10;
/** Stop when the window's spend in one account and Region passes this, in US dollars. */
export const DEFAULT_SPEND_RATE_STOP_USD = 20;
