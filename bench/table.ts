/** A table with a title, printed to the terminal and written into BENCHMARKS.md the same way. */
export interface Table {
  readonly title: string;
  readonly headers: string[];
  readonly rows: Array<Array<string | number>>;
  /** Columns to right-align (numbers); by index. */
  readonly numeric?: number[];
}

/** A GitHub-flavoured Markdown table, padded so it also reads as plain text. */
export function renderTable(t: Table): string {
  const cells = [t.headers, ...t.rows.map((r) => r.map(String))];
  const widths = t.headers.map((_, c) => Math.max(3, ...cells.map((r) => (r[c] ?? '').length)));
  const numeric = new Set(t.numeric ?? []);
  const line = (r: string[]) => `| ${r.map((v, c) => (numeric.has(c) ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (numeric.has(c) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(t.headers), rule, ...t.rows.map((r) => line(r.map(String)))].join('\n');
}

export const ms = (v: number, digits = 0): string => `${v.toFixed(digits)} ms`;
export const us = (v: number, digits = 1): string => `${v.toFixed(digits)} µs`;
export const bytes = (v: number): string => v.toLocaleString('en-US');
export const kb = (v: number): string => `${(v / 1024).toFixed(1)} KB`;
export const ratio = (v: number): string => `${v.toFixed(2)}x`;
