/**
 * How often figures are recomputed behind stale ones (app/models/figure-store.server.ts). After a
 * write, readers get the previous figures, labelled, while new ones are computed in the pool. With
 * an editor saving every second, recomputing after every write kept a thread busy for good: the
 * overview alone costs about 1.8 s at 100,000 letters. So a recomputation starts no sooner than a
 * few times its own last duration after the last one ended: a figure set takes about
 * 1 / (factor + 1) of a thread while factor × its duration is under maxGapMs (a longer one waits
 * maxGapMs), however often the data changes, and cheap figures stay nearly fresh. Figures are at
 * most maxGapMs plus one run behind the data.
 */
export interface RecomputePacing {
  /** The gap after a recomputation, in multiples of how long it took. */
  factor: number;
  /** The gap is never shorter than this... */
  minGapMs: number;
  /** ...nor longer than this: figures are never more than about this much older than the data. */
  maxGapMs: number;
}

// Factor 8 (was 4): under the mixed load the overview's recomputation took 3–5 s of a busy machine
// and, at 4, about a third of the background thread's CPU (docs/performance.md, session 10). The
// figures stay labelled with their time and never more than maxGapMs behind.
export const RECOMPUTE_PACING: RecomputePacing = { factor: 8, minGapMs: 1_000, maxGapMs: 30_000 };

export interface LastRecompute {
  /** When the last recomputation ended (ms since the epoch). */
  endedAt: number;
  /** How long it took (ms). */
  durationMs: number;
}

/** The earliest moment the next recomputation may start; 0 when none has run yet. */
export function nextRecomputeAt(last: LastRecompute | null | undefined, pacing: RecomputePacing = RECOMPUTE_PACING): number {
  if (!last) return 0;
  const gap = Math.min(pacing.maxGapMs, Math.max(pacing.minGapMs, pacing.factor * Math.max(0, last.durationMs)));
  return last.endedAt + gap;
}
