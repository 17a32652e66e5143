// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  Evaluation,
} from '@aws-sdk/client-config-service';
// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { BASELINE_ENV, BASELINE_VERSION, DriftBaseline } from './baseline';
import { fetchCurrentItems, fetchOversizedItem, listWatchedRoles } from './config-items';
import { ConfigurationItem, DELETED_STATUSES, roleConfiguration } from './configuration-item';
import { evaluate, Verdict, watchedBy } from './evaluate';
import { describe, putEvaluations } from './put-evaluations';
import { recorderProblem } from './recorder-check';
import { realSleep, Sleep, withThrottlingRetries } from './retry';
import { runRevert } from './revert';
import { planRevert } from './revert-plan';

/** The event AWS Config sends a custom Lambda rule. */
export interface ConfigRuleEvent {
  readonly invokingEvent: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly configRuleName?: string;
}

interface InvokingEvent {
  readonly messageType?: string;
  readonly configurationItem?: ConfigurationItem;
  readonly configurationItemSummary?: { readonly resourceId?: string; readonly configurationItemCaptureTime?: string };
  readonly notificationCreationTime?: string;
}

interface TimedItem {
  readonly item: ConfigurationItem;
  readonly at: string | Date;
}

export interface HandlerDeps {
  readonly config: ConfigServiceClient;
  readonly iam: IAMClient;
  readonly sleep: Sleep;
  readonly baseline: () => DriftBaseline;
  readonly log: (line: string) => void;
}

/** Builds the handler around its AWS clients, so tests hand it mocks and a sleep that returns at once. */
export function makeHandler(deps: HandlerDeps): (event: ConfigRuleEvent) => Promise<void> {
  return async (event) => {
    const baseline = deps.baseline();
    const invoking = JSON.parse(event.invokingEvent) as InvokingEvent;
    const items = await itemsToEvaluate(invoking, baseline, deps);
    const evaluations: Evaluation[] = [];
    const verdicts: Array<[ConfigurationItem, Verdict]> = [];
    for (const { item, at } of items) {
      const withSession = await addManagedPolicyDocuments(await addMaxSession(item, baseline, deps), baseline, deps);
      const verdict = event.eventLeftScope
        ? { compliance: 'NOT_APPLICABLE' as const, annotation: 'the role left the rule\'s scope', drifts: [] }
        : evaluate(withSession, baseline);
      verdicts.push([withSession, verdict]);
      evaluations.push({
        ComplianceResourceType: 'AWS::IAM::Role',
        ComplianceResourceId: requireId(item),
        ComplianceType: verdict.compliance,
        Annotation: verdict.annotation,
        OrderingTimestamp: new Date(at),
      });
      deps.log(JSON.stringify({ resourceId: item.resourceId, role: item.resourceName, compliance: verdict.compliance, drifts: verdict.drifts }));
    }
    const failures = await putEvaluations(deps.config, event.resultToken, evaluations, deps.sleep);
    if (baseline.revert) {
      for (const [item, verdict] of verdicts) {
        const config = roleConfiguration(item);
        const plan = verdict.compliance === 'NON_COMPLIANT' && verdict.role && config ? planRevert(config, verdict.role) : undefined;
        if (plan) {
          failures.push(...await runRevert(deps.iam, plan, deps.sleep, deps.log));
        }
      }
    }
    if (failures.length > 0) {
      failures.forEach((f) => deps.log(`ERROR ${f}`));
      throw new Error(`drift rule ${event.configRuleName ?? ''} failed ${failures.length} call(s): ${failures.join(' | ')}`);
    }
  };
}

/** The items one notification asks about, each with the time Config orders its result by. */
async function itemsToEvaluate(invoking: InvokingEvent, baseline: DriftBaseline, deps: HandlerDeps): Promise<TimedItem[]> {
  switch (invoking.messageType) {
    case 'ConfigurationItemChangeNotification': {
      const item = invoking.configurationItem ?? {};
      return [{ item, at: item.configurationItemCaptureTime ?? invoking.notificationCreationTime ?? new Date() }];
    }
    case 'OversizedConfigurationItemChangeNotification': {
      const summary = invoking.configurationItemSummary ?? {};
      if (!summary.resourceId) {
        throw new Error('oversized notification without a resource id: nothing to fetch');
      }
      const item = await fetchOversizedItem(deps.config, summary.resourceId, summary.configurationItemCaptureTime, deps.sleep);
      return [{ item, at: item.configurationItemCaptureTime ?? summary.configurationItemCaptureTime ?? new Date() }];
    }
    case 'ScheduledNotification': {
      const keys = await listWatchedRoles(deps.config, baseline, deps.sleep);
      if (keys.length === 0) {
        await explainMissingRoles(deps);
      }
      const items = await fetchCurrentItems(deps.config, keys, deps.sleep);
      return items.map((item) => ({ item, at: invoking.notificationCreationTime ?? new Date() }));
    }
    default:
      throw new Error(`unknown messageType '${invoking.messageType}': expected a configuration change, an oversized change or a scheduled notification`);
  }
}

/** With no watched role recorded, a recorder that skips IAM roles is the likely cause: say so, loudly. */
async function explainMissingRoles(deps: HandlerDeps): Promise<void> {
  const [recorders, statuses] = await Promise.all([
    withThrottlingRetries(() => deps.config.send(new DescribeConfigurationRecordersCommand({})), deps.sleep),
    withThrottlingRetries(() => deps.config.send(new DescribeConfigurationRecorderStatusCommand({})), deps.sleep),
  ]);
  const problem = recorderProblem(recorders.ConfigurationRecorders ?? [], statuses.ConfigurationRecordersStatus ?? []);
  if (problem) {
    throw new Error(problem);
  }
  deps.log('no watched role is recorded yet: the invoke role may not exist in this account, or no one is assigned the permission set here');
}

/** Config's role item has no max session; read it from IAM for the invoke roles, the only ones it applies to. */
async function addMaxSession(item: ConfigurationItem, baseline: DriftBaseline, deps: HandlerDeps): Promise<ConfigurationItem> {
  const config = roleConfiguration(item);
  const deleted = DELETED_STATUSES.includes(item.configurationItemStatus ?? '');
  if (!config?.roleName || deleted || typeof config.maxSessionDuration === 'number' || !watchedBy(item, baseline).role) {
    return item;
  }
  try {
    const out = await withThrottlingRetries(() => deps.iam.send(new GetRoleCommand({ RoleName: config.roleName })), deps.sleep);
    return { ...item, configuration: { ...config, maxSessionDuration: out.Role?.MaxSessionDuration } };
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchEntityException') {
      return item;
    }
    throw new Error(`could not read the max session of role ${config.roleName}: ${describe(error)}`);
  }
}

/** A new default version of an expected policy changes no role item; read each policy's current document. */
async function addManagedPolicyDocuments(item: ConfigurationItem, baseline: DriftBaseline, deps: HandlerDeps): Promise<ConfigurationItem> {
  const config = roleConfiguration(item);
  const role = watchedBy(item, baseline).role;
  if (!config || !role || DELETED_STATUSES.includes(item.configurationItemStatus ?? '')) {
    return item;
  }
  const documents: Array<{ policyArn: string; document: unknown }> = [];
  for (const policyArn of [...new Set([...role.managed, role.boundary])]) {
    try {
      const policy = await withThrottlingRetries(() => deps.iam.send(new GetPolicyCommand({ PolicyArn: policyArn })), deps.sleep);
      const versionId = policy.Policy?.DefaultVersionId;
      const version = await withThrottlingRetries(
        () => deps.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })), deps.sleep);
      documents.push({ policyArn, document: version.PolicyVersion?.Document });
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchEntityException') {
        continue; // A deleted policy is also detached, which the role's item reports.
      }
      throw new Error(`could not read policy ${policyArn}: ${describe(error)}`);
    }
  }
  return { ...item, configuration: { ...config, managedPolicyDocuments: documents } };
}

function requireId(item: ConfigurationItem): string {
  const id = item.resourceId ?? roleConfiguration(item)?.roleId;
  if (!id) {
    throw new Error('the configuration item has no resource id, so Config cannot record a result for it');
  }
  return id;
}

/** Reads the baseline the construct wrote into the environment, once per cold start. */
export function baselineFromEnvironment(env: NodeJS.ProcessEnv = process.env): DriftBaseline {
  const text = env[BASELINE_ENV];
  if (!text) {
    throw new Error(`${BASELINE_ENV} is not set: deploy this function through BedrockDriftRule, which writes the baseline`);
  }
  const baseline = JSON.parse(text) as DriftBaseline;
  if (baseline.v !== BASELINE_VERSION) {
    throw new Error(`${BASELINE_ENV} has format ${baseline.v}, this handler reads ${BASELINE_VERSION}: deploy the stack again so the function and its baseline match`);
  }
  return baseline;
}

let cached: DriftBaseline | undefined;

export const handler = makeHandler({
  config: new ConfigServiceClient({}),
  iam: new IAMClient({}),
  sleep: realSleep,
  baseline: () => (cached ??= baselineFromEnvironment()),
  log: (line) => console.log(line),
});
