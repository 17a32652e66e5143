import { unscopedValidationError } from '../errors/validation-error';

/**
 * A permissions boundary for the roles a permission set creates: a customer-managed policy (which
 * must exist, by name and path, in every account the set is assigned to) or an AWS-managed policy.
 */
export class PermissionSetBoundary {
  /**
   * A customer-managed policy that exists in every target account.
   *
   * @param name the policy name
   * @param path the policy path, such as `/` (default) or `/boundaries/`
   */
  public static customerManaged(name: string, path: string = '/'): PermissionSetBoundary {
    if (!/^[\w+=,.@-]{1,128}$/.test(name)) {
      throw unscopedValidationError(`boundary policy name '${name}' is not valid: use 1 to 128 letters, digits or _+=,.@-`);
    }
    if (!/^\/([\x21-\x7E]*\/)?$/.test(path)) {
      throw unscopedValidationError(`boundary policy path '${path}' is not valid: it must start and end with '/', such as '/boundaries/'`);
    }
    return new PermissionSetBoundary(name, path, undefined);
  }

  /**
   * An AWS-managed policy, by ARN.
   *
   * @param arn such as `arn:aws:iam::aws:policy/...`
   */
  public static awsManaged(arn: string): PermissionSetBoundary {
    if (!/^arn:(aws|aws-us-gov|aws-cn):iam::aws:policy\/[\w+=,.@/-]+$/.test(arn)) {
      throw unscopedValidationError(`'${arn}' is not an AWS-managed policy ARN: expected arn:aws:iam::aws:policy/<name>`);
    }
    return new PermissionSetBoundary(undefined, undefined, arn);
  }

  private constructor(
    /** The customer-managed policy's name. */
    public readonly customerManagedPolicyName?: string,
    /** The customer-managed policy's path. */
    public readonly customerManagedPolicyPath?: string,
    /** The AWS-managed policy's ARN. */
    public readonly managedPolicyArn?: string,
  ) {}
}
