import {
  CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { resetAppIndex } from './grants';
import { RuleFindings } from './rule-findings';
import { BedrockAccessRule, RULES } from './rules';

/** Options of the Bedrock rule pack. */
export interface BedrockAccessChecksProps {
  /**
   * Add each rule's explanation (why it matters, how to fix it) to its finding, and the error of
   * a rule that could not read a resource.
   * @default false - the one-line finding only
   */
  readonly verbose?: boolean;
}

/** Every rule id starts with this, as cdk-nag v3 packs name theirs `<pack>-<rule>`. */
const PACK_NAME = 'BedrockAccess';

/**
 * A rule pack, in the form of a cdk-nag v3 pack, that finds over-broad and broken Amazon Bedrock
 * grants in your own CDK app: invoke on `*` or on every model, invoke identities that can do more
 * than Bedrock, cross-Region and `global.` inference-profile grants that miss the foundation models
 * Bedrock checks (those calls fail at run time), and the same in IAM Identity Center permission
 * sets, which cdk-nag's own packs do not read.
 *
 * It is a CDK validation plugin and needs no cdk-nag installed: register it with
 * `Validations.of(app).addPlugins(new BedrockAccessChecks())`, next to cdk-nag's packs or alone.
 * The report holds one violation per rule and resource, `BedrockAccess-<Rule>`, naming every finding
 * (`Resource::*`, `Action::s3:GetObject`, the missing Regions of a profile). Acknowledge them all with
 * `Validations.of(construct).acknowledge({ id: 'BedrockAccess-<Rule>', reason })`, or one with
 * `BedrockAccess-<Rule>[<finding>]`, such as `BedrockAccess-InvokeOnWildcard[Resource::*]`.
 */
export class BedrockAccessChecks implements IPolicyValidationPlugin {
  /** The plugin name shown in the validation report. */
  public readonly name: string = PACK_NAME;

  /** The rule names of the pack, without findings. */
  public readonly ruleIds?: string[] = RULES.map((r) => `${PACK_NAME}-${r.rule.name}`);

  private readonly verbose: boolean;

  constructor(props: BedrockAccessChecksProps = {}) {
    this.verbose = props.verbose ?? false;
  }

  /** Called by the CDK at synth with the finished construct tree. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.validateScope(context.appConstruct);
  }

  /**
   * Checks every resource under `scope` and returns the report; the CDK calls it through
   * `validate`, tests call it directly.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    // The rules read who holds which policy across the app; start from the tree as it is now.
    resetAppIndex();
    try {
      const violations: PolicyViolation[] = [];
      for (const node of scope.node.findAll()) {
        if (CfnResource.isCfnResource(node)) {
          for (const rule of RULES) {
            const violation = this.apply(rule, node);
            if (violation) {
              violations.push(violation);
            }
          }
        }
      }
      return { success: violations.length === 0, violations };
    } finally {
      resetAppIndex();
    }
  }

  /** One violation per rule and resource, naming every finding; acknowledging the rule id silences them all. */
  private apply(rule: BedrockAccessRule, node: CfnResource): PolicyViolation | undefined {
    const ruleId = `${PACK_NAME}-${rule.rule.name}`;
    const resource = { constructPath: node.node.path, locations: ['Properties'] };
    if (isAcknowledged(node, ruleId)) {
      return undefined;
    }
    let found: RuleFindings;
    try {
      found = rule.rule(node);
    } catch (e) {
      const why = this.verbose ? (e as Error).message : 'This is generally caused by a parameter referencing an intrinsic function.';
      return { ruleName: ruleId, description: `Rule threw an error during validation. ${why}`, severity: 'error', violatingResources: [resource] };
    }
    const open = found.filter((f) => !isAcknowledged(node, `${ruleId}[${f.id}]`));
    if (open.length === 0) {
      return undefined;
    }
    const listed = open.map((f) => (f.detail ? `${f.id} (${f.detail})` : f.id)).join('; ');
    const description = `${rule.info} Found: ${listed}.${this.verbose ? ` ${rule.explanation}` : ''}`;
    return {
      ruleName: ruleId,
      description,
      fix: `Acknowledge all of them on this resource with the id '${ruleId}', or one with '${ruleId}[<finding>]', such as '${ruleId}[${open[0].id}]'.`,
      severity: 'error',
      violatingResources: [resource],
      // One id per finding, for tools that list what may be acknowledged one by one.
      ruleMetadata: { findings: open.map((f) => `${ruleId}[${f.id}]`).join('\n') },
    };
  }
}

/** True when `Validations.of(x).acknowledge` named the rule id on the resource or any construct above it. */
function isAcknowledged(resource: IConstruct, ruleId: string): boolean {
  for (let c: IConstruct | undefined = resource; c; c = c.node.scope) {
    for (const entry of c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)) {
      // aws-cdk-lib before 2.262.1 prefixes the id with `annotation::`, later versions with `Annotation::`.
      if (Object.keys(entry.data as Record<string, string>).some((k) => k.replace(/^annotation::/i, '') === ruleId)) {
        return true;
      }
    }
  }
  return false;
}
