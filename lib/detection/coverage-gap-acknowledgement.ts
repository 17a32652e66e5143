/** A place where a watched identity can act but nothing watches, accepted on purpose. */
export interface CoverageGapAcknowledgement {
  /** The Region left uncovered, such as 'ap-east-1'. */
  readonly region: string;
  /**
   * The 12-digit account left uncovered in that Region.
   *
   * @default - every account
   */
  readonly account?: string;
  /** Why the gap is acceptable, for the synth warning that names it. */
  readonly reason: string;
}
