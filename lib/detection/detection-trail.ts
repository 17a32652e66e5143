import { unscopedValidationError } from '../errors/validation-error';

/** Where the CloudTrail events detection matches come from: EventBridge sees only what a trail logs. */
export class DetectionTrail {
  /**
   * Create a multi-Region trail logging all management events, read and write, with KMS-encrypted,
   * validated log files in a hardened bucket. One per account is enough.
   */
  public static create(): DetectionTrail {
    return new DetectionTrail(true, undefined);
  }

  /**
   * Rely on a trail that already logs all management events (read and write) in every Region of every
   * watched account, such as an organization trail.
   *
   * @param description which trail, for the record (such as 'organization trail in the management account')
   */
  public static existing(description: string): DetectionTrail {
    if (description.trim().length === 0) {
      throw unscopedValidationError('DetectionTrail.existing needs a description of the trail, such as \'organization trail in the management account\'');
    }
    return new DetectionTrail(false, description);
  }

  private constructor(
    /** Whether the construct creates the trail. */
    public readonly creates: boolean,
    /** The existing trail, as described. */
    public readonly existingDescription?: string,
  ) {}
}
