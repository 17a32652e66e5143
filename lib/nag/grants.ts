import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { IConstruct } from 'constructs';
import { Statement, statementsOf } from './policy-statements';
import { flatten, hasUnknown, pseudoValuesOf } from './policy-values';

/**
 * Everything an identity is granted that this app lets us read: the statements of its inline
 * policies and of the in-app policies attached to it, the names of the AWS managed policies it
 * holds, whether some other policy could not be read, and its permissions boundary.
 */
export interface GrantView {
  readonly statements: Statement[];
  /** Names of attached AWS managed policies, such as `PowerUserAccess`; their contents are not known here. */
  readonly awsManagedPolicies: string[];
  /** True when a policy is attached that this app does not define (imported, or by a name nothing here has). */
  readonly hasUnreadablePolicies: boolean;
  /** The statements of the permissions boundary, when it is defined in this app; undefined otherwise. */
  readonly boundary?: Statement[];
  /** True for a role whose trust policy lets only AWS services assume it: a workload's role, never a person's. */
  readonly assumedOnlyByServices?: boolean;
}

type IamIdentity = iam.CfnRole | iam.CfnUser | iam.CfnGroup;
type IamPolicy = iam.CfnPolicy | iam.CfnManagedPolicy | iam.CfnRolePolicy | iam.CfnUserPolicy | iam.CfnGroupPolicy;

/** Who holds which policy across the whole app, built once per validation run. */
class AppIndex {
  private readonly byKey = new Map<string, CfnResource>();
  private readonly byName = new Map<string, CfnResource[]>();
  /** Identity -> in-app policies that name it (`Roles`, `Users`, `Groups`, `RoleName` ...). */
  private readonly attachedFromPolicy = new Map<CfnResource, CfnResource[]>();
  private readonly attachedInApp = new Set<CfnResource>();
  private readonly usedAsBoundary = new Set<CfnResource>();

  constructor(root: IConstruct) {
    const resources = root.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
    for (const r of resources) {
      const stack = Stack.of(r);
      this.byKey.set(`${stack.node.path}|${stack.resolve(r.logicalId)}`, r);
      const name = physicalName(r);
      if (name) {
        this.byName.set(name, [...(this.byName.get(name) ?? []), r]);
      }
    }
    for (const r of resources) {
      if (isIamPolicy(r)) {
        for (const identity of this.identitiesNamedBy(r)) {
          this.attachedFromPolicy.set(identity, [...(this.attachedFromPolicy.get(identity) ?? []), r]);
          this.attachedInApp.add(r);
        }
      } else if (isIamIdentity(r)) {
        this.managedPolicies(r, r.managedPolicyArns).inApp.forEach((p) => this.attachedInApp.add(p));
        const boundary = r instanceof iam.CfnGroup ? undefined : this.boundaryOf(r);
        if (boundary) {
          this.usedAsBoundary.add(boundary);
        }
      } else if (r instanceof sso.CfnPermissionSet) {
        this.customerManagedReferences(r).inApp.forEach((p) => this.attachedInApp.add(p));
        const boundary = this.permissionSetBoundary(r);
        if (boundary) {
          this.usedAsBoundary.add(boundary);
        }
      }
    }
  }

  /** A managed policy that only ever serves as a permissions boundary: it caps, it grants nothing. */
  public isBoundaryOnly(policy: CfnResource): boolean {
    return this.usedAsBoundary.has(policy) && !this.attachedInApp.has(policy) && !namesIdentities(policy);
  }

  /** A policy attached to a role, user, group or permission set of this app, whose view reports it. */
  public isAttachedInApp(policy: CfnResource): boolean {
    return this.attachedInApp.has(policy);
  }

  public identityView(identity: IamIdentity, withGroups = true): GrantView {
    const attached = this.attachedFromPolicy.get(identity) ?? [];
    const managed = this.managedPolicies(identity, identity.managedPolicyArns);
    const views: GrantView[] = [];
    if (withGroups && identity instanceof iam.CfnUser) {
      for (const value of resolvedList(identity, identity.groups)) {
        const group = this.lookup(identity, value, iam.CfnGroup);
        views.push(group ? this.identityView(group, false) : { statements: [], awsManagedPolicies: [], hasUnreadablePolicies: true });
      }
    }
    const boundaryPolicy = identity instanceof iam.CfnGroup ? undefined : this.boundaryOf(identity);
    return {
      statements: [
        ...statementsOf(identity),
        ...attached.flatMap(statementsOf),
        ...managed.inApp.flatMap(statementsOf),
        ...views.flatMap((v) => v.statements),
      ],
      awsManagedPolicies: [...managed.awsManaged, ...views.flatMap((v) => v.awsManagedPolicies)],
      hasUnreadablePolicies: managed.unreadable || views.some((v) => v.hasUnreadablePolicies),
      boundary: boundaryPolicy ? statementsOf(boundaryPolicy) : undefined,
      assumedOnlyByServices: identity instanceof iam.CfnRole && trustsOnlyServices(identity),
    };
  }

  public permissionSetView(set: sso.CfnPermissionSet): GrantView {
    const refs = this.customerManagedReferences(set);
    const aws = resolvedList(set, set.managedPolicies).map((v) => awsManagedName(flatten(v, pseudoValuesOf(Stack.of(set)))) ?? flatten(v, {}));
    const boundaryPolicy = this.permissionSetBoundary(set);
    return {
      statements: [...statementsOf(set), ...refs.inApp.flatMap(statementsOf)],
      awsManagedPolicies: aws,
      hasUnreadablePolicies: refs.unreadable,
      boundary: boundaryPolicy ? statementsOf(boundaryPolicy) : undefined,
    };
  }

  private identitiesNamedBy(policy: IamPolicy): CfnResource[] {
    const named: Array<[unknown[], new (...args: any[]) => CfnResource]> = [];
    if (policy instanceof iam.CfnPolicy || policy instanceof iam.CfnManagedPolicy) {
      named.push([resolvedList(policy, policy.roles), iam.CfnRole]);
      named.push([resolvedList(policy, policy.users), iam.CfnUser]);
      named.push([resolvedList(policy, policy.groups), iam.CfnGroup]);
    } else if (policy instanceof iam.CfnRolePolicy) {
      named.push([resolvedList(policy, policy.roleName), iam.CfnRole]);
    } else if (policy instanceof iam.CfnUserPolicy) {
      named.push([resolvedList(policy, policy.userName), iam.CfnUser]);
    } else {
      named.push([resolvedList(policy, policy.groupName), iam.CfnGroup]);
    }
    return named.flatMap(([values, type]) => values.map((v) => this.lookup(policy, v, type)).filter((r): r is CfnResource => r !== undefined));
  }

  private managedPolicies(holder: CfnResource, arns: string[] | undefined) {
    const inApp: CfnResource[] = [];
    const awsManaged: string[] = [];
    let unreadable = false;
    for (const value of resolvedList(holder, arns)) {
      const awsName = awsManagedName(flatten(value, pseudoValuesOf(Stack.of(holder))));
      const policy = awsName ? undefined : this.lookup(holder, value, iam.CfnManagedPolicy, policyNameOfArn);
      if (awsName) {
        awsManaged.push(awsName);
      } else if (policy) {
        inApp.push(policy);
      } else {
        unreadable = true;
      }
    }
    return { inApp, awsManaged, unreadable };
  }

  private customerManagedReferences(set: sso.CfnPermissionSet) {
    const inApp: CfnResource[] = [];
    let unreadable = false;
    for (const ref of resolvedList(set, set.customerManagedPolicyReferences)) {
      const name = ref && typeof ref === 'object' ? (ref as any).name ?? (ref as any).Name : undefined;
      const policy = typeof name === 'string' ? this.byType(this.byName.get(name), iam.CfnManagedPolicy) : undefined;
      if (policy) {
        inApp.push(policy);
      } else {
        unreadable = true;
      }
    }
    return { inApp, unreadable };
  }

  private boundaryOf(identity: iam.CfnRole | iam.CfnUser): CfnResource | undefined {
    if (identity.permissionsBoundary === undefined) {
      return undefined;
    }
    const value = Stack.of(identity).resolve(identity.permissionsBoundary);
    return this.lookup(identity, value, iam.CfnManagedPolicy, policyNameOfArn);
  }

  private permissionSetBoundary(set: sso.CfnPermissionSet): CfnResource | undefined {
    const boundary = Stack.of(set).resolve(set.permissionsBoundary);
    const ref = boundary?.customerManagedPolicyReference ?? boundary?.CustomerManagedPolicyReference;
    const name = ref?.name ?? ref?.Name;
    return typeof name === 'string' ? this.byType(this.byName.get(name), iam.CfnManagedPolicy) : undefined;
  }

  /**
   * The in-app resource of `type` that a resolved value points at: a `Ref` or `Fn::GetAtt` in the
   * holder's stack, or a physical name (or an ARN ending in one) that an in-app resource declares.
   */
  private lookup<T extends CfnResource>(
    holder: CfnResource, value: unknown, type: new (...args: any[]) => T, nameOf: (text: string) => string | undefined = (t) => t,
  ): T | undefined {
    const logicalId = referencedLogicalId(value);
    if (logicalId) {
      return this.byType([this.byKey.get(`${Stack.of(holder).node.path}|${logicalId}`)], type);
    }
    const name = nameOf(flatten(value, pseudoValuesOf(Stack.of(holder))));
    return name && !hasUnknown(name) ? this.byType(this.byName.get(name), type) : undefined;
  }

  private byType<T extends CfnResource>(candidates: Array<CfnResource | undefined> | undefined, type: new (...args: any[]) => T): T | undefined {
    return (candidates ?? []).find((c): c is T => c instanceof type);
  }
}

let cache: { root: IConstruct; index: AppIndex } | undefined;

/** The index of the app `node` belongs to, built on first use in a validation run. */
export function appIndex(node: IConstruct): AppIndex {
  const root = node.node.root;
  if (!cache || cache.root !== root) {
    cache = { root, index: new AppIndex(root) };
  }
  return cache.index;
}

/** Forget the index, so the next run sees constructs added since; the pack calls it before each run. */
export function resetAppIndex(): void {
  cache = undefined;
}

/**
 * What a role, user, group or stand-alone policy is granted, for the identity-level rules; undefined
 * for a policy whose identity in this app reports it, or a policy that only serves as a boundary.
 */
export function iamGrantView(node: CfnResource): GrantView | undefined {
  const index = appIndex(node);
  if (isIamIdentity(node)) {
    return index.identityView(node);
  }
  if (isIamPolicy(node) && !index.isAttachedInApp(node) && !index.isBoundaryOnly(node)) {
    return { statements: statementsOf(node), awsManagedPolicies: [], hasUnreadablePolicies: false };
  }
  return undefined;
}

/** What a permission set's roles are granted; undefined for anything else. */
export function permissionSetGrantView(node: CfnResource): GrantView | undefined {
  return node instanceof sso.CfnPermissionSet ? appIndex(node).permissionSetView(node) : undefined;
}

/** The statements an IAM resource holds itself, for the per-statement rules; boundary-only policies hold none that grant. */
export function iamOwnStatements(node: CfnResource): Statement[] | undefined {
  if (!isIamIdentity(node) && !isIamPolicy(node)) {
    return undefined;
  }
  return appIndex(node).isBoundaryOnly(node) ? [] : statementsOf(node);
}

/**
 * Every Allow of the role's trust policy names only `Service` principals (and the document is
 * readable): nobody outside AWS's services can get its credentials with AssumeRole.
 */
function trustsOnlyServices(role: iam.CfnRole): boolean {
  const doc = Stack.of(role).resolve(role.assumeRolePolicyDocument) as { Statement?: unknown } | undefined;
  const statements = Array.isArray(doc?.Statement) ? doc!.Statement : doc?.Statement ? [doc.Statement] : [];
  const allows = (statements as Array<Record<string, unknown>>).filter((st) => st.Effect === 'Allow');
  return allows.length > 0 && allows.every((st) => {
    const principal = st.Principal;
    return st.NotPrincipal === undefined && typeof principal === 'object' && principal !== null
      && Object.keys(principal).length > 0 && Object.keys(principal).every((k) => k === 'Service');
  });
}

export function isIamIdentity(node: CfnResource): node is IamIdentity {
  return node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup;
}

export function isIamPolicy(node: CfnResource): node is IamPolicy {
  return node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy
    || node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy;
}

/** The name of an AWS managed policy from its ARN (`arn:<partition>:iam::aws:policy/<path>/<name>`). */
function awsManagedName(arn: string): string | undefined {
  return /:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

/** The name at the end of a customer managed policy ARN (`arn:aws:iam::<account>:policy/<path>/<name>`). */
function policyNameOfArn(arn: string): string | undefined {
  return /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

function namesIdentities(policy: CfnResource): boolean {
  if (policy instanceof iam.CfnManagedPolicy) {
    return [policy.roles, policy.users, policy.groups].some((list) => resolvedList(policy, list).length > 0);
  }
  return false;
}

function physicalName(r: CfnResource): string | undefined {
  let name: unknown;
  if (r instanceof iam.CfnRole) {
    name = r.roleName;
  } else if (r instanceof iam.CfnUser) {
    name = r.userName;
  } else if (r instanceof iam.CfnGroup) {
    name = r.groupName;
  } else if (r instanceof iam.CfnManagedPolicy) {
    name = r.managedPolicyName;
  }
  const resolved = name === undefined ? undefined : Stack.of(r).resolve(name);
  return typeof resolved === 'string' ? resolved : undefined;
}

function resolvedList(holder: CfnResource, value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  const resolved = Stack.of(holder).resolve(value);
  if (resolved === undefined || resolved === null) {
    return [];
  }
  return Array.isArray(resolved) ? resolved : [resolved];
}

function referencedLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') {
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.Ref === 'string') {
    return obj.Ref;
  }
  const getAtt = obj['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  return undefined;
}

/** The statements of a permission set's inline policy; undefined for anything else. */
export function permissionSetOwnStatements(node: CfnResource): Statement[] | undefined {
  return node instanceof sso.CfnPermissionSet ? statementsOf(node) : undefined;
}
