/** A model's price, given by the user where the library's table has none or is out of date. */
export interface ModelPriceOverride {
  /**
   * The model, by foundation-model id (`anthropic.claude-sonnet-4-6`), by the id a profile calls it
   * (`us.anthropic.claude-sonnet-4-6`), or by an application inference profile's ARN.
   */
  readonly modelId: string;
  /** US dollars per million input tokens, as the Amazon Bedrock pricing page lists them for the way you call the model. */
  readonly inputPerMillionUsd: number;
  /** US dollars per million output tokens. */
  readonly outputPerMillionUsd: number;
  /**
   * US dollars per million input tokens read from the prompt cache.
   *
   * @default - a tenth of the input price (Anthropic's published ratio)
   */
  readonly cacheReadPerMillionUsd?: number;
  /**
   * US dollars per million input tokens written to the prompt cache.
   *
   * @default - 1.25 times the input price (Anthropic's five-minute cache)
   */
  readonly cacheWritePerMillionUsd?: number;
}

/** The spend-rate cap's thresholds, window and prices. */
export interface SpendRateLimits {
  /**
   * Alert when a window's spend on one alarm's models, in one account and Region, passes this (US dollars).
   *
   * @default DEFAULT_SPEND_RATE_ALERT_USD (10)
   */
  readonly alertUsd?: number;
  /**
   * Stop when a window's spend on one alarm's models, in one account and Region, passes this (US dollars).
   *
   * @default DEFAULT_SPEND_RATE_STOP_USD (20)
   */
  readonly stopUsd?: number;
  /**
   * The window the spend is summed over, in whole minutes (1 to 60).
   *
   * @default DEFAULT_SPEND_RATE_WINDOW_MINUTES (5)
   */
  readonly windowMinutes?: number;
  /**
   * Prices for models the library's table does not price (or prices you negotiated).
   *
   * @default - the library's price table
   */
  readonly prices?: ModelPriceOverride[];
}

/** The front door's switch and settings for the spend-rate cap. */
export interface SpendRateCapOptions extends SpendRateLimits {
  /**
   * Deploy the cap.
   *
   * @default true when detection and containment are on
   */
  readonly enabled?: boolean;
}
