/** Order statistics over a sample, for timings. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) {
    throw new Error('median of no values');
  }
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(xs: number[]): Summary {
  return { n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Milliseconds on the monotonic clock. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Time per call of `fn` over `count` calls, repeated `rounds` times after a warm-up of `warmup`
 * calls; each round's figure is total / count. `fn(i)` gets the call index, to cycle through inputs.
 */
export async function perCall(fn: (i: number) => unknown, opts: { count: number; rounds: number; warmup: number }): Promise<Summary> {
  for (let i = 0; i < opts.warmup; i++) {
    await fn(i);
  }
  const perRound: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const start = nowMs();
    for (let i = 0; i < opts.count; i++) {
      await fn(i);
    }
    perRound.push((nowMs() - start) / opts.count);
  }
  return summarize(perRound);
}

/** The same for a synchronous function, without an await per call (which would dominate a microsecond). */
export function perCallSync(fn: (i: number) => unknown, opts: { count: number; rounds: number; warmup: number }): Summary {
  for (let i = 0; i < opts.warmup; i++) {
    fn(i);
  }
  const perRound: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const start = nowMs();
    for (let i = 0; i < opts.count; i++) {
      fn(i);
    }
    perRound.push((nowMs() - start) / opts.count);
  }
  return summarize(perRound);
}

/** Least-squares slope of y over x. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
