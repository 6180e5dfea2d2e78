/**
 * Per-event processing latencies in 50 ns buckets up to 1 ms (above that,
 * one overflow bucket that keeps the maximum): O(1) memory whatever the run
 * length, and quantiles exact to the bucket width.
 */
export class LatencyHistogram {
  static readonly BUCKET_NS = 50;
  private readonly counts = new Float64Array(20_000);
  private total = 0;
  private maxNs = 0;

  record(nanoseconds: number): void {
    const bucket = Math.floor(nanoseconds / LatencyHistogram.BUCKET_NS);
    this.counts[bucket < this.counts.length ? bucket : this.counts.length - 1]!++;
    this.total++;
    if (nanoseconds > this.maxNs) this.maxNs = nanoseconds;
  }

  get count(): number {
    return this.total;
  }

  /** The upper edge (ns) of the bucket holding quantile q (0 < q ≤ 1); the maximum for the last bucket. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) {
        return b === this.counts.length - 1
          ? this.maxNs
          : Math.min((b + 1) * LatencyHistogram.BUCKET_NS, this.maxNs);
      }
    }
    return this.maxNs;
  }

  get max(): number {
    return this.maxNs;
  }
}
