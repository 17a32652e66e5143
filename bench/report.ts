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
    rows: sections.flatMap((s) => s.targets.map(targetRow)),
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
    out.push(...missed.map(targetNote), '');
  }
  for (const s of sections) {
    out.push(...sectionMarkdown(s));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const targetNote = (t: TargetResult): string => `- **${t.target}** (${t.met ? 'met' : 'missed'}): ${t.note ?? ''}`;
const targetRow = (t: TargetResult): string[] => [t.target, t.measured, t.met ? 'yes' : '**no**'];

function sectionMarkdown(s: Section): string[] {
  const out = [`## ${s.title}`, '', ...s.method, ''];
  for (const t of s.tables) {
    out.push(`### ${t.title}`, '', renderTable(t), '');
  }
  if (s.notes.length > 0) {
    out.push(...s.notes.map((n) => `- ${n}`), '');
  }
  return out;
}

/**
 * Rewrites one section of an existing BENCHMARKS.md, and its rows of the targets table and notes, leaving
 * the other measurements as the last full run wrote them: for a section cheap enough to run alone.
 */
export function spliceMarkdown(text: string, section: Section): string {
  const lines = text.trimEnd().split('\n');
  const heading = lines.indexOf(`## ${section.title}`);
  const next = heading < 0 ? -1 : lines.findIndex((l, i) => i > heading && l.startsWith('## '));
  const body = sectionMarkdown(section);
  if (heading < 0) {
    lines.push('', ...body);
  } else {
    lines.splice(heading, (next < 0 ? lines.length : next) - heading, ...body);
  }
  const start = lines.indexOf('## Targets');
  if (start < 0) {
    throw new Error('BENCHMARKS.md has no "## Targets" table: run the whole bench (npm run bench) once');
  }
  const first = start + 2;
  let end = first;
  while (lines[end]?.startsWith('|')) {
    end++;
  }
  const rows = lines.slice(first + 2, end).map((l) => l.slice(2, -2).split(' | ').map((c) => c.trim()));
  for (const t of section.targets) {
    const at = rows.findIndex((r) => r[0] === t.target);
    rows.splice(at < 0 ? rows.length : at, at < 0 ? 0 : 1, targetRow(t));
  }
  const table = renderTable({ title: 'Targets', headers: ['Target', 'Measured', 'Met'], rows }).split('\n');
  lines.splice(first, end - first, ...table);
  let notesEnd = first + table.length + 1;
  while (lines[notesEnd]?.startsWith('- **')) {
    notesEnd++;
  }
  for (const t of section.targets) {
    const at = lines.findIndex((l, i) => i > first + table.length && i < notesEnd && l.startsWith(`- **${t.target}**`));
    const note = !t.met || t.note ? [targetNote(t)] : [];
    if (at >= 0) {
      lines.splice(at, 1, ...note);
      notesEnd += note.length - 1;
    } else {
      lines.splice(notesEnd, 0, ...note);
      notesEnd += note.length;
    }
  }
  return `${lines.join('\n')}\n`;
}

export function writeMarkdown(file: string, sections: Section[], run: RunInfo): void {
  fs.writeFileSync(file, renderMarkdown(sections, run));
}
