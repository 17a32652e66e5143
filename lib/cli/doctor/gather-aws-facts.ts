import { GetInferenceProfileCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DoctorClients, withTimeout } from '../aws-clients';
import { attempt, Outcome } from '../aws-errors';
import { CallerIdentity, principalOf, simulationArn } from './caller-identity';
import { SimulationFacts } from './check-dangerous-actions';
import { ParsedModel } from './check-model-region';
import { ProfileFacts } from './check-profiles-exist';
import { DANGEROUS_ACTIONS } from './dangerous-actions';

/** Everything the doctor asks AWS, each answer or the reason there is none. */
export interface AwsFacts {
  readonly identity: Outcome<CallerIdentity>;
  readonly profiles: Outcome<ProfileFacts>;
  readonly simulation: Outcome<SimulationFacts>;
}

export interface GatherOptions {
  readonly clients: DoctorClients;
  /** The Region Claude Code calls Bedrock in, when one is set. */
  readonly region?: string;
  readonly models: readonly ParsedModel[];
  /** The IAM user or role ARN to simulate, when the caller knows it better than the doctor can. */
  readonly principalArn?: string;
}

// Bounds on pagination, so a misbehaving endpoint cannot keep the doctor busy.
const MAX_PAGES = 20;
const MAX_APPLICATION_PROFILES = 5;

/**
 * Asks STS who the credentials are, Bedrock which profiles the Region has, and IAM what else the
 * identity may do. Stops after the first question when the credentials do not work.
 */
export async function gatherAwsFacts(options: GatherOptions): Promise<AwsFacts> {
  const { clients } = options;
  const identity = await attempt(async () => {
    const out = await clients.sts.send(new GetCallerIdentityCommand({}), withTimeout());
    return { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' };
  });
  if (!identity.ok) {
    const skipped = { ok: false as const, problem: { kind: identity.problem.kind, reason: `skipped, because STS failed (${identity.problem.reason})` } };
    return { identity, profiles: skipped, simulation: skipped };
  }
  const [profiles, simulation] = await Promise.all([
    listProfiles(options),
    simulate(options, identity.value),
  ]);
  return { identity, profiles, simulation };
}

async function listProfiles(options: GatherOptions): Promise<Outcome<ProfileFacts>> {
  const { bedrock } = options.clients;
  if (!bedrock || !options.region) {
    return { ok: false, problem: { kind: 'not-possible', reason: 'no Region is set (AWS_REGION)' } };
  }
  const region = options.region;
  const listed = await attempt(async () => {
    const ids: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await bedrock.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 1000, nextToken }), withTimeout());
      (out.inferenceProfileSummaries ?? []).forEach((s) => s.inferenceProfileId && ids.push(s.inferenceProfileId));
      nextToken = out.nextToken;
      if (!nextToken) {
        break;
      }
    }
    return ids;
  });
  if (!listed.ok) {
    return listed;
  }
  const applicationProfiles: Record<string, Outcome<unknown>> = {};
  const arns = options.models.filter((m) => 'applicationProfileRegion' in m).map((m) => m.model.value).slice(0, MAX_APPLICATION_PROFILES);
  for (const arn of arns) {
    applicationProfiles[arn] = await attempt(() => bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn }), withTimeout()));
  }
  return { ok: true, value: { region, systemProfileIds: listed.value, applicationProfiles } };
}

async function simulate(options: GatherOptions, identity: CallerIdentity): Promise<Outcome<SimulationFacts>> {
  const { iam } = options.clients;
  let principal: { arn: string; assumption?: string } | { unknown: string };
  if (options.principalArn) {
    principal = { arn: options.principalArn };
  } else {
    const p = principalOf(identity.arn);
    const role = p.kind === 'role'
      ? await attempt(() => iam.send(new GetRoleCommand({ RoleName: p.roleName }), withTimeout()))
      : undefined;
    principal = simulationArn(identity, role?.ok ? role.value.Role?.Path : undefined);
  }
  if ('unknown' in principal) {
    return { ok: false, problem: { kind: 'not-possible', reason: `${principal.unknown}; pass --principal-arn <role ARN> if you know it` } };
  }
  const { arn, assumption } = principal;
  return attempt(async () => {
    const decisions: Record<string, string> = {};
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await iam.send(new SimulatePrincipalPolicyCommand({
        PolicySourceArn: arn,
        ActionNames: DANGEROUS_ACTIONS.map((a) => a.action),
        ResourceArns: ['*'],
        Marker: marker,
      }), withTimeout());
      for (const r of out.EvaluationResults ?? []) {
        if (r.EvalActionName && r.EvalDecision) {
          decisions[r.EvalActionName] = r.EvalDecision;
        }
      }
      marker = out.IsTruncated ? out.Marker : undefined;
      if (!marker) {
        break;
      }
    }
    return { principalArn: arn, assumption, decisions };
  });
}
