import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  AssignmentPrincipalType, BedrockDriftRule, BedrockInvokeRole, BedrockMisuseDetection, BedrockPermissionSet, ClaudeCodeBedrockAccess,
  BedrockSpendRateCap, BedrockUsageGuard, ConfigRecorder, DetectionTrail, ForwarderStackSet, ModelReference, TeamInferenceProfiles,
} from '../../lib';
import { attributeTo, isValidationError, validationError } from '../../lib/errors/validation-error';

const ACCOUNT = '111122223333';
const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
const GROUP = { principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT] };
const IDENTITY_CENTER = { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', startUrl: 'https://example-company.awsapps.com/start', assignments: [GROUP] };

function stack(): Stack {
  return new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT } });
}

/** The error a construction throws; fails the test when it throws none. */
function errorOf(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the construction to throw');
}

// A JavaScript caller is not held to the types: these stand for props a plain .js app leaves out.
const untyped = (props: Record<string, unknown>) => props as any;

describe('a validation error reads as CDK\'s own: the message, then the construct path and the prop', () => {
  test.each([
    ['the invoke role, a number out of range', () => new BedrockInvokeRole(stack(), 'Invoke', { models: [SONNET, HAIKU], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)], maxManagedPolicies: 30 }),
      /^maxManagedPolicies is 30: .*\n {2}at path \[Platform\/Invoke\] in prop 'maxManagedPolicies'$/],
    ['the invoke role, a helper without a scope (session length)', () => new BedrockInvokeRole(stack(), 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)], maxSessionDuration: Duration.minutes(5) }),
      /^maxSessionDuration is 5 minutes: .*\n {2}at path \[Platform\/Invoke\] in prop 'maxSessionDuration'$/],
    ['the invoke role, an error from lib/models (a bad Region) wrapped with the path', () => new BedrockInvokeRole(stack(), 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)], sourceRegions: ['us-east-9x'] }),
      /^sourceRegions: 'us-east-9x' is not an AWS Region name.*\n {2}at path \[Platform\/Invoke\] in prop 'sourceRegions'$/],
    ['the permission set, an account id', () => new BedrockPermissionSet(stack(), 'Set', { instanceArn: IDENTITY_CENTER.instanceArn, models: [SONNET], assignments: [{ ...GROUP, accountIds: ['11112222333'] }] }),
      /^account id '11112222333' is not valid: .*\n {2}at path \[Platform\/Set\] in prop 'assignments.accountIds'$/],
    ['the front door, a mistyped model: the prop it came from, and did-you-mean', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', { model: SONNET, smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5'), identityCenter: IDENTITY_CENTER }),
      /Did you mean 'us.anthropic.claude-haiku-4-5-20251001-v1:0'[\s\S]*\n {2}at path \[Platform\/ClaudeCode\] in prop 'smallFastModel' \(passed on to \[Platform\/ClaudeCode\/PermissionSet\] as 'models'\)$/],
    ['the front door names its own prop, not the inner construct\'s (monthlySpendLimitUsd: 0)', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)], monthlySpendLimitUsd: 0 }),
      /^monthlySpendLimitUsd is 0; .*\n {2}at path \[Platform\/ClaudeCode\] in prop 'monthlySpendLimitUsd' \(passed on to \[Platform\/ClaudeCode\/SpendLimit\] as 'monthlyLimitUsd'\)$/],
    ['the usage guard on its own: the path and the limit prop', () => {
      const s = stack();
      const detection = new BedrockMisuseDetection(s, 'Detection', { roles: [new BedrockInvokeRole(s, 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] })] });
      return new BedrockUsageGuard(s, 'Usage', { detection, callsPerHourAlarm: 0 });
    }, /^usage limits: callsPerHourAlarm is 0; .*\n {2}at path \[Platform\/Usage\] in prop 'callsPerHourAlarm'$/],
    ['the spend-rate cap on its own: the threshold prop', () => {
      const s = stack();
      const detection = new BedrockMisuseDetection(s, 'Detection', { roles: [new BedrockInvokeRole(s, 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] })] });
      return new BedrockSpendRateCap(s, 'Cap', { detection, alertUsd: 30, stopUsd: 20 });
    }, /^spend-rate alertUsd \(30\) must be below stopUsd \(20\).*\n {2}at path \[Platform\/Cap\] in prop 'alertUsd' or 'stopUsd'$/],
    ['team inference profiles: an empty team', () => new TeamInferenceProfiles(stack(), 'Team', { team: ' ', models: [SONNET] }),
      /^team is empty: .*\n {2}at path \[Platform\/Team\] in prop 'team'$/],
    ['the front door, an Identity Center account id: the nested prop as the user wrote it', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, identityCenter: { ...IDENTITY_CENTER, assignments: [{ ...GROUP, accountIds: ['12'] }] } }),
      /^account id '12' is not valid: .*\n {2}at path \[Platform\/ClaudeCode\] in prop 'identityCenter.assignments.accountIds' \(passed on to \[Platform\/ClaudeCode\/PermissionSet\] as 'assignments.accountIds'\)$/],
    ['the front door, a placeholder start URL', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, identityCenter: { ...IDENTITY_CENTER, startUrl: 'https://<your-portal>.awsapps.com/start' } }),
      /^identityCenter.startUrl: [\s\S]*\n {2}at path \[Platform\/ClaudeCode\] in prop 'identityCenter.startUrl'$/],
    ['detection, an e-mail address', () => new BedrockMisuseDetection(stack(), 'Detection', { roleNames: ['ClaudeCodeBedrockInvoke'], alertEmails: ['security'], trail: DetectionTrail.create() }),
      /^alertEmails: 'security' is not an e-mail address\n {2}at path \[Platform\/Detection\] in prop 'alertEmails'$/],
    ['detection, a watch-scope helper without a scope', () => new BedrockMisuseDetection(stack(), 'Detection', { roleNames: ['arn:aws:iam::111122223333:role/x'], trail: DetectionTrail.create() }),
      /^roleNames: .* is not an IAM role name.*\n {2}at path \[Platform\/Detection\] in prop 'roleNames'$/],
    ['drift, a frequency Config does not offer', () => {
      const s = stack();
      const role = new BedrockInvokeRole(s, 'Invoke', { models: [SONNET], trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] });
      return new BedrockDriftRule(s, 'Drift', { roles: [role], recorder: ConfigRecorder.existing(), maximumExecutionFrequency: Duration.hours(2) });
    }, /^maximumExecutionFrequency is 2 hours: .*\n {2}at path \[Platform\/Drift\] in prop 'maximumExecutionFrequency'$/],
  ])('%s', (_name, build, message) => {
    const e = errorOf(build);
    expect(e.name).toBe('ValidationError');
    expect(e.message).toMatch(message);
  });

  test('a front-door message speaks of the front door\'s prop: the inner name appears only where it was passed on', () => {
    const e = errorOf(() => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', { model: SONNET, smallFastModel: HAIKU, trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)], monthlySpendLimitUsd: -5 }));
    expect(e.message.split('\n')[0]).toMatch(/^monthlySpendLimitUsd is -5;/);
    expect(e.message.split('\n')[0]).not.toMatch(/monthlyLimitUsd/);
  });
});

describe('a JavaScript caller that leaves out a required prop gets the prop, the path and the fix, not a TypeError', () => {
  test.each([
    ['the front door without smallFastModel', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', untyped({ model: SONNET, identityCenter: IDENTITY_CENTER })),
      /^smallFastModel is missing: it is required; pass ModelReference.parse\(.*\n {2}at path \[Platform\/ClaudeCode\] in prop 'smallFastModel'$/],
    ['the front door without props', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', undefined as any),
      /^props is missing: .*\n {2}at path \[Platform\/ClaudeCode\] in prop 'props'$/],
    ['the front door without identityCenter.instanceArn', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', untyped({ model: SONNET, smallFastModel: HAIKU, identityCenter: { startUrl: IDENTITY_CENTER.startUrl } })),
      /^identityCenter.instanceArn is missing: it is required; .*\n {2}at path \[Platform\/ClaudeCode\] in prop 'identityCenter.instanceArn' \(passed on to \[Platform\/ClaudeCode\/PermissionSet\] as 'instanceArn'\)$/],
    ['the front door with an assignment that has no accountIds', () => new ClaudeCodeBedrockAccess(stack(), 'ClaudeCode', untyped({ model: SONNET, smallFastModel: HAIKU, identityCenter: { ...IDENTITY_CENTER, assignments: [{ principalType: 'GROUP', principalId: GROUP.principalId }] } })),
      /^identityCenter.assignments.accountIds is missing: .*\n {2}at path \[Platform\/ClaudeCode\] in prop 'identityCenter.assignments.accountIds'/],
    ['the invoke role without trustedPrincipals', () => new BedrockInvokeRole(stack(), 'Invoke', untyped({ models: [SONNET] })),
      /^trustedPrincipals is missing: it is required; .*\n {2}at path \[Platform\/Invoke\] in prop 'trustedPrincipals'$/],
    ['the invoke role without models', () => new BedrockInvokeRole(stack(), 'Invoke', untyped({ trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT)] })),
      /^models is missing: .*\n {2}at path \[Platform\/Invoke\] in prop 'models'$/],
    ['the permission set without instanceArn', () => new BedrockPermissionSet(stack(), 'Set', untyped({ models: [SONNET] })),
      /^instanceArn is missing: it is required; .*\n {2}at path \[Platform\/Set\] in prop 'instanceArn'$/],
    ['the permission set with an assignment that has no principalType', () => new BedrockPermissionSet(stack(), 'Set', untyped({ instanceArn: IDENTITY_CENTER.instanceArn, models: [SONNET], assignments: [{ principalId: GROUP.principalId, accountIds: [ACCOUNT] }] })),
      /^assignments.principalType is missing: it is required; pass AssignmentPrincipalType.GROUP .*\n {2}at path \[Platform\/Set\] in prop 'assignments.principalType'$/],
  ])('%s', (_name, build, message) => {
    const e = errorOf(build);
    expect(e.name).toBe('ValidationError');
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/Cannot read properties/);
  });
});

describe('the trace is the user\'s, not the library\'s', () => {
  const LIB = path.join(__dirname, '..', '..', 'lib') + path.sep;

  test('the stack is the message and the caller\'s frames: this test file, no frame in lib/ or node_modules', () => {
    const e = errorOf(() => new BedrockInvokeRole(stack(), 'Invoke', { models: [SONNET], trustedPrincipals: [] }));
    const lines = e.stack!.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      expect.stringMatching(/^ValidationError: trustedPrincipals is empty: /),
      '  at path [Platform/Invoke] in prop \'trustedPrincipals\'',
    ]);
    const frames = lines.filter((l) => l.startsWith('    at '));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[0]).toContain(__filename);
    expect(frames.filter((f) => f.includes(LIB) || f.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);
  });

  test('a static factory, which has no construct, still gives one message and the caller\'s frames', () => {
    const e = errorOf(() => ForwarderStackSet.selfManaged({ accounts: ['1234'], regions: ['us-east-1'] }));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toMatch(/^account id '1234' is not valid/);
    expect(e.stack!.split('\n').filter((l) => l.startsWith('    at ')).every((f) => !f.includes(LIB))).toBe(true);
  });
});

describe('attributeTo, the wrapper for checks without a scope', () => {
  class Holder extends Construct {}
  const holder = () => new Holder(stack(), 'Holder');

  test('takes the prop the message starts with, else the first one given', () => {
    const h = holder();
    expect(errorOf(() => attributeTo(h, ['a', 'b'], () => { throw new Error('b is wrong: fix b'); })).message).toBe('b is wrong: fix b\n  at path [Platform/Holder] in prop \'b\'');
    expect(errorOf(() => attributeTo(h, ['a', 'b'], () => { throw new Error('something about both'); })).message).toBe('something about both\n  at path [Platform/Holder] in prop \'a\'');
  });

  test('passes other errors through unchanged: a TypeError is a bug, aws-cdk-lib\'s own errors are already scoped', () => {
    const h = holder();
    const bug = new TypeError('x is undefined');
    expect(errorOf(() => attributeTo(h, 'a', () => { throw bug; }))).toBe(bug);
    const cdk = errorOf(() => attributeTo(h, 'a', () => new s3.Bucket(h, 'Bucket', { bucketName: 'X' })));
    expect(isValidationError(cdk)).toBe(false);
    expect(cdk.message).toMatch(/^Invalid S3 bucket name/);
  });

  test('an error of the same construct keeps its own prop', () => {
    const h = holder();
    const own = validationError(h, 'b', 'b is wrong');
    expect(errorOf(() => attributeTo(h, 'a', () => { throw own; }))).toBe(own);
  });
});
