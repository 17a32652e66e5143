import type { LiteralAccountEntry } from './policy-template';

/**
 * What a watched role may hold, as the drift handler reads it from its environment. Plain data with
 * short keys: it must fit Lambda's 4 KB of environment variables, and it never names a construct.
 */
export interface DriftBaseline {
  /** Format version, so an old handler refuses a baseline it cannot read. */
  readonly v: number;
  /** The invoke roles, matched by role id, or by account and name once deleted and created again. */
  readonly roles: RoleBaseline[];
  /** The permission sets, whose roles are matched by exact name. */
  readonly sets: PermissionSetBaseline[];
  /** Whether the handler reverts drift on the invoke roles. */
  readonly revert: boolean;
}

/** One `BedrockInvokeRole`. */
export interface RoleBaseline {
  /** The role id (`AROA...`), which Config reports as the resource id. */
  readonly id: string;
  /** The role's ARN, for the annotation and the revert calls. */
  readonly arn: string;
  /** Who the trust policy lets in, and what each must show. */
  readonly trust: TrustEntry[];
  /** The longest session, in seconds. */
  readonly maxSession: number;
  /**
   * The role's managed policies, in the order it attaches them, then its boundary, each with every
   * statement its default version must hold. Each ARN is written once: the 4 KB are tight.
   */
  readonly policies: PolicyBaseline[];
  /**
   * Every statement of the trust policy, when it names no value known only at deploy (a principal
   * created in the same stack); otherwise only the widening checks of `trust` apply.
   */
  readonly trustStatements?: string[];
  /** How trust statements that name an account literally read when the role is in that account. */
  readonly trustLiteral?: LiteralAccountEntry[];
}

/**
 * One customer-managed policy: its ARN and its statements, each `<Sid>=<digest>/<part digests>` with
 * the placeholder where the template had `AWS::AccountId` (see policy-template.ts).
 */
export interface PolicyBaseline {
  readonly arn: string;
  /** `i` an invoke policy, `g` the deny guard, `b` the permissions boundary, `s` a spend stop AWS Budgets may attach. */
  readonly kind: 'i' | 'g' | 'b' | 's';
  readonly statements: string[];
  /** How statements that name an account literally (a guardrail, an application profile) read when the role is in that account. */
  readonly literal?: LiteralAccountEntry[];
}

/** Every managed policy the role should have attached: the invoke policies and the guard. */
export function managedArns(role: RoleBaseline): string[] {
  return role.policies.filter((p) => p.kind === 'i' || p.kind === 'g').map((p) => p.arn);
}

/** The spend-stop policies AWS Budgets may attach at the spend limit: neither missing nor extra. */
export function spendStopArns(role: RoleBaseline): string[] {
  return role.policies.filter((p) => p.kind === 's').map((p) => p.arn);
}

/** The deny guard's ARN. */
export function guardArn(role: RoleBaseline): string {
  return role.policies.find((p) => p.kind === 'g')?.arn ?? '';
}

/** The permissions boundary's ARN. */
export function boundaryArn(role: RoleBaseline): string {
  return role.policies.find((p) => p.kind === 'b')?.arn ?? '';
}

/** One `BedrockPermissionSet`. */
export interface PermissionSetBaseline {
  /** The permission set's name; its roles are told apart by `classifyPermissionSetRole` (reserved path and exact name). */
  readonly name: string;
  /** Every statement of the set's inline policy, allows and guard, each `<Sid>=<digest>/<part digests>`. */
  readonly statements: string[];
  /** The permission set's ARN, for the scheduled comparison with what Identity Center holds. */
  readonly arn?: string;
  /** The Identity Center instance's ARN. */
  readonly instance?: string;
  /** The longest sign-in the set allows, in seconds. */
  readonly session?: number;
  /**
   * The boundary the set puts on its roles: an AWS-managed policy ARN, or a customer-managed
   * policy's path and name (`/path/Name`), whose account differs in each account the set reaches.
   */
  readonly boundary?: string;
}

/** A principal the trust policy may name, the actions it may be allowed, and the conditions it must carry. */
export interface TrustEntry {
  /** `<type>:<value>`, such as `AWS:arn:aws:iam::111122223333:root`. */
  readonly principal?: string;
  /** A regular expression over `<type>:<value>`, for principals whose name varies per account. */
  readonly principalPattern?: string;
  /** Lower-case actions. */
  readonly actions: string[];
  readonly conditions: RequiredCondition[];
}

/** A condition every trust statement for the principal must carry, with exactly these values. */
export interface RequiredCondition {
  readonly op: string;
  readonly key: string;
  readonly values?: string[];
  /** A regular expression every value must match, when the exact value varies. */
  readonly valuePattern?: string;
}

export const BASELINE_VERSION = 3;

/** The environment variable the baseline travels in. */
export const BASELINE_ENV = 'DRIFT_BASELINE';

/** The environment variable that names the alert topic, for what Config's compliance changes cannot say (a deleted role, a set changed in Identity Center). */
export const ALERT_TOPIC_ENV = 'DRIFT_ALERT_TOPIC';

/** The inline policy IAM Identity Center puts on each permission-set role. */
export const SSO_INLINE_POLICY = 'AwsSSOInlinePolicy';

/**
 * The trust IAM Identity Center gives every permission-set role: the account's SAML provider
 * `AWSSSO_<hex>_DO_NOT_DELETE`, `sts:AssumeRoleWithSAML` and `sts:TagSession`, and the sign-in
 * audience `SAML:aud` (regional sign-in endpoints allowed, as the audience may name one).
 */
export const SSO_TRUST: TrustEntry = {
  principalPattern: '^Federated:arn:aws[\\w-]*:iam::\\d{12}:saml-provider/AWSSSO_[0-9a-fA-F]+_DO_NOT_DELETE$',
  actions: ['sts:assumerolewithsaml', 'sts:tagsession'],
  conditions: [{ op: 'StringEquals', key: 'SAML:aud', valuePattern: '^https://([a-z0-9-]+\\.)?signin\\.(aws\\.amazon\\.com|amazonaws-us-gov\\.com|amazonaws\\.cn)/saml$' }],
};
