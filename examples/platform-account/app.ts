import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BedrockInvokeRole, ModelReference } from '../../lib';
import { addCompliancePacks, complianceReport } from '../shared/compliance';

/** The AWS documentation's example account: the developers' account that may assume the role. */
const DEVELOPER_ACCOUNT = '111122223333';

/** A platform account's role for Claude Code in the United States: Sonnet 4.6 and the small/fast Haiku 4.5. */
export class PlatformAccountStack extends Stack {
  public readonly invokeRole: BedrockInvokeRole;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.invokeRole = new BedrockInvokeRole(this, 'ClaudeCodeInvokeRole', {
      models: [
        ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
        ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      ],
      trustedPrincipals: [new iam.AccountPrincipal(DEVELOPER_ACCOUNT)],
      requiredSessionTags: ['developer'],
      requireSourceIdentity: true,
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
  new PlatformAccountStack(app, 'ClaudeCodeBedrockUs', { env: { region: 'us-east-1' } });
  new EuropeGlobalStack(app, 'ClaudeCodeBedrockEuGlobal', { env: { region: 'eu-west-1' } });
  addCompliancePacks(app);
  return app;
}

if (require.main === module) {
  const app = buildApp();
  app.synth();
  process.stderr.write(`${complianceReport(app)}\n`);
}
