import { Duration } from 'aws-cdk-lib';
import { resolveUsageLimits } from '../../lib/usage/resolve-usage-limits';

test('the defaults: alarm at 1,000 calls an hour, contain above 3,000, networks remembered 30 days', () => {
  expect(resolveUsageLimits()).toEqual({ callsPerHourAlarm: 1000, callsPerHourLimit: 3000, newNetworkWindowDays: 30 });
  expect(resolveUsageLimits({ callsPerHourAlarm: 200, callsPerHourLimit: 201, newNetworkWindow: Duration.days(7) }))
    .toEqual({ callsPerHourAlarm: 200, callsPerHourLimit: 201, newNetworkWindowDays: 7 });
});

test.each([
  [{ callsPerHourAlarm: 0 }, /callsPerHourAlarm is 0; it must be a whole number of calls per hour, 1 or more/],
  [{ callsPerHourAlarm: -5 }, /callsPerHourAlarm is -5/],
  [{ callsPerHourAlarm: 12.5 }, /callsPerHourAlarm is 12.5/],
  [{ callsPerHourLimit: 0 }, /callsPerHourLimit is 0/],
  [{ callsPerHourLimit: Number.NaN }, /callsPerHourLimit is NaN/],
  [{ callsPerHourAlarm: 500, callsPerHourLimit: 400 }, /callsPerHourLimit \(400\) must be above callsPerHourAlarm \(500\)/],
  [{ callsPerHourAlarm: 500, callsPerHourLimit: 500 }, /callsPerHourLimit \(500\) must be above callsPerHourAlarm \(500\)/],
  [{ callsPerHourLimit: 900 }, /callsPerHourLimit \(900\) must be above callsPerHourAlarm \(1000\)/],
  [{ newNetworkWindow: Duration.hours(36) }, /newNetworkWindow is 1 day 12 hours; give whole days/],
  [{ newNetworkWindow: Duration.days(0) }, /newNetworkWindow is 0 days/],
  [{ newNetworkWindow: Duration.days(400) }, /newNetworkWindow is 400 days; give whole days from 1 to 365/],
])('refuses %j', (limits, message) => {
  expect(() => resolveUsageLimits(limits)).toThrow(message);
});
