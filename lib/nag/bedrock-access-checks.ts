import {
  CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Validations,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { resetAppIndex } from './grants';
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
 * Rule ids read `BedrockAccess-<Rule>[<finding>]`, such as
 * `BedrockAccess-InvokeOnWildcard[Resource::*]`; acknowledge one with
 * `Validations.of(construct).acknowledge({ id, reason })`.
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
      const violations = new Map<string, PolicyViolation>();
      for (const node of scope.node.findAll()) {
        if (CfnResource.isCfnResource(node)) {
          for (const rule of RULES) {
            this.apply(rule, node, violations);
          }
        }
      }
      return { success: violations.size === 0, violations: [...violations.values()] };
    } finally {
      resetAppIndex();
    }
  }

  private apply(rule: BedrockAccessRule, node: CfnResource, violations: Map<string, PolicyViolation>): void {
    const ruleId = `${PACK_NAME}-${rule.rule.name}`;
    let found: Array<{ id: string; description: string }>;
    try {
      const description = this.verbose ? `${rule.info} ${rule.explanation}` : rule.info;
      found = rule.rule(node).map((finding) => ({ id: `${ruleId}[${finding}]`, description }));
    } catch (e) {
      const why = this.verbose ? (e as Error).message : 'This is generally caused by a parameter referencing an intrinsic function.';
      found = [{ id: ruleId, description: `Rule threw an error during validation. ${why}` }];
    }
    for (const { id, description } of found.filter((f) => !isAcknowledged(node, f.id))) {
      const resource = { constructPath: node.node.path, locations: ['Properties'] };
      const known = violations.get(id);
      if (known) {
        known.violatingResources.push(resource);
      } else {
        violations.set(id, { ruleName: id, description, severity: 'error', violatingResources: [resource] });
      }
    }
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
