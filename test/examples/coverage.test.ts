import { App, Stack } from 'aws-cdk-lib';
import { buildApp as buildDrift } from '../../examples/drift/app';
import { buildApp as buildExistingApp } from '../../examples/existing-app/app';
import { buildApp as buildOrganization } from '../../examples/organization/app';
import { buildApp as buildPlatform, PlatformAccountStack } from '../../examples/platform-account/app';
import { CommercialRegions } from '../../lib';
import { ACCOUNT, call, CallOptions, roleSession, SSO_ROLE } from '../detection/fixtures/cloudtrail-events';
import { Delivery, SimulatedDeployment } from '../support/simulated-deployment';

/** An account that no example names, for deploying the environment-agnostic stacks elsewhere. */
const OTHER_ACCOUNT = '210987654321';
const MEMBER_ACCOUNTS = ['111122223333', '444455556666'];
const INVOKE_ROLE = 'ClaudeCodeBedrockInvoke';

/** A CloudTrail record of `options` by a session of `role`, made in `account`. */
function record(options: CallOptions, account: string, role: string, path = '/'): Record<string, any> {
  const event = call(options, roleSession(role, 'alice@example.com', path, 'alice@example.com'));
  // The fixtures use the documentation's example account; move the whole record to `account`.
  return JSON.parse(JSON.stringify(event).split(ACCOUNT).join(account));
}

const nonBedrockCalls = (region: string): CallOptions[] => [
  { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', region },
  // IAM's calls are logged in us-east-1 only.
  ...(region === 'us-east-1' ? [{ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' }] : []),
];
const modelCall = (region: string): CallOptions => ({ eventSource: 'bedrock.amazonaws.com', eventName: 'InvokeModel', region });

const functions = (d: Delivery) => d.reached.map((r) => r.function);
const stacksOf = (app: App) => app.node.children.filter((c): c is Stack => c instanceof Stack);

interface Identity {
  readonly role: string;
  readonly path?: string;
  readonly accounts: string[];
}

/** For every account and Region an identity can act in, what a call there reaches. */
function reachability(deployment: SimulatedDeployment, identities: Identity[], regions: string[], callsIn: (region: string) => CallOptions[]) {
  return identities.flatMap((id) => id.accounts.flatMap((account) => regions.flatMap((region) =>
    callsIn(region).map((o) => ({
      account,
      region,
      call: o.eventName,
      identity: id.role,
      delivery: deployment.deliver(record(o, account, id.role, id.path)),
    })))));
}

describe('the platform-account example, deployed', () => {
  const app = buildPlatform(new App());
  const home = stacksOf(app).find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
  const access = home.access;
  const alertFunction = home.getLogicalId(access.detection!.alertFunction.node.defaultChild as any);
  const usageFunction = home.getLogicalId(access.usageGuard!.function.node.defaultChild as any);
  // The grant's source Regions are default-enabled ones, so the Regions where the identities act are these.
  const regions = [...new Set([...CommercialRegions.enabledByDefault(), ...access.sourceRegions])].sort();
  const ssoPath = '/aws-reserved/sso.amazonaws.com/us-east-1/';

  // The stack has no account: deployed into the account its trust policy names, and into another.
  describe.each([['111122223333'], [OTHER_ACCOUNT]])('into %s', (homeAccount) => {
    const deployment = SimulatedDeployment.of(stacksOf(app).map((stack) => ({ stack, account: homeAccount })));
    const identities: Identity[] = [
      { role: INVOKE_ROLE, accounts: [homeAccount] },
      { role: SSO_ROLE, path: ssoPath, accounts: MEMBER_ACCOUNTS },
    ];

    test('every non-Bedrock call, in every account and Region the role and the permission set can act in, reaches the alert function once', () => {
      const results = reachability(deployment, identities, regions, nonBedrockCalls);
      expect(results.length).toBeGreaterThanOrEqual(regions.length * 3);
      const missed = results.filter((r) => JSON.stringify(functions(r.delivery)) !== JSON.stringify([alertFunction]));
      expect(missed.map((m) => `${m.identity} ${m.account} ${m.region} ${m.call}: ${functions(m.delivery).join(',') || m.delivery.trace.join('; ')}`)).toEqual([]);
    });

    test('every billed model call there reaches the usage guard once, and never the alert function', () => {
      const results = reachability(deployment, identities, regions, (region) => [modelCall(region)]);
      const missed = results.filter((r) => JSON.stringify(functions(r.delivery)) !== JSON.stringify([usageFunction]));
      expect(missed.map((m) => `${m.identity} ${m.account} ${m.region}: ${functions(m.delivery).join(',') || m.delivery.trace.join('; ')}`)).toEqual([]);
    });

    test('each member account gets one trail, and the home account only the home stack\'s', () => {
      const trails = deployment.trails.map((t) => `${t.account} ${t.region} ${t.multiRegion ? 'multi-Region' : ''} ${t.readWrite}`);
      const members = MEMBER_ACCOUNTS.filter((a) => a !== homeAccount);
      expect(trails.sort()).toEqual([homeAccount, ...members].map((a) => `${a} us-east-1 multi-Region All`).sort());
    });

    test('the harness can fail: an opt-in Region nobody declared has no forwarder, and a call there is reported unseen', () => {
      const [result] = reachability(deployment, [identities[1]], ['ap-east-1'], nonBedrockCalls);
      expect(result.delivery.reached).toEqual([]);
      expect(result.delivery.trace).toEqual(['no rule in 111122223333 ap-east-1 brings the event to a function']);
    });

    test('another role\'s calls reach nothing', () => {
      const results = reachability(deployment, [{ role: 'DeploymentPipeline', accounts: [homeAccount, ...MEMBER_ACCOUNTS] }], ['us-east-1', 'eu-west-1'], nonBedrockCalls);
      expect(results.filter((r) => r.delivery.reached.length > 0)).toEqual([]);
    });
  });
});

describe('the organization example, deployed from the management account', () => {
  const app = buildOrganization(new App());
  const home = app.node.children[0] as Stack;
  const alertFunction = home.getLogicalId((home as any).detection.alertFunction.node.defaultChild);
  // The example's premise: the organization trail logs every account; both member accounts sit in the OU.
  const options = { organizationId: 'o-a1b2c3d4e5', organizationAccounts: MEMBER_ACCOUNTS, existingTrailAccounts: [OTHER_ACCOUNT, ...MEMBER_ACCOUNTS] };
  const deployment = SimulatedDeployment.of([{ stack: home, account: OTHER_ACCOUNT }], options);
  const identities: Identity[] = [
    { role: INVOKE_ROLE, accounts: MEMBER_ACCOUNTS },
    { role: SSO_ROLE, path: '/aws-reserved/sso.amazonaws.com/', accounts: MEMBER_ACCOUNTS },
  ];

  test('every non-Bedrock call in every Region of every member account reaches the alert function once', () => {
    const results = reachability(deployment, identities, CommercialRegions.all(), nonBedrockCalls);
    const missed = results.filter((r) => JSON.stringify(functions(r.delivery)) !== JSON.stringify([alertFunction]));
    expect(missed.map((m) => `${m.identity} ${m.account} ${m.region} ${m.call}: ${m.delivery.trace.join('; ')}`)).toEqual([]);
  });

  test('in the management account only the home Region is watched: a service-managed StackSet never deploys there', () => {
    const managementRole = [{ role: INVOKE_ROLE, accounts: [OTHER_ACCOUNT] }];
    const at = (region: string) => reachability(deployment, managementRole, [region], nonBedrockCalls)[0].delivery;
    expect(functions(at('us-east-1'))).toEqual([alertFunction]);
    expect(at('eu-west-1').reached).toEqual([]);
  });

  test('without the organization trail the example relies on, no call is seen anywhere', () => {
    const untrailed = SimulatedDeployment.of([{ stack: home, account: OTHER_ACCOUNT }], { ...options, existingTrailAccounts: [] });
    const results = reachability(untrailed, identities, ['us-east-1', 'eu-west-1'], nonBedrockCalls);
    expect(results.every((r) => r.delivery.trace[0].startsWith('no trail logs'))).toBe(true);
  });

  test('a member account outside the organization is not admitted by the central bus', () => {
    const outsider = SimulatedDeployment.of([{ stack: home, account: OTHER_ACCOUNT }], { ...options, organizationAccounts: MEMBER_ACCOUNTS, organizationId: 'o-otherorg000' });
    const [result] = reachability(outsider, [identities[0]], ['eu-west-1'], nonBedrockCalls);
    expect(result.delivery.reached).toEqual([]);
    expect(result.delivery.trace[0]).toMatch(/bus policy does not admit account 111122223333/);
  });
});

describe.each<[string, (app: App) => App]>([
  ['drift', buildDrift],
  ['existing-app', buildExistingApp],
])('the %s example has no misuse detection', (_name, build) => {
  test('its invoke role\'s calls reach no alert: it is watched by drift only, or not at all, which docs/coverage.md says', () => {
    const app = build(new App());
    const deployment = SimulatedDeployment.of(stacksOf(app).map((stack) => ({ stack, account: '111122223333' })));
    expect(deployment.rules.filter((r) => r.state === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')).toEqual([]);
    const results = reachability(deployment, [{ role: INVOKE_ROLE, accounts: ['111122223333'] }], ['us-east-1'], nonBedrockCalls);
    expect(results.every((r) => r.delivery.reached.length === 0)).toBe(true);
  });
});
