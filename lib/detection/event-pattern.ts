import { Token } from 'aws-cdk-lib';
import {
  ALLOWED_BEDROCK_EVENT_NAMES, ALLOWED_MARKETPLACE_EVENT_NAMES, AWS_SOURCE_PREFIX,
  BEDROCK_EVENT_SOURCE, BILLED_BEDROCK_EVENT_NAMES, API_CALL_DETAIL_TYPE, CLOUDTRAIL_DETAIL_TYPES, MARKETPLACE_EVENT_SOURCE,
} from './cloudtrail-event-types';
import { WatchScopeProps } from './watch-scope';
import { ssoRoleNamePattern, ssoRolePrefix } from '../models/permission-set-role';

/** EventBridge's hard limit for an event pattern; the default account quota is lower (see DEFAULT_PATTERN_QUOTA). */
export const MAX_PATTERN_LENGTH = 4096;
/** The default 'Event pattern size' quota, adjustable up to 4,096. */
export const DEFAULT_PATTERN_QUOTA = 2048;
// An unresolved role name becomes a real one at deploy time: IAM allows 64 characters.
const ROLE_NAME_WORST_CASE = 'x'.repeat(64);

/** The identities and allow-lists, resolved to names. */
export interface ResolvedWatchScope {
  readonly roleNames: string[];
  readonly permissionSetNames: string[];
  readonly allowedEventSources: string[];
  readonly allowedEventNames: string[];
}

/** What the alert handler needs to tell watched sessions from others, exactly. */
export interface IdentityMatchers {
  readonly roleNames: string[];
  readonly permissionSets: Array<{ readonly name: string; readonly pattern: string }>;
}

export function resolveWatchScope(props: WatchScopeProps): ResolvedWatchScope {
  const roleNames = [...(props.roles ?? []).map((r) => r.roleName), ...(props.roleNames ?? [])];
  const permissionSetNames = [...(props.permissionSets ?? []).map((p) => p.permissionSetName), ...(props.permissionSetNames ?? [])];
  if (roleNames.length === 0 && permissionSetNames.length === 0) {
    throw new Error('detection watches nothing: pass roles or permissionSets (or roleNames / permissionSetNames), or no event will ever match');
  }
  for (const name of props.roleNames ?? []) {
    if (!Token.isUnresolved(name) && !/^[\w+=,.@-]{1,64}$/.test(name)) {
      throw new Error(`roleNames: '${name}' is not an IAM role name: use the name without path or ARN, 1 to 64 of letters, digits and _+=,.@-`);
    }
  }
  for (const name of props.permissionSetNames ?? []) {
    if (!/^[\w+=,.@-]{1,32}$/.test(name)) {
      throw new Error(`permissionSetNames: '${name}' is not a permission set name: use 1 to 32 of letters, digits and _+=,.@-`);
    }
  }
  for (const source of props.allowedEventSources ?? []) {
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(source)) {
      throw new Error(`allowedEventSources: '${source}' is not a CloudTrail event source such as 'sts.amazonaws.com'`);
    }
  }
  for (const name of props.allowedEventNames ?? []) {
    if (!/^[A-Za-z0-9]+$/.test(name)) {
      throw new Error(`allowedEventNames: '${name}' is not a CloudTrail event name such as 'GetCallerIdentity' (no service prefix)`);
    }
  }
  return {
    roleNames: dedupe(roleNames),
    permissionSetNames: dedupe(permissionSetNames),
    allowedEventSources: dedupe(props.allowedEventSources ?? []),
    allowedEventNames: dedupe(props.allowedEventNames ?? []),
  };
}

/**
 * The pattern: any CloudTrail API call or console sign-in by a watched session, except the Bedrock
 * (and Marketplace) event names the identity may be allowed. Identity is the session issuer's role
 * name (never an ARN, whose path varies); permission-set roles match by prefix, which the alert
 * handler narrows to the exact set.
 */
export function nonBedrockCallPattern(scope: ResolvedWatchScope): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    $or: [
      // Every other service, the sign-in service included.
      { eventSource: [{ 'anything-but': [BEDROCK_EVENT_SOURCE, MARKETPLACE_EVENT_SOURCE, ...scope.allowedEventSources] }] },
      // Bedrock itself, but for the calls the identity may make.
      { eventSource: [BEDROCK_EVENT_SOURCE], eventName: [{ 'anything-but': ALLOWED_BEDROCK_EVENT_NAMES }] },
      { eventSource: [MARKETPLACE_EVENT_SOURCE], eventName: [{ 'anything-but': ALLOWED_MARKETPLACE_EVENT_NAMES }] },
    ],
    userIdentity: watchedIssuers(scope),
  };
  if (scope.allowedEventNames.length > 0) {
    detail.eventName = [{ 'anything-but': scope.allowedEventNames }];
  }
  // A forged event cannot carry an `aws.` source: requiring it keeps custom events off the alert path.
  return { 'source': [{ prefix: AWS_SOURCE_PREFIX }], 'detail-type': CLOUDTRAIL_DETAIL_TYPES, 'detail': detail };
}

/**
 * The pattern of the usage guard: the billed model calls of the watched sessions, allowed or denied.
 * Only Bedrock puts `aws.bedrock`, so nobody can make the guard count a call that was not made.
 */
export function billedCallPattern(scope: ResolvedWatchScope): Record<string, unknown> {
  return {
    'source': ['aws.bedrock'],
    'detail-type': [API_CALL_DETAIL_TYPE],
    'detail': {
      eventSource: [BEDROCK_EVENT_SOURCE],
      eventName: BILLED_BEDROCK_EVENT_NAMES,
      userIdentity: watchedIssuers(scope),
    },
  };
}

function watchedIssuers(scope: ResolvedWatchScope): Record<string, unknown> {
  return {
    sessionContext: {
      sessionIssuer: {
        userName: [...scope.roleNames, ...scope.permissionSetNames.map((n) => ({ prefix: ssoRolePrefix(n) }))],
      },
    },
  };
}

/** The pattern's length as EventBridge counts it, with unresolved role names at their longest. */
export function patternLength(scope: ResolvedWatchScope): number {
  const worst = { ...scope, roleNames: scope.roleNames.map((n) => (Token.isUnresolved(n) ? ROLE_NAME_WORST_CASE : n)) };
  return JSON.stringify(nonBedrockCallPattern(worst)).length;
}

/** Throws when the pattern cannot fit EventBridge; returns a warning when it needs a raised quota. */
export function checkPatternLength(scope: ResolvedWatchScope): string | undefined {
  const length = patternLength(scope);
  if (length > MAX_PATTERN_LENGTH) {
    throw new Error(`the detection event pattern is ${length} characters, over EventBridge's ${MAX_PATTERN_LENGTH}: watch fewer roles or allow-list entries per detection, or split them over two`);
  }
  if (length > DEFAULT_PATTERN_QUOTA) {
    return `the detection event pattern is ${length} characters, over EventBridge's default quota of ${DEFAULT_PATTERN_QUOTA}: raise 'Event pattern size' in Service Quotas in every account and Region before deploying`;
  }
  return undefined;
}

export function identityMatchers(scope: ResolvedWatchScope): IdentityMatchers {
  return {
    roleNames: scope.roleNames,
    permissionSets: scope.permissionSetNames.map((name) => ({ name, pattern: ssoRoleNamePattern(name) })),
  };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** The props of `WatchScopeProps`, for naming the one a message is about. */
export const WATCH_PROPS = ['roles', 'permissionSets', 'roleNames', 'permissionSetNames', 'allowedEventSources', 'allowedEventNames'] as const;
