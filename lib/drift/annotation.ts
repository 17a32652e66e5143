/** Config refuses annotations over 256 characters. */
export const ANNOTATION_LIMIT = 256;

/**
 * One annotation from a lead and a list of findings, within Config's limit: as many findings as fit,
 * then how many more there are, so the person reading it knows the list goes on. The tail (a hint on
 * what to do) is always kept.
 */
export function annotate(lead: string, findings: readonly string[], tail?: string): string {
  const end = tail ? ` ${tail}` : '';
  const room = ANNOTATION_LIMIT - end.length;
  let text = lead;
  for (let i = 0; i < findings.length; i++) {
    const next = `${text}${i === 0 ? ': ' : '; '}${findings[i]}`;
    const rest = findings.length - i - 1;
    if (i > 0 && (next + (rest > 0 ? ` (+${rest} more)` : '')).length > room) {
      text += ` (+${findings.length - i} more)`;
      break;
    }
    text = next;
  }
  return clip(text, room) + end;
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 3)}...`;
}
