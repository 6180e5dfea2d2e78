/**
 * Compounded returns per calendar period.
 */

export interface PeriodReturn {
  /** The period's key as given (e.g. year·12 + month − 1). */
  key: number;
  return: number;
}

/**
 * Compounds r over runs of equal keys: Π(1 + r) − 1 per run (simple
 * returns) or exp(Σr) − 1 (log returns). Keys must not decrease (the rows
 * are in time order), so each period is one run.
 *
 * @example
 * compoundByPeriod(new Float64Array([0.1, 0.1, -0.5]), Int32Array.from([0, 0, 1]), "simple");
 * // => [{ key: 0, return: 0.2100000000000002 }, { key: 1, return: -0.5 }]
 */
export function compoundByPeriod(r: Float64Array, keys: Int32Array, kind: "simple" | "log"): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  let i = 0;
  while (i < r.length) {
    const key = keys[i]!;
    let growth = 1;
    let logSum = 0;
    while (i < r.length && keys[i] === key) {
      if (kind === "simple") growth *= 1 + r[i]!;
      else logSum += r[i]!;
      i++;
    }
    out.push({ key, return: kind === "simple" ? growth - 1 : Math.expm1(logSum) });
  }
  return out;
}
