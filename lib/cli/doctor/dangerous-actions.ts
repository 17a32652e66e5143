import { Severity } from '../findings';

/** An action a Bedrock-only identity never needs, and how bad it is if the identity may call it. */
export interface DangerousAction {
  readonly action: string;
  readonly severity: Severity;
  /** What an attacker does with it, in a few words. */
  readonly risk: string;
}

/** What leaked credentials are used for first, service by service. */
export const DANGEROUS_ACTIONS: readonly DangerousAction[] = [
  { action: 'iam:CreateUser', severity: 'critical', risk: 'create a user that outlives the session' },
  { action: 'iam:CreateAccessKey', severity: 'critical', risk: 'mint long-lived keys' },
  { action: 'iam:AttachRolePolicy', severity: 'critical', risk: 'grant itself more' },
  { action: 'iam:PutRolePolicy', severity: 'critical', risk: 'grant itself more' },
  { action: 'iam:AttachUserPolicy', severity: 'critical', risk: 'grant a user more' },
  { action: 'iam:UpdateAssumeRolePolicy', severity: 'critical', risk: 'let another account in' },
  { action: 'iam:PassRole', severity: 'high', risk: 'hand a role to a service it starts' },
  { action: 'iam:ListRoles', severity: 'medium', risk: 'map the account' },
  { action: 'sts:AssumeRole', severity: 'high', risk: 'move to other roles' },
  { action: 'secretsmanager:GetSecretValue', severity: 'critical', risk: 'read secrets' },
  { action: 'secretsmanager:ListSecrets', severity: 'medium', risk: 'list secrets' },
  { action: 'ssm:GetParameter', severity: 'high', risk: 'read parameters, often secrets' },
  { action: 'kms:Decrypt', severity: 'high', risk: 'decrypt data' },
  { action: 's3:ListAllMyBuckets', severity: 'medium', risk: 'list buckets' },
  { action: 's3:GetObject', severity: 'high', risk: 'read objects' },
  { action: 's3:PutObject', severity: 'high', risk: 'write objects' },
  { action: 's3:DeleteObject', severity: 'high', risk: 'delete objects' },
  { action: 's3:DeleteBucket', severity: 'high', risk: 'delete buckets' },
  { action: 'ec2:DescribeInstances', severity: 'medium', risk: 'map the network' },
  { action: 'ec2:RunInstances', severity: 'high', risk: 'start instances (crypto mining, pivoting)' },
  { action: 'ec2:TerminateInstances', severity: 'high', risk: 'destroy instances' },
  { action: 'lambda:CreateFunction', severity: 'high', risk: 'run code in the account' },
  { action: 'lambda:UpdateFunctionCode', severity: 'high', risk: 'replace running code' },
  { action: 'lambda:InvokeFunction', severity: 'medium', risk: 'run existing functions' },
  { action: 'dynamodb:Scan', severity: 'high', risk: 'read whole tables' },
  { action: 'cloudtrail:StopLogging', severity: 'critical', risk: 'turn off the audit trail' },
  { action: 'cloudtrail:DeleteTrail', severity: 'critical', risk: 'delete the audit trail' },
  { action: 'organizations:LeaveOrganization', severity: 'critical', risk: 'leave the organization and its guardrails' },
];
