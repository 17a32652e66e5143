import { DOCUMENTED_DEFAULT_LIMITS } from './fixtures/default-limits';
import { modelCall, SONNET_PROFILE } from './fixtures/model-calls';
import { identityMatchers, resolveWatchScope } from '../../lib/detection/event-pattern';
import { grantFindings, modelIdOf, networkOf, ObservedCall, observeCall, sentAlerts, usageFindings, UsageState } from '../../lib/usage/usage-assessment';
import { INVOKE_ROLE, PERMISSION_SET, otherRoleSession, rivalSsoSession, roleSession, SSO_ROLE, ssoSession } from '../detection/fixtures/cloudtrail-events';

const matchers = identityMatchers(resolveWatchScope({ roleNames: [INVOKE_ROLE], permissionSetNames: [PERMISSION_SET] }));
const NOW = Date.parse('2026-11-20T10:00:00Z');
const observed = (e: Record<string, any>) => observeCall(e, matchers, NOW) as ObservedCall;
const limits = DOCUMENTED_DEFAULT_LIMITS;
const grant = { modelIds: [SONNET_PROFILE, 'anthropic.claude-sonnet-4-6'], regions: ['us-east-1', 'us-east-2'] };

describe('a CloudTrail model call, observed', () => {
  test('names the person (role and source identity), the model, the Region, the network and the 5-minute bucket', () => {
    expect(observed(modelCall({ at: '2026-11-20T09:14:07Z' }))).toMatchObject({
      principal: `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice@example.com`,
      sessionArn: `arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/alice@example.com`,
      issuerAccount: '111122223333',
      identity: { kind: 'role', roleName: INVOKE_ROLE },
      call: 'bedrock.amazonaws.com:InvokeModelWithResponseStream',
      model: SONNET_PROFILE,
      region: 'us-east-1',
      network: '198.51.100.0/24',
      bucket: '2026-11-20T09:10:00.000Z',
      principalKind: 'source-identity',
      roleKey: `role/arn:aws:iam::111122223333:role/${INVOKE_ROLE}`,
    });
  });

  test('counts the four billed calls, for watched identities only', () => {
    for (const eventName of ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream']) {
      expect('ignored' in observeCall(modelCall({ at: '2026-11-20T09:00:00Z', eventName }), matchers, NOW)).toBe(false);
    }
    expect(observeCall(modelCall({ at: '2026-11-20T09:00:00Z', eventName: 'CountTokens' }), matchers, NOW)).toEqual({ ignored: 'not a billed model call (CountTokens)' });
    expect('ignored' in observeCall(modelCall({ at: '2026-11-20T09:00:00Z', identity: otherRoleSession() }), matchers, NOW)).toBe(true);
    // A permission set whose name only starts like ours is someone else's.
    expect('ignored' in observeCall(modelCall({ at: '2026-11-20T09:00:00Z', identity: rivalSsoSession() }), matchers, NOW)).toBe(true);
    expect(observed(modelCall({ at: '2026-11-20T09:00:00Z', identity: ssoSession() })).identity).toEqual({ kind: 'permission-set', name: PERMISSION_SET, roleName: 'AWSReservedSSO_ClaudeCodeBedrock_635426549a280cc6' });
  });

  test('a person is the source identity when the session carries one: a new session name does not start a new count', () => {
    const a = observed(modelCall({ at: '2026-11-20T09:00:00Z', identity: roleSession(INVOKE_ROLE, 'alice', '/', 'alice.smith') }));
    const b = observed(modelCall({ at: '2026-11-20T09:00:00Z', identity: roleSession(INVOKE_ROLE, 'proxy-7', '/', 'alice.smith') }));
    expect(a.principal).toBe(`arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/source-identity/alice.smith`);
    expect(b.principal).toBe(a.principal);
    expect(b.sessionArn).toBe(`arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/proxy-7`);
    // Without a source identity, the session name is all there is.
    expect(observed(modelCall({ at: '2026-11-20T09:00:00Z', identity: roleSession(INVOKE_ROLE, 'bob') })).principal).toBe(`arn:aws:sts::111122223333:assumed-role/${INVOKE_ROLE}/bob`);
  });

  test('a role merely named like an Identity Center role, outside its reserved path, is not the permission set', () => {
    const lookalike = modelCall({ at: '2026-11-20T09:00:00Z', identity: roleSession(SSO_ROLE, 'bob@example.com', '/') });
    expect(observeCall(lookalike, matchers, NOW)).toEqual({ ignored: expect.stringMatching(/named like permission set ClaudeCodeBedrock's role but is not under \/aws-reserved\/sso.amazonaws.com\//) });
  });

  test('a call dated in the future counts in the handler\'s bucket, not in one nobody watches', () => {
    expect(observed(modelCall({ at: '2026-11-21T03:00:00Z' })).bucket).toBe('2026-11-20T10:00:00.000Z');
  });

  test.each([
    ['198.51.100.23', '198.51.100.0/24'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0::/48'],
    ['::1', '0:0:0::/48'],
    ['bedrock.amazonaws.com', undefined],
    ['AWS Internal', undefined],
    ['999.1.1.1', undefined],
    ['1:2:3', undefined],
    [undefined, undefined],
  ])('the network of %s is %s', (address, network) => {
    expect(networkOf(address)).toBe(network);
  });

  test('a model named by ARN is the id after its last slash', () => {
    expect(modelIdOf(`arn:aws:bedrock:us-east-1:111122223333:inference-profile/${SONNET_PROFILE}`)).toBe(SONNET_PROFILE);
    expect(modelIdOf('arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6')).toBe('a1b2c3d4e5f6');
    expect(modelIdOf(SONNET_PROFILE)).toBe(SONNET_PROFILE);
  });
});

describe('what is unusual', () => {
  const state = (calls: number, o: Partial<UsageState> = {}): UsageState =>
    ({ window: { calls, usd: calls * 0.1 }, totalCalls: calls, networkIsNew: false, identityWasKnown: true, ...o });
  const base = observed(modelCall({ at: '2026-11-20T09:14:07Z' }));
  const at = NOW;

  test('the granted model from a source Region is inside the grant, by id or by ARN', () => {
    expect(grantFindings(base, grant)).toEqual([]);
    expect(grantFindings(observed(modelCall({ at: '2026-11-20T09:14:07Z', model: `arn:aws:bedrock:us-east-1:111122223333:inference-profile/${SONNET_PROFILE}` })), grant)).toEqual([]);
  });

  test('another model, another Region, or a call IAM refused is outside it', () => {
    const kinds = (e: Record<string, any>) => grantFindings(observed(e), grant).map((f) => f.reason);
    expect(kinds(modelCall({ at: '2026-11-20T09:14:07Z', model: 'anthropic.claude-v2' }))).toEqual([expect.stringMatching(/model 'anthropic.claude-v2' is not one/)]);
    expect(kinds(modelCall({ at: '2026-11-20T09:14:07Z', region: 'eu-west-1' }))).toEqual([expect.stringMatching(/Region eu-west-1 is not a source Region/)]);
    expect(kinds(modelCall({ at: '2026-11-20T09:14:07Z', errorCode: 'AccessDeniedException' }))).toEqual([expect.stringMatching(/IAM refused the call \(AccessDeniedException\)/)]);
    // An identity whose grant the guard does not know is still told about refused calls.
    expect(grantFindings(observed(modelCall({ at: '2026-11-20T09:14:07Z', errorCode: 'AccessDeniedException' })), undefined)).toHaveLength(1);
  });

  test('the alarm fires once per 60 minutes past the threshold, and still fires if the crossing call\'s alert was lost', () => {
    const kinds = (n: number, o: Partial<UsageState> = {}) => usageFindings(base, [], state(n, o), limits, at).map((f) => f.kind);
    expect(kinds(1000)).toEqual([]);
    expect(kinds(1001)).toEqual(['rate-alarm']);
    expect(kinds(1002, { alarmedAt: at - 60_000 })).toEqual([]);
    // A retry or a duplicate moved the count past the crossing before the alert was remembered: it still goes.
    expect(kinds(1003)).toEqual(['rate-alarm']);
    // Still over 60 minutes after the last alarm: it is told again.
    expect(kinds(1003, { alarmedAt: at - 3_600_000 })).toEqual(['rate-alarm']);
  });

  test('dollars cross too: the alarm and the limit, whichever comes first', () => {
    const kinds = (calls: number, usd: number) => usageFindings(base, [], state(calls, { window: { calls, usd } }), limits, at).map((f) => f.kind);
    expect(kinds(10, 1000)).toEqual([]);
    expect(kinds(10, 1000.01)).toEqual(['rate-alarm']);
    expect(kinds(10, 2500.01)).toEqual(['rate-alarm', 'rate-limit']);
  });

  test('containment at the limit, then again every 100 calls, whatever the exact counts the retries produce', () => {
    const kinds = (n: number, o: Partial<UsageState> = {}) =>
      usageFindings(base, [], state(n, { alarmedAt: at, ...o }), limits, at).map((f) => f.kind);
    expect(kinds(3000)).toEqual([]);
    expect(kinds(3001)).toEqual(['rate-limit']);
    expect(kinds(3002, { containedAt: 3001 })).toEqual([]);
    expect(kinds(3100, { containedAt: 3001 })).toEqual([]);
    expect(kinds(3101, { containedAt: 3001 })).toEqual(['rate-limit']);
    expect(kinds(3107, { containedAt: 3001 })).toEqual(['rate-limit']);
  });

  test('a role over its limit contains the session whatever its own count; a role under it does not', () => {
    const fresh = (role: number) => usageFindings(base, [], state(1, { roleWindow: { calls: role, usd: 0 } }), limits, at);
    expect(fresh(9000)).toEqual([]);
    expect(fresh(9001)).toEqual([expect.objectContaining({ kind: 'rate-limit', reason: expect.stringMatching(/all sessions of role ClaudeCodeBedrockInvoke together: 9001 model calls/) })]);
  });

  test('what was sent is what the store remembers', () => {
    const findings = usageFindings(base, [], state(3001), limits, at);
    expect(sentAlerts(findings, state(3001), at)).toEqual({ alarmedAt: at, containedAt: 3001 });
    expect(sentAlerts([], state(5), at)).toBeUndefined();
  });

  test('a new network alerts only for a person already seen; the first network is learned', () => {
    expect(usageFindings(base, [], state(1, { networkIsNew: true, identityWasKnown: true }), limits, at).map((f) => f.kind)).toEqual(['new-network']);
    expect(usageFindings(base, [], state(1, { networkIsNew: true, identityWasKnown: false }), limits, at)).toEqual([]);
    expect(usageFindings(base, [], state(1, { networkIsNew: false }), limits, at)).toEqual([]);
  });

  test('calls outside the grant alert until the alert about them is remembered, then once per 60 minutes', () => {
    const outside = grantFindings(observed(modelCall({ at: '2026-11-20T09:14:07Z', model: 'anthropic.claude-v2' })), grant);
    expect(usageFindings(base, outside, state(5), limits, at).map((f) => f.kind)).toEqual(['outside-grant']);
    expect(sentAlerts(outside, state(5), at)).toEqual({ outsideGrantAt: at });
    expect(usageFindings(base, outside, state(6, { outsideGrantAt: at - 1000 }), limits, at)).toEqual([]);
    expect(usageFindings(base, outside, state(6, { outsideGrantAt: at - 3_600_000 }), limits, at).map((f) => f.kind)).toEqual(['outside-grant']);
  });
});
