import { App, Stack } from 'aws-cdk-lib';
import { exampleBaseline, examplePermissionSet } from './fixtures/baseline';
import { ACCOUNT, GUARD_POLICY_ARN, INVOKE_POLICY_ARN, invokeRoleItem, invokeTrust, SSO_ROLE_NAME, ssoRoleItem, ssoTrust } from './fixtures/role-items';
import { BedrockPermissionSet, ModelReference, PermissionSetBoundary } from '../../lib';
import { DriftBaseline } from '../../lib/drift/baseline';
import { permissionSetBaseline } from '../../lib/drift/baseline-builder';
import { ConfigurationItem } from '../../lib/drift/configuration-item';
import { Compliance, evaluate } from '../../lib/drift/evaluate';
import { containedUsersStatement } from '../../lib/models/identity-center-deny-list';

const baseline: DriftBaseline = exampleBaseline();
const { inlinePolicy } = examplePermissionSet();
const sso = (doc: unknown = inlinePolicy) => [{ policyName: 'AwsSSOInlinePolicy', policyDocument: doc }];
/** The deployed trust with each statement's conditions changed. */
const trustWith = (change: (condition: any) => void) => {
  const trust = invokeTrust();
  trust.Statement.forEach((st: any) => change(st.Condition));
  return trust;
};
const allow = (action: unknown, extra: object = {}) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*', ...extra }] });

/** Another role of the account, recorded with its own id, name and ARN. */
function otherRole(name: string): ConfigurationItem {
  const item = invokeRoleItem();
  return { ...item, resourceId: 'AROA3XFRBF23EXAMPLE9', resourceName: name, configuration: { ...(item.configuration as object), roleName: name, roleId: 'AROA3XFRBF23EXAMPLE9', arn: `arn:aws:iam::${ACCOUNT}:role/${name}` } };
}

/** Each drift a platform team has seen or feared, as Config would report the role afterwards. */
const scenarios: Array<[string, ConfigurationItem, Compliance, RegExp]> = [
  ['the invoke role as deployed', invokeRoleItem(), 'COMPLIANT', /^Invoke role .* matches its baseline: nothing widened$/],
  ['a tag added to the invoke role', invokeRoleItem({ tags: [{ key: 'cost-center', value: 'ml-platform' }] }), 'COMPLIANT', /nothing widened/],
  ['AdministratorAccess attached "for an incident"', invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess'] }),
    'NON_COMPLIANT', /drifted: extra AWS-managed policy AdministratorAccess/],
  ['a customer-managed S3 policy attached', invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, `arn:aws:iam::${ACCOUNT}:policy/team/ArtifactBucketWrite`] }),
    'NON_COMPLIANT', /extra customer-managed policy ArtifactBucketWrite/],
  ['an inline policy allowing s3:*', invokeRoleItem({ inline: [{ policyName: 'debug-s3', policyDocument: allow('s3:*') }] }),
    'NON_COMPLIANT', /inline policy debug-s3 allows s3:\*/],
  ['an inline policy allowing everything', invokeRoleItem({ inline: [{ policyName: 'break-glass', policyDocument: allow('*') }] }),
    'NON_COMPLIANT', /inline policy break-glass allows \*/],
  ['an inline policy allowing bedrock:* (agents, knowledge bases, model import)', invokeRoleItem({ inline: [{ policyName: 'bedrock-all', policyDocument: allow(['bedrock:InvokeModel', 'bedrock:*']) }] }),
    'NON_COMPLIANT', /allows bedrock:InvokeModel, bedrock:\*/],
  ['an inline Allow with NotAction', invokeRoleItem({ inline: [{ policyName: 'all-but-iam', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }] }),
    'NON_COMPLIANT', /all-but-iam allows everything but iam:\* \(NotAction\)/],
  ['an inline policy that only narrows is still a new policy: the baseline is exact', invokeRoleItem({
    inline: [{
      policyName: 'no-streaming',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'bedrock:InvokeModelWithResponseStream', Resource: '*' }, { Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }],
      },
    }],
  }), 'NON_COMPLIANT', /new inline policy no-streaming/],
  ['the deny guard detached', invokeRoleItem({ managed: [INVOKE_POLICY_ARN] }), 'NON_COMPLIANT', /deny guard ClaudeCodeBedrock-ClaudeCodeInvokeRoleGuard-G7H8I9J0K1L2 detached/],
  ['the guard swapped for a look-alike', invokeRoleItem({ managed: [INVOKE_POLICY_ARN, `arn:aws:iam::${ACCOUNT}:policy/ClaudeCodeGuardRelaxed`] }),
    'NON_COMPLIANT', /deny guard .* detached; extra customer-managed policy ClaudeCodeGuardRelaxed/],
  ['the boundary removed', invokeRoleItem({ boundary: null }), 'NON_COMPLIANT', /permissions boundary removed/],
  ['the boundary replaced by PowerUserAccess', invokeRoleItem({ boundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }), 'NON_COMPLIANT', /boundary replaced by PowerUserAccess/],
  ['the trust opened to another account', invokeRoleItem({
    trust: {
      Version: '2012-10-17',
      Statement: [
        (invokeTrust() as any).Statement[0],
        { Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 'sts:AssumeRole' },
      ],
    },
  }), 'NON_COMPLIANT', /trust policy lets in new principal arn:aws:iam::444455556666:root/],
  ['the trust opened to everyone', invokeRoleItem({ trust: invokeTrust({ principal: '*' }) }), 'NON_COMPLIANT', /new principal \*/],
  ['the source identity requirement dropped', invokeRoleItem({ trust: trustWith((c) => { delete c.StringEquals?.['sts:SourceIdentity']; delete c.StringLike?.['sts:SourceIdentity']; }) }),
    'NON_COMPLIANT', /trust for arn:aws:iam::111122223333:root lacks .*sts:SourceIdentity/],
  ['the developer tag loosened to any value', invokeRoleItem({ trust: trustWith((c) => { c.StringLike['aws:RequestTag/developer'] = '*'; }) }),
    'NON_COMPLIANT', /lacks StringLike aws:RequestTag\/developer/],
  ['sessions raised to 12 hours', invokeRoleItem({ maxSessionDuration: 43200 }), 'NON_COMPLIANT', /max session 12 h, over 1 h/],
  ['the invoke role deleted', invokeRoleItem({ status: 'ResourceDeleted' }), 'NOT_APPLICABLE', /was deleted/],
  ['a role nobody watches', otherRole('ci-deployer'), 'NOT_APPLICABLE', /out of scope/],
  ['the permission-set role as provisioned', ssoRoleItem(sso()), 'COMPLIANT', /^Permission set ClaudeCodeBedrock role matches its baseline/],
  ['AdministratorAccess on a permission-set role', ssoRoleItem(sso(), { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] }),
    'NON_COMPLIANT', /extra AWS-managed policy AdministratorAccess.*re-provision permission set ClaudeCodeBedrock/],
  ['s3:* slipped into the guard\'s NotAction', ssoRoleItem(sso({
    ...inlinePolicy,
    Statement: inlinePolicy.Statement.map((s: any) => (s.Sid === 'DenyAllButBedrockInvoke' ? { ...s, NotAction: [...s.NotAction, 's3:*'] } : s)),
  })), 'NON_COMPLIANT', /AwsSSOInlinePolicy statement DenyAllButBedrockInvoke changed \(actions\)/],
  ['a permission-set role whose users containment denied', ssoRoleItem(sso({
    ...inlinePolicy, Statement: [...inlinePolicy.Statement, containedUsersStatement(['a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f'])],
  })), 'COMPLIANT', /matches its baseline/],
  ['containment\'s statement on a permission-set role widened to any user', ssoRoleItem(sso({
    ...inlinePolicy, Statement: [...inlinePolicy.Statement, { ...containedUsersStatement(['a1b2c3d4-1a2b-3c4d-5e6f-7a8b9c0d1e2f']), Effect: 'Allow' }],
  })), 'NON_COMPLIANT', /AwsSSOInlinePolicy new statement ContainedIdentityCenterUsers/],
  ['the inline policy deleted from a permission-set role', ssoRoleItem([]), 'NON_COMPLIANT', /AwsSSOInlinePolicy removed, and the deny guard with it/],
  ['a second inline policy on a permission-set role', ssoRoleItem([...sso(), { policyName: 'extra', policyDocument: allow('sts:GetCallerIdentity') }]),
    'NON_COMPLIANT', /inline policy extra allows sts:GetCallerIdentity/],
  ['the SAML audience condition dropped', ssoRoleItem(sso(), { trust: ssoTrust({}) }), 'NON_COMPLIANT', /lacks StringEquals SAML:aud/],
  ['the role of a set whose name only starts the same', ssoRoleItem(sso(), { name: 'AWSReservedSSO_ClaudeCodeBedrock_Admin_635426549a280cc6' }), 'NOT_APPLICABLE', /out of scope/],
];

describe('evaluate', () => {
  test.each(scenarios)('%s', (_name, item, compliance, annotation) => {
    const verdict = evaluate(item, baseline);
    expect(verdict.compliance).toBe(compliance);
    expect(verdict.annotation).toMatch(annotation);
    expect(verdict.annotation.length).toBeLessThanOrEqual(256);
  });

  test('the table covers at least twelve drifts', () => {
    expect(scenarios.filter(([, , c]) => c === 'NON_COMPLIANT').length).toBeGreaterThanOrEqual(12);
  });

  test('reads documents already decoded the same as URL-encoded ones', () => {
    const parts = { inline: [{ policyName: 'debug-s3', policyDocument: allow('s3:GetObject') }], maxSessionDuration: 7200 };
    expect(evaluate(invokeRoleItem({ ...parts, decoded: true }), baseline)).toEqual(evaluate(invokeRoleItem(parts), baseline));
  });

  test('reads an item whose configuration is a JSON string, as the query APIs return it', () => {
    const item = invokeRoleItem({ boundary: null });
    expect(evaluate({ ...item, configuration: JSON.stringify(item.configuration) }, baseline).annotation).toMatch(/boundary removed/);
  });

  test('missing optional fields are not drift', () => {
    const item = invokeRoleItem();
    const { rolePolicyList: _r, tags: _t, maxSessionDuration: _m, ...rest } = item.configuration as any;
    expect(evaluate({ ...item, configuration: rest }, baseline).compliance).toBe('COMPLIANT');
  });

  test('an item without configuration fails closed', () => {
    expect(evaluate({ ...invokeRoleItem(), configuration: null }, baseline).compliance).toBe('NON_COMPLIANT');
  });

  test('many drifts still fit in 256 characters and say how many more there are', () => {
    const item = invokeRoleItem({
      managed: [INVOKE_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::aws:policy/IAMFullAccess'],
      boundary: null,
      inline: [{ policyName: 'a', policyDocument: allow('s3:*') }, { policyName: 'b', policyDocument: allow('ec2:*') }],
      trust: invokeTrust({ principal: '*' }),
      maxSessionDuration: 43200,
    });
    const verdict = evaluate(item, baseline);
    expect(verdict.drifts.length).toBe(9);
    expect(verdict.annotation.length).toBeLessThanOrEqual(256);
    expect(verdict.annotation).toMatch(/\(\+\d+ more\)/);
  });

  test('with auto-revert on, a permission-set role says why it was not reverted', () => {
    const verdict = evaluate(ssoRoleItem(sso(), { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] }), exampleBaseline(true));
    expect(verdict.annotation).toMatch(/Not reverted: IAM Identity Center owns this role; re-provision permission set ClaudeCodeBedrock\.$/);
  });

  test('the SSO role name in the fixtures is one the set matches', () => {
    expect(examplePermissionSet().set.matchesRoleName(SSO_ROLE_NAME)).toBe(true);
  });
});

describe('a permission set with a boundary', () => {
  const bounded = (boundary: PermissionSetBoundary): DriftBaseline => {
    const stack = new Stack(new App(), 'Bounded', { env: { region: 'us-east-1' } });
    const set = new BedrockPermissionSet(stack, 'Set', {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      permissionSetName: 'ClaudeCodeBedrock',
      models: [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')],
      permissionsBoundary: boundary,
    });
    return { ...exampleBaseline(), sets: [permissionSetBaseline(set)] };
  };
  const customer = bounded(PermissionSetBoundary.customerManaged('BedrockOnly', '/boundaries/'));
  const awsManaged = bounded(PermissionSetBoundary.awsManaged('arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess'));

  test('the customer-managed boundary in this account is compliant, by path and name', () => {
    expect(evaluate(ssoRoleItem(sso(), { boundary: `arn:aws:iam::${ACCOUNT}:policy/boundaries/BedrockOnly` }), customer).compliance).toBe('COMPLIANT');
  });

  test('a removed or replaced boundary is drift', () => {
    expect(evaluate(ssoRoleItem(sso()), customer).annotation).toMatch(/permissions boundary removed/);
    expect(evaluate(ssoRoleItem(sso(), { boundary: `arn:aws:iam::${ACCOUNT}:policy/BedrockOnly` }), customer).annotation).toMatch(/boundary replaced by BedrockOnly/);
    expect(evaluate(ssoRoleItem(sso(), { boundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }), awsManaged).annotation).toMatch(/boundary replaced by PowerUserAccess/);
  });

  test('an AWS-managed boundary is compared by ARN', () => {
    expect(evaluate(ssoRoleItem(sso(), { boundary: 'arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess' }), awsManaged).compliance).toBe('COMPLIANT');
  });
});
