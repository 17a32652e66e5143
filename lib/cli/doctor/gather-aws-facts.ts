import { GetInferenceProfileCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { IAMClient, ListRolesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DoctorClients, withTimeout } from '../aws-clients';
import { attempt, Outcome } from '../aws-errors';
import { SimulationFacts } from './check-dangerous-actions';
import { ParsedModel } from './check-model-region';
import { ProfileFacts } from './check-profiles-exist';
import { ConfiguredIdentity } from './configured-identity';
import { DANGEROUS_ACTIONS } from './dangerous-actions';

/** Everything the doctor asks AWS, each answer or the reason there is none. */
export interface AwsFacts {
  /** Bedrock's answer to Claude Code's own credentials: whether they work at all. */
  readonly profiles: Outcome<ProfileFacts>;
  readonly simulation: Outcome<SimulationFacts>;
}

export interface GatherOptions {
  readonly clients: DoctorClients;
  /** The Region Claude Code calls Bedrock in, when one is set. */
  readonly region?: string;
  readonly models: readonly ParsedModel[];
  /** Who the credentials belong to, as the configuration says. */
  readonly identity: ConfiguredIdentity;
  /** The IAM user or role ARN to simulate, when the caller knows it better than the doctor can. */
  readonly principalArn?: string;
  /** The profile named with --admin-profile, if any; only it ever calls IAM. */
  readonly adminProfile?: string;
}

// Bounds on pagination, so a misbehaving endpoint cannot keep the doctor busy.
const MAX_PAGES = 20;
const MAX_APPLICATION_PROFILES = 5;
const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/**
 * As Claude Code's identity, asks Bedrock only what Claude Code itself asks (ListInferenceProfiles,
 * GetInferenceProfile): calls that identity is allowed and leak detection does not alert on. What
 * else it may do, IAM tells the administrator profile the user named, never the identity itself.
 */
export async function gatherAwsFacts(options: GatherOptions): Promise<AwsFacts> {
  const profiles = await listProfiles(options);
  if (!profiles.ok && ['no-credentials', 'expired-credentials', 'invalid-credentials'].includes(profiles.problem.kind) && !options.adminProfile) {
    return { profiles, simulation: { ok: false, problem: { kind: 'not-possible', reason: `skipped, because Claude Code's credentials do not work (${profiles.problem.reason})` } } };
  }
  return { profiles, simulation: await simulate(options) };
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

async function simulate(options: GatherOptions): Promise<Outcome<SimulationFacts>> {
  const admin = options.clients.admin;
  if (!admin) {
    return {
      ok: false,
      problem: {
        kind: 'not-possible',
        reason: 'no --admin-profile was named, and the doctor does not ask IAM as Claude Code\'s own identity: '
          + 'such a call is what leak detection alerts on, and a least-privilege identity may not make it',
      },
    };
  }
  if (options.identity.kind !== 'unknown' && 'profile' in options.identity && options.identity.profile === options.adminProfile) {
    return { ok: false, problem: { kind: 'not-possible', reason: `--admin-profile '${options.adminProfile}' is the profile Claude Code uses; name another` } };
  }
  const principal = options.principalArn ? { ok: true as const, value: options.principalArn } : await principalArnOf(options.identity, admin.iam);
  if (!principal.ok) {
    return principal;
  }
  const arn = principal.value;
  return attempt(async () => {
    const decisions: Record<string, string> = {};
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await admin.iam.send(new SimulatePrincipalPolicyCommand({
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
    return { principalArn: arn, decisions };
  });
}

/** The IAM ARN SimulatePrincipalPolicy needs for the configured identity, found by the administrator profile. */
async function principalArnOf(identity: ConfiguredIdentity, iam: IAMClient): Promise<Outcome<string>> {
  switch (identity.kind) {
    case 'role':
      // role_arn in the config file carries the role's path, which an assumed-role ARN drops.
      return { ok: true, value: identity.roleArn };
    case 'sso': {
      // The role's name ends in a suffix Identity Center chose, and its path may hold a Region: list to find it.
      const found = await attempt(async () => {
        const pattern = new RegExp(`^AWSReservedSSO_${identity.permissionSet.replace(/[.+=,@-]/g, (c) => `\\${c}`)}_[0-9a-f]{16}$`);
        let marker: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const out = await iam.send(new ListRolesCommand({ PathPrefix: SSO_ROLE_PATH, Marker: marker }), withTimeout());
          const role = (out.Roles ?? []).find((r) => r.RoleName && pattern.test(r.RoleName) && r.Arn?.split(':')[4] === identity.account);
          if (role?.Arn) {
            return role.Arn;
          }
          marker = out.IsTruncated ? out.Marker : undefined;
          if (!marker) {
            break;
          }
        }
        return undefined;
      });
      if (!found.ok) {
        return found;
      }
      return found.value
        ? { ok: true, value: found.value }
        : { ok: false, problem: { kind: 'not-found', reason: `the administrator profile sees no role of permission set '${identity.permissionSet}' in account ${identity.account}; use a profile of that account, or pass --principal-arn` } };
    }
    case 'access-key':
      return { ok: false, problem: { kind: 'not-possible', reason: `the credentials are an access key (${identity.source}) whose user the configuration does not name; pass --principal-arn arn:aws:iam::<account>:user/<name>` } };
    default:
      return { ok: false, problem: { kind: 'not-possible', reason: `${identity.reason}; pass --principal-arn <role ARN>` } };
  }
}
