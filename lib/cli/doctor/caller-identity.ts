/** What STS GetCallerIdentity says about the credentials. */
export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

/** The kind of principal behind an STS caller ARN. */
export type Principal =
  | { readonly kind: 'root'; readonly partition: string; readonly account: string }
  | { readonly kind: 'user'; readonly partition: string; readonly account: string; readonly name: string; readonly arn: string }
  | { readonly kind: 'role'; readonly partition: string; readonly account: string; readonly roleName: string; readonly session: string }
  | { readonly kind: 'federated-user'; readonly partition: string; readonly account: string; readonly name: string }
  | { readonly kind: 'other'; readonly arn: string };

const CALLER_ARN = /^arn:([a-z-]+):(iam|sts)::(\d{12}):(.+)$/;

// IAM Identity Center names the roles it creates AWSReservedSSO_<permission set>_<16 hex digits>.
const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;

/** Reads the principal out of a caller ARN such as `arn:aws:sts::111122223333:assumed-role/Dev/alice`. */
export function principalOf(arn: string): Principal {
  const m = CALLER_ARN.exec(arn);
  if (!m) {
    return { kind: 'other', arn };
  }
  const [, partition, service, account, rest] = m;
  if (service === 'iam' && rest === 'root') {
    return { kind: 'root', partition, account };
  }
  if (service === 'iam' && rest.startsWith('user/')) {
    return { kind: 'user', partition, account, name: rest.split('/').pop()!, arn };
  }
  if (service === 'sts' && rest.startsWith('assumed-role/')) {
    const [, roleName, ...session] = rest.split('/');
    return { kind: 'role', partition, account, roleName, session: session.join('/') };
  }
  if (service === 'sts' && rest.startsWith('federated-user/')) {
    return { kind: 'federated-user', partition, account, name: rest.slice('federated-user/'.length) };
  }
  return { kind: 'other', arn };
}

/** The permission set behind an IAM Identity Center role name, or undefined for any other role. */
export function permissionSetOf(roleName: string): string | undefined {
  return SSO_ROLE.exec(roleName)?.[1];
}

/** The principal in plain words: who Claude Code will act as. */
export function describePrincipal(identity: CallerIdentity): string {
  const p = principalOf(identity.arn);
  switch (p.kind) {
    case 'root':
      return `the root user of account ${p.account}`;
    case 'user':
      return `IAM user '${p.name}' in account ${p.account}`;
    case 'role': {
      const set = permissionSetOf(p.roleName);
      return set
        ? `'${p.session}' signed in through IAM Identity Center with permission set '${set}' in account ${p.account}`
        : `role '${p.roleName}' (session '${p.session}') in account ${p.account}`;
    }
    case 'federated-user':
      return `federated user '${p.name}' in account ${p.account}`;
    default:
      return `${identity.arn} in account ${identity.account}`;
  }
}

/**
 * The IAM ARN that SimulatePrincipalPolicy accepts for this caller, or why it cannot be known.
 *
 * An assumed-role ARN drops the role's path, and SimulatePrincipalPolicy needs the role ARN with it.
 * `rolePath` is the path iam:GetRole returned, when the caller may call it.
 */
export function simulationArn(identity: CallerIdentity, rolePath?: string): { arn: string; assumption?: string } | { unknown: string } {
  const p = principalOf(identity.arn);
  switch (p.kind) {
    case 'user':
      return { arn: p.arn };
    case 'role': {
      if (rolePath !== undefined) {
        return { arn: `arn:${p.partition}:iam::${p.account}:role${rolePath}${p.roleName}` };
      }
      if (permissionSetOf(p.roleName)) {
        // The path is aws-reserved/sso.amazonaws.com/, with the Identity Center Region after it or not.
        return {
          unknown: 'the role\'s path (aws-reserved/sso.amazonaws.com/, with or without a Region) can only be read with iam:GetRole, '
            + 'which this identity may not call',
        };
      }
      return { arn: `arn:${p.partition}:iam::${p.account}:role/${p.roleName}`, assumption: 'assumed the role has no path (iam:GetRole was refused)' };
    }
    case 'root':
      return { unknown: 'the root user cannot be simulated: it may do everything an SCP does not deny' };
    case 'federated-user':
      return { unknown: 'the permissions of a federated user come from the policy passed when it was created, which IAM cannot simulate' };
    default:
      return { unknown: `'${identity.arn}' is not an IAM user or role` };
  }
}
