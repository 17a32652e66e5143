/** Throws when a list names a value twice. */
export function checkNoDuplicates(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) {
      throw new Error(`${what} lists '${v}' twice: remove the duplicate`);
    }
    seen.add(v);
  }
}
