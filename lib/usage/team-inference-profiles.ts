import { Aws, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';
import { attributeTo, validationError } from '../errors/validation-error';
import { foundationModelArn, profileArn } from '../models/arns';
import { ModelReference, ModelReferenceKind } from '../models/model-reference';

/** Properties of `TeamInferenceProfiles`. */
export interface TeamInferenceProfilesProps {
  /** The team: the value of the cost allocation tag, and the start of each profile's name. */
  readonly team: string;

  /** The system inference profiles (or foundation models) the team's profiles copy, as the team's policy grants them. */
  readonly models: ModelReference[];

  /**
   * The key of the cost allocation tag that carries `team`.
   *
   * @default 'team'
   */
  readonly tagKey?: string;

  /**
   * Further tags on every profile, such as a cost center.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

// AWS tag rules: keys up to 128 and values up to 256 of letters, digits, spaces and _.:/=+-@ (Tagging AWS resources, "Tag naming limits").
const TAG_KEY = /^[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{N}\s_.:/=+@-]{0,256}$/u;

/**
 * One application inference profile per model for a team, each copying the model's system profile
 * in this stack's Region and tagged for cost allocation, so the bill (and Cost Explorer, once the tag
 * is activated) splits Bedrock spend by team. An application profile's ARN holds an id Bedrock
 * assigns, so grant and configure it in a second step: deploy this, then pass each output ARN as
 * `ModelReference.applicationProfile(arn, model)`; the generated Claude Code settings then name the
 * profiles, and map each model to its profile in `modelOverrides`.
 */
export class TeamInferenceProfiles extends Construct {
  /** The profiles, in the order of `models`. */
  public readonly profiles: bedrock.CfnApplicationInferenceProfile[];

  constructor(scope: Construct, id: string, props: TeamInferenceProfilesProps) {
    super(scope, id);
    const tagKey = props.tagKey ?? 'team';
    const tags = { ...(props.tags ?? {}), [tagKey]: props.team };
    for (const [key, value] of Object.entries(tags)) {
      if (!TAG_KEY.test(key) || key.startsWith('aws:')) {
        throw validationError(this, key === tagKey ? 'tagKey' : 'tags', `tag key '${key}' is not a valid AWS tag key: up to 128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'`);
      }
      if (!TAG_VALUE.test(value)) {
        throw validationError(this, key === tagKey ? 'team' : 'tags', `tag value '${value}' (for ${key}) is not a valid AWS tag value: up to 256 letters, digits, spaces and _.:/=+-@`);
      }
    }
    if (props.team.trim().length === 0) {
      throw validationError(this, 'team', 'team is empty: name the team the profiles bill to, such as \'payments\'');
    }
    if (props.models.length === 0) {
      throw validationError(this, 'models', 'models is empty: list the system profiles the team calls, such as ModelReference.parse(\'us.anthropic.claude-sonnet-4-6\')');
    }
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.region)) {
      throw validationError(this, undefined, 'TeamInferenceProfiles needs a stack with an explicit region: a profile copies the system profile of one Region');
    }
    this.profiles = attributeTo(this, 'models', () => props.models.map((model, i) => {
      const profile = new bedrock.CfnApplicationInferenceProfile(this, `Profile${i}`, {
        inferenceProfileName: profileName(props.team, model),
        description: bedrockText(`${props.team} ${model.invocationId} for cost allocation`).slice(0, 200),
        modelSource: { copyFrom: copyFromArn(model, stack.region) },
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      });
      new CfnOutput(this, `Profile${i}Arn`, { value: profile.attrInferenceProfileArn, description: `${props.team} profile for ${model.invocationId}` });
      return profile;
    }));
  }
}

/** The ARN of what a profile copies: the system profile in the Region, or the foundation model there. */
function copyFromArn(model: ModelReference, region: string): string {
  switch (model.kind) {
    case ModelReferenceKind.APPLICATION_PROFILE:
      throw new Error(`'${model.invocationId}' is already an application profile: give the system profile or model it copies`);
    case ModelReferenceKind.FOUNDATION_MODEL:
      return foundationModelArn(Aws.PARTITION, region, model.modelId);
    default:
      return profileArn(Aws.PARTITION, region, Aws.ACCOUNT_ID, model.invocationId);
  }
}

/**
 * Text as Bedrock takes it in a profile's description: letters, digits, ':' and '.', with at most one
 * space, '_' or '-' after each (CloudFormation's pattern `^([0-9a-zA-Z:.][ _-]?)+$`).
 */
function bedrockText(text: string): string {
  return text.replace(/[^0-9a-zA-Z:. _-]+/g, ' ').replace(/([ _-])[ _-]+/g, '$1').replace(/^[ _-]+/, '');
}

/** Bedrock's profile names: letters, digits, and single spaces, '_' or '-' between them, up to 64. */
function profileName(team: string, model: ModelReference): string {
  const raw = `${team}-${model.modelId.replace(/^anthropic\./, '')}`;
  return raw.replace(/[^0-9a-zA-Z]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
}
