import { Duration } from 'aws-cdk-lib';
import { DOCUMENTED_DEFAULT_LIMITS } from './fixtures/default-limits';
import { resolveUsageLimits } from '../../lib/usage/resolve-usage-limits';

test('the defaults: alarm at 1,000 calls or $1,000 in 60 minutes, contain above 3,000 or $2,500, a role at three people, networks remembered 30 days', () => {
  expect(resolveUsageLimits()).toEqual(DOCUMENTED_DEFAULT_LIMITS);
  const custom = { callsPerHourAlarm: 200, callsPerHourLimit: 201, usdPerHourAlarm: 40.5, usdPerHourLimit: 80, newNetworkWindow: Duration.days(7) };
  expect(resolveUsageLimits(custom))
    .toEqual({
      callsPerHourAlarm: 200,
      callsPerHourLimit: 201,
      usdPerHourAlarm: 40.5,
      usdPerHourLimit: 80,
      roleCallsPerHourLimit: 603,
      roleUsdPerHourLimit: 240,
      newNetworkWindowDays: 7,
    });
  expect(resolveUsageLimits({ roleCallsPerHourLimit: 3000, roleUsdPerHourLimit: 2500 }))
    .toMatchObject({ roleCallsPerHourLimit: 3000, roleUsdPerHourLimit: 2500 });
});

test.each([
  [{ callsPerHourAlarm: 0 }, /callsPerHourAlarm is 0; it must be a whole number of calls in 60 minutes, 1 or more \(the default is 1000\)/],
  [{ callsPerHourAlarm: -5 }, /callsPerHourAlarm is -5/],
  [{ callsPerHourAlarm: 12.5 }, /callsPerHourAlarm is 12.5/],
  [{ callsPerHourLimit: 0 }, /callsPerHourLimit is 0/],
  [{ callsPerHourLimit: Number.NaN }, /callsPerHourLimit is NaN/],
  [{ callsPerHourAlarm: 500, callsPerHourLimit: 400 }, /callsPerHourLimit \(400\) must be above callsPerHourAlarm \(500\)/],
  [{ callsPerHourAlarm: 500, callsPerHourLimit: 500 }, /callsPerHourLimit \(500\) must be above callsPerHourAlarm \(500\)/],
  [{ callsPerHourLimit: 900 }, /callsPerHourLimit \(900\) must be above callsPerHourAlarm \(1000\)/],
  [{ usdPerHourAlarm: 0 },
    /usdPerHourAlarm is 0; it must be a number of US dollars in 60 minutes, above 0 \(the default is 1000\)/],
  [{ usdPerHourLimit: Number.POSITIVE_INFINITY }, /usdPerHourLimit is Infinity/],
  [{ usdPerHourLimit: 900 }, /usdPerHourLimit \(900\) must be above usdPerHourAlarm \(1000\)/],
  [{ roleCallsPerHourLimit: 2999 }, /a role's limits \(2999 calls, \$7500\) must be at least one person's \(3000 calls, \$2500\)/],
  [{ roleUsdPerHourLimit: 100 }, /a role's limits \(9000 calls, \$100\)/],
  [{ roleCallsPerHourLimit: 1.5 }, /roleCallsPerHourLimit is 1.5/],
  [{ newNetworkWindow: Duration.hours(36) }, /newNetworkWindow is 1 day 12 hours; give whole days/],
  [{ newNetworkWindow: Duration.days(0) }, /newNetworkWindow is 0 days/],
  [{ newNetworkWindow: Duration.days(400) }, /newNetworkWindow is 400 days; give whole days from 1 to 365/],
])('refuses %j', (limits, message) => {
  expect(() => resolveUsageLimits(limits)).toThrow(message);
});
