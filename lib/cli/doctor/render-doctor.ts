import { Redactor } from '../redact';
import { DoctorReport } from './run-doctor';

/** The report for a person at a terminal, redacted. */
export function renderDoctorText(report: DoctorReport, redactor: Redactor): string {
  const lines: string[] = ['Claude Code on Amazon Bedrock: doctor', '', 'Settings files, lowest precedence first (the shell environment comes before all):'];
  for (const f of report.settingsFiles) {
    lines.push(`  ${f.scope.padEnd(8)}${f.path}${f.found ? (f.error ? ` (${f.error})` : '') : ' (not found)'}`);
  }
  lines.push('', 'What Claude Code will use:');
  const effective = Object.entries(report.effective);
  if (effective.length === 0) {
    lines.push('  nothing Bedrock-related is set');
  }
  for (const [name, v] of effective) {
    lines.push(`  ${name}=${v.value}  (${v.source})`);
  }
  lines.push('', 'Findings, worst first:');
  for (const f of report.findings) {
    lines.push(`  [${f.severity.toUpperCase()}] ${f.title}`);
    lines.push(`      ${f.detail}`);
    if (f.fix) {
      lines.push(`      Fix: ${f.fix}`);
    }
  }
  lines.push('', `Worst: ${report.worstSeverity ?? 'nothing found'} (exit ${report.exitCode}; 0 = fine or low, 1 = medium, 2 = high, 3 = critical)`);
  return redactor.text(`${lines.join('\n')}\n`);
}

/** The report for machines, redacted. */
export function renderDoctorJson(report: DoctorReport, redactor: Redactor): string {
  return `${JSON.stringify(redactor.value(report), null, 2)}\n`;
}
