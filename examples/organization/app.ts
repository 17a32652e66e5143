import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BedrockMisuseDetection, CommercialRegions, DetectionTrail, ForwarderStackSet } from '../../lib';
import { addCompliancePacks, synthWithReport } from '../shared/compliance';

/** Placeholders of the right shape for an organization and the OU where developer accounts live. */
const ORGANIZATION_ID = 'o-a1b2c3d4e5';
const DEVELOPER_OU = 'ou-ab12-cdef3456';

/**
 * Organization-wide detection from the platform account: the central bus and alerts here, and one
 * StackSet that puts a forwarder in every enabled Region of every account in the developers' OU,
 * including accounts that join it later. The organization trail already logs every account.
 */
export class OrganizationDetectionStack extends Stack {
  public readonly detection: BedrockMisuseDetection;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.detection = new BedrockMisuseDetection(this, 'Detection', {
      permissionSetNames: ['ClaudeCodeBedrock'],
      roleNames: ['ClaudeCodeBedrockInvoke'],
      organizationId: ORGANIZATION_ID,
      trail: DetectionTrail.existing('organization trail in the management account, all management events, every Region'),
      alertEmails: ['security@example.com'],
      forwarders: ForwarderStackSet.serviceManaged({
        organizationalUnitIds: [DEVELOPER_OU],
        regions: CommercialRegions.all(),
      }),
    });
  }
}

/** Builds the example app; tests call this too. */
export function buildApp(app: App = new App()): App {
  new OrganizationDetectionStack(app, 'ClaudeCodeOrganizationDetection', { env: { region: 'us-east-1' } });
  addCompliancePacks(app);
  return app;
}

if (require.main === module) {
  synthWithReport(buildApp());
}
