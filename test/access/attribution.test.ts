import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockInvokeRole, BedrockInvokeRoleProps, ModelReference } from '../../lib';
import { AttributedPrincipal } from '../../lib/access/attributed-principal';
import { ACCOUNT_A, ADMINISTRATOR_ACCESS, PolicyJson, rolePolicies } from '../support/template-policies';

const MODELS = [ModelReference.parse('us.anthropic.claude-sonnet-4-6'), ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0')];
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_A}:role/ClaudeCodeBedrockInvoke`;
const GITHUB = `arn:aws:iam::${ACCOUNT_A}:oidc-provider/token.actions.githubusercontent.com`;

function trustOf(props: Partial<BedrockInvokeRoleProps>): PolicyJson {
  const stack = new Stack(new App(), 'Trust', { env: { region: 'us-east-1', account: ACCOUNT_A } });
  new BedrockInvokeRole(stack, 'Invoke', { models: MODELS, roleName: 'ClaudeCodeBedrockInvoke', trustedPrincipals: [new iam.AccountPrincipal(ACCOUNT_A)], ...props });
  return rolePolicies(stack, ACCOUNT_A).trustPolicy;
}

/** A caller, as IAM sees it: an IAM user (aws:username set) or a role session (no user name). */
interface Caller {
  readonly principal: string;
  readonly type: 'User' | 'AssumedRole';
  readonly userName?: string;
}
const alice: Caller = { principal: `arn:aws:iam::${ACCOUNT_A}:user/alice`, type: 'User', userName: 'alice' };
const roleSession: Caller = { principal: `arn:aws:sts::${ACCOUNT_A}:assumed-role/Developers/alice`, type: 'AssumedRole' };

/**
 * IAM's decision on AssumeRole and SetSourceIdentity, both authorized by the trust policy as a
 * resource policy, for a caller whose own policies allow everything.
 */
async function assume(trust: PolicyJson, caller: Caller, sourceIdentity?: string): Promise<string[]> {
  const decisions: string[] = [];
  for (const action of ['sts:AssumeRole', 'sts:SetSourceIdentity']) {
    const context: Record<string, string> = {
      'aws:PrincipalType': caller.type,
      'aws:PrincipalAccount': ACCOUNT_A,
      ...(caller.userName ? { 'aws:username': caller.userName } : {}),
      ...(sourceIdentity !== undefined ? { 'sts:SourceIdentity': sourceIdentity } : {}),
    };
    const result = await runSimulation({
      request: { principal: caller.principal, action, resource: { resource: ROLE_ARN, accountId: ACCOUNT_A }, contextVariables: context },
      identityPolicies: [{ name: 'admin', policy: ADMINISTRATOR_ACCESS }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust,
    }, { simulationMode: 'Strict' });
    if (result.resultType === 'error') {
      throw new Error(JSON.stringify(result.errors));
    }
    decisions.push(result.overallResult);
  }
  return [...new Set(decisions)];
}

describe('an IAM user trusted by ARN: the source identity is bound to its own name', () => {
  const trust = trustOf({ trustedPrincipals: [new iam.ArnPrincipal(alice.principal)] });

  test('its own user name is let in', async () => {
    expect(await assume(trust, alice, 'alice')).toEqual(['Allowed']);
  });

  test('another name, or none, is refused', async () => {
    expect(await assume(trust, alice, 'bob')).not.toContain('Allowed');
    expect(await assume(trust, alice)).not.toContain('Allowed');
  });
});

describe('an account trusted: its IAM users are bound, its role sessions declare a name', () => {
  const trust = trustOf({});

  test('an IAM user of the account: its own name only', async () => {
    expect(await assume(trust, alice, 'alice')).toEqual(['Allowed']);
    expect(await assume(trust, alice, 'bob')).not.toContain('Allowed');
  });

  test('a role session: any name it declares, but never none', async () => {
    expect(await assume(trust, roleSession, 'carol@example.com')).toEqual(['Allowed']);
    expect(await assume(trust, roleSession)).not.toContain('Allowed');
  });

  test('a pattern narrows both', async () => {
    const narrowed = trustOf({ sourceIdentityPattern: '*@example.com' });
    expect(await assume(narrowed, roleSession, 'carol@example.com')).toEqual(['Allowed']);
    expect(await assume(narrowed, roleSession, 'carol')).not.toContain('Allowed');
    // alice's own name does not fit the pattern, so even she is refused: the pattern is for role sessions' names.
    expect(await assume(narrowed, alice, 'alice')).not.toContain('Allowed');
  });

  test('what the construct says about each kind', () => {
    const require = { sessionTagKeys: [], sourceIdentityPattern: '*' };
    expect(new AttributedPrincipal(new iam.ArnPrincipal(alice.principal), require).attribution).toBe('bound');
    expect(new AttributedPrincipal(new iam.AccountPrincipal(ACCOUNT_A), require).attribution).toBe('self-declared');
    expect(new AttributedPrincipal(new iam.ServicePrincipal('ec2.amazonaws.com'), require).attribution).toBe('none');
  });
});

describe('GitHub Actions OIDC: the audience and subject GitHub\'s tokens carry, and no source identity', () => {
  // GitHub Docs, "Configuring OpenID Connect in Amazon Web Services": aud is sts.amazonaws.com, sub is repo:<owner>/<repo>:<context>.
  const provider = (stack: Stack) => iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'GitHub', GITHUB);
  const conditions = {
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
    StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/example-repo:ref:refs/heads/main' },
  };
  function githubRole(c: Record<string, Record<string, string>>) {
    const stack = new Stack(new App(), 'Ci', { env: { region: 'us-east-1', account: ACCOUNT_A } });
    new BedrockInvokeRole(stack, 'Invoke', { models: MODELS, trustedPrincipals: [new iam.OpenIdConnectPrincipal(provider(stack), c)] });
    return Template.fromStack(stack);
  }

  test('the default role (requireSourceIdentity on) can be assumed with a GitHub token: it demands no source identity', () => {
    githubRole(conditions).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: GITHUB }, Condition: conditions }],
      },
    });
    const require = { sessionTagKeys: [], sourceIdentityPattern: '*' };
    const stack = new Stack();
    expect(new AttributedPrincipal(new iam.OpenIdConnectPrincipal(provider(stack), conditions), require).attribution).toBe('identity-provider');
  });

  test.each<[string, Record<string, Record<string, string>>, RegExp]>([
    ['no subject', { StringEquals: conditions.StringEquals }, /has no subject \(:sub\) condition, so any token it issues may assume the role/],
    ['no audience', { StringLike: conditions.StringLike }, /has no audience \(:aud\) condition/],
    ['any subject', { ...conditions, StringLike: { 'token.actions.githubusercontent.com:sub': '*' } }, /accepts any subject/],
    ['another audience', { ...conditions, StringEquals: { 'token.actions.githubusercontent.com:aud': 'https://github.com/example-org' } }, /GitHub's tokens for AWS carry 'sts.amazonaws.com'/],
  ])('refused at synth: %s', (_n, c, message) => {
    expect(() => githubRole(c)).toThrow(message);
  });
});
