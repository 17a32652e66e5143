import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildApp, PlatformAccountStack } from '../../examples/platform-account/app';
import {
  AssignmentPrincipalType, ClaudeCodeBedrockAccess, ClaudeCodeBedrockAccessProps, CommercialRegions, DetectionTrail, ForwarderStackSet,
  ModelReference, NonBedrockCallForwarder,
} from '../../lib';
import { ACCOUNT_A, ACCOUNT_B } from '../support/template-policies';

const GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';
const ACCOUNT_C = '123456789012';
const DEVELOPERS = new iam.AccountPrincipal(ACCOUNT_A);
const identityCenter = (...accountIds: string[]) => ({
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds }],
});

function access(props: Partial<ClaudeCodeBedrockAccessProps>, env: { region?: string; account?: string } = { region: 'us-east-1', account: ACCOUNT_A }) {
  const app = new App();
  const stack = new Stack(app, 'Platform', { env });
  const construct = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
    model: ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
    smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
    ...props,
  });
  return { app, stack, construct };
}

function synthError(stack: Stack): string {
  try {
    Template.fromStack(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synthesis did not fail');
}

const stackSets = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties);
const instances = (stack: Stack) => stackSets(stack)[0].StackInstancesGroup[0];

describe('forwarders cover every account the permission set is assigned in', () => {
  test('by default, a self-managed StackSet over the assigned accounts, in every Region enabled by default', () => {
    const { stack } = access({ identityCenter: identityCenter(ACCOUNT_A, ACCOUNT_B) });
    const [set] = stackSets(stack);
    expect(set.PermissionModel).toBe('SELF_MANAGED');
    expect(set.StackInstancesGroup).toEqual([{
      Regions: CommercialRegions.enabledByDefault(),
      DeploymentTargets: { Accounts: [ACCOUNT_A, ACCOUNT_B] },
    }]);
  });

  test('the central bus admits the accounts the forwarders run in', () => {
    const { stack } = access({ identityCenter: identityCenter(ACCOUNT_A, ACCOUNT_B) });
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::Events::EventBusPolicy'))[0].Properties.Statement;
    const principals = JSON.stringify(policy.Principal);
    expect(principals).toContain(`:iam::${ACCOUNT_A}:root`);
    expect(principals).toContain(`:iam::${ACCOUNT_B}:root`);
  });

  test('given forwarders that leave an assigned account out, synthesis fails naming it and its Regions', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_A, ACCOUNT_B, ACCOUNT_C),
      forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_A], regions: CommercialRegions.enabledByDefault() }),
    });
    const message = synthError(stack);
    expect(message).toMatch(new RegExp(`account ${ACCOUNT_B}, Regions ap-northeast-1, [^:]*us-east-1, [^:]*: no forwarder watches permission set 'ClaudeCodeBedrock'[^\\n]*add ${ACCOUNT_B} to the forwarders' accounts`));
    expect(message).toMatch(new RegExp(`account ${ACCOUNT_C}, Regions ap-northeast-1, [^:]*: no forwarder watches`));
    expect(message).not.toMatch(new RegExp(`account ${ACCOUNT_A}`));
  });

  test('given forwarders that leave Regions out, synthesis fails naming each of them, and not the covered ones', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_B),
      forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_B], regions: CommercialRegions.enabledByDefault().filter((r) => r !== 'eu-west-1' && r !== 'sa-east-1') }),
    });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`account ${ACCOUNT_B}, Regions eu-west-1, sa-east-1: no forwarder watches`));
  });

  test('an assignment added later to a new account fails synthesis too', () => {
    const { stack, construct } = access({
      identityCenter: identityCenter(ACCOUNT_B),
      forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_B], regions: CommercialRegions.enabledByDefault() }),
    });
    construct.permissionSet!.addAssignment({ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: [ACCOUNT_C] });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`account ${ACCOUNT_C}, Regions [^:]*: no forwarder watches`));
  });

  test('a service-managed StackSet over the organization is taken to cover the member accounts', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_B, ACCOUNT_C),
      organizationId: 'o-a1b2c3d4e5',
      forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['r-ab12'], regions: CommercialRegions.enabledByDefault() }),
    });
    expect(stackSets(stack)[0].PermissionModel).toBe('SERVICE_MANAGED');
  });

  test('but never the home account, where it does not deploy: an invoke role there fails synthesis, naming the fix', () => {
    const { stack } = access({
      trustedPrincipals: [DEVELOPERS],
      organizationId: 'o-a1b2c3d4e5',
      forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['r-ab12'], regions: CommercialRegions.enabledByDefault() }),
    });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`account ${ACCOUNT_A}, Regions ap-northeast-1, [^:]*us-east-2[^:]*: no forwarder watches invoke role 'ClaudeCodeBedrockInvoke'`
      + '[^\\n]*never deploys to the organization\'s management account'));
  });

  test('no invoke role and no assignment, no StackSet', () => {
    expect(stackSets(access({ identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' } }).stack)).toEqual([]);
  });

  test('the platform-account example covers both of its assigned accounts and its home account', () => {
    const us = buildApp(new App()).node.children.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    const assigned = [...new Set(us.access.permissionSet!.assignments.map((a) => a.targetId))];
    expect(assigned).toHaveLength(2);
    const [, whenListed, otherwise] = instances(us).DeploymentTargets.Accounts['Fn::If'];
    expect(whenListed).toEqual(assigned);
    expect(otherwise).toEqual([{ Ref: 'AWS::AccountId' }, ...assigned]);
  });
});

describe('the role-only front door covers every enabled Region of its home account', () => {
  test('a self-managed StackSet over the home account, every Region enabled by default, the home Region skipped by the template', () => {
    const { stack } = access({ trustedPrincipals: [DEVELOPERS] });
    expect(instances(stack)).toEqual({ Regions: CommercialRegions.enabledByDefault(), DeploymentTargets: { Accounts: [ACCOUNT_A] } });
    const body = JSON.parse(stackSets(stack)[0].TemplateBody);
    expect(body.Conditions.NotHomeRegionOfHomeAccount).toBeDefined();
  });

  test('the usage guard makes the StackSet forward model calls', () => {
    const { stack } = access({ trustedPrincipals: [DEVELOPERS] });
    const rules = Object.values(JSON.parse(stackSets(stack)[0].TemplateBody).Resources).filter((r: any) => r.Type === 'AWS::Events::Rule') as any[];
    expect(rules.map((r) => r.Properties.EventPattern.source)).toEqual(expect.arrayContaining([['aws.bedrock']]));
  });

  test('environment-agnostic: the home account is the deploying one, the Regions are the default-enabled list', () => {
    const { stack } = access({ trustedPrincipals: [DEVELOPERS], sourceRegions: ['us-east-1'] }, {});
    expect(instances(stack)).toEqual({ Regions: CommercialRegions.enabledByDefault(), DeploymentTargets: { Accounts: [{ Ref: 'AWS::AccountId' }] } });
    expect(stackSets(stack)[0].Parameters).toEqual(expect.arrayContaining([{ ParameterKey: 'HomeRegion', ParameterValue: { Ref: 'AWS::Region' } }]));
  });

  test('environment-agnostic with forwarders that leave a Region out: the failure says the home Region cannot stand in for it', () => {
    const { stack } = access({
      trustedPrincipals: [DEVELOPERS],
      sourceRegions: ['us-east-1'],
      forwarders: ForwarderStackSet.selfManaged({ includeHomeAccount: true, regions: CommercialRegions.enabledByDefault().filter((r) => r !== 'us-west-2') }),
    }, {});
    expect(() => Template.fromStack(stack)).toThrow(/the home account, Region us-west-2: no forwarder watches invoke role[^\n]*has no Region at synth[^\n]*give it an env region/);
  });

  test('a source Region outside the default-enabled list is covered too', () => {
    const { stack } = access({ trustedPrincipals: [DEVELOPERS], model: ModelReference.parse('eu.anthropic.claude-sonnet-4-6'), smallFastModel: ModelReference.parse('eu.anthropic.claude-haiku-4-5-20251001-v1:0'), sourceRegions: ['eu-south-1'] });
    expect(instances(stack).Regions).toContain('eu-south-1');
  });
});

describe('opt-in Regions', () => {
  test('the default Regions leave out every opt-in Region, and keep us-east-1, where IAM is logged', () => {
    const defaults = CommercialRegions.enabledByDefault();
    expect(defaults).toContain('us-east-1');
    for (const optIn of ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-central-1', 'il-central-1', 'ca-west-1', 'mx-central-1']) {
      expect(defaults).not.toContain(optIn);
      expect(CommercialRegions.all()).toContain(optIn);
    }
  });

  test('declared ones are covered by the default forwarders', () => {
    const { stack } = access({ identityCenter: identityCenter(ACCOUNT_B), optInRegions: ['eu-south-1', 'ap-east-1'] });
    expect(instances(stack).Regions).toEqual([...CommercialRegions.enabledByDefault(), 'ap-east-1', 'eu-south-1'].sort());
  });

  test('declared ones that given forwarders leave out fail synthesis, naming them', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_B),
      optInRegions: ['eu-south-1'],
      forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_B], regions: CommercialRegions.enabledByDefault() }),
    });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`account ${ACCOUNT_B}, Region eu-south-1: no forwarder watches`));
  });

  test('a name that is no commercial Region is refused, naming it', () => {
    expect(() => access({ identityCenter: identityCenter(ACCOUNT_B), optInRegions: ['eu-south-9'] })).toThrow(/optInRegions: 'eu-south-9' is not a commercial AWS Region/);
  });
});

describe('acknowledged gaps', () => {
  const leavingOut = (region: string, acknowledgedCoverageGaps: ClaudeCodeBedrockAccessProps['acknowledgedCoverageGaps']) => access({
    identityCenter: identityCenter(ACCOUNT_B),
    forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_B], regions: CommercialRegions.enabledByDefault().filter((r) => r !== region) }),
    acknowledgedCoverageGaps,
  });

  test('become a synth warning naming the account, the Region and the reason', () => {
    const { stack } = leavingOut('sa-east-1', [{ region: 'sa-east-1', reason: 'an SCP denies every action in sa-east-1' }]);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`an SCP denies every action in sa-east-1.*account ${ACCOUNT_B}, Region sa-east-1`));
    expect(warnings).toHaveLength(1);
  });

  test('for another account leave the gap an error', () => {
    const { stack } = leavingOut('sa-east-1', [{ region: 'sa-east-1', account: ACCOUNT_C, reason: 'not this one' }]);
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`account ${ACCOUNT_B}, Region sa-east-1: no forwarder watches`));
  });

  test.each([
    [{ region: 'Ireland', reason: 'x' }, /'Ireland' is not an AWS Region name/],
    [{ region: 'eu-west-1', reason: ' ' }, /the gap in eu-west-1 has no reason/],
    [{ region: 'eu-west-1', account: '1234', reason: 'x' }, /account '1234' is not a 12-digit/],
  ])('bad input %j', (ack, message) => {
    expect(() => leavingOut('eu-west-1', [ack])).toThrow(message);
  });
});

describe('trails', () => {
  const bodyOf = (stack: Stack) => JSON.parse(stackSets(stack)[0].TemplateBody);

  test('by default, the StackSet holds a member trail, skipped in the home account', () => {
    const body = bodyOf(access({ identityCenter: identityCenter(ACCOUNT_B) }).stack);
    const trail = Object.values(body.Resources).find((r: any) => r.Type === 'AWS::CloudTrail::Trail') as any;
    expect(trail.Condition).toBe('MemberTrailHere');
    expect(trail.Properties).toMatchObject({ IsMultiRegionTrail: true, IsLogging: true, IncludeGlobalServiceEvents: true });
  });

  test('a declared organization trail means no trail anywhere', () => {
    const { stack } = access({ identityCenter: identityCenter(ACCOUNT_B), trail: DetectionTrail.existing('organization trail in the management account') });
    Template.fromStack(stack).resourceCountIs('AWS::CloudTrail::Trail', 0);
    expect(Object.values(bodyOf(stack).Resources).filter((r: any) => r.Type === 'AWS::CloudTrail::Trail')).toEqual([]);
  });
});

describe('hand-placed forwarders', () => {
  function withHandPlaced(forwardModelCalls: boolean | undefined) {
    const { app, stack } = access({
      trustedPrincipals: [DEVELOPERS],
      forwarders: ForwarderStackSet.selfManaged({ includeHomeAccount: true, regions: CommercialRegions.enabledByDefault().filter((r) => r !== 'eu-west-1') }),
    });
    const ireland = new Stack(app, 'Ireland', { env: { region: 'eu-west-1', account: ACCOUNT_A } });
    new NonBedrockCallForwarder(ireland, 'Forwarder', { centralEventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/bedrock-misuse-detection', roleNames: ['ClaudeCodeBedrockInvoke'], forwardModelCalls });
    return { stack, ireland };
  }

  test('count for their account and Region when they carry model calls', () => {
    const { stack } = withHandPlaced(true);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fail synthesis, naming the forwarder and the prop, when a usage guard counts model calls they do not carry', () => {
    const { stack } = withHandPlaced(false);
    expect(() => Template.fromStack(stack)).toThrow(/forwarder Ireland\/Forwarder watches the identities of Platform\/ClaudeCode\/Detection, whose usage guard counts model calls, but does not forward them[^\n]*set forwardModelCalls: true/);
  });

  test('warn when forwardModelCalls is left out, and only then', () => {
    const warnings = (forwardModelCalls: boolean | undefined) => {
      const ireland = new Stack(new App(), 'Ireland', { env: { region: 'eu-west-1', account: ACCOUNT_A } });
      new NonBedrockCallForwarder(ireland, 'Forwarder', { centralEventBusArn: 'arn:aws:events:us-east-1:111122223333:event-bus/bedrock-misuse-detection', roleNames: ['ClaudeCodeBedrockInvoke'], forwardModelCalls });
      return Annotations.fromStack(ireland).findWarning('*', Match.stringLikeRegexp('forwardModelCalls is not set'));
    };
    expect(warnings(undefined)).toHaveLength(1);
    expect(warnings(false)).toHaveLength(0);
  });

  test('left out with a usage guard on the same identities in this app, synthesis fails', () => {
    expect(synthError(withHandPlaced(undefined).stack)).toMatch(/does not forward them/);
  });
});
