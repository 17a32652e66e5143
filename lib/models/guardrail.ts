const GUARDRAIL_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-eusc):bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+)$/;

/**
 * A Bedrock guardrail every invocation must carry.
 *
 * The policy allows invocation only with this guardrail and version (`bedrock:GuardrailIdentifier`)
 * and denies it explicitly otherwise, so no other policy can lift the requirement.
 */
export class Guardrail {
  /**
   * @param arn the guardrail ARN without a version: `arn:aws:bedrock:<region>:<account>:guardrail/<id>`
   * @param version a published version number such as `1`, or `DRAFT`
   */
  public static fromArn(arn: string, version: string): Guardrail {
    if (!GUARDRAIL_ARN.test(arn)) {
      throw new Error(`'${arn}' is not a guardrail ARN: expected arn:aws:bedrock:<region>:<12-digit account>:guardrail/<id>, without a version suffix (pass the version separately)`);
    }
    if (!/^([1-9][0-9]*|DRAFT)$/.test(version)) {
      throw new Error(`guardrail version '${version}' is not valid: use a published version number such as '1', or 'DRAFT'`);
    }
    return new Guardrail(arn, version);
  }

  private constructor(
    /** The guardrail ARN, without a version. */
    public readonly arn: string,
    /** The version invocations must use. */
    public readonly version: string,
  ) {}

  /**
   * The value `bedrock:GuardrailIdentifier` takes for this guardrail and version: the ARN with
   * `:<version>`, or the bare ARN for the draft.
   */
  public get identifier(): string {
    return this.version === 'DRAFT' ? this.arn : `${this.arn}:${this.version}`;
  }
}
