import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AssignmentPrincipalType, BedrockInvokeRole, BedrockPermissionSet, ModelReference } from '../../lib';
import { BedrockDriftRule, ConfigRecorder } from '../../lib/drift';
import { addCompliancePacks, synthWithReport } from '../shared/compliance';

/** The AWS documentation's example account: where developers work. */
const DEVELOPER_ACCOUNT = '111122223333';
/** Placeholders of the right shape for your Identity Center instance and developers' group. */
const IDENTITY_CENTER_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const DEVELOPERS_GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';

/**
 * The invoke role and the permission set, watched by an AWS Config rule in us-east-1 (record IAM in
 * one Region only). The account has no recorder yet, so the rule creates one; drift on the invoke
 * role is undone and every compliance change goes to an encrypted topic.
 */
export class DriftWatchedStack extends Stack {
  public readonly invokeRole: BedrockInvokeRole;
  public readonly permissionSet: BedrockPermissionSet;
  public readonly driftRule: BedrockDriftRule;
  public readonly alerts: sns.Topic;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const models = [
      ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
      ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
    ];
    this.invokeRole = new BedrockInvokeRole(this, 'ClaudeCodeInvokeRole', {
      models,
      trustedPrincipals: [new iam.AccountPrincipal(DEVELOPER_ACCOUNT)],
      requiredSessionTags: ['developer'],
      requireSourceIdentity: true,
    });
    this.permissionSet = new BedrockPermissionSet(this, 'ClaudeCodePermissionSet', {
      instanceArn: IDENTITY_CENTER_INSTANCE,
      models,
      assignments: [{ principalType: AssignmentPrincipalType.GROUP, principalId: DEVELOPERS_GROUP, accountIds: [DEVELOPER_ACCOUNT] }],
    });

    const alertKey = new kms.Key(this, 'AlertKey', { description: 'Encrypts Bedrock drift alerts', enableKeyRotation: true });
    // EventBridge publishes to the encrypted topic, so it must be able to use the key.
    alertKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    this.alerts = new sns.Topic(this, 'DriftAlerts', { masterKey: alertKey, enforceSSL: true });

    this.driftRule = new BedrockDriftRule(this, 'BedrockDrift', {
      roles: [this.invokeRole],
      permissionSets: [this.permissionSet],
      recorder: ConfigRecorder.create(),
      alertTopic: this.alerts,
      autoRevert: true,
    });
  }
}

/** Builds the example app; tests call this too, so what `cdk synth` prints is what they check. */
export function buildApp(app: App = new App()): App {
  new DriftWatchedStack(app, 'ClaudeCodeBedrockDrift', { env: { region: 'us-east-1' } });
  addCompliancePacks(app);
  return app;
}

if (require.main === module) {
  synthWithReport(buildApp());
}
