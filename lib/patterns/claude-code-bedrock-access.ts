import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BedrockInvokeRole } from '../access/bedrock-invoke-role';
import { BedrockPermissionSet, PermissionSetAssignment } from '../access/bedrock-permission-set';
import { ClaudeCodeClientOptions, ClientConfiguration } from '../access/client-options';
import { addClientOutput, addNextSteps, outputPrefix } from '../access/client-outputs';
import { checkProfileName } from '../client/client-configuration';
import { ClientAccess } from '../client/client-output';
import { checkSubprocessCredentials } from '../client/credential-isolation';
import { startUrlProblem } from '../client/start-url';
import { SubprocessCredentials } from '../client/subprocess-credentials';
import { assignedAccounts, forwardersFor } from '../detection/assigned-accounts';
import { BedrockMisuseDetection } from '../detection/bedrock-misuse-detection';
import { accountOf, addCoverageValidation, checkAcknowledgements, checkOptInRegions, CoverageSources, forwarderRegions } from '../detection/coverage-check';
import { CoverageGapAcknowledgement } from '../detection/coverage-gap-acknowledgement';
import { CoverageIdentity } from '../detection/coverage-plan';
import { DetectionTrail } from '../detection/detection-trail';
import { ForwarderStackSet } from '../detection/forwarder-stack-set';
import { BedrockDriftRule } from '../drift/bedrock-drift-rule';
import { ConfigRecorder } from '../drift/config-recorder';
import { attributeTo, requireProp, validationError } from '../errors/validation-error';
import { Guardrail } from '../models/guardrail';
import { BedrockApiKeys } from '../models/invoke-scope';
import { ModelReference } from '../models/model-reference';
import { requireModel } from '../models/require-model';
import { BedrockSpendLimit } from '../usage/bedrock-spend-limit';
import { BedrockSpendRateCap } from '../usage/bedrock-spend-rate-cap';
import { BedrockUsageGuard } from '../usage/bedrock-usage-guard';
import { SpendRateCapOptions } from '../usage/spend-rate-options';
import { UsageLimits } from '../usage/usage-limits';

/** People who sign in through IAM Identity Center and get the permission set. */
export interface IdentityCenterAccess {
  /** The Identity Center instance ARN, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;
  /**
   * The permission set's name; it is also the role name in the developers' `~/.aws/config`.
   *
   * @default 'ClaudeCodeBedrock'
   */
  readonly permissionSetName?: string;
  /**
   * Groups and users, and the accounts they get the set in.
   *
   * @default - none; add them later with `permissionSet.addAssignment`
   */
  readonly assignments?: PermissionSetAssignment[];
  /**
   * How long a sign-in lasts, 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;
  /**
   * Your AWS access portal URL (the IAM Identity Center console shows it under "AWS access portal
   * URL"), for the generated `~/.aws/config`, such as `https://example-company.awsapps.com/start`.
   *
   * @default - none: the stack gets no Identity Center client output (synthesis warns), so `configure`
   * cannot set up developers for Identity Center until you set it
   */
  readonly startUrl?: string;
  /**
   * The Identity Center Region, for the generated `~/.aws/config`.
   *
   * @default - the stack's Region
   */
  readonly ssoRegion?: string;
}

/** Properties of `ClaudeCodeBedrockAccess`. */
export interface ClaudeCodeBedrockAccessProps {
  /**
   * The model Claude Code runs (`ANTHROPIC_MODEL`), such as `ModelReference.parse('us.anthropic.claude-sonnet-4-6')`.
   * It also answers every alias no other model is given for (`sonnet`, subagents, and `opus` and
   * `fable` without `opusModel`). Parsed with Claude Code's `[1m]` suffix, the settings keep it.
   */
  readonly model: ModelReference;
  /** The small/fast model Claude Code calls for background work (`ANTHROPIC_DEFAULT_HAIKU_MODEL` and its older name). */
  readonly smallFastModel: ModelReference;
  /**
   * An Opus model developers may switch to with `/model opus` (`ANTHROPIC_DEFAULT_OPUS_MODEL`); the
   * `fable` and `best` aliases go to it too, unless the main model is a Fable model.
   *
   * @default - none
   */
  readonly opusModel?: ModelReference;
  /**
   * The Regions developers call Bedrock from; the first is the `AWS_REGION` in the generated settings.
   *
   * @default - the stack's Region
   */
  readonly sourceRegions?: string[];
  /**
   * Who may assume the invoke role (accounts, roles, an OIDC provider for CI). Sessions must carry a
   * source identity.
   *
   * @default - no invoke role; give identityCenter or this, or both
   */
  readonly trustedPrincipals?: iam.IPrincipal[];
  /**
   * The invoke role's name (fixed, so detection forwarders in other Regions can watch it).
   *
   * @default 'ClaudeCodeBedrockInvoke'
   */
  readonly roleName?: string;
  /**
   * A permission set for people who sign in through IAM Identity Center.
   *
   * @default - no permission set
   */
  readonly identityCenter?: IdentityCenterAccess;
  /**
   * Addresses that receive misuse and drift alerts.
   *
   * @default - none; subscribe to `detection.alertTopic`
   */
  readonly alertEmails?: string[];
  /**
   * Alert on any non-Bedrock call by the role or the permission-set roles.
   *
   * @default true
   */
  readonly detection?: boolean;
  /**
   * Where detection's CloudTrail events come from.
   *
   * @default DetectionTrail.create()
   */
  readonly trail?: DetectionTrail;
  /**
   * Regional forwarders for other Regions and accounts, as a StackSet. Together with any
   * `NonBedrockCallForwarder` in this app, they must cover every account and Region where a watched
   * identity can act, or synthesis fails naming each account and Region left uncovered.
   *
   * @default - a self-managed StackSet over the invoke role's home account (its home Region skipped)
   * and the permission set's assigned accounts, in every Region enabled by default
   * (`CommercialRegions.enabledByDefault()`), the `optInRegions` and the source Regions; none when there
   * is no invoke role and the set has no assignment
   */
  readonly forwarders?: ForwarderStackSet;
  /**
   * Opt-in Regions that every watched account has enabled (such as 'eu-south-1'): the identities can act
   * there, so the default forwarders cover them and the coverage check demands them.
   *
   * @default - none: only the Regions enabled by default, and the source Regions
   */
  readonly optInRegions?: string[];
  /**
   * Accounts and Regions where a watched identity can act that are knowingly left unwatched; each
   * becomes a synth warning naming it and the reason, instead of an error.
   *
   * @default - none: every gap fails synthesis
   */
  readonly acknowledgedCoverageGaps?: CoverageGapAcknowledgement[];
  /**
   * The AWS Organization whose accounts may forward events.
   *
   * @default - this account only
   */
  readonly organizationId?: string;
  /**
   * Revoke the invoke role's sessions on an alert, and above the usage guard's hard limit deny the
   * Identity Center user through the permission set in every account.
   *
   * @default false
   */
  readonly containment?: boolean;
  /**
   * Count every billed model call per person and hour, and alert on a rate no developer makes, on a
   * network the person has not used, and on calls outside the grant; above the hard limit, contain
   * (with `containment` on). Needs detection, whose bus, topic and forwarders it uses.
   *
   * @default true when detection is on
   */
  readonly usageGuard?: boolean;
  /**
   * The usage guard's thresholds.
   *
   * @default - within any 60 minutes: 1,000 calls or $1,000 alert, 3,000 calls or $2,500 contain (calls weighed at the most they can cost), a role's sessions together three times that; networks remembered 30 days (see `UsageLimits`)
   */
  readonly usageLimits?: UsageLimits;
  /**
   * The log group Bedrock's model invocation logging writes to here, for the usage guard's alarm on
   * output tokens per person (enable invocation logging yourself; see `BedrockUsageGuardProps`).
   *
   * @default - the guard counts calls, not tokens
   */
  readonly invocationLogGroup?: logs.ILogGroup;
  /**
   * A monthly AWS Budgets limit on Bedrock spend in this account, in US dollars: alerts at 80 % and on
   * the forecast, and at the limit an AWS Budgets action stops the invoke role. Needs detection (its
   * alert topic). Budgets lags by up to a day; the usage guard is the fast stop. With Identity Center
   * only there is no role to stop: the budget alerts only, and synthesis warns.
   *
   * @default - no budget
   */
  readonly monthlySpendLimitUsd?: number;
  /**
   * A cap on the spend rate in minutes, from Bedrock's token metrics times each model's price: alerts,
   * then stops the invoke role and the window's heaviest Identity Center callers (docs/spend-rate-cap.md).
   * A granted model with no known price fails synthesis until `prices` names it.
   *
   * @default - on when detection and containment are on: $10 alerts, $20 stops, per 5 minutes
   */
  readonly spendRateCap?: SpendRateCapOptions;
  /**
   * Flag drift of the role's and the permission-set roles' permissions with AWS Config.
   *
   * @default true
   */
  readonly drift?: boolean;
  /**
   * The Config recorder drift relies on.
   *
   * @default ConfigRecorder.existing()
   */
  readonly configRecorder?: ConfigRecorder;
  /**
   * A guardrail every invocation must carry.
   *
   * @default - none
   */
  readonly guardrail?: Guardrail;
  /**
   * For the invoke role's generated `~/.aws/config` and settings: the profile whose credentials assume
   * the role (the configure command's `--source-profile` overrides it per developer).
   *
   * @default 'default'
   */
  readonly roleSourceProfile?: string;
  /**
   * Whether Bedrock API keys may be used; long-term keys are always denied.
   *
   * @default BedrockApiKeys.NONE
   */
  readonly apiKeys?: BedrockApiKeys;
  /**
   * What the commands Claude Code starts may hold of AWS credentials, in the generated client configuration.
   *
   * @default SubprocessCredentials.NONE
   */
  readonly subprocessCredentials?: SubprocessCredentials;
}

/** Options for generated client configuration. */
export interface ClientConfigurationOptions {
  /**
   * The Region for `AWS_REGION`; must be one of the source Regions.
   *
   * @default - the first source Region
   */
  readonly region?: string;
  /**
   * The AWS profile name. The role's and the permission set's defaults differ, so both fit in one
   * `~/.aws/config`; for the permission set, every other assigned account gets `<name>-<account id>`.
   *
   * @default - 'claude-code-role' for the role, 'claude-code' for the permission set
   */
  readonly profileName?: string;
  /**
   * For the role: the profile whose credentials assume it.
   *
   * @default - the `roleSourceProfile` prop, or 'default'
   */
  readonly sourceProfile?: string;
  /**
   * For the permission set: the account the settings sign in to; every assigned account gets a profile.
   *
   * @default - the first assigned account
   */
  readonly accountId?: string;
}

/**
 * Everything a platform team needs to let developers run Claude Code on Amazon Bedrock with the
 * smallest blast radius: an invoke role and/or an Identity Center permission set scoped to the chosen
 * models, misuse detection, drift detection, and ready-to-paste client configuration as stack
 * outputs. Each piece is exposed for customisation.
 */
export class ClaudeCodeBedrockAccess extends Construct {
  /** The invoke role, when trustedPrincipals are given. */
  public readonly invokeRole?: BedrockInvokeRole;
  /** The permission set, when identityCenter is given. */
  public readonly permissionSet?: BedrockPermissionSet;
  /** Misuse detection, unless turned off. */
  public readonly detection?: BedrockMisuseDetection;
  /** Drift detection, unless turned off. */
  public readonly drift?: BedrockDriftRule;
  /** The usage guard, unless turned off. */
  public readonly usageGuard?: BedrockUsageGuard;
  /** The spend limit, when `monthlySpendLimitUsd` is set. */
  public readonly spendLimit?: BedrockSpendLimit;
  /** The minute-scale spend-rate cap, unless turned off. */
  public readonly spendRateCap?: BedrockSpendRateCap;
  /** Every model the role and permission set may invoke. */
  public readonly models: ModelReference[];
  /** The Regions developers call Bedrock from. */
  public readonly sourceRegions: string[];

  private readonly pinned: ClaudeCodeClientOptions;
  private readonly identityCenter?: IdentityCenterAccess;
  private readonly roleSourceProfile: string;
  private coverage?: CoverageSources;

  constructor(scope: Construct, id: string, props: ClaudeCodeBedrockAccessProps) {
    super(scope, id);
    requireProp(this, props, 'props', 'pass { model, smallFastModel } and trustedPrincipals or identityCenter');
    if (!props.trustedPrincipals?.length && !props.identityCenter) {
      throw validationError(this, ['trustedPrincipals', 'identityCenter'], 'ClaudeCodeBedrockAccess gives access to nobody: pass trustedPrincipals (an invoke role) or identityCenter (a permission set), or both');
    }
    this.pinned = attributeTo(this, MODEL_PROPS, () => ({
      model: requireModel(props.model, 'model', 'us.anthropic.claude-sonnet-4-6'),
      smallFastModel: requireModel(props.smallFastModel, 'smallFastModel', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      opusModel: props.opusModel === undefined ? undefined : requireModel(props.opusModel, 'opusModel', 'us.anthropic.claude-opus-4-8'),
      subprocessCredentials: props.subprocessCredentials,
    }));
    // A message about a model names its id: that tells which of the three props it came from.
    const modelProp = (message: string) => MODEL_PROPS.find((p) => message.includes(`'${this.pinned[p]?.invocationId}'`));
    this.models = uniqueModels([props.model, props.smallFastModel, ...(props.opusModel ? [props.opusModel] : [])]);
    this.identityCenter = props.identityCenter;
    this.roleSourceProfile = props.roleSourceProfile ?? 'default';
    attributeTo(this, 'roleSourceProfile', () => checkProfileName('roleSourceProfile', this.roleSourceProfile));
    attributeTo(this, 'subprocessCredentials', () => checkSubprocessCredentials(props.subprocessCredentials ?? SubprocessCredentials.NONE));
    const startUrl = props.identityCenter?.startUrl;
    const urlProblem = startUrl === undefined || Token.isUnresolved(startUrl) ? undefined : startUrlProblem(startUrl);
    if (urlProblem) {
      throw validationError(this, 'identityCenter.startUrl', `identityCenter.startUrl: ${urlProblem}`);
    }
    const scopeProps = {
      models: this.models,
      sourceRegions: props.sourceRegions,
      guardrail: props.guardrail,
      apiKeys: props.apiKeys,
    };
    // The three model props become the inner constructs' models list; other props keep their names.
    const inner = { propFor: modelProp };
    if (props.trustedPrincipals?.length) {
      this.invokeRole = attributeTo(this, [...MODEL_PROPS, ...FRONT_DOOR_SCOPE_PROPS, 'trustedPrincipals', 'roleName'], () => new BedrockInvokeRole(this, 'InvokeRole', {
        ...scopeProps,
        trustedPrincipals: props.trustedPrincipals!,
        roleName: props.roleName ?? 'ClaudeCodeBedrockInvoke',
        // The spend limit's Budgets action attaches one more policy at the limit.
        reservedManagedPolicySlots: props.monthlySpendLimitUsd !== undefined ? 1 : 0,
      }), inner);
    }
    if (props.identityCenter) {
      const identityCenter = props.identityCenter;
      this.permissionSet = attributeTo(this, [...MODEL_PROPS, ...FRONT_DOOR_SCOPE_PROPS, ...IDENTITY_CENTER_PROPS], () => new BedrockPermissionSet(this, 'PermissionSet', {
        ...scopeProps,
        instanceArn: identityCenter.instanceArn,
        permissionSetName: identityCenter.permissionSetName,
        assignments: identityCenter.assignments,
        sessionDuration: identityCenter.sessionDuration,
      }), { ...inner, renamed: IDENTITY_CENTER_RENAMES });
    }
    this.sourceRegions = (this.invokeRole ?? this.permissionSet)!.sourceRegions;
    const roles = this.invokeRole ? [this.invokeRole] : [];
    const permissionSets = this.permissionSet ? [this.permissionSet] : [];

    const optInRegions = attributeTo(this, 'optInRegions', () => checkOptInRegions(props.optInRegions ?? []));
    const acknowledgedGaps = attributeTo(this, 'acknowledgedCoverageGaps', () => checkAcknowledgements(props.acknowledgedCoverageGaps ?? []));
    if (props.detection ?? true) {
      // The permission set's roles live, and are logged, in the accounts it is assigned in; the invoke role in this one.
      const regions = forwarderRegions(optInRegions, this.sourceRegions);
      const forwarders = forwardersFor(props.forwarders, assignedAccounts(this.permissionSet), this.invokeRole !== undefined, regions);
      const trail = props.trail ?? DetectionTrail.create();
      this.detection = attributeTo(this, ['alertEmails', 'organizationId', 'forwarders', 'trail', 'containment'], () => new BedrockMisuseDetection(this, 'Detection', {
        roles,
        permissionSets,
        alertEmails: props.alertEmails,
        trail,
        forwarders,
        organizationId: props.organizationId,
        // Without an organization, the central bus admits the accounts the forwarders run in.
        sourceAccounts: props.organizationId || !forwarders?.accounts.length
          ? undefined
          : [...new Set([Stack.of(this).account, ...forwarders.accounts])],
        containment: props.containment,
      }));
      this.coverage = {
        detection: this.detection,
        forwarders,
        trail,
        optInRegions,
        usageGuard: () => this.usageGuard !== undefined,
        identities: () => this.watchedIdentities(),
      };
      addCoverageValidation(this, this.coverage, acknowledgedGaps);
    }
    if (props.usageGuard && !this.detection) {
      throw validationError(this, 'usageGuard', 'usageGuard needs detection: the guard counts the calls detection\'s rules and forwarders bring; set detection: true, or usageGuard: false');
    }
    if ((props.usageLimits || props.invocationLogGroup) && (props.usageGuard === false || !this.detection)) {
      throw validationError(this, ['usageLimits', 'invocationLogGroup'], 'usageLimits or invocationLogGroup are set but the usage guard is off: remove them, or turn the guard on (it needs detection)');
    }
    if (this.detection && (props.usageGuard ?? true)) {
      const detection = this.detection;
      this.usageGuard = attributeTo(this, ['usageLimits', 'invocationLogGroup'],
        () => new BedrockUsageGuard(this, 'UsageGuard', { detection, ...props.usageLimits, invocationLogGroup: props.invocationLogGroup }));
    }
    this.spendRateCap = spendRateCapOf(this, props, this.detection, this.usageGuard);
    if (props.monthlySpendLimitUsd !== undefined) {
      if (!this.detection) {
        throw validationError(this, 'monthlySpendLimitUsd', 'monthlySpendLimitUsd needs detection: the budget notifies on its alert topic; set detection: true, or remove the limit');
      }
      // Before the drift rule, whose baseline must know the stop policy the budget may attach.
      const detection = this.detection;
      const monthlyLimitUsd = props.monthlySpendLimitUsd;
      this.spendLimit = attributeTo(this, 'monthlySpendLimitUsd', () => new BedrockSpendLimit(this, 'SpendLimit', {
        monthlyLimitUsd,
        alertTopic: detection.alertTopic,
        alertTopicKey: detection.key,
        stopRoles: roles,
        // The accounts the identities spend in: the invoke role's and every account the set is assigned in.
        linkedAccounts: [...new Set([Stack.of(this).account, ...(this.permissionSet ? assignedAccounts(this.permissionSet) : [])])],
      }), { renamed: { monthlyLimitUsd: 'monthlySpendLimitUsd' } });
      if (roles.length === 0) {
        Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:SpendLimitStopsNothing',
          'monthlySpendLimitUsd is set but there is no invoke role to stop (Identity Center only): the budget alerts and stops nothing. '
          + 'For a stop, use the usage guard\'s hard limit with containment: true (it denies the person through the permission set), '
          + 'or remove monthlySpendLimitUsd and keep an alert-only BedrockSpendLimit of your own');
      }
    }
    if (props.drift ?? true) {
      this.drift = attributeTo(this, ['drift', 'configRecorder'], () => new BedrockDriftRule(this, 'Drift', {
        roles,
        permissionSets,
        recorder: props.configRecorder,
        // One topic for misuse and drift alerts.
        alertTopic: this.detection?.alertTopic,
        // The permission set's roles live in the accounts it is assigned in.
        memberAccounts: assignedAccounts(this.permissionSet).filter((a) => a !== Stack.of(this).account),
      }), { renamed: { recorder: 'configRecorder' } });
      this.detection?.watchConfigRule(this.drift);
    }
    attributeTo(this, [...MODEL_PROPS, 'roleSourceProfile', 'identityCenter.startUrl', 'identityCenter.ssoRegion'], () => this.addOutputs(),
      { propFor: modelProp, renamed: { sourceProfile: 'roleSourceProfile', ...IDENTITY_CENTER_RENAMES } });
  }

  /**
   * Where detection's inputs say each watched identity can act and what watches it there.
   *
   * @internal
   */
  public _coverageSources(): CoverageSources | undefined {
    return this.coverage;
  }

  /** The invoke role in this account, the permission set in every account it is assigned in (read at synthesis). */
  private watchedIdentities(): CoverageIdentity[] {
    const identities: CoverageIdentity[] = [];
    if (this.invokeRole) {
      identities.push({ label: `invoke role '${this.invokeRole.roleName}'`, accounts: [accountOf(Stack.of(this))], sourceRegions: this.invokeRole.sourceRegions });
    }
    const assigned = assignedAccounts(this.permissionSet);
    if (this.permissionSet && assigned.length > 0) {
      identities.push({ label: `permission set '${this.permissionSet.permissionSetName}'`, accounts: assigned, sourceRegions: this.permissionSet.sourceRegions });
    }
    return identities;
  }

  /** Claude Code settings and the AWS profiles for signing in through the permission set. */
  public identityCenterClientConfiguration(options: ClientConfigurationOptions = {}): ClientConfiguration {
    if (!this.permissionSet || !this.identityCenter) {
      throw validationError(this, 'identityCenter', 'this ClaudeCodeBedrockAccess has no permission set: pass identityCenter to get Identity Center client configuration');
    }
    return this.permissionSet.clientConfiguration(this.identityCenterOptions(options));
  }

  /** Claude Code settings and the AWS profile for assuming the invoke role. */
  public roleClientConfiguration(options: ClientConfigurationOptions = {}): ClientConfiguration {
    if (!this.invokeRole) {
      throw validationError(this, 'trustedPrincipals', 'this ClaudeCodeBedrockAccess has no invoke role: pass trustedPrincipals to get role client configuration');
    }
    return this.invokeRole.clientConfiguration(this.roleOptions(options));
  }

  private roleOptions(options: ClientConfigurationOptions) {
    const sourceProfile = options.sourceProfile ?? this.roleSourceProfile;
    return { ...this.pinned, region: options.region, profileName: options.profileName, sourceProfile };
  }

  private identityCenterOptions(options: ClientConfigurationOptions) {
    const startUrl = this.identityCenter?.startUrl;
    if (startUrl === undefined) {
      throw validationError(this, 'identityCenter.startUrl', 'identityCenter.startUrl is not set, so the generated ~/.aws/config could not sign anyone in: '
        + 'set it to your AWS access portal URL, such as \'https://example-company.awsapps.com/start\'');
    }
    const { region, profileName, accountId } = options;
    return { ...this.pinned, region, profileName, accountId, startUrl, ssoRegion: this.identityCenter?.ssoRegion };
  }

  /**
   * The data-only outputs `configure` reads (`<id>RoleClient`, `<id>IdentityCenterClient`) and the next
   * steps; checked now, built at synthesis so assignments added later count.
   */
  private addOutputs(): void {
    const prefix = outputPrefix(this);
    const accesses: ClientAccess[] = [];
    if (this.invokeRole) {
      const role = this.invokeRole;
      const options = this.roleOptions({});
      role._clientInput(options);
      addClientOutput(this, prefix, 'role', () => role._clientInput(options));
      accesses.push('role');
    }
    if (this.permissionSet && this.identityCenter?.startUrl === undefined) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:NoStartUrl',
        'identityCenter.startUrl is not set, so this stack has no Identity Center client output and configure cannot set up developers for it: '
        + 'set identityCenter.startUrl to your AWS access portal URL (IAM Identity Center console, "AWS access portal URL")');
    } else if (this.permissionSet) {
      const set = this.permissionSet;
      const options = this.identityCenterOptions({});
      set._clientInput(options);
      addClientOutput(this, prefix, 'identity-center', () => set._clientInput(options));
      accesses.push('identity-center');
    }
    addNextSteps(this, prefix, accesses);
  }
}

const MODEL_PROPS = ['model', 'smallFastModel', 'opusModel'] as const;
/** The scope props the front door passes on to its role and permission set under the same names. */
const FRONT_DOOR_SCOPE_PROPS = ['sourceRegions', 'guardrail', 'apiKeys'] as const;
const IDENTITY_CENTER_PROPS = ['identityCenter.instanceArn', 'identityCenter.permissionSetName', 'identityCenter.assignments', 'identityCenter.sessionDuration'] as const;
/** The permission set's props, as the user set them on the front door. */
const IDENTITY_CENTER_RENAMES = {
  instanceArn: 'identityCenter.instanceArn',
  permissionSetName: 'identityCenter.permissionSetName',
  assignments: 'identityCenter.assignments',
  sessionDuration: 'identityCenter.sessionDuration',
  startUrl: 'identityCenter.startUrl',
  ssoRegion: 'identityCenter.ssoRegion',
};

/** The cap, on by default wherever it can stop something (detection and containment on). */
function spendRateCapOf(scope: Construct, props: ClaudeCodeBedrockAccessProps, detection?: BedrockMisuseDetection, usageGuard?: BedrockUsageGuard) {
  const { enabled, ...limits } = props.spendRateCap ?? {};
  const on = enabled ?? (detection !== undefined && props.containment === true);
  if (on && !detection) {
    throw validationError(scope, 'spendRateCap', 'spendRateCap needs detection: its alarms reach the stop through detection\'s bus and forwarders; set detection: true, or spendRateCap: { enabled: false }');
  }
  if (on && !props.containment) {
    Annotations.of(scope).addWarningV2('cdk-bedrock-least-privilege:SpendRateCapAlertsOnly',
      'spendRateCap is on but containment is off: the cap alerts at both thresholds and stops nothing. Set containment: true for the stop');
  }
  return on ? attributeTo(scope, 'spendRateCap', () => new BedrockSpendRateCap(scope, 'SpendRateCap', { detection: detection!, usageGuard, ...limits })) : undefined;
}

function uniqueModels(models: ModelReference[]): ModelReference[] {
  const seen = new Set<string>();
  return models.filter((m) => !seen.has(m.invocationId) && seen.add(m.invocationId) !== undefined);
}

