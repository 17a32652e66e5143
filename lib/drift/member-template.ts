/** The role the drift function assumes in each member account; fixed, so the function can name it. */
export const MEMBER_ROLE_NAME = 'ClaudeCodeBedrockDriftEvaluation';

/** What the function does in every account it evaluates: read the recorded roles and record its evaluations. */
export const CONFIG_EVALUATION_ACTIONS = [
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'config:ListDiscoveredResources',
  'config:BatchGetResourceConfig',
  'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus',
];

/**
 * The stack each member account gets: a custom Config rule that invokes the drift function in the
 * platform account (AWS DevOps Blog, "How to Centrally Manage AWS Config Rules across Multiple AWS
 * Accounts": Config in the managed account invokes the admin account's function, which assumes a
 * role in the managed account), and that role, trusted by the function's role only.
 */
export function memberTemplate(frequency: string): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Bedrock least-privilege drift: the Config rule of this account and the role the central drift function evaluates it with',
    Parameters: {
      EvaluatorFunctionArn: { Type: 'String', Description: 'The drift function in the platform account' },
      EvaluatorRoleArn: { Type: 'String', Description: 'The drift function\'s role, the only principal this account\'s evaluation role trusts' },
    },
    Resources: {
      EvaluationRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: MEMBER_ROLE_NAME,
          Description: 'Lets the central Bedrock drift function read this account\'s IAM role items from AWS Config and record its evaluations',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: { Ref: 'EvaluatorRoleArn' } }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{
            PolicyName: 'ReadRoleItemsAndRecordEvaluations',
            PolicyDocument: {
              Version: '2012-10-17',
              // None of these calls takes a resource, so IAM grants them only on *.
              Statement: [{ Effect: 'Allow', Action: CONFIG_EVALUATION_ACTIONS, Resource: '*' }],
            },
          }],
        },
      },
      DriftRule: {
        Type: 'AWS::Config::ConfigRule',
        DependsOn: 'EvaluationRole',
        Properties: {
          Description: 'Bedrock least-privilege drift of the permission-set roles in this account, evaluated by the platform account',
          Source: {
            Owner: 'CUSTOM_LAMBDA',
            SourceIdentifier: { Ref: 'EvaluatorFunctionArn' },
            SourceDetails: [
              { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
              { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
              { EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: frequency },
            ],
          },
          Scope: { ComplianceResourceTypes: ['AWS::IAM::Role'] },
        },
      },
    },
  };
}
