import { MANAGED_PROFILE_MARKER } from '../../client/client-configuration';

interface Section {
  /** `profile x`, `sso-session x` or `default`, as written between the brackets. */
  readonly name: string;
  /** Preceded by the marker line this library writes. */
  readonly managed: boolean;
  readonly lines: string[];
}

/** Thrown when a profile of the same name exists and this library did not write it. */
export class ForeignProfileError extends Error {}

/**
 * Puts the generated sections into an existing `~/.aws/config`: a section this library wrote before
 * is replaced in place, a new one is appended, and every other line stays as it was. A section of the
 * same name that it did not write is never touched: the merge fails naming it.
 */
export function mergeAwsConfig(existing: string, generated: string): string {
  const current = parseSections(existing);
  const incoming = parseSections(generated).sections;
  const foreign = incoming.filter((s) => current.sections.some((c) => c.name === s.name && !c.managed));
  if (foreign.length > 0) {
    throw new ForeignProfileError(`the AWS config already has ${foreign.map((s) => `[${s.name}]`).join(', ')}, which cdk-bedrock-least-privilege did not write: `
      + 'rename or remove it there, then run configure again');
  }
  // Existing lines stay verbatim, comments and spacing included; replaced sections keep their place.
  const out: string[] = [...current.preamble];
  for (const section of current.sections) {
    const replacement = incoming.find((s) => s.name === section.name);
    out.push(...(replacement ? [...trimBlankEnd(replacement.lines), ...trailingNotes(section.lines)] : section.lines));
  }
  for (const section of incoming.filter((s) => !current.sections.some((c) => c.name === s.name))) {
    const kept = trimBlankEnd(out);
    out.splice(0, out.length, ...kept, ...(kept.length > 0 ? [''] : []), ...trimBlankEnd(section.lines));
  }
  return trimBlankEnd(out).join('\n') + '\n';
}

function parseSections(text: string): { preamble: string[]; sections: Section[] } {
  const preamble: string[] = [];
  const sections: Array<{ name: string; managed: boolean; lines: string[] }> = [];
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    const open = sections.length > 0 ? sections[sections.length - 1].lines : preamble;
    if (header) {
      // The marker belongs to the section right under it.
      const managed = open.length > 0 && open[open.length - 1].trim() === MANAGED_PROFILE_MARKER;
      if (managed) {
        open.pop();
      }
      sections.push({ name: header[1].replace(/\s+/g, ' '), managed, lines: [...(managed ? [MANAGED_PROFILE_MARKER] : []), line] });
    } else {
      open.push(line);
    }
  }
  return { preamble, sections };
}

function trimBlankEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1].trim() === '') {
    out.pop();
  }
  return out;
}

// Blank and comment lines at a section's end, which usually introduce the next one.
function trailingNotes(lines: string[]): string[] {
  let start = lines.length;
  while (start > 2 && /^\s*([#;].*)?$/.test(lines[start - 1])) {
    start--;
  }
  return lines.slice(start);
}
