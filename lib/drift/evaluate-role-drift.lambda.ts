// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  Evaluation,
} from '@aws-sdk/client-config-service';
// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
// eslint-disable-next-line import/no-extraneous-dependencies -- the Lambda runtime provides the SDK; external in the bundle, never loaded at synth
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { annotate } from './annotation';
import { ALERT_TOPIC_ENV, BASELINE_ENV, BASELINE_VERSION, DriftBaseline } from './baseline';
import { fetchCurrentItems, fetchOversizedItem, listWatchedRoles } from './config-items';
import { ConfigurationItem, DELETED_STATUSES, roleConfiguration } from './configuration-item';
import { evaluate, evaluatePolicy, Verdict } from './evaluate';
import { MEMBER_ROLE_NAME } from './member-template';
import { fetchPermissionSet, permissionSetDrifts } from './permission-set-check';
import { describe, putEvaluations } from './put-evaluations';
import { recorderProblem } from './recorder-check';
import { realSleep, Sleep, withThrottlingRetries } from './retry';
import { runRevert } from './revert';
import { planRevert } from './revert-plan';
import { roleArnParts, watchedBy } from './watched-role';

/** The event AWS Config sends a custom Lambda rule. */
export interface ConfigRuleEvent {
  readonly invokingEvent: string;
  readonly resultToken: string;
  readonly eventLeftScope?: boolean;
  readonly configRuleName?: string;
  /** The account whose rule sent the event: a member account's rule invokes this function across accounts. */
  readonly accountId?: string;
}

/** The part of the Lambda context the handler reads: its own ARN, which names the platform account. */
export interface InvocationContext {
  readonly invokedFunctionArn?: string;
}

/** The type of the library's own managed policies' items, in the rule's scope so a new default version is seen at once. */
export const POLICY_TYPE = 'AWS::IAM::Policy';

interface InvokingEvent {
  readonly messageType?: string;
  readonly configurationItem?: ConfigurationItem;
  readonly configurationItemSummary?: {
    readonly resourceId?: string;
    readonly resourceType?: string;
    readonly configurationItemCaptureTime?: string;
  };
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
  /** IAM Identity Center, for the scheduled comparison of each permission set with its baseline. */
  readonly sso?: SSOAdminClient;
  /** Sends a message to the drift alert topic, when the rule has one. */
  readonly alert?: (message: string) => Promise<void>;
  /** A Config client in a member account, through the evaluation role the member stack set created there. */
  readonly configFor?: (accountId: string, partition: string) => Promise<ConfigServiceClient>;
}

/** Builds the handler around its AWS clients, so tests hand it mocks and a sleep that returns at once. */
export function makeHandler(deps: HandlerDeps): (event: ConfigRuleEvent, context?: InvocationContext) => Promise<void> {
  return async (event, context) => {
    const remote = await memberClient(event, context, deps);
    return evaluateEvent(event, remote ? { ...deps, config: remote } : deps, remote !== undefined);
  };
}

/**
 * A member account's rule must read and record in that account: its result token is that account's.
 * Undefined for the platform account's own rule.
 */
async function memberClient(
  event: ConfigRuleEvent, context: InvocationContext | undefined, deps: HandlerDeps,
): Promise<ConfigServiceClient | undefined> {
  const [, partition, , , home] = (context?.invokedFunctionArn ?? '').split(':');
  if (!event.accountId || !home || event.accountId === home) {
    return undefined;
  }
  if (!deps.configFor) {
    throw new Error(`account ${event.accountId} invoked the drift function, but it evaluates only account ${home}: deploy BedrockDriftRule with memberAccounts to cover it`);
  }
  return deps.configFor(event.accountId, partition || 'aws');
}

/** Evaluates what one notification asks about, records the results, and reverts where asked. */
async function evaluateEvent(event: ConfigRuleEvent, deps: HandlerDeps, inMember: boolean): Promise<void> {
  const baseline = deps.baseline();
  const invoking = JSON.parse(event.invokingEvent) as InvokingEvent;
  const items = await itemsToEvaluate(invoking, baseline, deps);
  const evaluations: Evaluation[] = [];
  const verdicts: Array<[ConfigurationItem, Verdict]> = [];
  for (const { item, at } of items) {
    const isPolicy = item.resourceType === POLICY_TYPE;
    const withSession = isPolicy ? item : await addManagedPolicyDocuments(await addMaxSession(item, baseline, deps), baseline, deps);
    const verdict = event.eventLeftScope
      ? { compliance: 'NOT_APPLICABLE' as const, annotation: 'the resource left the rule\'s scope', drifts: [] }
      : isPolicy ? await evaluatePolicyItem(item, baseline, deps) : evaluate(withSession, baseline);
    if (!isPolicy) {
      verdicts.push([withSession, verdict]);
    }
    evaluations.push({
      ComplianceResourceType: item.resourceType ?? 'AWS::IAM::Role',
      ComplianceResourceId: requireId(item),
      ComplianceType: verdict.compliance,
      Annotation: verdict.annotation,
      OrderingTimestamp: new Date(at),
    });
    deps.log(JSON.stringify({ resourceId: item.resourceId, role: item.resourceName, compliance: verdict.compliance, drifts: verdict.drifts }));
  }
  const failures = await putEvaluations(deps.config, event.resultToken, evaluations, deps.sleep);
  if (invoking.messageType === 'ScheduledNotification' && !inMember) {
    failures.push(...await checkPermissionSets(baseline, deps));
  }
  // A member account's compliance changes reach only its own EventBridge: a change it reports goes to the alert topic from here.
  if (inMember && invoking.messageType !== 'ScheduledNotification' && deps.alert) {
    for (const e of evaluations.filter((x) => x.ComplianceType === 'NON_COMPLIANT')) {
      await deps.alert(`Bedrock drift: role ${e.ComplianceResourceId} in account ${event.accountId} is now NON_COMPLIANT: ${e.Annotation}`);
    }
  }
  if (!inMember && deps.alert) {
    await alertDeletedRoles(verdicts, event, deps.alert);
  }
  // Only the platform account's invoke roles are ever reverted; a member account's roles are Identity Center's.
  if (baseline.revert && !inMember) {
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
}

/**
 * Compares each permission set in Identity Center with its baseline, on the scheduled run: a changed
 * set reaches its roles only when re-provisioned, so the roles' items cannot show it. Drift goes to
 * the same alert topic as the roles' compliance changes.
 */
async function checkPermissionSets(baseline: DriftBaseline, deps: HandlerDeps): Promise<string[]> {
  const failures: string[] = [];
  for (const set of baseline.sets) {
    if (!deps.sso || !set.arn || !set.instance) {
      continue;
    }
    try {
      const deployed = await fetchPermissionSet(deps.sso, set.instance, set.arn, deps.sleep);
      const drifts = permissionSetDrifts(deployed, set);
      deps.log(JSON.stringify({ permissionSet: set.name, compliance: drifts.length > 0 ? 'NON_COMPLIANT' : 'COMPLIANT', drifts }));
      if (drifts.length > 0 && deps.alert) {
        await deps.alert(`Bedrock drift: permission set ${set.name} in IAM Identity Center (${set.arn}) is now NON_COMPLIANT: `
          + annotate(`Permission set ${set.name} drifted`, drifts, 'Fix: redeploy the stack that defines it, then re-provision it.'));
      }
    } catch (error) {
      failures.push(`could not compare permission set ${set.name}: ${describe(error)}`);
    }
  }
  return failures;
}

/**
 * Config records no compliance for a deleted role, so its compliance change says nothing: a watched
 * invoke role that goes is told on the alert topic. One created again under its name is then judged
 * by its own notification, NON_COMPLIANT until it matches the baseline.
 */
async function alertDeletedRoles(
  verdicts: Array<[ConfigurationItem, Verdict]>, event: ConfigRuleEvent, alert: (message: string) => Promise<void>,
): Promise<void> {
  for (const [item, verdict] of verdicts) {
    if (verdict.role && DELETED_STATUSES.includes(item.configurationItemStatus ?? '')) {
      const where = roleArnParts(verdict.role.arn);
      await alert(`Bedrock drift: invoke role ${where?.name ?? verdict.role.arn} (${item.resourceId ?? 'no id'}) in account ${where?.account ?? event.accountId ?? '?'} was deleted. `
        + 'Detection still watches its name, and a role created again under it is judged against the baseline until it matches. '
        + 'Find the DeleteRole call in CloudTrail, then restore the role from its stack (see docs/drift.md).');
    }
  }
}

/** Assumes the evaluation role in a member account, for one invocation. */
export async function assumeMemberRole(sts: STSClient, accountId: string, partition: string): Promise<ConfigServiceClient> {
  const out = await sts.send(new AssumeRoleCommand({
    RoleArn: `arn:${partition}:iam::${accountId}:role/${MEMBER_ROLE_NAME}`,
    RoleSessionName: 'bedrock-drift-evaluation',
    DurationSeconds: 900,
  }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new Error(`AssumeRole into account ${accountId} returned no credentials`);
  }
  return new ConfigServiceClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
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
      const item = await fetchOversizedItem(deps.config, summary.resourceId, summary.configurationItemCaptureTime, deps.sleep, summary.resourceType);
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
  for (const policyArn of [...new Set(role.policies.map((x) => x.arn))]) {
    const document = await defaultVersion(policyArn, deps);
    // A deleted policy is also detached, which the role's item reports.
    if (document !== undefined) {
      documents.push({ policyArn, document });
    }
  }
  return { ...item, configuration: { ...config, managedPolicyDocuments: documents } };
}

/** The document of a managed policy's default version, or undefined when the policy is gone. */
async function defaultVersion(policyArn: string, deps: HandlerDeps): Promise<unknown> {
  try {
    const policy = await withThrottlingRetries(() => deps.iam.send(new GetPolicyCommand({ PolicyArn: policyArn })), deps.sleep);
    const versionId = policy.Policy?.DefaultVersionId;
    const version = await withThrottlingRetries(
      () => deps.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })), deps.sleep);
    return version.PolicyVersion?.Document;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchEntityException') {
      return undefined;
    }
    throw new Error(`could not read policy ${policyArn}: ${describe(error)}`);
  }
}

/**
 * A change to one of the library's own managed policies (a new default version): evaluated at once,
 * from IAM's current default version rather than the item, whose version list may be cut short.
 */
async function evaluatePolicyItem(item: ConfigurationItem, baseline: DriftBaseline, deps: HandlerDeps): Promise<Verdict> {
  const arn = (roleConfiguration(item) as { arn?: string } | undefined)?.arn;
  if (DELETED_STATUSES.includes(item.configurationItemStatus ?? '')) {
    return { compliance: 'NOT_APPLICABLE', annotation: `policy ${item.resourceName ?? ''} was deleted`, drifts: [] };
  }
  if (!arn || !baseline.roles.some((r) => r.policies.some((p) => p.arn === arn))) {
    return evaluatePolicy(arn ?? '', undefined, baseline);
  }
  const document = await defaultVersion(arn, deps);
  return evaluatePolicy(arn, document, baseline);
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
  configFor: (accountId, partition) => assumeMemberRole(new STSClient({}), accountId, partition),
  sso: new SSOAdminClient({}),
  alert: process.env[ALERT_TOPIC_ENV]
    ? async (message) => { await new SNSClient({}).send(new PublishCommand({ TopicArn: process.env[ALERT_TOPIC_ENV], Subject: 'Bedrock drift', Message: message })); }
    : undefined,
});
