/**
 * The returns of a portfolio rebalanced to fixed weights every period.
 */
import type { GrowthKind } from "./drawdowns.js";

/**
 * r_p,t = Σ_i w_i·r_i,t for simple returns; for log returns the assets'
 * simple returns are combined, r_p,t = ln(1 + Σ_i w_i·(e^{r_i,t} − 1)),
 * because log returns do not add across assets.
 *
 * Reference: A. Meucci (2010), "Quant nugget 2: linear vs. compounded
 * returns", *GARP Risk Professional*, 49–51.
 *
 * @example
 * portfolioReturns([Float64Array.of(0.1, 0), Float64Array.of(-0.1, 0.02)], [0.5, 0.5], "simple");
 * // => [0, 0.01]
 */
export function portfolioReturns(columns: Float64Array[], weights: number[], kind: GrowthKind): Float64Array {
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n);
  columns.forEach((column, j) => {
    const w = weights[j]!;
    if (kind === "simple") for (let t = 0; t < n; t++) out[t] += w * column[t]!;
    else for (let t = 0; t < n; t++) out[t] += w * Math.expm1(column[t]!);
  });
  if (kind === "log") for (let t = 0; t < n; t++) out[t] = Math.log1p(out[t]!);
  return out;
}
