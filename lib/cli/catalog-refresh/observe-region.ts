import { BedrockClient, GetInferenceProfileCommand, InferenceProfileModel, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { withTimeout } from '../aws-clients';
import { attempt, Outcome } from '../aws-errors';

/** A system-defined Claude inference profile as one Region reports it. */
export interface ObservedProfile {
  /** Such as `eu.anthropic.claude-sonnet-4-6` or `global.anthropic.claude-sonnet-4-6`. */
  readonly id: string;
  /** The foundation-model ARNs the profile routes to from this Region. */
  readonly modelArns: readonly string[];
}

// Bedrock's system profiles for Claude: a geography prefix, then the Anthropic model id.
export const CLAUDE_PROFILE = /^([a-z]+(?:-[a-z]+)?)\.(anthropic\.claude-[a-z0-9.:-]+)$/;
const MAX_PAGES = 50;

/**
 * Lists the Claude system-defined inference profiles of one Region, with the models each routes
 * to. The list usually carries each profile's `models`; GetInferenceProfile fills them in when not.
 */
export async function observeRegion(client: BedrockClient): Promise<Outcome<ObservedProfile[]>> {
  return attempt(async () => {
    const found: ObservedProfile[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await client.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 1000, nextToken }), withTimeout());
      for (const summary of out.inferenceProfileSummaries ?? []) {
        const id = summary.inferenceProfileId ?? '';
        if (!CLAUDE_PROFILE.test(id)) {
          continue;
        }
        let models = summary.models ?? [];
        if (models.length === 0) {
          const full = await client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: id }), withTimeout());
          models = full.models ?? [];
        }
        found.push({ id, modelArns: arnsOf(models) });
      }
      nextToken = out.nextToken;
      if (!nextToken) {
        break;
      }
    }
    return found;
  });
}

function arnsOf(models: readonly InferenceProfileModel[]): string[] {
  return models.map((m) => m.modelArn).filter((a): a is string => typeof a === 'string');
}
