import { countedSize, IAM_INLINE_LIMIT } from '../../lib/models/deny-list-size';
import {
  ContainedSession,
  containSession, NO_CONTAINMENT, readRoleContainment, roleContainmentPolicy, RoleContainment,
} from '../../lib/models/role-containment-policy';
import { decide } from '../support/iam-simulator';
import { ADMINISTRATOR_ACCESS } from '../support/template-policies';

const ACCOUNT = '111122223333';
const ROLE = 'ClaudeCodeBedrockInvoke';
const NOW = Date.parse('2026-11-20T09:20:00Z');
const CALL = '2026-11-20T09:14:07Z';
const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-6`;

/** A request of a session of the role, as IAM evaluates it with the containment policy on the role. */
async function as(c: RoleContainment, s: { name: string; issued: string; sourceIdentity?: string }, action = 'bedrock:InvokeModel', resource = profile) {
  const subject = {
    identityPolicies: [ADMINISTRATOR_ACCESS, roleContainmentPolicy(c)],
    principal: { account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, userId: `AROAEXAMPLEROLEID0001:${s.name}` },
  };
  return decide(subject, { action, resource, context: { 'aws:TokenIssueTime': s.issued, ...(s.sourceIdentity ? { 'aws:SourceIdentity': s.sourceIdentity } : {}) } });
}
const contain = (c: RoleContainment, session: ContainedSession, eventTime = CALL) => containSession(c, session, eventTime, NOW, ROLE);

describe('containing the invoke role stops the offender, and only the offender', () => {
  const alice = { sessionName: 'claude-code', sourceIdentity: 'alice@example.com', issuedAt: '2026-11-20T08:50:00Z' };

  test('by source identity: every session of alice is denied, a colleague issued before or after is not', async () => {
    const change = contain(NO_CONTAINMENT, alice);
    expect(change.by).toBe('source-identity');
    const c = change.next!;
    expect(await as(c, { name: 'claude-code', issued: '2026-11-20T08:50:00Z', sourceIdentity: 'alice@example.com' })).toBe('ExplicitlyDenied');
    expect(await as(c, { name: 'claude-code', issued: '2026-11-20T08:50:00Z', sourceIdentity: 'alice@example.com' }, 's3:ListAllMyBuckets', '*')).toBe('ExplicitlyDenied');
    // Alice's next session too: the name is bound to her, or is what she declared.
    expect(await as(c, { name: 'claude-code', issued: '2026-11-20T10:00:00Z', sourceIdentity: 'alice@example.com' })).toBe('ExplicitlyDenied');
    // Bob shares the session name and the role, issued before and after alice.
    expect(await as(c, { name: 'claude-code', issued: '2026-11-20T08:00:00Z', sourceIdentity: 'bob@example.com' })).toBe('Allowed');
    expect(await as(c, { name: 'claude-code', issued: '2026-11-20T09:30:00Z', sourceIdentity: 'bob@example.com' })).toBe('Allowed');
    // A name that only starts like alice's is not alice.
    expect(await as(c, { name: 'x', issued: '2026-11-20T08:50:00Z', sourceIdentity: 'alice@example.com.evil' })).toBe('Allowed');
  });

  test('without a source identity, the session itself: its name and issue time', async () => {
    const change = contain(NO_CONTAINMENT, { sessionName: 'build-4711', issuedAt: '2026-11-20T08:50:00Z' });
    expect(change.by).toBe('session');
    const c = change.next!;
    expect(await as(c, { name: 'build-4711', issued: '2026-11-20T08:50:00Z' })).toBe('ExplicitlyDenied');
    // A colleague's session of the same name, issued before or after, keeps working.
    expect(await as(c, { name: 'build-4711', issued: '2026-11-20T08:49:00Z' })).toBe('Allowed');
    expect(await as(c, { name: 'build-4711', issued: '2026-11-20T08:51:00Z' })).toBe('Allowed');
    expect(await as(c, { name: 'build-4712', issued: '2026-11-20T08:50:00Z' })).toBe('Allowed');
  });

  test('a second alert from an already contained session changes nothing: no write, no moved cut-off', () => {
    const c = contain(NO_CONTAINMENT, alice).next!;
    expect(contain(c, alice, '2026-11-20T09:19:00Z')).toEqual({ by: 'source-identity' });
    const s = contain(NO_CONTAINMENT, { sessionName: 'build-4711', issuedAt: '2026-11-20T08:50:00Z' }).next!;
    expect(contain(s, { sessionName: 'build-4711', issuedAt: '2026-11-20T08:50:00.000Z' }, '2026-11-20T09:19:00Z')).toEqual({ by: 'session' });
  });
});

describe('the deny list cannot be exhausted', () => {
  /** A list filled by many genuine sessions that each made one stray call (an insider's padding). */
  function filled(): RoleContainment {
    let c: RoleContainment = NO_CONTAINMENT;
    for (let i = 0; ; i++) {
      const change = contain(c, { sessionName: `padding-session-${String(i).padStart(4, '0')}`, issuedAt: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 1000).toISOString() });
      if (change.by === 'issued-before') {
        return c;
      }
      c = change.next!;
    }
  }

  test('it warns well before the limit', () => {
    let c: RoleContainment = NO_CONTAINMENT;
    const warnings: string[] = [];
    for (let i = 0; i < 60; i++) {
      const change = contain(c, { sessionName: `s-${i}`, issuedAt: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 1000).toISOString() });
      c = change.next!;
      if (change.warning) warnings.push(change.warning);
    }
    expect(warnings[0]).toMatch(/holds \d+ of IAM's 10240 characters; past 9000 containment stops naming people/);
  });

  test('past the budget the real offender is still contained, by a cut-off just after their session\'s issue time', async () => {
    const full = filled();
    expect(countedSize(JSON.stringify(roleContainmentPolicy(full)))).toBeLessThanOrEqual(9000);
    const offender = { sessionName: 'mallory', issuedAt: '2026-11-20T09:10:00Z' };
    const change = contain(full, offender);
    expect(change.by).toBe('issued-before');
    expect(change.next!.issuedBefore).toBe('2026-11-20T09:10:01.000Z');
    expect(change.warning).toMatch(/is full, so every session of ClaudeCodeBedrockInvoke issued before 2026-11-20T09:10:01.000Z is revoked/);
    // The sessions the cut-off covers leave the list: room again for names.
    expect(change.next!.sessions).toHaveLength(0);
    expect(countedSize(JSON.stringify(roleContainmentPolicy(change.next!)))).toBeLessThan(IAM_INLINE_LIMIT);
    expect(await as(change.next!, { name: 'mallory', issued: '2026-11-20T09:10:00Z' })).toBe('ExplicitlyDenied');
    // A colleague who signs in after the offender keeps working.
    expect(await as(change.next!, { name: 'bob', issued: '2026-11-20T09:12:00Z' })).toBe('Allowed');
  });

  test('the wider stop never advances on alerts from sessions it already covers', () => {
    const wide = contain(filled(), { sessionName: 'mallory', issuedAt: '2026-11-20T09:10:00Z' }).next!;
    for (const at of ['2026-11-20T09:11:00Z', '2026-11-20T09:15:00Z', '2026-11-20T09:19:00Z']) {
      expect(contain(wide, { sessionName: 'mallory', issuedAt: '2026-11-20T09:10:00Z' }, at)).toEqual({ by: 'issued-before' });
    }
    // An older session, also covered.
    expect(contain(wide, { sessionName: 'padding-session-0001', issuedAt: '2026-11-20T08:00:01Z' }).next).toBeUndefined();
  });

  test('a cut-off is never later than the handler\'s clock', () => {
    const change = contain({ ...NO_CONTAINMENT, sessions: [] }, { sessionName: 'x1' }, new Date(NOW + 60_000).toISOString());
    expect(Date.parse(change.next!.issuedBefore!)).toBeLessThanOrEqual(NOW);
  });
});

describe('only containment\'s own document is read as containment', () => {
  const c = contain(contain(NO_CONTAINMENT, { sessionName: 'claude-code', sourceIdentity: 'alice@example.com' }).next!, { sessionName: 'b-1', issuedAt: '2026-11-20T08:00:00Z' }).next!;
  const doc = roleContainmentPolicy({ ...c, issuedBefore: '2026-11-20T07:00:00.000Z' });

  test('it reads back what it writes, URL-encoded as IAM returns it or not', () => {
    expect(readRoleContainment(JSON.stringify(doc))).toEqual({ ...c, issuedBefore: '2026-11-20T07:00:00.000Z' });
    expect(readRoleContainment(encodeURIComponent(JSON.stringify(doc)))).toEqual({ ...c, issuedBefore: '2026-11-20T07:00:00.000Z' });
  });

  test('anything else under its name is refused', () => {
    const altered = [
      { ...doc, Statement: [...doc.Statement, { Effect: 'Allow', Action: '*', Resource: '*' }] },
      { ...doc, Statement: doc.Statement.map((s) => ({ ...s, Effect: 'Allow' })) },
      { ...doc, Statement: { Effect: 'Allow', Action: '*', Resource: '*' } },
      { ...doc, Statement: [{ ...doc.Statement[0], Condition: { StringEquals: { 'aws:SourceIdentity': ['*'] } } }] },
      { ...doc, Statement: [{ ...doc.Statement[1], Condition: { StringLike: { 'aws:userid': '*' } } }] },
    ];
    for (const a of altered) {
      expect(readRoleContainment(JSON.stringify(a))).toBeUndefined();
    }
  });
});
