import { ModelReferenceKind } from '../../models/model-reference';
import { Outcome } from '../aws-errors';
import { Finding } from '../findings';
import { ParsedModel } from './check-model-region';

/** What Bedrock said about inference profiles in the Region Claude Code calls. */
export interface ProfileFacts {
  readonly region: string;
  /** Ids of the system-defined profiles ListInferenceProfiles returned, such as `us.anthropic.claude-sonnet-4-6`. */
  readonly systemProfileIds: readonly string[];
  /** GetInferenceProfile for each configured application profile ARN. */
  readonly applicationProfiles: Readonly<Record<string, Outcome<unknown>>>;
}

/** Whether each configured profile exists in the Region, as Bedrock itself answers. */
export function checkProfilesExist(parsed: readonly ParsedModel[], profiles: Outcome<ProfileFacts>): Finding[] {
  const checked = parsed.filter((p) => !('error' in p) && ('applicationProfileRegion' in p || p.ref.kind !== ModelReferenceKind.FOUNDATION_MODEL));
  if (checked.length === 0) {
    return [];
  }
  if (!profiles.ok) {
    return [{
      id: 'profiles-unknown',
      severity: 'info',
      title: 'Unknown: whether the configured inference profiles exist in the Region',
      detail: `Bedrock ListInferenceProfiles could not run: ${profiles.problem.reason}.`,
      fix: profiles.problem.kind === 'access-denied'
        ? 'Claude Code itself calls ListInferenceProfiles: allow bedrock:ListInferenceProfiles on "*" (it takes no resource).'
        : undefined,
      unknown: true,
    }];
  }
  const facts = profiles.value;
  const listed = new Set(facts.systemProfileIds);
  const findings: Finding[] = [];
  for (const p of checked) {
    if ('error' in p) {
      continue;
    }
    const id = 'ref' in p ? p.ref.invocationId : p.model.value;
    if ('applicationProfileRegion' in p) {
      const answer = facts.applicationProfiles[p.model.value];
      if (answer && !answer.ok) {
        findings.push(answer.problem.kind === 'not-found' ? missing(p, facts.region) : {
          id: 'profile-unknown',
          severity: 'info',
          title: `Unknown: whether application profile ${id} exists`,
          detail: `Bedrock GetInferenceProfile failed: ${answer.problem.reason}.`,
          unknown: true,
        });
      }
    } else if (!listed.has(id)) {
      findings.push(missing(p, facts.region));
    }
  }
  if (findings.length === 0) {
    findings.push({
      id: 'profiles-exist',
      severity: 'info',
      title: `Bedrock lists every configured inference profile in ${facts.region}`,
      detail: checked.map((p) => `${p.model.setting}: ${p.model.value}`).join('; '),
    });
  }
  return findings;
}

function missing(p: ParsedModel, region: string): Finding {
  return {
    id: 'profile-not-in-region',
    severity: 'high',
    title: `${p.model.setting} '${p.model.value}' is not an inference profile Bedrock offers in ${region}`,
    detail: `Bedrock's own list for ${region} does not contain it, so Claude Code's calls with it fail. (${p.model.setting} from ${p.model.source}.)`,
    fix: `List what ${region} offers with: aws bedrock list-inference-profiles --region ${region} --query "inferenceProfileSummaries[].inferenceProfileId"`,
  };
}
