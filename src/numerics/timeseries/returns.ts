/**
 * Period returns from prices, written into a caller-owned output of length
 * n − 1 (out[i−1] is the return from bar i−1 to bar i). `out` may be
 * `prices` itself: out[i−1] is written only after the last read of
 * prices[i−1].
 *
 * simple: r_t = p_t / p_{t−1} − 1
 * log:    r_t = ln(p_t / p_{t−1}), computed as log1p(p_t/p_{t−1} − 1) would lose
 *         nothing here, so Math.log of the ratio is used directly.
 *
 * @example
 * const out = new Float64Array(2);
 * periodReturns(Float64Array.of(100, 110, 99), "simple", out); // out = [0.1, -0.1] (to rounding)
 */
export type ReturnKind = "simple" | "log";

export function periodReturns(prices: Float64Array, kind: ReturnKind, out: Float64Array): void {
  const n = prices.length;
  if (kind === "log") {
    for (let i = 1; i < n; i++) out[i - 1] = Math.log(prices[i]! / prices[i - 1]!);
  } else {
    for (let i = 1; i < n; i++) out[i - 1] = prices[i]! / prices[i - 1]! - 1;
  }
}
