import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockSpendRateCap, BedrockUsageGuard, ClaudeCodeBedrockAccess, ForwarderStackSet, ModelReference } from '../../lib';
import * as prices from '../../lib/models/prices';
import { NO_CONTAINMENT, roleContainmentPolicy } from '../../lib/models/role-containment-policy';
import { detectionStack } from '../detection/detection-fixture';
import { matches } from '../support/event-pattern-matcher';
import { decide } from '../support/iam-simulator';
import { roleSubject } from '../support/role-subject';
import { resolveIntrinsics } from '../support/template-policies';
import { US_PRICES } from './fixtures/model-prices';

const ACCOUNT = '111122223333';
const cleanups: Array<() => void> = [];
const afterTest = (f: () => void) => cleanups.push(f);
afterEach(() => cleanups.splice(0).forEach((f) => f()));
const MEMBER = '444455556666';

function capped(options: { guard?: boolean } = {}) {
  const built = detectionStack({ containment: true, forwarders: ForwarderStackSet.selfManaged({ accounts: [MEMBER], includeHomeAccount: true, regions: ['us-east-1', 'us-west-2'] }) });
  const guard = options.guard === false ? undefined : new BedrockUsageGuard(built.stack, 'Usage', { detection: built.detection });
  const cap = new BedrockSpendRateCap(built.stack, 'Cap', { detection: built.detection, usageGuard: guard, prices: US_PRICES });
  return { ...built, guard, cap, template: Template.fromStack(built.stack) };
}
const { cap, template, stack, guard } = capped();
const json = template.toJSON();
const resources = (type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
const capAlarms = () => resources('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties).filter((p) => /^bedrock-spend-rate-/.test(p.AlarmName ?? ''));

test('an alert and a stop alarm per model: the window\'s dollars from the four token metrics, under both ModelId values', () => {
  const alarms = capAlarms();
  expect(alarms.map((a) => a.AlarmName).sort()).toEqual(['bedrock-spend-rate-alert-1', 'bedrock-spend-rate-alert-2', 'bedrock-spend-rate-stop-1', 'bedrock-spend-rate-stop-2']);
  const stop = alarms.find((a) => a.AlarmName === 'bedrock-spend-rate-stop-1');
  expect(stop).toMatchObject({ Threshold: 20, EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  const metrics = stop.Metrics.filter((m: any) => m.MetricStat);
  // The alarm stays within CloudWatch's ten metrics per metric-math alarm.
  expect(metrics.length).toBeLessThanOrEqual(10);
  expect(metrics.map((m: any) => `${m.MetricStat.Metric.MetricName}/${m.MetricStat.Metric.Dimensions[0].Value}`).sort()).toEqual([
    'CacheReadInputTokenCount/anthropic.claude-sonnet-4-6', 'CacheReadInputTokenCount/us.anthropic.claude-sonnet-4-6',
    'CacheWriteInputTokenCount/anthropic.claude-sonnet-4-6', 'CacheWriteInputTokenCount/us.anthropic.claude-sonnet-4-6',
    'InputTokenCount/anthropic.claude-sonnet-4-6', 'InputTokenCount/us.anthropic.claude-sonnet-4-6',
    'OutputTokenCount/anthropic.claude-sonnet-4-6', 'OutputTokenCount/us.anthropic.claude-sonnet-4-6',
  ]);
  expect(metrics.every((m: any) => m.MetricStat.Period === 300 && m.MetricStat.Stat === 'Sum' && m.MetricStat.Metric.Namespace === 'AWS/Bedrock')).toBe(true);
});

test('the expression prices each token: a window of heavy use computes to the dollars the pricing page gives', () => {
  const stop = capAlarms().find((a) => a.AlarmName === 'bedrock-spend-rate-stop-1');
  const expression: string = stop.Metrics.find((m: any) => m.ReturnData).Expression;
  const byId = Object.fromEntries(stop.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric]));
  // One million output tokens and ten million cache reads of Sonnet 4.6 in the window, under the profile id; nothing else.
  const tokens = (metric: any) => (metric.Dimensions[0].Value !== 'us.anthropic.claude-sonnet-4-6' ? undefined
    : metric.MetricName === 'OutputTokenCount' ? 1_000_000 : metric.MetricName === 'CacheReadInputTokenCount' ? 10_000_000 : undefined);
  // FILL(x,0) stands for the metric, or 0 when it has no datapoint (CloudWatch User Guide, "Metric math syntax and functions").
  const evaluated = Function(`return ${expression.replace(/FILL\((t\d+),0\)/g, (_, id) => String(tokens(byId[id]) ?? 0))}`)();
  expect(evaluated).toBeCloseTo(16.5 + 3.3, 6);
  // A stand-in check: the same tokens under an id nobody calls count nothing.
  expect(Function(`return ${expression.replace(/FILL\((t\d+),0\)/g, '0')}`)()).toBe(0);
});

test('the stop function hears the cap\'s ALARM events, here and forwarded, and nothing else', () => {
  const rules = resources('AWS::Events::Rule').map(([, r]) => r.Properties).filter((p) => /spend-rate cap's alarms/.test(p.Description));
  expect(rules).toHaveLength(2);
  const event = (over: Record<string, unknown> = {}, state = 'ALARM') => ({
    'source': 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    'account': MEMBER,
    'region': 'us-west-2',
    'detail': { alarmName: 'bedrock-spend-rate-stop-1', state: { value: state }, previousState: { value: 'OK' } },
    ...over,
  });
  for (const rule of rules) {
    expect(matches(rule.EventPattern, event())).toBe(true);
    expect(matches(rule.EventPattern, event({}, 'OK'))).toBe(false);
    expect(matches(rule.EventPattern, event({}, 'INSUFFICIENT_DATA'))).toBe(false);
    expect(matches(rule.EventPattern, event({ detail: { alarmName: 'someone-elses-alarm', state: { value: 'ALARM' } } }))).toBe(false);
    expect(matches(rule.EventPattern, event({ source: 'my.app' }))).toBe(false);
  }
  expect(rules.filter((r) => r.EventBusName !== undefined)).toHaveLength(1);
});

test('the StackSet deploys the same alarms and forwards their state changes; the template does not grow with the accounts', () => {
  const set = resources('AWS::CloudFormation::StackSet')[0][1].Properties;
  const body = JSON.parse(set.TemplateBody);
  const alarms = Object.values(body.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(capAlarms().map((a) => a.AlarmName).sort());
  expect(alarms.every((a) => a.Condition === 'NotHomeRegionOfHomeAccount')).toBe(true);
  const forward = Object.values(body.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Events::Rule' && /alarm state changes/.test(r.Properties.Description));
  expect(forward.Properties.EventPattern).toEqual({ 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { alarmName: expect.arrayContaining(['bedrock-spend-rate-stop-1']) } });
  expect(JSON.stringify(body)).not.toContain(MEMBER);
});

test('the central bus admits alarm state changes with an aws. source only', () => {
  const policy = resources('AWS::Events::EventBusPolicy').map(([, r]) => r.Properties.Statement).find((s) => s.Sid === 'cdk-AccountForwarders');
  expect(policy.Condition['ForAllValues:StringEquals']['events:detail-type']).toContain('CloudWatch Alarm State Change');
  expect(policy.Condition['ForAllValues:StringLike']['events:source']).toEqual(['aws.*']);
});

test('the function may read the guard\'s counters and write nothing there; it may ask for the whole stop', () => {
  const fn = resources('AWS::Lambda::Function').map(([, r]) => r.Properties).find((p) => p.Environment?.Variables?.SPEND_RATE_CONFIG);
  const config = JSON.parse(JSON.stringify(resolveIntrinsics(fn.Environment.Variables.SPEND_RATE_CONFIG, ACCOUNT)));
  expect(JSON.parse(config['Fn::Join'] ? config['Fn::Join'][1].join('') : config)).toMatchObject({
    accounts: [ACCOUNT, MEMBER], roles: ['ClaudeCodeBedrockInvoke'], permissionSets: ['ClaudeCodeBedrock'], windowMinutes: 5, alertUsd: 10, stopUsd: 20,
  });
  const capRole = stack.getLogicalId(cap.function.role!.node.defaultChild as iam.CfnRole);
  // Every statement of every policy the cap's role has, managed or inline.
  const attached = JSON.stringify(resources('AWS::IAM::Role').find(([id]) => id === capRole)![1].Properties.ManagedPolicyArns ?? []);
  const statements = [...resources('AWS::IAM::ManagedPolicy'), ...resources('AWS::IAM::Policy')]
    .filter(([id, r]) => JSON.stringify(r.Properties.Roles ?? []).includes(capRole) || attached.includes(`"${id}"`)).map(([, r]) => r.Properties)
    .flatMap((p) => p.PolicyDocument.Statement as any[]);
  const table = stack.getLogicalId(guard!.table.node.defaultChild as any);
  const onTable = statements.filter((st) => JSON.stringify(st.Resource).includes(table));
  expect(onTable.flatMap((st) => [st.Action].flat())).toEqual(['dynamodb:Query']);
  // In the function's managed policy: an inline policy is what the NIST, HIPAA and PCI packs flag.
  expect(resources('AWS::IAM::Policy').filter(([, r]) => JSON.stringify(r.Properties.Roles ?? []).includes(capRole))).toEqual([]);
  expect(statements.some((st) => [st.Action].flat().some((a: string) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)))).toBe(false);
  const contain = resources('AWS::Lambda::Function').map(([, r]) => r.Properties).find((p) => p.Environment?.Variables?.WHOLE_STOP_REQUESTER_ROLE_IDS);
  expect(JSON.stringify(contain.Environment.Variables.WHOLE_STOP_REQUESTER_ROLE_IDS)).toContain(capRole);
});

test('the dashboard gets one graph per alarm, against both thresholds', () => {
  const widgets = cap.spendRateWidgets();
  expect(widgets).toHaveLength(2);
  const rendered = JSON.stringify(stack.resolve((widgets[0] as any).toJson()));
  expect(rendered).toContain('"value":10');
  expect(rendered).toContain('"value":20');
});

describe('the stop, simulated in IAM both ways', () => {
  const profile = `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/us.anthropic.claude-sonnet-4-6`;
  const invoke = { action: 'bedrock:InvokeModel', resource: profile, region: 'us-east-1' };
  const stopped = roleContainmentPolicy({ ...NO_CONTAINMENT, everySession: true });

  test('before the stop the invoke role can invoke; after it, it cannot, whatever the session; another role is unaffected', async () => {
    const role = roleSubject(stack, ACCOUNT, { rolePrefix: 'Invoke' });
    expect(await decide(role, invoke)).toBe('Allowed');
    const after = { ...role, identityPolicies: [...role.identityPolicies, stopped] };
    expect(await decide(after, invoke)).toBe('ExplicitlyDenied');
    expect(await decide({ ...after, principal: { ...after.principal, userId: 'AROAEXAMPLEROLEID0001:a-new-session' } }, { ...invoke, context: { 'aws:TokenIssueTime': '2099-01-01T00:00:00Z' } })).toBe('ExplicitlyDenied');
    // The stop is the stopped role's own inline policy: another role of the account keeps what it had.
    const other = { identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] }], principal: { account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/SomeoneElse` } };
    expect(await decide(other, invoke)).toBe('Allowed');
  });
});

describe('synthesis refuses what would cap nothing, naming the value and the fix', () => {
  test('a granted model with no price', () => {
    // A model the library's table does not know yet (the table lags a launch).
    const unpriced = jest.spyOn(prices, 'priceOf').mockReturnValue(undefined);
    afterTest(() => unpriced.mockRestore());
    const { stack: s, detection } = detectionStack({ containment: true });
    expect(() => new BedrockSpendRateCap(s, 'Cap', { detection })).toThrow(/no price for model 'us.anthropic.claude-sonnet-4-6': add it to spendRateCap.prices/);
  });
  test('thresholds and windows that make no sense', () => {
    const mk = (p: object) => () => { const { stack: s, detection } = detectionStack({ containment: true }); new BedrockSpendRateCap(s, 'Cap', { detection, prices: US_PRICES, ...p }); };
    expect(mk({ alertUsd: 30, stopUsd: 20 })).toThrow(/alertUsd \(30\) must be below stopUsd \(20\)/);
    expect(mk({ windowMinutes: 0 })).toThrow(/windowMinutes is 0; give whole minutes from 1 to 60/);
    expect(mk({ stopUsd: -1 })).toThrow(/stopUsd is -1/);
    expect(mk({ prices: [{ modelId: 'anthropic.claude-sonnet-4-6', inputPerMillionUsd: 0, outputPerMillionUsd: 0 }] })).toThrow(/priced at zero/);
  });
});

describe('the front door', () => {
  const build = (extra: object = {}) => {
    const app = new App();
    const s = new Stack(app, 'Platform', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const access = new ClaudeCodeBedrockAccess(s, 'ClaudeCode', {
      model: ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
      smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)],
      ...extra,
    });
    return { s, access };
  };
  test('is on with containment, with the guard\'s counters, and off without it unless asked', () => {
    expect(build({ containment: true, spendRateCap: { prices: US_PRICES } }).access.spendRateCap).toBeDefined();
    expect(build().access.spendRateCap).toBeUndefined();
    expect(build({ containment: true, spendRateCap: { enabled: false } }).access.spendRateCap).toBeUndefined();
    const alertOnly = build({ spendRateCap: { enabled: true, prices: US_PRICES } });
    expect(alertOnly.access.spendRateCap).toBeDefined();
    Annotations.fromStack(alertOnly.s).hasWarning('*', Match.stringLikeRegexp('spendRateCap is on but containment is off'));
  });
  test('catalogued models need no prices of the user\'s: the library\'s table prices them', () => {
    const { s } = build({ containment: true });
    const stop = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties)
      .find((p: any) => /^bedrock-spend-rate-stop-/.test(p.AlarmName ?? ''));
    // The table's Sonnet 4.6 price (us. profile, regional premium) reaches the alarm's expression.
    const sonnet = prices.priceOf('us.anthropic.claude-sonnet-4-6')!;
    expect(JSON.stringify(stop.Metrics)).toContain(String(sonnet.outputPerMillionUsd));
  });
  test('a model with no price is an error that names the prop', () => {
    const unpriced = jest.spyOn(prices, 'priceOf').mockReturnValue(undefined);
    afterTest(() => unpriced.mockRestore());
    expect(() => build({ containment: true })).toThrow(/spendRateCap.prices/);
  });
});
