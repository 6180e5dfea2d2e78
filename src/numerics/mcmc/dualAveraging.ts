/**
 * Nesterov dual averaging of the log step size, as in Stan's
 * `stepsize_adaptation`: after each warm-up iteration with acceptance
 * statistic α (capped at 1),
 *
 *     s̄ ← (1 − η)·s̄ + η·(δ − α),           η = 1/(t + t₀)
 *     x  = μ − s̄·√t/γ,                      ε = e^x (the next step size)
 *     x̄ ← (1 − t^{−κ})·x̄ + t^{−κ}·x        (its running average)
 *
 * and at the end of warm-up ε = e^{x̄}. μ = log(10·ε₀) is set at every
 * restart (Stan: after each metric update).
 *
 * Reference: M. D. Hoffman, A. Gelman (2014), "The No-U-Turn Sampler",
 * JMLR 15, 1593–1623, §3.2 and Algorithm 5; Stan defaults δ = 0.8,
 * γ = 0.05, κ = 0.75, t₀ = 10.
 *
 * @example
 * const da = new DualAveraging(0.8); da.restart(Math.log(10 * 0.5));
 * da.learn(0.9); // => the next step size, larger than 0.5·… when α > δ
 */
export class DualAveraging {
  private counter = 0;
  private sBar = 0;
  private xBar = 0;
  private mu = 0;

  constructor(
    readonly targetAccept = 0.8,
    readonly gamma = 0.05,
    readonly kappa = 0.75,
    readonly t0 = 10,
  ) {}

  restart(mu: number): void {
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
    this.mu = mu;
  }

  /** One update with the acceptance statistic of the last transition; returns the next step size. */
  learn(acceptStat: number): number {
    this.counter++;
    const alpha = Math.min(acceptStat, 1);
    const eta = 1 / (this.counter + this.t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.targetAccept - alpha);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / this.gamma;
    const weight = this.counter ** -this.kappa;
    this.xBar = (1 - weight) * this.xBar + weight * x;
    return Math.exp(x);
  }

  /** The final step size, e^{x̄}. */
  final(): number {
    return Math.exp(this.xBar);
  }
}
