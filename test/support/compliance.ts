import { IConstruct } from 'constructs';
import { compliancePacks, complianceReport } from '../../examples/shared/compliance';

/** Jest cases: each cdk-nag pack finds nothing unacknowledged, and each acknowledgement says why. */
export function describeCompliance(app: IConstruct): void {
  test.each(compliancePacks().map((p) => [p.readPackName, p] as const))('%s has no unacknowledged finding', (_name, pack) => {
    const report = pack.validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} on ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('every acknowledgement names the finding and carries a specific reason', () => {
    const lines = complianceReport(app).split('\n').filter((l) => l.startsWith('    '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/: (AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+(\[[^\]]+\])?: .{40,}/);
    }
  });
}
