import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { BedrockAccessChecks, BedrockInvokeRole, ModelReference } from '../../lib';
import { addCompliancePacks, synthWithReport } from '../shared/compliance';

/**
 * A team's existing service stack (here just its data key) that adds the invoke role for its
 * developers' Claude Code, and runs the Bedrock rule pack next to the usual cdk-nag packs, so any
 * hand-written Bedrock grant in the app is caught at synth.
 */
export class ExistingServiceStack extends Stack {
  public readonly invokeRole: BedrockInvokeRole;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new kms.Key(this, 'DataKey', { enableKeyRotation: true, description: 'The service\'s existing data key' });
    this.invokeRole = new BedrockInvokeRole(this, 'ClaudeCode', {
      models: [
        ModelReference.parse('us.anthropic.claude-sonnet-4-6'),
        ModelReference.parse('us.anthropic.claude-haiku-4-5-20251001-v1:0'),
      ],
      trustedPrincipals: [new iam.AccountPrincipal('111122223333')],
    });
  }
}

/** Builds the example app; tests call this too. */
export function buildApp(app: App = new App()): App {
  new ExistingServiceStack(app, 'ExistingService', { env: { region: 'us-east-1' } });
  addCompliancePacks(app);
  Validations.of(app).addPlugins(new BedrockAccessChecks({ verbose: true }));
  return app;
}

if (require.main === module) {
  synthWithReport(buildApp());
}
