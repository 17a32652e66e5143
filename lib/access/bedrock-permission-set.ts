import { Annotations, CfnTag, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { ClientConfiguration, PermissionSetClientOptions } from './client-options';
import * as client from './client-outputs';
import * as input from './identity-center-input';
import { layoutInlinePolicy, SCOPE_PROPS, sourceRegionsFor } from './invoke-policy-layout';
import { PermissionSetBoundary } from './permission-set-boundary';
import { ClientInput } from '../client/client-output';
import { startUrlProblem } from '../client/start-url';
import { attributeTo, requireProp, validationError } from '../errors/validation-error';
import { checkNoDuplicates } from '../models/checks';
import { Guardrail } from '../models/guardrail';
import { InvokeScopeProps } from '../models/invoke-scope';
import { ModelReference } from '../models/model-reference';
import { ssoRoleNamePattern, ssoRolePrefix } from '../models/permission-set-role';
import { isRegionName } from '../models/regions';

/** Who an assignment gives the permission set to. */
export enum AssignmentPrincipalType {
  /** An Identity Store group: everyone in it. */
  GROUP = 'GROUP',
  /** One Identity Store user. */
  USER = 'USER',
}

/** One group or user given the permission set in some accounts. */
export interface PermissionSetAssignment {
  /** A group or a user. */
  readonly principalType: AssignmentPrincipalType;
  /** The Identity Store id of the group or user (`aws identitystore list-groups`). */
  readonly principalId: string;
  /** The 12-digit ids of the accounts to assign in. */
  readonly accountIds: string[];
}

/** Properties of a `BedrockPermissionSet`. */
export interface BedrockPermissionSetProps extends InvokeScopeProps {
  /** The IAM Identity Center instance ARN, `arn:aws:sso:::instance/ssoins-...`. */
  readonly instanceArn: string;

  /**
   * The permission set's name, shown in the access portal and in the role names it creates
   * (`AWSReservedSSO_<name>_<suffix>`); 1 to 32 characters.
   *
   * @default 'ClaudeCodeBedrock'
   */
  readonly permissionSetName?: string;

  /**
   * The description shown in the access portal.
   *
   * @default - one that names the models
   */
  readonly description?: string;

  /**
   * How long a sign-in lasts, 1 to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * Where the access portal sends a user who opens the console through this set.
   *
   * @default - the console home page
   */
  readonly relayState?: string;

  /**
   * A permissions boundary for the roles the set creates.
   *
   * @default - no boundary; the inline deny guard still holds
   */
  readonly permissionsBoundary?: PermissionSetBoundary;

  /**
   * Tags on the permission set.
   *
   * @default - no tags
   */
  readonly tags?: CfnTag[];

  /**
   * Groups and users to give the set to, in which accounts. More can be added with `addAssignment`.
   *
   * @default - no assignments
   */
  readonly assignments?: PermissionSetAssignment[];
}

// CloudFormation allows 500 resources per stack; leave room for the rest of the stack.
const MAX_ASSIGNMENTS = 400;

/**
 * An IAM Identity Center permission set whose inline policy can invoke the chosen Bedrock models and
 * nothing else, the same statements and guard as `BedrockInvokeRole`, valid in every account it is
 * assigned to. Each developer signs in as themselves and CloudTrail names them.
 */
export class BedrockPermissionSet extends Construct {
  /** The permission set's ARN. */
  public readonly permissionSetArn: string;
  /** The ARN of the IAM Identity Center instance the set belongs to. */
  public readonly instanceArn: string;
  /** The permission set's name. */
  public readonly permissionSetName: string;
  /** The prefix of the roles the set creates in each account: `AWSReservedSSO_<name>_`. */
  public readonly roleNamePrefix: string;
  /** A regular expression that matches exactly this set's role names, and not those of a set whose name starts the same. */
  public readonly roleNamePattern: string;
  /** Every action the set may use, sorted; the guard denies all others. */
  public readonly allowedActions: string[];
  /** The models the set may invoke. */
  public readonly models: ModelReference[];
  /** The Regions its users invoke Bedrock in. */
  public readonly sourceRegions: string[];
  /** The inline policy, with `${aws:PrincipalAccount}` where an account id goes. */
  public readonly inlinePolicy: iam.PolicyDocument;
  /** How long a sign-in lasts. */
  public readonly sessionDuration: Duration;
  /** The permissions boundary of the roles the set creates, if any. */
  public readonly permissionsBoundary?: PermissionSetBoundary;
  /** The assignments created so far. */
  public readonly assignments: sso.CfnAssignment[] = [];

  private readonly assigned = new Set<string>();
  private readonly guardrail?: Guardrail;

  constructor(scope: Construct, id: string, props: BedrockPermissionSetProps) {
    super(scope, id);
    requireProp(this, props, 'props', 'pass { instanceArn, models }');
    this.permissionSetName = props.permissionSetName ?? 'ClaudeCodeBedrock';
    attributeTo(this, 'permissionSetName', () => input.checkPermissionSetName(this.permissionSetName));
    const instanceArn = requireProp(this, props.instanceArn, 'instanceArn', 'pass the ARN \'aws sso-admin list-instances\' shows, such as \'arn:aws:sso:::instance/ssoins-1234567890abcdef\'');
    attributeTo(this, 'instanceArn', () => input.checkInstanceArn(instanceArn));
    this.sessionDuration = props.sessionDuration ?? Duration.hours(1);
    attributeTo(this, 'sessionDuration', () => input.checkPermissionSetSession(this.sessionDuration));
    attributeTo(this, 'relayState', () => input.checkRelayState(props.relayState));
    this.instanceArn = instanceArn;

    attributeTo(this, 'sourceRegions', () => sourceRegionsFor(Stack.of(this), props.sourceRegions));
    const layout = attributeTo(this, SCOPE_PROPS, () => layoutInlinePolicy(Stack.of(this), props));
    this.models = [...props.models];
    this.sourceRegions = layout.sourceRegions;
    this.allowedActions = layout.plan.allowedActions;
    layout.plan.lifecycleWarnings.forEach((w) => Annotations.of(this).addWarningV2('cdk-bedrock-least-privilege:ModelEndOfLife', w));
    this.inlinePolicy = iam.PolicyDocument.fromJson(layout.document);
    const description = props.description
      ?? `Invoke ${props.models.map((m) => m.invocationId).join(', ')} on Amazon Bedrock from ${this.sourceRegions.join(', ')}, nothing else`.slice(0, 700);
    attributeTo(this, 'description', () => input.checkDescription(description));

    const boundary = props.permissionsBoundary;
    this.permissionsBoundary = boundary;
    const resource = new sso.CfnPermissionSet(this, 'Resource', {
      instanceArn: props.instanceArn,
      name: this.permissionSetName,
      description,
      sessionDuration: this.sessionDuration.toIsoString(),
      relayStateType: props.relayState,
      inlinePolicy: layout.document,
      permissionsBoundary: boundary && {
        managedPolicyArn: boundary.managedPolicyArn,
        customerManagedPolicyReference: boundary.customerManagedPolicyName
          ? { name: boundary.customerManagedPolicyName, path: boundary.customerManagedPolicyPath }
          : undefined,
      },
      tags: props.tags,
    });
    this.permissionSetArn = resource.attrPermissionSetArn;
    this.roleNamePrefix = ssoRolePrefix(this.permissionSetName);
    this.roleNamePattern = ssoRoleNamePattern(this.permissionSetName);
    this.guardrail = props.guardrail;
    for (const assignment of props.assignments ?? []) {
      this.addAssignment(assignment);
    }
  }

  /**
   * Gives the set to a group or user in each listed account. Each account gets its own
   * `AWS::SSO::Assignment`; for hundreds of accounts, split them over several stacks.
   */
  public addAssignment(assignment: PermissionSetAssignment): void {
    // The same struct as the assignments prop; a JavaScript caller can leave out any field.
    const who = `${String(assignment?.principalType ?? 'principal').toLowerCase()} '${assignment?.principalId}'`;
    requireProp(this, assignment, 'assignments', 'pass { principalType, principalId, accountIds }');
    requireProp(this, assignment.principalType, 'assignments.principalType', 'pass AssignmentPrincipalType.GROUP or AssignmentPrincipalType.USER');
    requireProp(this, assignment.principalId, 'assignments.principalId', 'pass the Identity Store id of the group or user (aws identitystore list-groups)');
    requireProp(this, assignment.accountIds, 'assignments.accountIds', `pass the 12-digit ids of the accounts to give ${who} the set in`);
    attributeTo(this, 'assignments.principalId', () => input.checkPrincipalId(assignment.principalId, assignment.principalType === AssignmentPrincipalType.GROUP ? 'group' : 'user'));
    if (assignment.accountIds.length === 0) {
      throw validationError(this, 'assignments.accountIds', `the assignment of ${who} lists no accounts: add the 12-digit account ids to assign in`);
    }
    attributeTo(this, 'assignments.accountIds', () => {
      assignment.accountIds.forEach(input.checkAccountId);
      checkNoDuplicates(assignment.accountIds, `the assignment of ${who}`);
    });
    if (this.assignments.length + assignment.accountIds.length > MAX_ASSIGNMENTS) {
      throw validationError(this, 'assignments', `this would make ${this.assignments.length + assignment.accountIds.length} assignments in one stack, over the ${MAX_ASSIGNMENTS} that fit CloudFormation's 500-resource limit: split the accounts over several stacks`);
    }
    for (const accountId of assignment.accountIds) {
      const key = `${assignment.principalType}${assignment.principalId}${accountId}`;
      if (this.assigned.has(key)) {
        throw validationError(this, 'assignments', `${who} is already assigned in account ${accountId}: remove the duplicate`);
      }
      this.assigned.add(key);
      this.assignments.push(new sso.CfnAssignment(this, `Assignment${key.replace(/[^A-Za-z0-9]/g, '')}`, {
        instanceArn: this.instanceArn,
        permissionSetArn: this.permissionSetArn,
        principalType: assignment.principalType,
        principalId: assignment.principalId,
        targetType: 'AWS_ACCOUNT',
        targetId: accountId,
      }));
    }
  }

  /**
   * Claude Code settings and the `~/.aws/config` profiles (one per assigned account) for signing in
   * through this set: the same configuration `ClaudeCodeBedrockAccess` generates, and what `configure`
   * writes from `addClientOutputs`.
   */
  public clientConfiguration(options: PermissionSetClientOptions): ClientConfiguration {
    const data = this._clientInput(options);
    if (data.source.kind === 'sso' && data.source.accountIds.length === 0) {
      throw validationError(this, 'accountId', `permission set ${this.node.path} is assigned in no account yet: add an assignment, or pass accountId`);
    }
    return client.clientConfiguration(data);
  }

  /**
   * Adds the stack outputs `configure` reads (`<id>IdentityCenterClient`, data only, with every account
   * assigned by synthesis) and `<id>ClientNextSteps`, the command a developer runs.
   */
  public addClientOutputs(options: PermissionSetClientOptions): void {
    this._clientInput(options);
    const prefix = client.outputPrefix(this);
    client.addClientOutput(this, prefix, 'identity-center', () => this._clientInput(options));
    client.addNextSteps(this, prefix, ['identity-center']);
  }

  /**
   * What the generator needs for this set, with the accounts assigned so far.
   *
   * @internal
   */
  public _clientInput(options: PermissionSetClientOptions): ClientInput {
    return attributeTo(this, client.CLIENT_OPTION_PROPS, () => this.clientInputChecked(options));
  }

  private clientInputChecked(options: PermissionSetClientOptions): ClientInput {
    const profile = options.profileName ?? 'claude-code';
    client.checkClientProfiles(profile);
    if (options.startUrl === undefined || options.startUrl === null) {
      throw new Error('startUrl is missing: it is required; pass your AWS access portal URL, such as \'https://example-company.awsapps.com/start\'');
    }
    const urlProblem = Token.isUnresolved(options.startUrl) ? undefined : startUrlProblem(options.startUrl);
    if (urlProblem) {
      throw new Error(`startUrl: ${urlProblem}`);
    }
    const ssoRegion = options.ssoRegion ?? Stack.of(this).region;
    if (!Token.isUnresolved(ssoRegion) && !isRegionName(ssoRegion)) {
      throw new Error(`ssoRegion '${ssoRegion}' is not a Region name: use the Region IAM Identity Center is enabled in, such as 'us-east-1'`);
    }
    if (options.accountId !== undefined) {
      input.checkAccountId(options.accountId);
    }
    const assigned = [...new Set(this.assignments.map((a) => a.targetId))];
    const first = options.accountId ?? assigned[0];
    return {
      models: client.pinModels(this.models, options, `permission set ${this.node.path}`),
      region: client.clientRegion(this.sourceRegions, options.region),
      guardrail: this.guardrail,
      options: client.clientOptions(options),
      source: {
        kind: 'sso',
        profile,
        startUrl: options.startUrl,
        ssoRegion,
        accountIds: first === undefined ? [] : [first, ...assigned.filter((a) => a !== first)],
        roleName: this.permissionSetName,
      },
    };
  }

  /** True when `roleName` is one of the roles this permission set created (in any account). */
  public matchesRoleName(roleName: string): boolean {
    return new RegExp(this.roleNamePattern).test(roleName);
  }
}
