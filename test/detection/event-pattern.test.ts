import { Template } from 'aws-cdk-lib/assertions';
import { detectionStack } from './detection-fixture';
import { CloudTrailApiCallEvent, matchIdentity } from '../../lib/detection/alert-message';
import { identityMatchers, nonBedrockCallPattern, resolveWatchScope } from '../../lib/detection/event-pattern';
import { matches } from '../support/event-pattern-matcher';
import {
  BEDROCK_CALLS, BEDROCK_MISUSE, call, consoleSignIn, iamUser, invokeRoleSession, otherRoleSession, RECONNAISSANCE,
  rivalSsoSession, rootUser, ssoSession, INVOKE_ROLE, PERMISSION_SET,
} from './fixtures/cloudtrail-events';

const { stack } = detectionStack();
const template = Template.fromStack(stack);
// The rules that watch the identities (the heartbeat's rule watches the alert function's own call).
const rules = Object.fromEntries(Object.entries(template.findResources('AWS::Events::Rule', { Properties: { State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' } }))
  .filter(([, r]) => r.Properties.EventPattern.detail?.userIdentity?.sessionContext?.sessionIssuer?.userName !== undefined));
const pattern = Object.values(rules)[0].Properties.EventPattern as Record<string, unknown>;
const matchers = identityMatchers(resolveWatchScope({ roleNames: [INVOKE_ROLE], permissionSetNames: [PERMISSION_SET] }));

/** The whole alert path: the deployed pattern, then the handler's exact identity check. */
const alerts = (event: Record<string, unknown>) => matches(pattern, event) && matchIdentity(event as CloudTrailApiCallEvent, matchers) !== undefined;

describe('the deployed pattern and the alert path', () => {
  test('both watching rules use the same pattern', () => {
    expect(Object.keys(rules)).toHaveLength(2);
    const [a, b] = Object.values(rules).map((r) => JSON.stringify(r.Properties.EventPattern));
    expect(a).toBe(b);
  });

  test.each(RECONNAISSANCE.map((c) => [`${c.eventSource}:${c.eventName}${c.errorCode ? ' (denied)' : ''}`, c]))('the invoke role calling %s alerts', (_n, c) => {
    expect(alerts(call(c, invokeRoleSession()))).toBe(true);
  });

  test.each(RECONNAISSANCE.map((c) => [`${c.eventSource}:${c.eventName}`, c]))('a permission-set role calling %s alerts', (_n, c) => {
    expect(alerts(call(c, ssoSession()))).toBe(true);
  });

  test.each(BEDROCK_CALLS.map((c) => [`${c.eventSource}:${c.eventName}`, c]))('%s by the watched sessions does not', (_n, c) => {
    expect(matches(pattern, call(c, invokeRoleSession()))).toBe(false);
    expect(matches(pattern, call(c, ssoSession()))).toBe(false);
  });

  test('calls by another role, an IAM user or the root user do not', () => {
    for (const identity of [otherRoleSession(), iamUser(), rootUser()]) {
      for (const c of RECONNAISSANCE) {
        expect(matches(pattern, call(c, identity))).toBe(false);
      }
    }
  });

  test('a permission set whose name starts the same passes the prefix, and the alert path drops it', () => {
    const rival = call(RECONNAISSANCE[0], rivalSsoSession());
    expect(matches(pattern, rival)).toBe(true); // EventBridge cannot express the 16-hex suffix
    expect(alerts(rival)).toBe(false);
  });

  test('identity is the session issuer\'s role name, whatever the role\'s path', () => {
    const event = call(RECONNAISSANCE[1], ssoSession());
    expect(JSON.stringify(pattern)).not.toMatch(/arn:aws/);
    expect(event.detail.userIdentity.sessionContext.sessionIssuer.arn).toMatch(/aws-reserved\/sso.amazonaws.com\/us-east-1\//);
    expect(alerts(event)).toBe(true);
  });
});

describe('blind spots closed', () => {
  test.each(BEDROCK_MISUSE.map((c) => [`${c.eventSource}:${c.eventName}`, c]))('a denied %s outside what the identity may do alerts', (_n, c) => {
    expect(alerts(call(c, invokeRoleSession()))).toBe(true);
    expect(alerts(call(c, ssoSession()))).toBe(true);
  });

  test.each(['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail'])('a console sign-in by a watched role alerts (%s)', (detailType) => {
    expect(alerts(consoleSignIn(invokeRoleSession(), detailType))).toBe(true);
    expect(alerts(consoleSignIn(ssoSession(), detailType))).toBe(true);
  });

  test('a console sign-in by anyone else does not', () => {
    expect(matches(pattern, consoleSignIn(otherRoleSession()))).toBe(false);
    expect(matches(pattern, consoleSignIn(iamUser()))).toBe(false);
  });

  test('a Marketplace call the identity is not allowed alerts; the subscription reads Bedrock makes for it do not', () => {
    expect(alerts(call({ eventSource: 'aws-marketplace.amazonaws.com', eventName: 'Unsubscribe' }, invokeRoleSession()))).toBe(true);
    expect(alerts(call({ eventSource: 'aws-marketplace.amazonaws.com', eventName: 'Subscribe' }, invokeRoleSession()))).toBe(false);
  });
});

describe('allow-lists', () => {
  const scope = (extra: object) => nonBedrockCallPattern(resolveWatchScope({ roleNames: [INVOKE_ROLE], ...extra }));

  test('an allowed event source is not an alert; others still are', () => {
    const p = scope({ allowedEventSources: ['sts.amazonaws.com'] });
    expect(matches(p, call(RECONNAISSANCE[0], invokeRoleSession()))).toBe(false);
    expect(matches(p, call(RECONNAISSANCE[1], invokeRoleSession()))).toBe(true);
  });

  test('an allowed event name is not an alert; others still are', () => {
    const p = scope({ allowedEventNames: ['DescribeInstances'] });
    expect(matches(p, call(RECONNAISSANCE[2], invokeRoleSession()))).toBe(false);
    expect(matches(p, call(RECONNAISSANCE[3], invokeRoleSession()))).toBe(true);
  });

  test('empty by default: no eventName condition beside Bedrock\'s and Marketplace\'s own', () => {
    expect(Object.keys(scope({}).detail as object)).not.toContain('eventName');
  });
});

describe('bad watch input', () => {
  test.each<[string, object, RegExp]>([
    ['nothing watched', {}, /detection watches nothing/],
    ['a role ARN instead of a name', { roleNames: ['arn:aws:iam::111122223333:role/X'] }, /is not an IAM role name: use the name without path or ARN/],
    ['a permission set name too long', { permissionSetNames: ['x'.repeat(33)] }, /is not a permission set name/],
    ['an event source without its domain', { roleNames: ['R'], allowedEventSources: ['sts'] }, /'sts' is not a CloudTrail event source such as 'sts.amazonaws.com'/],
    ['an event name with a service prefix', { roleNames: ['R'], allowedEventNames: ['sts:GetCallerIdentity'] }, /no service prefix/],
  ])('%s', (_n, props, message) => {
    expect(() => resolveWatchScope(props)).toThrow(message);
  });
});
