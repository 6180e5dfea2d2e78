import { EwmaVolatility } from "./ewmaVolatility.js";
import type { HmmFilter } from "../hmm/filter.js";
import { nextPosition, type Position } from "./positions.js";
import type { ReturnKind } from "./returns.js";
import { RollingMoments } from "./rollingMoments.js";

/** What `stream` computes per symbol; the same definitions (and kernels) as `meanrev` and `hmm`. */
export interface TickSignalSettings {
  window: number;
  entry: number;
  exit: number;
  ewmaLambda: number;
  /** The returns the HMM filter reads (the model's own convention: hmm's default is log). */
  returns: ReturnKind;
}

/**
 * One symbol's incremental signals: push a price, read the rolling mean,
 * sample std (ddof = 1), z-score and hysteresis position of `meanrev`, the
 * RiskMetrics EWMA volatility and, with a model, the HMM filtered regime
 * probabilities. O(window) memory and O(1) amortised work per price.
 *
 * Every number is produced by the kernels the batch commands use —
 * `RollingMoments` (bit-identical to `rollingMeanStd`), `nextPosition` (the
 * step of `hysteresisPositions`), z = (p − mean)/std with NaN for std = 0 (as
 * `zScores`), and `HmmFilter` (bit-identical to `forward`) — so a stream
 * equals `meanrev`/`hmm` on the same data.
 *
 * @example
 * const s = new TickSignals({ window: 3, entry: 1, exit: 0.5, ewmaLambda: 0.94, returns: "log" }, null);
 * for (const p of [1, 2, 4, 8]) s.push(p);
 * s.mean; // => 4.666666666666666
 * s.std; // => 3.055050463303893
 * s.z; // => 1.0910894511799623
 * s.position; // => -1
 */
export class TickSignals {
  mean = Number.NaN;
  std = Number.NaN;
  z = Number.NaN;
  position: Position = 0;
  ewmaVol = Number.NaN;
  /** The filtered regime probabilities (NaN until the first return), or null without a model. */
  readonly regimes: Float64Array | null;
  /** The highest `seq` accepted so far (−Infinity before any). */
  lastSeq = Number.NEGATIVE_INFINITY;
  private readonly rolling: RollingMoments;
  private readonly volatility: EwmaVolatility;
  private readonly filter: HmmFilter | null;
  private readonly entry: number;
  private readonly exit: number;
  private readonly simpleReturns: boolean;
  private lastPrice = Number.NaN;

  constructor(settings: TickSignalSettings, filter: HmmFilter | null) {
    this.rolling = new RollingMoments(settings.window);
    this.volatility = new EwmaVolatility(settings.ewmaLambda);
    this.entry = settings.entry;
    this.exit = settings.exit;
    this.simpleReturns = settings.returns === "simple";
    this.filter = filter;
    this.regimes = filter === null ? null : filter.probabilities;
  }

  push(price: number): void {
    const rolling = this.rolling;
    rolling.push(price);
    const mean = rolling.mean();
    const std = rolling.std();
    const z = std === 0 ? Number.NaN : (price - mean) / std;
    this.mean = mean;
    this.std = std;
    this.z = z;
    this.position = nextPosition(this.position, z, this.entry, this.exit);
    const logReturn = this.volatility.push(price);
    this.ewmaVol = this.volatility.value();
    if (this.filter !== null) {
      const previous = this.lastPrice;
      // As periodReturns: the first price has no return, and the filter starts at the second.
      if (!Number.isNaN(previous)) this.filter.push(this.simpleReturns ? price / previous - 1 : logReturn);
    }
    this.lastPrice = price;
  }
}
