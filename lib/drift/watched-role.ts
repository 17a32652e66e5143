import { DriftBaseline, PermissionSetBaseline, RoleBaseline } from './baseline';
import { ConfigurationItem, roleConfiguration, roleNameOf } from './configuration-item';
import { classifyPermissionSetRole, ssoRoleNamePattern } from '../models/permission-set-role';

/** Which watched identity a role item is, if any. */
export interface Watched {
  /** The invoke role whose baseline applies. */
  readonly role?: RoleBaseline;
  /**
   * The role carries the invoke role's account and name but another id: deleted and created again,
   * by hand or by a script, so its trust, policies and boundary are checked like the deployed role's.
   */
  readonly recreatedFrom?: string;
  /** The permission set whose role this is: its name and the reserved path both match. */
  readonly permissionSet?: PermissionSetBaseline;
  /** Named like a watched set's role but outside the path IAM reserves for Identity Center. */
  readonly lookAlike?: { readonly set: string; readonly path: string };
  /** Named like a watched set's role, but the item has no ARN to tell the path by. */
  readonly unprovable?: string;
}

/** The parts of a role ARN, `arn:<partition>:iam::<account>:role<path><name>`. */
export function roleArnParts(arn: string | undefined): { account: string; path: string; name: string } | undefined {
  const m = /^arn:[\w-]+:iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/.exec(arn ?? '');
  return m ? { account: m[1], path: m[2], name: m[3] } : undefined;
}

/** The role's ARN, from its configuration or the item. */
export function roleArnOf(item: ConfigurationItem): string | undefined {
  const top = item as { ARN?: string; arn?: string };
  return roleConfiguration(item)?.arn ?? top.ARN ?? top.arn;
}

/**
 * Which watched identity an item is. An invoke role by its id, or else by its account and name (IAM
 * names are unique in an account, whatever the path, and ignore case), so a role deleted and created
 * again under the same name is still judged. A permission-set role by `classifyPermissionSetRole`:
 * the reserved path and the exact name together, never the name alone.
 */
export function watchedBy(item: ConfigurationItem, baseline: DriftBaseline): Watched {
  const id = item.resourceId ?? roleConfiguration(item)?.roleId;
  const byId = baseline.roles.find((r) => r.id === id);
  if (byId) {
    return { role: byId };
  }
  const arn = roleArnOf(item);
  const parts = roleArnParts(arn);
  const name = parts?.name ?? roleNameOf(item);
  const byName = name === undefined ? undefined : baseline.roles.find((r) => {
    const watched = roleArnParts(r.arn);
    return watched !== undefined && watched.name.toLowerCase() === name.toLowerCase() && (parts === undefined || parts.account === watched.account);
  });
  if (byName) {
    return { role: byName, recreatedFrom: byName.id };
  }
  const names = baseline.sets.map((s) => s.name);
  const verdict = classifyPermissionSetRole(arn, names);
  if (verdict.kind === 'permission-set-role') {
    return { permissionSet: baseline.sets.find((s) => s.name === verdict.permissionSetName) };
  }
  if (verdict.kind === 'look-alike') {
    return { lookAlike: { set: verdict.permissionSetName, path: verdict.path } };
  }
  const named = name === undefined ? undefined : names.find((n) => new RegExp(ssoRoleNamePattern(n)).test(name));
  return named !== undefined && parts === undefined ? { unprovable: named } : {};
}
