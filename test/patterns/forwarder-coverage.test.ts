import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, PlatformAccountStack } from '../../examples/platform-account/app';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, ClaudeCodeBedrockAccessProps, CommercialRegions, ForwarderStackSet, ModelReference } from '../../lib';
import { ACCOUNT_A, ACCOUNT_B } from '../support/template-policies';

const GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';
const ACCOUNT_C = '777788889999';
const identityCenter = (...accountIds: string[]) => ({
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds }],
});

function access(props: Partial<ClaudeCodeBedrockAccessProps>) {
  const stack = new Stack(new App(), 'Platform', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  const construct = new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
    model: ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
    smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
    ...props,
  });
  return { stack, construct };
}

const stackSets = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties);

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

  test('given forwarders that leave an assigned account out, synthesis fails naming it', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_A, ACCOUNT_B, ACCOUNT_C),
      forwarders: ForwarderStackSet.selfManaged({ accounts: [ACCOUNT_A], regions: ['us-east-1'] }),
    });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`assigned in account ${ACCOUNT_B}, where no detection forwarder runs[\\s\\S]*assigned in account ${ACCOUNT_C}`));
  });

  test('an assignment added later to a new account fails synthesis too', () => {
    const { stack, construct } = access({ identityCenter: identityCenter(ACCOUNT_A) });
    construct.permissionSet!.addAssignment({ principalType: AssignmentPrincipalType.GROUP, principalId: GROUP, accountIds: [ACCOUNT_C] });
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`assigned in account ${ACCOUNT_C}, where no detection forwarder runs`));
  });

  test('a service-managed StackSet over the organization is taken to cover them', () => {
    const { stack } = access({
      identityCenter: identityCenter(ACCOUNT_B, ACCOUNT_C),
      organizationId: 'o-a1b2c3d4e5',
      forwarders: ForwarderStackSet.serviceManaged({ organizationalUnitIds: ['r-ab12'], regions: CommercialRegions.enabledByDefault() }),
    });
    expect(stackSets(stack)[0].PermissionModel).toBe('SERVICE_MANAGED');
  });

  test('no assignment, no StackSet', () => {
    expect(stackSets(access({ identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' } }).stack)).toEqual([]);
  });

  test('the platform-account example covers both of its assigned accounts', () => {
    const us = buildApp(new App()).node.children.find((s) => s instanceof PlatformAccountStack) as PlatformAccountStack;
    const assigned = [...new Set(us.access.permissionSet!.assignments.map((a) => a.targetId))];
    expect(assigned).toHaveLength(2);
    expect(stackSets(us)[0].StackInstancesGroup[0].DeploymentTargets.Accounts).toEqual(expect.arrayContaining(assigned));
  });
});

describe('opt-in Regions do not fail the StackSet', () => {
  test('the default Regions leave out every opt-in Region, and keep us-east-1, where IAM is logged', () => {
    const defaults = CommercialRegions.enabledByDefault();
    expect(defaults).toContain('us-east-1');
    for (const optIn of ['af-south-1', 'ap-east-1', 'eu-south-1', 'me-central-1', 'il-central-1', 'ca-west-1', 'mx-central-1']) {
      expect(defaults).not.toContain(optIn);
      // A stand-in check: the full list does have them.
      expect(CommercialRegions.all()).toContain(optIn);
    }
    expect(defaults.every((r) => CommercialRegions.all().includes(r))).toBe(true);
  });
});
