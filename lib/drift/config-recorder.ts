import { IDependable, Construct } from 'constructs';
import { RoleRecorder } from './role-recorder';

/**
 * Where the drift rule's configuration items come from. AWS Config allows one recorder per account
 * and Region, and IAM is global: record `AWS::IAM::Role` in one Region only, and deploy the rule there.
 */
export class ConfigRecorder {
  /**
   * Rely on the account's recorder in this Region. It must record `AWS::IAM::Role` (a default recorder
   * does not: turn on global resource types or list the type); the rule's function says so in its
   * error log when no watched role is recorded.
   */
  public static existing(): ConfigRecorder {
    return new ConfigRecorder(false);
  }

  /**
   * Create a recorder that records `AWS::IAM::Role` only, and a delivery channel to a new versioned,
   * KMS-encrypted, TLS-only bucket with access logging. Deploy fails if the account already has a
   * recorder in this Region: use `existing()` there.
   */
  public static create(): ConfigRecorder {
    return new ConfigRecorder(true);
  }

  private constructor(
    /** Whether the rule creates the recorder and its delivery channel. */
    public readonly createsRecorder: boolean,
  ) {}

  /**
   * Adds the recorder to the scope when this choice creates one.
   *
   * @internal
   */
  public _bind(scope: Construct): IDependable | undefined {
    return this.createsRecorder ? new RoleRecorder(scope, 'Recorder') : undefined;
  }
}
