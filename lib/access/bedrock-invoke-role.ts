import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFinding } from './acknowledge';
import { AttributedPrincipal } from './attributed-principal';
import { ClientConfiguration, InvokeRoleClientOptions } from './client-options';
import * as client from './client-outputs';
import { layoutManagedPolicies, SCOPE_PROPS, sourceRegionsFor } from './invoke-policy-layout';
import { ClientInput } from '../client/client-output';
import { attributeTo, requireProp, validationError } from '../errors/validation-error';
import { Guardrail } from '../models/guardrail';
import { InvokeScopeProps } from '../models/invoke-scope';
import { ModelReference } from '../models/model-reference';

/** Properties of a `BedrockInvokeRole`. */
export interface BedrockInvokeRoleProps extends InvokeScopeProps {
  /**
   * Who may assume the role: accounts, roles, users, OIDC providers (GitHub Actions), SAML
   * providers or services. Each gets its own trust statement with the attribution conditions.
   */
  readonly trustedPrincipals: iam.IPrincipal[];

  /**
   * Session tag keys every session must carry (`aws:RequestTag/<key>`, non-empty), such as `developer`.
   *
   * @default - no session tags are required
   */
  readonly requiredSessionTags?: string[];

  /**
   * Require a source identity on every session (`sts:SetSourceIdentity`). It persists through role
   * chaining and names the person in every CloudTrail event.
   *
   * @default true when no session tags are required, otherwise false
   */
  readonly requireSourceIdentity?: boolean;

  /**
   * The pattern the source identity must match (`StringLike`), such as `*@example.com`.
   *
   * @default '*' (any source identity)
   */
  readonly sourceIdentityPattern?: string;

  /**
   * An external id AWS principals must pass (`sts:ExternalId`).
   *
   * @default - no external id
   */
  readonly externalId?: string;

  /**
   * The longest session, 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * The role's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The role's description.
   *
   * @default - one that names the models
   */
  readonly description?: string;

  /**
   * How many managed policies the role may attach (IAM's quota 'Managed policies per role'). The
   * invoke policy is split over several when it is large; synthesis fails rather than exceed this.
   *
   * @default 10
   */
  readonly maxManagedPolicies?: number;

  /**
   * Managed-policy slots the invoke policy leaves free for policies attached after deployment. A
   * `BedrockSpendLimit` that stops this role attaches one at the limit, and an attach to a full role
   * fails: synthesis refuses a spend stop that would not fit.
   *
   * @default 0
   */
  readonly reservedManagedPolicySlots?: number;
}

/**
 * An IAM role that can invoke the chosen Bedrock models, through the chosen inference profiles, from
 * the chosen Regions, and nothing else.
 *
 * - Customer-managed policies allow the exact profile ARNs in each source Region and the foundation
 *   models in each destination Region, only through those profiles.
 * - A deny guard refuses every other action, model, profile and direct call, so a policy attached
 *   later (`AdministratorAccess`, `PowerUserAccess`) grants nothing more.
 * - A permissions boundary caps the role at the same actions.
 * - The trust policy demands attribution: a source identity and/or session tags.
 */
export class BedrockInvokeRole extends Construct {
  /** The role. */
  public readonly role: iam.IRole;
  /** The role's ARN. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;
  /** The role's unique id (`AROA...`), which AWS Config uses as the resource id. */
  public readonly roleId: string;
  /** Every action the role may use, sorted; the guard denies all others. */
  public readonly allowedActions: string[];
  /** The models the role may invoke. */
  public readonly models: ModelReference[];
  /** The Regions the role's callers invoke Bedrock in. */
  public readonly sourceRegions: string[];
  /** The customer-managed policies that allow the invocations, in order. */
  public readonly invokePolicies: iam.ManagedPolicy[];
  /** The customer-managed policy of explicit denies. */
  public readonly guardPolicy: iam.ManagedPolicy;
  /** The permissions boundary. */
  public readonly permissionsBoundary: iam.ManagedPolicy;
  /** The longest session the role allows. */
  public readonly maxSessionDuration: Duration;
  /** The session tag keys the trust policy requires. */
  public readonly requiredSessionTags: string[];
  /** Whether the trust policy requires a source identity. */
  public readonly requiresSourceIdentity: boolean;
  /** The external id AWS principals must pass, if any. */
  public readonly externalId?: string;
  /** The ARNs of every managed policy the role should have attached: the invoke policies and the guard, in order. */
  public readonly managedPolicyArns: string[];
  /** The ARN of the permissions boundary. */
  public readonly permissionsBoundaryArn: string;
  /** The trust policy. */
  public readonly assumeRolePolicy: iam.PolicyDocument;

  private readonly spendStops: iam.ManagedPolicy[] = [];
  private readonly maxManagedPolicies: number;
  private baselineTaken = false;
  private readonly guardrail?: Guardrail;

  constructor(scope: Construct, id: string, props: BedrockInvokeRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    requireProp(this, props, 'props', 'pass { models, trustedPrincipals }');
    const trustedPrincipals = requireProp(this, props.trustedPrincipals, 'trustedPrincipals', 'name who may assume the role, such as [new iam.AccountPrincipal(\'111122223333\')]');
    this.maxSessionDuration = checkSessionDuration(this, props.maxSessionDuration ?? Duration.hours(1));
    this.requiredSessionTags = checkTagKeys(this, props.requiredSessionTags ?? []);
    this.requiresSourceIdentity = props.requireSourceIdentity ?? this.requiredSessionTags.length === 0;
    if (!this.requiresSourceIdentity && this.requiredSessionTags.length === 0) {
      throw validationError(this, 'requireSourceIdentity', 'requireSourceIdentity is false and requiredSessionTags is empty: sessions must name their person, so require a source identity, a session tag such as \'developer\', or both');
    }
    if (trustedPrincipals.length === 0) {
      throw validationError(this, 'trustedPrincipals', 'trustedPrincipals is empty: name who may assume the role, such as new iam.AccountPrincipal(\'111122223333\') or a GitHub OIDC provider');
    }
    checkExternalId(this, props.externalId);
    const maxManagedPolicies = props.maxManagedPolicies ?? 10;
    if (!Number.isInteger(maxManagedPolicies) || maxManagedPolicies < 2 || maxManagedPolicies > 25) {
      throw validationError(this, 'maxManagedPolicies', `maxManagedPolicies is ${maxManagedPolicies}: use a whole number from 2 to 25 (IAM's quota, default 10)`);
    }

    const reserved = props.reservedManagedPolicySlots ?? 0;
    if (!Number.isInteger(reserved) || reserved < 0 || reserved > maxManagedPolicies - 2) {
      throw validationError(this, 'reservedManagedPolicySlots', `reservedManagedPolicySlots is ${reserved}: use a whole number from 0 to ${maxManagedPolicies - 2} (maxManagedPolicies less the invoke policy and the guard)`);
    }
    this.maxManagedPolicies = maxManagedPolicies;
    attributeTo(this, 'sourceRegions', () => sourceRegionsFor(stack, props.sourceRegions));
    const layout = attributeTo(this, SCOPE_PROPS, () => layoutManagedPolicies(stack, props, maxManagedPolicies - reserved));
    this.models = [...props.models];
    this.sourceRegions = layout.sourceRegions;
    this.allowedActions = layout.plan.allowedActions;
    layout.plan.lifecycleWarnings.forEach((w) => Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:ModelEndOfLife', w));
    const modelList = props.models.map((m) => m.invocationId).join(', ');

    this.permissionsBoundary = new iam.ManagedPolicy(this, 'Boundary', {
      description: 'Permissions boundary: caps the Bedrock invoke role at the Bedrock invoke actions',
      document: iam.PolicyDocument.fromJson(layout.boundaryDocument),
    });
    this.guardPolicy = new iam.ManagedPolicy(this, 'Guard', {
      description: 'Denies every action, model, profile and direct model call the Bedrock invoke role does not need',
      document: iam.PolicyDocument.fromJson(layout.guardDocument),
    });
    this.invokePolicies = layout.invokeDocuments.map((doc, i) => new iam.ManagedPolicy(this, `Invoke${i + 1}`, {
      description: truncate(`Invoke ${modelList} from ${this.sourceRegions.join(', ')} (part ${i + 1} of ${layout.invokeDocuments.length})`),
      document: iam.PolicyDocument.fromJson(doc),
    }));

    acknowledgeFinding(this.permissionsBoundary, 'AwsSolutions-IAM5[Resource::*]',
      'a permissions boundary caps actions, not resources: the invoke policies and the deny guard scope every resource');
    this.invokePolicies.forEach((policy, i) => {
      const unscoped = layout.invokeDocuments[i].Statement.filter((st) => st.Resource?.includes('*')).flatMap((st) => st.Action ?? []);
      if (unscoped.length > 0) {
        acknowledgeFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
          `${unscoped.join(', ')} take no resource, so IAM grants them only on *; each is limited by a condition where one exists `
          + '(Marketplace to calls Bedrock makes, aws:CalledViaLast; bearer tokens to short-term keys)');
      }
      const anyRegionModels = layout.invokeDocuments[i].Statement.flatMap((st) => st.Resource ?? []).filter((r) => r.includes(':bedrock:*::foundation-model/'));
      for (const arn of new Set(anyRegionModels)) {
        acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::${arn}]`,
          'Bedrock, not the caller, picks the destination Region of a cross-Region profile, and AWS adds destinations over time; '
          + 'the model is granted in any Region only through the exact profile ARNs (bedrock:InferenceProfileArn), and the guard denies it through any other profile');
      }
    });

    const principals = attributeTo(this, 'trustedPrincipals', () => trustedPrincipals.map((p) => new AttributedPrincipal(p, {
      sessionTagKeys: this.requiredSessionTags,
      sourceIdentityPattern: this.requiresSourceIdentity ? props.sourceIdentityPattern ?? '*' : undefined,
      externalId: props.externalId,
    })));
    const role = new iam.Role(this, 'Resource', {
      assumedBy: principals[0],
      roleName: props.roleName,
      description: props.description ?? truncate(`Invokes ${modelList} on Amazon Bedrock and nothing else`),
      maxSessionDuration: this.maxSessionDuration,
      permissionsBoundary: this.permissionsBoundary,
      managedPolicies: [...this.invokePolicies, this.guardPolicy],
    });
    for (const p of principals.slice(1)) {
      p.addToAssumeRolePolicy(role.assumeRolePolicy!);
    }
    for (const p of principals.filter((x) => x.isService)) {
      Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:ServiceTrust', `${p} is an AWS service: its sessions cannot carry a source identity or session tags, so calls through it are attributed to the service, not a person`);
    }
    this.role = role;
    this.externalId = props.externalId;
    this.managedPolicyArns = [...this.invokePolicies, this.guardPolicy].map((p) => p.managedPolicyArn);
    this.permissionsBoundaryArn = this.permissionsBoundary.managedPolicyArn;
    this.assumeRolePolicy = role.assumeRolePolicy!;
    this.roleArn = role.roleArn;
    // A given name stays a plain string, so stacks in other Regions (detection forwarders) can use it.
    this.roleName = props.roleName ?? role.roleName;
    this.roleId = (role.node.defaultChild as iam.CfnRole).attrRoleId;
    this.guardrail = props.guardrail;
    this.node.addValidation({ validate: () => this.spendStopSlotProblems() });
  }

  /**
   * Claude Code settings and the `~/.aws/config` profile that assume this role: the same configuration
   * `ClaudeCodeBedrockAccess` generates, and what `configure` writes from `addClientOutputs`.
   */
  public clientConfiguration(options: InvokeRoleClientOptions): ClientConfiguration {
    return client.clientConfiguration(this._clientInput(options));
  }

  /**
   * Adds the stack outputs `configure` reads (`<id>RoleClient`, data only) and `<id>ClientNextSteps`,
   * the command a developer runs; `configure --construct <id>` picks them when a stack holds several.
   */
  public addClientOutputs(options: InvokeRoleClientOptions): void {
    const input = this._clientInput(options);
    const prefix = client.outputPrefix(this);
    client.addClientOutput(this, prefix, 'role', () => input);
    client.addNextSteps(this, prefix, ['role']);
  }

  /**
   * What the generator needs for this role, for the front door's outputs.
   *
   * @internal
   */
  public _clientInput(options: InvokeRoleClientOptions): ClientInput {
    const profile = options.profileName ?? 'claude-code-role';
    const sourceProfile = options.sourceProfile ?? 'default';
    return attributeTo(this, client.CLIENT_OPTION_PROPS, () => this.clientInputChecked(options, profile, sourceProfile));
  }

  private clientInputChecked(options: InvokeRoleClientOptions, profile: string, sourceProfile: string): ClientInput {
    client.checkClientProfiles(profile, sourceProfile);
    return {
      models: client.pinModels(this.models, options, `role ${this.node.path}`),
      region: client.clientRegion(this.sourceRegions, options.region),
      guardrail: this.guardrail,
      options: client.clientOptions(options),
      source: {
        kind: 'role',
        profile,
        // Built from a fixed name, so the output does not wait on the role.
        roleArn: Token.isUnresolved(this.roleName)
          ? this.roleArn
          : Stack.of(this).formatArn({ service: 'iam', region: '', resource: 'role', resourceName: this.roleName }),
        sourceProfile,
        sourceIdentity: this.requiresSourceIdentity,
      },
    };
  }

  // The Budgets action attaches its stop policy at the limit: with every slot taken the attach fails and nothing stops.
  private spendStopSlotProblems(): string[] {
    if (this.spendStops.length === 0) {
      return [];
    }
    const attached = Stack.of(this).resolve((this.role.node.defaultChild as iam.CfnRole).managedPolicyArns) as unknown[] | undefined;
    const needed = (attached?.length ?? 0) + this.spendStops.length;
    return needed <= this.maxManagedPolicies ? [] : [
      `${this.node.path} attaches ${attached?.length ?? 0} managed policies and a spend limit's stop needs ${this.spendStops.length} more, over the ${this.maxManagedPolicies} IAM allows it (maxManagedPolicies), so the stop would fail at the limit: `
      + 'construct the role with reservedManagedPolicySlots: 1 (the invoke policy then packs into one policy fewer), attach fewer policies, or raise the IAM quota and maxManagedPolicies',
    ];
  }

  /**
   * The policy an AWS Budgets action attaches at the spend limit: drift accepts it attached, as long
   * as it holds exactly its statements, and revert never detaches it.
   *
   * @internal
   */
  public _addSpendStop(policy: iam.ManagedPolicy): void {
    if (this.baselineTaken) {
      throw validationError(this, undefined, `a spend limit was added to ${this.node.path} after its drift rule read the baseline: create the BedrockSpendLimit before the BedrockDriftRule`);
    }
    this.spendStops.push(policy);
  }

  /**
   * The spend-stop policies, for the drift baseline; none may be added after.
   *
   * @internal
   */
  public _spendStops(): iam.ManagedPolicy[] {
    this.baselineTaken = true;
    return [...this.spendStops];
  }

  /**
   * Allows a principal's own policies to assume this role (with the session tags and source identity
   * the trust policy requires). The trust policy must trust the principal or its account too.
   */
  public grantAssumeRole(grantee: iam.IGrantable): iam.Grant {
    const actions = ['sts:AssumeRole'];
    if (this.requiredSessionTags.length > 0) {
      actions.push('sts:TagSession');
    }
    if (this.requiresSourceIdentity) {
      actions.push('sts:SetSourceIdentity');
    }
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.roleArn] });
  }
}

function checkSessionDuration(scope: Construct, d: Duration): Duration {
  if (!Token.isUnresolved(d.toSeconds())) {
    const seconds = d.toSeconds();
    if (seconds < 3600 || seconds > 43200) {
      throw validationError(scope, 'maxSessionDuration', `maxSessionDuration is ${d.toHumanString()}: IAM allows 1 to 12 hours; keep it short, such as Duration.hours(1)`);
    }
  }
  return d;
}

function checkTagKeys(scope: Construct, keys: string[]): string[] {
  for (const key of keys) {
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key)) {
      throw validationError(scope, 'requiredSessionTags', `requiredSessionTags: '${key}' is not a session tag key: use 1 to 128 letters, digits, spaces or _.:/=+-@`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw validationError(scope, 'requiredSessionTags', `requiredSessionTags: '${key}' starts with 'aws:', which AWS reserves: choose another key such as 'developer'`);
    }
  }
  const lower = keys.map((k) => k.toLowerCase());
  const dup = lower.find((k, i) => lower.indexOf(k) !== i);
  if (dup !== undefined) {
    throw validationError(scope, 'requiredSessionTags', `requiredSessionTags lists '${dup}' twice (tag keys are case-insensitive): remove the duplicate`);
  }
  return [...keys];
}

function checkExternalId(scope: Construct, externalId: string | undefined): void {
  if (externalId !== undefined && !Token.isUnresolved(externalId) && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    throw validationError(scope, 'externalId', `externalId '${externalId}' is not valid: use 2 to 1224 letters, digits or +=,.@:/-`);
  }
}

function truncate(text: string): string {
  return text.length <= 1000 ? text : `${text.slice(0, 997)}...`;
}
