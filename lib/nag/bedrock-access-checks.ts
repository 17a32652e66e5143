import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { resetAppIndex } from './grants';
import { RULES } from './rules';

/**
 * A cdk-nag rule pack that finds over-broad and broken Amazon Bedrock grants in your own CDK app:
 * invoke on `*` or on every model, invoke identities that can do more than Bedrock, cross-Region
 * and `global.` inference-profile grants that miss the foundation models Bedrock checks (those
 * calls fail at run time), and the same in IAM Identity Center permission sets, which cdk-nag's
 * own packs do not read.
 *
 * Rule ids read `BedrockAccess-<Rule>[<finding>]`, such as
 * `BedrockAccess-InvokeOnWildcard[Resource::*]`; acknowledge one with
 * `Validations.of(construct).acknowledge({ id, reason })`. Register the pack with
 * `Validations.of(app).addPlugins(new BedrockAccessChecks(app))`.
 */
export class BedrockAccessChecks extends NagPack {
  /** The plugin name shown in the validation report. */
  public readonly name: string = 'BedrockAccess';

  /**
   * @param scope the app or stage, needed only with `writeSuppressionsToCloudFormation`
   * @param props cdk-nag pack options
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'BedrockAccess';
  }

  /**
   * Checks every resource under `scope` and returns the report; the CDK calls it through
   * `validate`, tests call it directly.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // The rules read who holds which policy across the app; start from the tree as it is now.
    resetAppIndex();
    try {
      return super.validateScope(scope);
    } finally {
      resetAppIndex();
    }
  }

  protected checkResource(node: CfnResource): void {
    for (const r of RULES) {
      this.applyRule({ info: r.info, explanation: r.explanation, level: r.level, rule: r.rule, node });
    }
  }
}
