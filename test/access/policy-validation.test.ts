import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildApp as driftApp } from '../../examples/drift/app';
import { buildApp as existingApp } from '../../examples/existing-app/app';
import { buildApp as organizationApp } from '../../examples/organization/app';
import { buildApp as platformApp } from '../../examples/platform-account/app';
import {
  BedrockApiKeys, BedrockInvokeRole, BedrockPermissionSet, DestinationRegions, Geography, Guardrail, InvokeScopeProps, ModelCatalog, ModelReference,
  PermissionSetBoundary,
} from '../../lib';
import { HAIKU, SONNET } from '../support/decisions';
import { validatePolicy } from '../support/policy-validator';

const US_MODEL_IDS = ModelCatalog.builtIn().modelIds().filter((id) => ModelCatalog.builtIn().routes(id, Geography.US).length > 0);

interface NamedPolicy { readonly where: string; readonly document: unknown }

const ACCOUNT = '111122223333';
const PSEUDO: Record<string, string> = { 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::URLSuffix': 'amazonaws.com' };

/** The ARN a resource of a CloudFormation type has, for the types these stacks reference from policies. */
const ARN_OF_TYPE: Record<string, (name: string) => string> = {
  'AWS::IAM::ManagedPolicy': (n) => `arn:aws:iam::${ACCOUNT}:policy/${n}`,
  'AWS::IAM::Role': (n) => `arn:aws:iam::${ACCOUNT}:role/${n}`,
  'AWS::SNS::Topic': (n) => `arn:aws:sns:us-east-1:${ACCOUNT}:${n}`,
  'AWS::SQS::Queue': (n) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${n}`,
  'AWS::Logs::LogGroup': (n) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${n}:*`,
  'AWS::KMS::Key': (n) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${n}`,
  'AWS::Events::EventBus': (n) => `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${n}`,
  'AWS::S3::Bucket': (n) => `arn:aws:s3:::${n.toLowerCase()}`,
  'AWS::Lambda::Function': (n) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${n}`,
  'AWS::DynamoDB::Table': (n) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${n}`,
  'AWS::SSO::PermissionSet': (n) => `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-${n}`,
};

/**
 * CloudFormation intrinsics in a policy become what CloudFormation would put there: pseudo parameters,
 * a referenced resource's ARN (Ref of a policy or topic, GetAtt Arn) or its name (Ref inside a Join).
 */
function resolve(value: any, resources: Record<string, any>, inJoin = false): any {
  const arnOf = (id: string) => {
    const type = resources[id]?.Type;
    const build = ARN_OF_TYPE[type];
    if (!build) throw new Error(`test setup: no ARN shape for ${id} of type ${type}; add one to ARN_OF_TYPE`);
    return build(id);
  };
  if (Array.isArray(value)) return value.map((v) => resolve(v, resources, inJoin));
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) return value['Fn::Join'][1].map((v: any) => resolve(v, resources, true)).join(value['Fn::Join'][0]);
    if ('Ref' in value) {
      if (value.Ref in PSEUDO) return PSEUDO[value.Ref];
      const type = resources[value.Ref]?.Type;
      // Ref gives an ARN for policies, topics and queues' URLs aside; a name for the rest.
      return !inJoin && (type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::SNS::Topic') ? arnOf(value.Ref) : value.Ref.toLowerCase();
    }
    if ('Fn::GetAtt' in value) return arnOf(value['Fn::GetAtt'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, resources, inJoin)]));
  }
  return value;
}

/** Every identity policy, boundary and permission-set policy a stack synthesizes. */
function policiesOf(stack: Stack): NamedPolicy[] {
  const resources: Record<string, any> = Template.fromStack(stack).toJSON().Resources ?? {};
  const out: NamedPolicy[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const where = `${stack.stackName}/${id}`;
    if (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') out.push({ where, document: resolve(r.Properties.PolicyDocument, resources) });
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of r.Properties.Policies ?? []) out.push({ where: `${where}/${p.PolicyName}`, document: resolve(p.PolicyDocument, resources) });
    }
    if (r.Type === 'AWS::SSO::PermissionSet' && r.Properties.InlinePolicy) out.push({ where, document: resolve(r.Properties.InlinePolicy, resources) });
  }
  return out;
}

function stacksOf(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => c instanceof Stack);
}

async function findingsIn(policies: NamedPolicy[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of policies) {
    for (const f of await validatePolicy(p.document)) out.push(`${p.where} ${f.sid}: ${f.kind}: ${f.message}`);
  }
  return out;
}

test.each([
  ['platform-account', platformApp],
  ['drift', driftApp],
  ['existing-app', existingApp],
  ['organization', organizationApp],
])('every policy the %s example synthesizes passes offline policy validation', async (_name, build) => {
  const policies = stacksOf(build(new App())).flatMap(policiesOf);
  expect(policies.length).toBeGreaterThan(0);
  expect(await findingsIn(policies)).toEqual([]);
});

describe('every option of the role and the permission set passes offline policy validation', () => {
  const guardrail = Guardrail.fromArn('arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123def456', '2');
  const aip = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
  const scopes: Array<[string, InvokeScopeProps]> = [
    ['geographic and global profiles, listed destinations', {
      models: [ModelReference.parse(`us.${SONNET}`), ModelReference.parse(`global.${HAIKU}`)],
      destinationRegions: DestinationRegions.LISTED,
    }],
    ['a guardrail, short-term keys, VPC endpoint and IP range', {
      models: [ModelReference.parse(`us.${SONNET}`)],
      guardrail,
      apiKeys: BedrockApiKeys.SHORT_TERM,
      allowedVpcEndpoints: ['vpce-0123456789abcdef0'],
      allowedSourceIps: ['203.0.113.0/24'],
    }],
    ['a direct model and an application profile', {
      models: [ModelReference.foundationModel(HAIKU, { regions: ['us-east-1'] }), ModelReference.applicationProfile(aip, ModelReference.parse(`us.${SONNET}`))],
    }],
    ['ten us. models from two Regions, a guardrail and an application profile: the compact form', {
      models: [
        ...US_MODEL_IDS.slice(0, 10).map((id) => ModelReference.crossRegion(Geography.US, id)),
        ModelReference.applicationProfile(aip, ModelReference.parse(`global.${HAIKU}`)),
      ],
      sourceRegions: ['us-east-1', 'us-west-2'],
      guardrail,
    }],
  ];

  test.each(scopes)('%s', async (_name, scope) => {
    const stack = new Stack(new App(), 'Options', { env: { region: 'us-east-1', account: '111122223333' } });
    new BedrockInvokeRole(stack, 'Role', { ...scope, trustedPrincipals: [new iam.AccountPrincipal('111122223333')] });
    new BedrockPermissionSet(stack, 'Set', {
      ...scope,
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      permissionsBoundary: PermissionSetBoundary.customerManaged('ClaudeCodeBoundary'),
    });
    const policies = policiesOf(stack);
    expect(await findingsIn(policies)).toEqual([]);
    if (scope.models.length > 10) {
      expect(JSON.stringify(policies)).toContain('ModelsThroughProfiles');
    }
  });
});

test('the policy shipped before, with ${aws:PrincipalAccount} in the account segment, is refused', async () => {
  const findings = await findingsIn([{
    where: 'before',
    document: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'InvokeInferenceProfiles', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['arn:aws:bedrock:us-east-1:${aws:PrincipalAccount}:inference-profile/us.x'] }],
    },
  }]);
  expect(findings.join('\n')).toMatch(/variable-out-of-place/);
});
