import {
  BatchGetResourceConfigCommand,
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { exampleBaseline, examplePermissionSet } from './fixtures/baseline';
import { exampleDeployment } from './fixtures/example-deployment';
import { testHandler } from './fixtures/handler';
import oversized from './fixtures/oversized-notification.json';
import { BOUNDARY_ARN, GUARD_POLICY_ARN, INVOKE_POLICY_ARN, INVOKE_ROLE_ID, INVOKE_ROLE_NAME, invokeRoleItem, ssoRoleItem } from './fixtures/role-items';
import { DriftBaseline } from '../../lib/drift/baseline';
import { ConfigurationItem } from '../../lib/drift/configuration-item';
import { assumeMemberRole, baselineFromEnvironment, ConfigRuleEvent } from '../../lib/drift/evaluate-role-drift.lambda';

const config = mockClient(ConfigServiceClient);
const iam = mockClient(IAMClient);
const sleeps: number[] = [];
const logs: string[] = [];

function handlerWith(baseline: DriftBaseline = exampleBaseline()) {
  return testHandler({
    sleep: async (ms) => { sleeps.push(ms); },
    baseline: () => baseline,
    log: (line) => logs.push(line),
  });
}

function changeEvent(item: ConfigurationItem, extra: Partial<ConfigRuleEvent> = {}): ConfigRuleEvent {
  return {
    invokingEvent: JSON.stringify({ configurationItem: item, notificationCreationTime: '2026-03-02T09:16:00.000Z', messageType: 'ConfigurationItemChangeNotification' }),
    resultToken: 'result-token-1',
    configRuleName: 'bedrock-drift',
    ...extra,
  };
}

/**
 * The expected policies as deployed, with every statement the drift example synthesizes (the guard's
 * model denies included); IAM returns each default version URL-encoded.
 */
const POLICY_DOCUMENTS: Record<string, unknown> = exampleDeployment().documents;
function policyVersions(documents: Record<string, unknown>): void {
  iam.on(GetPolicyCommand).callsFake((input) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v3' } }));
  iam.on(GetPolicyVersionCommand).callsFake((input) => ({
    PolicyVersion: { VersionId: input.VersionId, IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(documents[input.PolicyArn])) },
  }));
}

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const sent = (command: any) => config.commandCalls(command).map((c) => c.args[0].input as any);

beforeEach(() => {
  config.reset();
  iam.reset();
  sleeps.length = 0;
  logs.length = 0;
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  iam.on(GetRoleCommand).resolves({ Role: { MaxSessionDuration: 3600 } as any });
  policyVersions(POLICY_DOCUMENTS);
});

describe('the drift handler', () => {
  test('a new default version of the guard that stops denying is drift, though the role itself did not change', async () => {
    policyVersions({ ...POLICY_DOCUMENTS, [GUARD_POLICY_ARN]: { Version: '2012-10-17', Statement: [{ Sid: 'Relaxed', Effect: 'Deny', Action: 'iam:*', Resource: '*' }] } });
    await handlerWith()(changeEvent(invokeRoleItem()));
    const evaluation = sent(PutEvaluationsCommand)[0].Evaluations[0];
    expect(evaluation.ComplianceType).toBe('NON_COMPLIANT');
    expect(evaluation.Annotation).toMatch(/guard statement DenyAllButBedrockInvoke removed; guard statement DenyOtherModelsAndProfiles removed/);
    expect(iam.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toContainEqual({ PolicyArn: GUARD_POLICY_ARN, VersionId: 'v3' });
  });

  test('a new default version of an invoke policy that allows s3:* is drift', async () => {
    policyVersions({ ...POLICY_DOCUMENTS, [INVOKE_POLICY_ARN]: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel', 's3:*'], Resource: '*' }] } });
    await handlerWith()(changeEvent(invokeRoleItem()));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].Annotation).toMatch(/policy ClaudeCodeBedrock-ClaudeCodeInvokeRoleInvoke1-A1B2C3D4E5F6 statement InvokeInferenceProfiles removed/);
    const drifts = JSON.parse(logs.find((l) => l.includes('"drifts"'))!).drifts;
    expect(drifts).toContain('policy ClaudeCodeBedrock-ClaudeCodeInvokeRoleInvoke1-A1B2C3D4E5F6 new statement (no Sid) allowing bedrock:InvokeModel,s3:* on *');
  });

  test('the expected policies as deployed are compliant', async () => {
    await handlerWith()(changeEvent(invokeRoleItem()));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].ComplianceType).toBe('COMPLIANT');
  });

  test('a change notification records one evaluation with the capture time and the result token', async () => {
    const item = invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess'] });
    const { maxSessionDuration: _m, ...withoutSession } = item.configuration as any;
    await handlerWith()(changeEvent({ ...item, configuration: withoutSession }));
    expect(sent(PutEvaluationsCommand)).toEqual([{
      ResultToken: 'result-token-1',
      Evaluations: [{
        ComplianceResourceType: 'AWS::IAM::Role',
        ComplianceResourceId: INVOKE_ROLE_ID,
        ComplianceType: 'NON_COMPLIANT',
        Annotation: expect.stringContaining('extra AWS-managed policy AdministratorAccess'),
        OrderingTimestamp: new Date('2026-03-02T09:15:27.311Z'),
      }],
    }]);
    // Config's item has no max session, so the handler reads it from IAM.
    expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: INVOKE_ROLE_NAME });
  });

  test('a max session raised outside Config\'s item is found through GetRole', async () => {
    iam.on(GetRoleCommand).resolves({ Role: { MaxSessionDuration: 43200 } as any });
    const item = invokeRoleItem();
    const { maxSessionDuration: _m, ...withoutSession } = item.configuration as any;
    await handlerWith()(changeEvent({ ...item, configuration: withoutSession }));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].Annotation).toMatch(/max session 12 h, over 1 h/);
  });

  test('an oversized item is fetched with GetResourceConfigHistory and then evaluated', async () => {
    const item = invokeRoleItem({ boundary: null });
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [{ ...item, configurationItemCaptureTime: new Date('2026-03-02T11:40:05.112Z'), configuration: JSON.stringify(item.configuration) } as any],
    });
    await handlerWith()({ invokingEvent: JSON.stringify(oversized), resultToken: 'result-token-2' });
    expect(sent(GetResourceConfigHistoryCommand)).toEqual([{
      resourceType: 'AWS::IAM::Role', resourceId: INVOKE_ROLE_ID, laterTime: new Date('2026-03-02T11:40:05.112Z'), limit: 1,
    }]);
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0]).toMatchObject({ ComplianceType: 'NON_COMPLIANT', Annotation: expect.stringMatching(/permissions boundary removed/) });
  });

  test('a deleted role is NOT_APPLICABLE and IAM is not asked about it', async () => {
    await handlerWith()(changeEvent(invokeRoleItem({ status: 'ResourceDeleted' })));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0]).toMatchObject({ ComplianceType: 'NOT_APPLICABLE', Annotation: expect.stringMatching(/deleted/) });
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
  });

  test('a role that left the rule\'s scope is NOT_APPLICABLE', async () => {
    await handlerWith()(changeEvent(invokeRoleItem(), { eventLeftScope: true }));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].ComplianceType).toBe('NOT_APPLICABLE');
  });

  test('a scheduled run evaluates every watched role, 100 evaluations a call', async () => {
    const { inlinePolicy } = examplePermissionSet();
    const names = Array.from({ length: 149 }, (_, i) => `AWSReservedSSO_ClaudeCodeBedrock_${i.toString(16).padStart(16, '0')}`);
    config.on(ListDiscoveredResourcesCommand)
      .resolvesOnce({ resourceIdentifiers: [{ resourceId: INVOKE_ROLE_ID, resourceName: INVOKE_ROLE_NAME }, { resourceId: 'AROAOTHER', resourceName: 'ci-deployer' }], nextToken: 'page-2' })
      .resolvesOnce({ resourceIdentifiers: names.map((n, i) => ({ resourceId: `AROASSO${i}`, resourceName: n })) });
    config.on(BatchGetResourceConfigCommand).callsFake((input: any) => ({
      baseConfigurationItems: input.resourceKeys.map((k: any) => {
        const item = k.resourceId === INVOKE_ROLE_ID ? invokeRoleItem() : { ...ssoRoleItem([{ policyName: 'AwsSSOInlinePolicy', policyDocument: inlinePolicy }]), resourceId: k.resourceId };
        return { ...item, configuration: JSON.stringify(item.configuration) };
      }),
    }));
    await handlerWith()({
      invokingEvent: JSON.stringify({ awsAccountId: '123456789012', notificationCreationTime: '2026-03-03T00:00:00.000Z', messageType: 'ScheduledNotification' }),
      resultToken: 'result-token-3',
    });
    expect(sent(BatchGetResourceConfigCommand).map((c) => c.resourceKeys.length)).toEqual([100, 50]);
    const batches = sent(PutEvaluationsCommand).map((c) => c.Evaluations);
    expect(batches.map((b) => b.length)).toEqual([100, 50]);
    expect(batches.flat().every((e: any) => e.ComplianceType === 'COMPLIANT' && e.OrderingTimestamp.toISOString() === '2026-03-03T00:00:00.000Z')).toBe(true);
    expect(batches.flat().map((e: any) => e.ComplianceResourceId)).not.toContain('AROAOTHER');
  });

  test('PutEvaluations is retried while throttled, with a doubling pause', async () => {
    config.on(PutEvaluationsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ FailedEvaluations: [] });
    await handlerWith()(changeEvent(invokeRoleItem()));
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(3);
    expect(sleeps).toEqual([200, 400]);
  });

  test('throttling that never ends is logged and fails the invocation after six tries', async () => {
    config.on(PutEvaluationsCommand).rejects(throttled());
    await expect(handlerWith()(changeEvent(invokeRoleItem()))).rejects.toThrow(/PutEvaluations failed .*ThrottlingException/);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(6);
    expect(sleeps).toEqual([200, 400, 800, 1600, 3200]);
    expect(logs.some((l) => l.startsWith('ERROR PutEvaluations failed'))).toBe(true);
  });

  test('an evaluation Config rejects fails the invocation', async () => {
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [{ ComplianceResourceId: INVOKE_ROLE_ID, ComplianceResourceType: 'AWS::IAM::Role', ComplianceType: 'COMPLIANT', OrderingTimestamp: new Date() }] });
    await expect(handlerWith()(changeEvent(invokeRoleItem()))).rejects.toThrow(/Config rejected the evaluation of AROA3XFRBF23EXAMPLE1/);
  });

  test('any other error is not retried and surfaces', async () => {
    config.on(PutEvaluationsCommand).rejects(Object.assign(new Error('token expired'), { name: 'InvalidResultTokenException' }));
    await expect(handlerWith()(changeEvent(invokeRoleItem()))).rejects.toThrow(/InvalidResultTokenException: token expired/);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(1);
  });

  test('with auto-revert, the invoke role gets its guard and boundary back and loses what was added', async () => {
    iam.on(AttachRolePolicyCommand).resolves({});
    iam.on(PutRolePermissionsBoundaryCommand).resolves({});
    iam.on(DetachRolePolicyCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    const item = invokeRoleItem({
      managed: [INVOKE_POLICY_ARN, 'arn:aws:iam::aws:policy/AdministratorAccess'],
      boundary: null,
      inline: [{ policyName: 'debug-s3', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } }],
    });
    await handlerWith(exampleBaseline(true))(changeEvent(item));
    const input = (cmd: any) => iam.commandCalls(cmd).map((c) => c.args[0].input);
    expect(input(AttachRolePolicyCommand)).toEqual([{ RoleName: INVOKE_ROLE_NAME, PolicyArn: GUARD_POLICY_ARN }]);
    expect(input(PutRolePermissionsBoundaryCommand)).toEqual([{ RoleName: INVOKE_ROLE_NAME, PermissionsBoundary: BOUNDARY_ARN }]);
    expect(input(DetachRolePolicyCommand)).toEqual([{ RoleName: INVOKE_ROLE_NAME, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    expect(input(DeleteRolePolicyCommand)).toEqual([{ RoleName: INVOKE_ROLE_NAME, PolicyName: 'debug-s3' }]);
  });

  test('auto-revert never touches a permission-set role', async () => {
    const { inlinePolicy } = examplePermissionSet();
    await handlerWith(exampleBaseline(true))(changeEvent(ssoRoleItem([{ policyName: 'AwsSSOInlinePolicy', policyDocument: inlinePolicy }], { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] })));
    expect(iam.calls()).toHaveLength(0);
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].Annotation).toMatch(/Not reverted: IAM Identity Center owns this role/);
  });

  test('a failed revert is logged and fails the invocation after the evaluation is recorded', async () => {
    iam.on(DetachRolePolicyCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(handlerWith(exampleBaseline(true))(changeEvent(invokeRoleItem({ managed: [INVOKE_POLICY_ARN, GUARD_POLICY_ARN, 'arn:aws:iam::aws:policy/ReadOnlyAccess'] }))))
      .rejects.toThrow(/could not detach arn:aws:iam::aws:policy\/ReadOnlyAccess/);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(1);
  });

  test('a scheduled run that finds no watched role explains a recorder that skips IAM roles', async () => {
    config.on(ListDiscoveredResourcesCommand).resolves({ resourceIdentifiers: [] });
    config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }] });
    config.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] });
    await expect(handlerWith()({ invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification' }), resultToken: 't' }))
      .rejects.toThrow(/recorder default does not record AWS::IAM::Role/);
  });

  test('the baseline is read from the environment, with a clear error when it is missing or stale', () => {
    expect(() => baselineFromEnvironment({})).toThrow(/DRIFT_BASELINE is not set/);
    expect(() => baselineFromEnvironment({ DRIFT_BASELINE: '{"v":0}' })).toThrow(/deploy the stack again/);
    expect(baselineFromEnvironment({ DRIFT_BASELINE: JSON.stringify(exampleBaseline()) }).roles[0].id).toBe(INVOKE_ROLE_ID);
  });
});

describe('a change to one of the library\'s own managed policies', () => {
  /** An AWS::IAM::Policy item as Config records it after a new default version; the handler reads the version from IAM. */
  const policyItem = (arn: string, status = 'OK'): ConfigurationItem => ({
    configurationItemStatus: status,
    configurationItemCaptureTime: '2026-03-02T09:20:11.004Z',
    resourceType: 'AWS::IAM::Policy',
    resourceId: 'ANPA3XFRBF23EXAMPLE7',
    resourceName: arn.split('/').pop(),
    awsRegion: 'global',
    configuration: { policyName: arn.split('/').pop(), policyId: 'ANPA3XFRBF23EXAMPLE7', arn, defaultVersionId: 'v3', policyVersionList: [] } as any,
  });

  test('a new default version of the guard without its model denies is evaluated on the policy\'s own notification', async () => {
    const guard = POLICY_DOCUMENTS[GUARD_POLICY_ARN] as any;
    policyVersions({ ...POLICY_DOCUMENTS, [GUARD_POLICY_ARN]: { ...guard, Statement: guard.Statement.filter((s: any) => s.NotAction) } });
    await handlerWith()(changeEvent(policyItem(GUARD_POLICY_ARN)));
    const evaluation = sent(PutEvaluationsCommand)[0].Evaluations[0];
    expect(evaluation).toMatchObject({ ComplianceResourceType: 'AWS::IAM::Policy', ComplianceResourceId: 'ANPA3XFRBF23EXAMPLE7', ComplianceType: 'NON_COMPLIANT' });
    expect(evaluation.Annotation).toMatch(/^Policy ClaudeCodeBedrock-ClaudeCodeInvokeRoleGuard-G7H8I9J0K1L2 drifted: guard statement DenyOtherModelsAndProfiles removed/);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(0);
  });

  test('the deployed version is compliant, and a policy nobody watches is not applicable', async () => {
    await handlerWith()(changeEvent(policyItem(INVOKE_POLICY_ARN)));
    await handlerWith()(changeEvent(policyItem('arn:aws:iam::123456789012:policy/team/ArtifactBucketWrite')));
    expect(sent(PutEvaluationsCommand).map((c) => c.Evaluations[0].ComplianceType)).toEqual(['COMPLIANT', 'NOT_APPLICABLE']);
  });

  test('auto-revert never acts on a policy item', async () => {
    policyVersions({ ...POLICY_DOCUMENTS, [BOUNDARY_ARN]: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
    await handlerWith(exampleBaseline(true))(changeEvent(policyItem(BOUNDARY_ARN)));
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].Annotation).toMatch(/boundary statement CapAtBedrockInvokeActions removed/);
    expect(iam.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetPolicyCommand', 'GetPolicyVersionCommand']);
  });
});

describe('an event from a member account\'s rule', () => {
  const HOME = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:drift' };
  const memberEvent = (item: ConfigurationItem) => ({ ...changeEvent(item), accountId: '444455556666' });
  const setRole = () => ssoRoleItem([{ policyName: 'AwsSSOInlinePolicy', policyDocument: examplePermissionSet().inlinePolicy }], { managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] });

  test('is evaluated and recorded through the member account\'s client, never reverted', async () => {
    const member = new ConfigServiceClient({});
    const asked: string[][] = [];
    const alerted: string[] = [];
    const handler = testHandler({
      baseline: () => exampleBaseline(true),
      configFor: async (account, partition) => { asked.push([account, partition]); return member; },
      alert: async (m) => { alerted.push(m); },
    });
    await handler(memberEvent(setRole()), HOME);
    expect(asked).toEqual([['444455556666', 'aws']]);
    // Its compliance change reaches only that account's EventBridge, so the function alerts the topic itself.
    expect(alerted).toEqual([expect.stringMatching(/^Bedrock drift: role AROA3XFRBF23EXAMPLE2 in account 444455556666 is now NON_COMPLIANT: .*AdministratorAccess/)]);
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].ComplianceType).toBe('NON_COMPLIANT');
    expect(iam.calls()).toHaveLength(0);
  });

  test('the platform account\'s own rule uses its own client', async () => {
    const handler = testHandler({
      configFor: async () => { throw new Error('not a member'); },
    });
    await handler({ ...changeEvent(invokeRoleItem()), accountId: '123456789012' }, HOME);
    expect(sent(PutEvaluationsCommand)[0].Evaluations[0].ComplianceType).toBe('COMPLIANT');
  });

  test('fails clearly when no member client can be made', async () => {
    await expect(handlerWith()(memberEvent(setRole()), HOME)).rejects.toThrow(/account 444455556666 invoked the drift function, but it evaluates only account 123456789012/);
  });

  test('assumes the member account\'s evaluation role, in the function\'s partition', async () => {
    const sts = mockClient(STSClient);
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() } });
    const client = await assumeMemberRole(new STSClient({}), '444455556666', 'aws-us-gov');
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toEqual({
      RoleArn: 'arn:aws-us-gov:iam::444455556666:role/ClaudeCodeBedrockDriftEvaluation', RoleSessionName: 'bedrock-drift-evaluation', DurationSeconds: 900,
    });
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', sessionToken: 'token' });
    sts.restore();
  });
});
