import { inputError } from "../../errors.js";
import { periodReturns, type ReturnKind } from "../../numerics/timeseries/returns.js";
import type { Frame } from "../../io/frame.js";

/**
 * The Frame of period returns of a Frame of prices: one row fewer, each
 * return stamped with the time of the bar it ends on. Prices must be
 * positive (a return of a non-positive price is undefined): exit 3 naming the
 * first offending cell.
 */
export function returnsFrame(prices: Frame, kind: ReturnKind): Frame {
  const rows = prices.time.length;
  if (rows < 2) {
    throw inputError("too_few_rows", `returns need at least 2 rows of prices, found ${rows}`, {
      file: prices.source,
    });
  }
  const columns = prices.columns.map((column, j) => {
    for (let i = 0; i < rows; i++) {
      if (!(column[i]! > 0)) {
        throw inputError(
          "non_positive_price",
          `returns need positive prices; ${prices.symbols[j]} is ${column[i]} at ${prices.time.at(i)}`,
          { file: prices.source, ...(prices.lines ? { line: prices.lines[i]! } : {}) },
          "use --input-kind returns if the file already holds returns",
        );
      }
    }
    const out = new Float64Array(rows - 1);
    periodReturns(column, kind, out);
    return out;
  });
  const frame: Frame = { ...prices, time: prices.time.slice(1), columns };
  if (prices.lines) frame.lines = prices.lines.subarray(1);
  return frame;
}
