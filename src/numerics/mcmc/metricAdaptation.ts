/**
 * Stan's windowed adaptation of a diagonal inverse metric (mass matrix)
 * during warm-up: an initial fast buffer (75 iterations) where only the step
 * size adapts, then slow windows of 25, 50, 100, … iterations in which the
 * draws' variances are collected, and a terminal fast buffer (50). At the
 * end of each slow window the inverse metric becomes the window's sample
 * variance (ddof 1), regularised as
 *
 *     var ← (n/(n + 5))·var + 10⁻³·(5/(n + 5))·var₀
 *
 * and the step size search restarts. Stan shrinks toward 10⁻³ (its var₀ is
 * the identity); hftlab starts from the model's rough posterior variances
 * var₀ and shrinks toward 10⁻³·var₀, which is Stan's rule for parameters on
 * any scale (returns have sd ~1e-2, posterior sds ~1e-4). With fewer than
 * 20 warm-up iterations the metric is not adapted; when the default buffers
 * do not fit, they become 15% / 75% / 10% of the warm-up, as in Stan.
 *
 * Reference: Stan Reference Manual, "HMC algorithm parameters: automatic
 * parameter tuning"; stan/mcmc/windowed_adaptation.hpp and var_adaptation.hpp.
 */
export class DiagonalMetricAdaptation {
  private readonly initBuffer: number;
  private readonly termBuffer: number;
  private windowSize: number;
  private nextWindow: number;
  private counter = 0;
  private readonly enabled: boolean;
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(
    private readonly warmup: number,
    private readonly baseVariance: Float64Array,
    initBuffer = 75,
    termBuffer = 50,
    baseWindow = 25,
  ) {
    this.enabled = warmup >= 20;
    if (initBuffer + baseWindow + termBuffer > warmup) {
      initBuffer = Math.floor(0.15 * warmup);
      termBuffer = Math.floor(0.1 * warmup);
      baseWindow = warmup - (initBuffer + termBuffer);
    }
    this.initBuffer = initBuffer;
    this.termBuffer = termBuffer;
    this.windowSize = baseWindow;
    this.nextWindow = initBuffer + baseWindow - 1;
    this.mean = new Float64Array(baseVariance.length);
    this.m2 = new Float64Array(baseVariance.length);
  }

  /**
   * Feeds the position after one warm-up iteration; when a slow window
   * ends, writes the new inverse metric into `inverseMetric` and returns true.
   */
  learn(position: Float64Array, inverseMetric: Float64Array): boolean {
    if (!this.enabled) return false;
    const c = this.counter;
    if (c >= this.initBuffer && c < this.warmup - this.termBuffer && c !== this.warmup) this.add(position);
    if (c === this.nextWindow && c !== this.warmup) {
      this.computeNextWindow();
      const n = this.count;
      for (let i = 0; i < inverseMetric.length; i++) {
        const variance = this.m2[i]! / (n - 1);
        inverseMetric[i] = (n / (n + 5)) * variance + 1e-3 * (5 / (n + 5)) * this.baseVariance[i]!;
      }
      this.count = 0;
      this.mean.fill(0);
      this.m2.fill(0);
      this.counter++;
      return true;
    }
    this.counter++;
    return false;
  }

  private add(q: Float64Array): void {
    this.count++;
    for (let i = 0; i < q.length; i++) {
      const delta = q[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / this.count;
      this.m2[i] = this.m2[i]! + delta * (q[i]! - this.mean[i]!);
    }
  }

  private computeNextWindow(): void {
    const lastEnd = this.warmup - this.termBuffer - 1;
    if (this.nextWindow === lastEnd) return;
    this.windowSize *= 2;
    this.nextWindow = this.counter + this.windowSize;
    if (
      this.nextWindow !== lastEnd &&
      this.nextWindow + 2 * this.windowSize >= this.warmup - this.termBuffer
    ) {
      this.nextWindow = lastEnd;
    }
  }
}
