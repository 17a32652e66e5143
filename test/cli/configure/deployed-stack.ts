import { DescribeStacksCommandOutput, Output } from '@aws-sdk/client-cloudformation';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AssignmentPrincipalType, ClaudeCodeBedrockAccess, ModelReference, SubprocessCredentials } from '../../../lib';
import { ACCOUNT_A, resolveIntrinsics } from '../../support/template-policies';

export const STACK_NAME = 'ClaudeCodePlatform';
export const SONNET = ModelReference.parse('us.anthropic.claude-sonnet-4-6');
export const HAIKU = ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0');
export const IDENTITY_CENTER = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  startUrl: 'https://example-company.awsapps.com/start',
  assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567', accountIds: [ACCOUNT_A] }],
};

/** A stack in us-east-1, as an app would define it. */
export function platformStack(): Stack {
  return new Stack(new App(), STACK_NAME, { env: { region: 'us-east-1' } });
}

/** The front door with a role, a permission set, or both; detection and drift off to keep synthesis quick. */
export function frontDoor(stack: Stack, withRole: boolean, withIdentityCenter: boolean,
  subprocessCredentials?: SubprocessCredentials): ClaudeCodeBedrockAccess {
  return new ClaudeCodeBedrockAccess(stack, 'ClaudeCode', {
    model: SONNET,
    smallFastModel: HAIKU,
    trustedPrincipals: withRole ? [new iam.AccountPrincipal(ACCOUNT_A)] : undefined,
    identityCenter: withIdentityCenter ? IDENTITY_CENTER : undefined,
    detection: false,
    drift: false,
    subprocessCredentials,
  });
}

/** The outputs a real deploy produces: synthesized, with the intrinsics CloudFormation resolves. */
export function deployedOutputs(stack: Stack, account = ACCOUNT_A): Output[] {
  const outputs = Template.fromStack(stack).findOutputs('*');
  return Object.entries(outputs).map(([key, o]) => ({
    OutputKey: key,
    OutputValue: resolveIntrinsics(o.Value, account) as string,
    Description: o.Description as string,
  }));
}

/** DescribeStacks as the CloudFormation API Reference documents its response (Stacks[].Outputs[]), for a stack in `account`. */
export function describeStacksAnswer(outputs: Output[], account = ACCOUNT_A, region = 'us-east-1'): DescribeStacksCommandOutput {
  return {
    $metadata: { httpStatusCode: 200, requestId: '3b5c6a1e-8f2d-4c7b-9e1a-0d2f4b6c8e0a', attempts: 1, totalRetryDelay: 0 },
    Stacks: [{
      StackId: `arn:aws:cloudformation:${region}:${account}:stack/${STACK_NAME}/1c2fa620-982a-11e3-aff7-50e2416294e0`,
      StackName: STACK_NAME,
      Description: 'Claude Code on Amazon Bedrock',
      CreationTime: new Date('2026-11-02T09:14:00Z'),
      LastUpdatedTime: new Date('2026-11-29T16:40:00Z'),
      StackStatus: 'UPDATE_COMPLETE',
      DisableRollback: false,
      NotificationARNs: [],
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: [],
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      Outputs: outputs,
    }],
  };
}

/** The outputs with one output's JSON data changed as an attacker who can update the stack would. */
export function tampered(outputs: Output[], key: string, change: (data: Record<string, any>) => void): Output[] {
  return outputs.map((o) => {
    if (o.OutputKey !== key) {
      return o;
    }
    const data = JSON.parse(o.OutputValue!);
    change(data);
    return { ...o, OutputValue: JSON.stringify(data) };
  });
}
