import * as iam from 'aws-cdk-lib/aws-iam';

/** What a session must carry to be let in; the role's trust policy demands it of every AWS or federated principal. */
export interface AttributionRequirement {
  readonly sessionTagKeys: string[];
  readonly sourceIdentityPattern?: string;
  readonly externalId?: string;
}

/**
 * How the name a session carries is tied to the caller:
 * - `bound`: IAM checks it (an IAM user's source identity must be its own user name);
 * - `self-declared`: the caller chooses it (role sessions and account principals);
 * - `identity-provider`: the provider sets it (a SAML attribute) or names the subject (an OIDC token's `sub`);
 * - `none`: an AWS service, which carries no person.
 */
export type Attribution = 'bound' | 'self-declared' | 'identity-provider' | 'none';

type PrincipalKind = 'service' | 'web-identity' | 'saml' | 'iam-user' | 'iam-role' | 'aws';

// IAM substitutes the caller's own user name here (IAM User Guide, "Monitor and control actions taken
// with assumed roles": an IAM user's SetSourceIdentity conditioned on sts:SourceIdentity = ${aws:username}).
const OWN_USER_NAME = '${aws:username}';

/**
 * A principal whose trust statements also allow, and require, session tags and a source identity,
 * so each session names the person behind it in CloudTrail, bound to the caller where IAM can bind it.
 */
export class AttributedPrincipal extends iam.PrincipalBase implements iam.IAssumeRolePrincipal {
  public readonly assumeRoleAction: string;

  constructor(private readonly inner: iam.IPrincipal, private readonly requirement: AttributionRequirement) {
    super();
    this.assumeRoleAction = inner.assumeRoleAction;
    if (this.kind === 'web-identity') {
      checkOidcConditions(inner.policyFragment);
    }
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    const fragment = this.inner.policyFragment;
    const inherited = fragment.conditions as Record<string, Record<string, unknown>>;
    const [first] = this.statementConditions();
    return new iam.PrincipalPolicyFragment(fragment.principalJson, mergeConditions(inherited, first));
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    // The inner principal brings its own conditions (an OIDC audience and subject, say); ours are added to them.
    for (const conditions of this.statementConditions()) {
      document.addStatements(new iam.PolicyStatement({ actions: this.actions(), principals: [this.inner], conditions }));
    }
  }

  public toString(): string {
    return `AttributedPrincipal(${this.inner})`;
  }

  public dedupeString(): string | undefined {
    return undefined;
  }

  /** True when the principal is an AWS service, which cannot tag its sessions or set a source identity. */
  public get isService(): boolean {
    return this.kind === 'service';
  }

  /** How the name its sessions carry is tied to the caller. */
  public get attribution(): Attribution {
    switch (this.kind) {
      case 'service':
        return 'none';
      case 'web-identity':
      case 'saml':
        return 'identity-provider';
      case 'iam-user':
        return this.requirement.sourceIdentityPattern !== undefined ? 'bound' : 'self-declared';
      default:
        return 'self-declared';
    }
  }

  private get kind(): PrincipalKind {
    if (this.inner.policyFragment.principalJson.Service !== undefined) {
      return 'service';
    }
    if (this.assumeRoleAction === 'sts:AssumeRoleWithWebIdentity') {
      return 'web-identity';
    }
    if (this.assumeRoleAction === 'sts:AssumeRoleWithSAML') {
      return 'saml';
    }
    const aws = this.inner.policyFragment.principalJson.AWS ?? [];
    const all = (type: string) => aws.length > 0 && aws.every((a) => typeof a === 'string' && new RegExp(`^arn:[a-z-]+:iam::\\d{12}:${type}/`).test(a));
    return all('user') ? 'iam-user' : all('role') ? 'iam-role' : 'aws';
  }

  /** Whether sessions must carry a source identity: never for an OIDC token, which has no way to set one. */
  private get demandsSourceIdentity(): boolean {
    return this.requirement.sourceIdentityPattern !== undefined && this.kind !== 'web-identity';
  }

  private actions(): string[] {
    if (this.kind === 'service') {
      return [this.assumeRoleAction];
    }
    const actions = [this.assumeRoleAction];
    if (this.requirement.sessionTagKeys.length > 0) {
      actions.push('sts:TagSession');
    }
    if (this.demandsSourceIdentity) {
      actions.push('sts:SetSourceIdentity');
    }
    return actions;
  }

  /** One condition block per trust statement: IAM users get theirs bound to their name; others declare it. */
  private statementConditions(): Array<Record<string, Record<string, unknown>>> {
    if (this.kind === 'service') {
      return [{}];
    }
    const tags: Record<string, string> = {};
    for (const key of this.requirement.sessionTagKeys) {
      // '?*' demands a non-empty value; a missing tag fails StringLike.
      tags[`aws:RequestTag/${key}`] = '?*';
    }
    const external: Record<string, string> = this.requirement.externalId !== undefined && this.inner.policyFragment.principalJson.AWS !== undefined
      ? { 'sts:ExternalId': this.requirement.externalId }
      : {};
    const pattern = this.requirement.sourceIdentityPattern;
    const block = (like: Record<string, string>, equals: Record<string, string>, notEquals: Record<string, string> = {}) => {
      const out: Record<string, Record<string, unknown>> = {};
      if (Object.keys(like).length > 0) out.StringLike = like;
      if (Object.keys(equals).length > 0) out.StringEquals = equals;
      if (Object.keys(notEquals).length > 0) out.StringNotEquals = notEquals;
      return out;
    };
    if (!this.demandsSourceIdentity || pattern === undefined) {
      return [block(tags, external)];
    }
    // A pattern other than '*' narrows the bound name too, such as '*@example.com'.
    const narrowed: Record<string, string> = pattern === '*' ? {} : { 'sts:SourceIdentity': pattern };
    const bound = { ...external, 'sts:SourceIdentity': OWN_USER_NAME };
    switch (this.kind) {
      case 'iam-user':
        return [block({ ...tags, ...narrowed }, bound)];
      case 'iam-role':
        // A role's sessions have no user name to compare with: they declare it.
        return [block({ ...tags, 'sts:SourceIdentity': pattern }, external)];
      case 'aws':
        // An account principal lets in IAM users, bound to their name, and role sessions, which
        // declare it (IAM has no name of theirs to compare with).
        return [
          block({ ...tags, ...narrowed }, { ...bound, 'aws:PrincipalType': 'User' }),
          block({ ...tags, 'sts:SourceIdentity': pattern }, external, { 'aws:PrincipalType': 'User' }),
        ];
      default:
        // SAML: the identity provider sets the source identity from an attribute of the signed assertion.
        return [block({ ...tags, 'sts:SourceIdentity': pattern }, external)];
    }
  }
}

/**
 * An OIDC trust must name the audience and the subject, or any token of the provider gets in (for
 * GitHub Actions: any repository in the world). GitHub's tokens carry `aud: sts.amazonaws.com` for
 * AWS and `sub: repo:<owner>/<repo>:...` (GitHub Docs, "Configuring OpenID Connect in Amazon Web Services").
 */
function checkOidcConditions(fragment: iam.PrincipalPolicyFragment): void {
  const provider = String(fragment.principalJson.Federated?.[0] ?? 'the OIDC provider');
  const conditions = fragment.conditions as Record<string, Record<string, unknown>>;
  const keys = Object.values(conditions).flatMap((c) => Object.entries(c));
  const valueOf = (suffix: string) => keys.filter(([k]) => k.endsWith(`:${suffix}`)).map(([, v]) => v);
  const audiences = valueOf('aud');
  const subjects = valueOf('sub');
  if (audiences.length === 0 || subjects.length === 0) {
    throw new Error(`the OIDC trust of ${provider} has no ${audiences.length === 0 ? 'audience (:aud)' : 'subject (:sub)'} condition, so any token it issues may assume the role: `
      + 'pass OpenIdConnectPrincipal(provider, { StringEquals: { \'<host>:aud\': \'sts.amazonaws.com\' }, StringLike: { \'<host>:sub\': \'repo:<owner>/<repo>:*\' } })');
  }
  if (subjects.flat().some((s) => s === '*')) {
    throw new Error(`the OIDC trust of ${provider} accepts any subject ('*'): name the repository or workload, such as 'repo:<owner>/<repo>:*'`);
  }
  if (provider.includes('token.actions.githubusercontent.com') && !audiences.flat().every((a) => a === 'sts.amazonaws.com')) {
    throw new Error(`the GitHub Actions trust expects audience ${JSON.stringify(audiences.flat())}, but GitHub's tokens for AWS carry 'sts.amazonaws.com': use that audience`);
  }
}

function mergeConditions(
  a: Record<string, Record<string, unknown>>,
  b: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const source of [a, b]) {
    for (const [op, keys] of Object.entries(source)) {
      out[op] = { ...(out[op] ?? {}), ...keys };
    }
  }
  return out;
}
