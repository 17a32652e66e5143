import { App } from 'aws-cdk-lib';
import { deployApp, driftRuleOf, watchedRoles, watchEverything } from './fixtures/example-apps';
import { buildApp as driftApp } from '../../examples/drift/app';
import { buildApp as existingApp } from '../../examples/existing-app/app';
import { buildApp as organizationApp } from '../../examples/organization/app';
import { buildApp as platformApp } from '../../examples/platform-account/app';

const OTHER_ACCOUNT = '123456789012';
/**
 * Each example, the account its literals name, and how many roles drift watches when deployed there
 * and elsewhere: the drift example's set is assigned in 111122223333 only and the rule covers its own
 * account; the front door's rule reaches both assigned accounts; the European role and the existing
 * app's role get a rule from the test; the organization example defines no identity.
 */
const examples: Array<[string, () => App, string, number, number]> = [
  ['drift', () => driftApp(new App()), '111122223333', 2, 1],
  ['platform-account', () => platformApp(new App()), '111122223333', 4, 4],
  ['existing-app', () => existingApp(new App()), '111122223333', 1, 1],
  ['organization', () => organizationApp(new App()), '111122223333', 0, 0],
];

describe.each(examples)('the %s example', (_name, build, literal, inLiteral, inOther) => {
  const app = build();
  watchEverything(app);
  test.each([[literal, inLiteral], [OTHER_ACCOUNT, inOther]])('deployed into %s: the %d watched roles are COMPLIANT, every other role NOT_APPLICABLE, on change and on schedule', async (account, count) => {
    const { sim, rules } = deployApp(app, account);
    expect(rules.flatMap((rule) => watchedRoles(sim, rule))).toHaveLength(count);
    for (const rule of rules) {
      const drift = driftRuleOf(sim, rule);
      const watched = watchedRoles(sim, rule);
      for (const role of sim.roles.filter((r) => rule.accounts.includes(r.account))) {
        const j = await drift.onChange(role);
        expect({ role: role.roleName, compliance: j.compliance, annotation: j.annotation })
          .toEqual({ role: role.roleName, compliance: watched.includes(role) ? 'COMPLIANT' : 'NOT_APPLICABLE', annotation: expect.any(String) });
      }
      for (const a of rule.accounts) {
        const scheduled = await drift.onSchedule(a);
        expect(scheduled.filter((j) => j.compliance !== 'COMPLIANT')).toEqual([]);
        expect(scheduled.map((j) => j.roleName).sort()).toEqual(watched.filter((r) => r.account === a).map((r) => r.roleName).sort());
      }
      expect(drift.alerts).toEqual([]);
    }
  });
});
