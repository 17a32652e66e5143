import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SourceIdentityTrust } from './alert-message';

/**
 * Reads a role's trust policy: whether the source identity its sessions carry is bound to the caller
 * (`sts:SourceIdentity` equal to `${aws:username}` on every statement that lets one be set), bound
 * for some callers only, or declared by the caller. Undefined when no statement lets one be set.
 */
export function sourceIdentityTrust(stack: Stack, trust: iam.PolicyDocument): SourceIdentityTrust | undefined {
  const statements: any[] = [stack.resolve(trust.toJSON())?.Statement ?? []].flat();
  const setting = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('sts:SetSourceIdentity'));
  if (setting.length === 0) {
    return undefined;
  }
  const bound = setting.filter((s) => s.Condition?.StringEquals?.['sts:SourceIdentity'] === '${aws:username}');
  return bound.length === setting.length ? 'bound' : bound.length > 0 ? 'mixed' : 'self-declared';
}

/** Each watched role's trust, by role name, for the alerts of detection and of the usage guard. */
export function sourceIdentityTrustByRole(stack: Stack,
  roles: ReadonlyArray<{ readonly roleName: string; readonly assumeRolePolicy?: iam.PolicyDocument }>): Record<string, SourceIdentityTrust> {
  return Object.fromEntries(roles.flatMap((r) => {
    const t = r.assumeRolePolicy ? sourceIdentityTrust(stack, r.assumeRolePolicy) : undefined;
    return t && !Token.isUnresolved(r.roleName) ? [[r.roleName, t]] : [];
  }));
}
