import { listOf, PolicyInput, StatementInput, statementsOf } from './policy-document';
import { PART_NAMES, partDigests, statementDigest } from './statement-digest';

interface Expected {
  readonly sid: string;
  readonly digest: string;
  readonly parts: string;
}

/** Reads a baseline entry `<Sid>=<digest>/<part digests>`. */
export function parseEntry(entry: string): Expected {
  const at = entry.lastIndexOf('=');
  const [digest, parts] = entry.slice(at + 1).split('/');
  return { sid: entry.slice(0, at), digest, parts: parts ?? '' };
}

/**
 * How a deployed policy differs from the statements the baseline expects: a statement removed,
 * changed (naming the parts that differ) or added. Exact: a narrowing is reported too, since only a
 * deploy may change what the library wrote. Empty when they match.
 */
export function statementDiff(label: string, expected: readonly string[], policy: PolicyInput): string[] {
  const unmatched = statementsOf(policy).map((st) => ({ st, sid: st.Sid ?? '', digest: statementDigest(st) }));
  const missing: Expected[] = [];
  for (const want of expected.map(parseEntry)) {
    const i = unmatched.findIndex((a) => a.digest === want.digest);
    if (i >= 0) {
      unmatched.splice(i, 1);
    } else {
      missing.push(want);
    }
  }
  const findings: string[] = [];
  for (const want of missing) {
    const i = want.sid === '' ? -1 : unmatched.findIndex((a) => a.sid === want.sid);
    if (i < 0) {
      findings.push(`${label} statement ${want.sid || '(no Sid)'} removed`);
      continue;
    }
    const [changed] = unmatched.splice(i, 1);
    const parts = differingParts(want.parts, partDigests(changed.st));
    findings.push(`${label} statement ${want.sid} changed${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`);
  }
  for (const extra of unmatched) {
    findings.push(`${label} new statement ${extra.sid || '(no Sid)'}${describeAllow(extra.st)}`);
  }
  return findings;
}

/** Each part digest is 2 bytes of the 8 that `partDigests` encodes. */
function differingParts(expected: string, actual: string): string[] {
  const a = Buffer.from(expected, 'base64url');
  const b = Buffer.from(actual, 'base64url');
  return PART_NAMES.filter((_, i) => a.readUInt16BE(i * 2) !== b.readUInt16BE(i * 2));
}

function describeAllow(st: StatementInput): string {
  if (String(st.Effect ?? '').toLowerCase() !== 'allow') {
    return '';
  }
  const what = st.NotAction !== undefined ? `all but ${listOf(st.NotAction).join(',')}` : listOf(st.Action).join(',');
  const where = st.NotResource !== undefined ? 'all but some resources' : listOf(st.Resource).join(',');
  return ` allowing ${what} on ${where}`;
}
