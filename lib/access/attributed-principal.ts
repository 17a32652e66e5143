import * as iam from 'aws-cdk-lib/aws-iam';

/** What a session must carry to be let in; the role's trust policy demands it of every AWS or federated principal. */
export interface AttributionRequirement {
  readonly sessionTagKeys: string[];
  readonly sourceIdentityPattern?: string;
  readonly externalId?: string;
}

/**
 * A principal whose trust statement also allows, and requires, session tags and a source identity,
 * so each session names the person behind it in CloudTrail.
 */
export class AttributedPrincipal extends iam.PrincipalBase implements iam.IAssumeRolePrincipal {
  public readonly assumeRoleAction: string;

  constructor(private readonly inner: iam.IPrincipal, private readonly requirement: AttributionRequirement) {
    super();
    this.assumeRoleAction = inner.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    const fragment = this.inner.policyFragment;
    const inherited = fragment.conditions as Record<string, Record<string, unknown>>;
    return new iam.PrincipalPolicyFragment(fragment.principalJson, mergeConditions(inherited, this.ownConditions()));
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    // The inner principal brings its own conditions (an OIDC audience and subject, say); ours are added to them.
    document.addStatements(new iam.PolicyStatement({
      actions: this.actions(),
      principals: [this.inner],
      conditions: this.ownConditions(),
    }));
  }

  public toString(): string {
    return `AttributedPrincipal(${this.inner})`;
  }

  public dedupeString(): string | undefined {
    return undefined;
  }

  /** True when the principal is an AWS service, which cannot tag its sessions or set a source identity. */
  public get isService(): boolean {
    return this.inner.policyFragment.principalJson.Service !== undefined;
  }

  private actions(): string[] {
    if (this.isService) {
      return [this.assumeRoleAction];
    }
    const actions = [this.assumeRoleAction];
    if (this.requirement.sessionTagKeys.length > 0) {
      actions.push('sts:TagSession');
    }
    if (this.requirement.sourceIdentityPattern !== undefined) {
      actions.push('sts:SetSourceIdentity');
    }
    return actions;
  }

  private ownConditions(): Record<string, Record<string, unknown>> {
    if (this.isService) {
      return {};
    }
    const like: Record<string, string> = {};
    for (const key of this.requirement.sessionTagKeys) {
      // '?*' demands a non-empty value; a missing tag fails StringLike.
      like[`aws:RequestTag/${key}`] = '?*';
    }
    if (this.requirement.sourceIdentityPattern !== undefined) {
      like['sts:SourceIdentity'] = this.requirement.sourceIdentityPattern;
    }
    const conditions: Record<string, Record<string, unknown>> = {};
    if (Object.keys(like).length > 0) {
      conditions.StringLike = like;
    }
    if (this.requirement.externalId !== undefined && this.inner.policyFragment.principalJson.AWS !== undefined) {
      conditions.StringEquals = { 'sts:ExternalId': this.requirement.externalId };
    }
    return conditions;
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
