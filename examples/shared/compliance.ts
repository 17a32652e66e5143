import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The four cdk-nag packs the project holds itself to. */
export function compliancePacks(): NagPack[] {
  return [
    new AwsSolutionsChecks(undefined, { verbose: true }),
    new NIST80053R5Checks(undefined, { verbose: true }),
    new HIPAASecurityChecks(undefined, { verbose: true }),
    new PCIDSS321Checks(undefined, { verbose: true }),
  ];
}

/** Runs the packs on every construct of the app at synth; a finding fails synthesis. */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(...compliancePacks());
}

/** One line per pack and one per acknowledged finding with its reason, for the person at the terminal. */
export function complianceReport(app: IConstruct): string {
  const lines = ['cdk-nag report'];
  for (const pack of compliancePacks()) {
    const report = pack.validateScope(app);
    const count = report.violations.reduce((n, v) => n + v.violatingResources.length, 0);
    lines.push(`  ${pack.readPackName.padEnd(16)} ${count === 0 ? 'no findings' : `${count} finding(s): ${report.violations.map((v) => v.ruleName).join(', ')}`}`);
  }
  lines.push('  acknowledged, with the reason:');
  for (const node of app.node.findAll()) {
    for (const entry of node.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        lines.push(`    ${node.node.path}: ${id}: ${reason}`);
      }
    }
  }
  return lines.join('\n');
}

/** What an example does when `cdk synth` runs it: synthesize, then print the cdk-nag report. */
export function synthWithReport(app: App): void {
  app.synth();
  process.stderr.write(`${complianceReport(app)}\n`);
}
