import type { AlertDetail } from './alert-message';

/**
 * The FIFO message group of a containment request: one per role or permission set, so containments of
 * the same one run one after the other (SQS FIFO delivers a group's messages in order, one batch at a time).
 */
export function containmentGroup(alert: AlertDetail): string {
  return `${alert.identityKind}:${alert.identityKind === 'permission-set' ? alert.identityName : alert.roleName}`.slice(0, 128);
}
