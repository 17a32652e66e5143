import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  AssignmentPrincipalType,
  BedrockInvokeRole,
  ClaudeCodeBedrockAccess,
  ModelReference,
} from '../../lib';
import { addCompliancePacks, synthWithReport } from '../shared/compliance';

/** The AWS documentation's example accounts: where developers work. */
const DEVELOPER_ACCOUNT = '111122223333';
const SANDBOX_ACCOUNT = '444455556666';
/** Placeholders of the right shape for your Identity Center instance and developers' group. */
const IDENTITY_CENTER_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const DEVELOPERS_GROUP = 'a1b2c3d4e5-f6a7b8c9-0123-4567-89ab-cdef01234567';
/** Fixed names, so the forwarders in other Regions can watch them. */
const INVOKE_ROLE_NAME = 'ClaudeCodeBedrockInvoke';
const PERMISSION_SET_NAME = 'ClaudeCodeBedrock';
const HOME_REGION = 'us-east-1';

/**
 * The platform account, with the front door and everything on: Sonnet 4.6 with the small/fast
 * Haiku 4.5 and Opus 4.7 for `/model opus`, an invoke role for automation, a permission set for
 * people, misuse detection with a trail and containment, drift detection, a monthly spend limit and
 * the minute-scale spend-rate cap. Deploy it where Identity
 * Center is administered (the management account or its delegated administrator), in its Region.
 * Detection covers every Region enabled by default in this account and both assigned accounts: the
 * front door deploys a self-managed StackSet of forwarders there, with a trail in each assigned
 * account (each needs the StackSet execution role; docs/coverage.md).
 */
export class PlatformAccountStack extends Stack {
  public readonly access: ClaudeCodeBedrockAccess;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.access = new ClaudeCodeBedrockAccess(this, 'ClaudeCode', {
      model: ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
      smallFastModel: ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      opusModel: ModelReference.parse('us.anthropic.claude-opus-4-7'),
      trustedPrincipals: [new iam.AccountPrincipal(DEVELOPER_ACCOUNT)],
      roleName: INVOKE_ROLE_NAME,
      identityCenter: {
        instanceArn: IDENTITY_CENTER_INSTANCE,
        permissionSetName: PERMISSION_SET_NAME,
        startUrl: 'https://example-company.awsapps.com/start',
        assignments: [{
          principalType: AssignmentPrincipalType.GROUP,
          principalId: DEVELOPERS_GROUP,
          accountIds: [DEVELOPER_ACCOUNT, SANDBOX_ACCOUNT],
        }],
      },
      alertEmails: ['security@example.com'],
      containment: true,
      // The month's backstop: alerts at 80 %, and at the limit stops the invoke role.
      monthlySpendLimitUsd: 20000,
      // The stop in minutes: $10 in 5 minutes alerts, $20 stops, in every account and Region covered.
      spendRateCap: {
        enabled: true,
        alertUsd: 10,
        stopUsd: 20,
        windowMinutes: 5,
        // Geographic (us.) on-demand prices per million tokens, https://aws.amazon.com/bedrock/pricing/ (2026-12-01).
        prices: [
          { modelId: 'anthropic.claude-sonnet-4-6', inputPerMillionUsd: 3.3, outputPerMillionUsd: 16.5 },
          { modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', inputPerMillionUsd: 1.1, outputPerMillionUsd: 5.5 },
          { modelId: 'anthropic.claude-opus-4-7', inputPerMillionUsd: 5.5, outputPerMillionUsd: 27.5 },
        ],
      },
    });
  }
}

/** A European team calling from Ireland: the EU profile for Sonnet 4.6 and the global profile for Haiku 4.5. */
export class EuropeGlobalStack extends Stack {
  public readonly invokeRole: BedrockInvokeRole;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.invokeRole = new BedrockInvokeRole(this, 'ClaudeCodeInvokeRole', {
      models: [
        ModelReference.parse('eu.anthropic.claude-sonnet-4-6'),
        ModelReference.parse('global.anthropic.claude-haiku-4-5-20251001-v1:0'),
      ],
      sourceRegions: ['eu-west-1'],
      trustedPrincipals: [new iam.AccountPrincipal(DEVELOPER_ACCOUNT)],
    });
  }
}

/** Builds the example app; tests call this too, so what `cdk synth` prints is what they check. */
export function buildApp(app: App = new App()): App {
  new PlatformAccountStack(app, 'ClaudeCodeBedrockUs', { env: { region: HOME_REGION } });
  new EuropeGlobalStack(app, 'ClaudeCodeBedrockEuGlobal', { env: { region: 'eu-west-1' } });
  addCompliancePacks(app);
  return app;
}

if (require.main === module) {
  synthWithReport(buildApp());
}
