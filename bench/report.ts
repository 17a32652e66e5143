import * as fs from 'fs';
import * as os from 'os';
import { renderTable, Table } from './table';

/** One target of issue 8, as measured. */
export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** When missed: why, and what would meet it. When met: anything worth knowing. */
  readonly note?: string;
}

/** What one measurement contributes: prose, tables and targets. */
export interface Section {
  readonly title: string;
  /** How it was measured, in a sentence or two each. */
  readonly method: string[];
  readonly tables: Table[];
  readonly notes: string[];
  readonly targets: TargetResult[];
}

export interface RunInfo {
  readonly startedAt: Date;
  readonly seconds: number;
}

/** The machine and toolchain, so numbers can be compared across runs. */
export function environment(): string {
  const cpus = os.cpus();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk = (require('aws-cdk-lib/package.json') as { version: string }).version;
  return `Node.js ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, aws-cdk-lib ${cdk}`;
}

export function targetsTable(sections: Section[]): Table {
  return {
    title: 'Targets',
    headers: ['Target', 'Measured', 'Met'],
    rows: sections.flatMap((s) => s.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**'])),
  };
}

/** Plain text for the terminal: every table, then the targets. */
export function renderTerminal(sections: Section[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`\n== ${s.title} ==`);
    for (const t of s.tables) {
      out.push(`\n${t.title}\n${renderTable(t)}`);
    }
  }
  out.push(`\n== Targets ==\n${renderTable(targetsTable(sections))}`);
  return out.join('\n');
}

/** BENCHMARKS.md: the targets first, then each measurement with its method, tables and notes. */
export function renderMarkdown(sections: Section[], run: RunInfo): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts); edit the bench, not this file. -->',
    '',
    `Measured ${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${environment()}; the whole run took ${Math.round(run.seconds)} s.`,
    'Timings depend on the machine: compare ratios, and compare runs on the same machine.',
    '',
    '## Targets',
    '',
    renderTable(targetsTable(sections)),
    '',
  ];
  const missed = sections.flatMap((s) => s.targets).filter((t) => !t.met || t.note);
  if (missed.length > 0) {
    out.push(...missed.map((t) => `- **${t.target}** (${t.met ? 'met' : 'missed'}): ${t.note ?? ''}`), '');
  }
  for (const s of sections) {
    out.push(`## ${s.title}`, '', ...s.method.map((m) => `${m}`), '');
    for (const t of s.tables) {
      out.push(`### ${t.title}`, '', renderTable(t), '');
    }
    if (s.notes.length > 0) {
      out.push(...s.notes.map((n) => `- ${n}`), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function writeMarkdown(file: string, sections: Section[], run: RunInfo): void {
  fs.writeFileSync(file, renderMarkdown(sections, run));
}
