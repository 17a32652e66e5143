import { CatalogFile } from '../../models/catalog-file';

/** The catalog as committed: keys and arrays sorted, two-space indent, a final newline, nothing that changes between runs. */
export function catalogText(catalog: CatalogFile): string {
  return `${JSON.stringify(sortDeep(catalog), null, 2)}\n`;
}

/** One line per route, global source or in-Region entry that differs, `+` added, `-` removed, `~` changed. */
export function describeChanges(before: CatalogFile, after: CatalogFile): string[] {
  const a = flatten(before);
  const b = flatten(after);
  const lines: string[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(key);
    const now = b.get(key);
    if (was === undefined) {
      lines.push(`+ ${key}: ${now}`);
    } else if (now === undefined) {
      lines.push(`- ${key}: ${was}`);
    } else if (was !== now) {
      lines.push(`~ ${key}: ${was} -> ${now}`);
    }
  }
  return lines;
}

function flatten(catalog: CatalogFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, entry] of Object.entries(catalog.models)) {
    out.set(`${id} name`, entry.displayName);
    for (const [prefix, byRegion] of Object.entries(entry.geographic ?? {})) {
      for (const [source, destinations] of Object.entries(byRegion)) {
        out.set(`${id} ${prefix}. from ${source}`, [...destinations].sort().join(','));
      }
    }
    (entry.global ?? []).forEach((r) => out.set(`${id} global. from ${r}`, 'yes'));
    (entry.inRegion ?? []).forEach((r) => out.set(`${id} in-Region ${r}`, 'yes'));
  }
  return out;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortDeep).sort();
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]));
  }
  return value;
}
