/** How bad a finding is, worst first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** One thing the doctor found, with what to do about it. */
export interface Finding {
  /** Stable identifier, for scripts that read `--json`. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what is wrong, naming the value. */
  readonly title: string;
  /** Why it matters and where the value came from. */
  readonly detail: string;
  /** What to do; absent when there is nothing to do. */
  readonly fix?: string;
  /** True when a check could not run; the detail says why. */
  readonly unknown?: boolean;
}

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * Exit codes: 0 nothing worse than low, 1 medium, 2 high, 3 critical.
 * 4 means the command itself could not run (bad arguments, unreadable files, a bug).
 */
export const EXIT_CODE_BY_SEVERITY: Readonly<Record<Severity, number>> = {
  critical: 3,
  high: 2,
  medium: 1,
  low: 0,
  info: 0,
};

/** The command could not do its job: bad arguments, an unreadable file, an unexpected error. */
export const EXIT_COMMAND_FAILED = 4;

/** The worst severity among the findings, or undefined when there are none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s));
}

/** The process exit code for a list of findings. */
export function exitCodeFor(findings: readonly Finding[]): number {
  const worst = worstSeverity(findings);
  return worst ? EXIT_CODE_BY_SEVERITY[worst] : 0;
}

/** Findings ordered worst first, then by id, so output is stable from run to run. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.id.localeCompare(b.id));
}
