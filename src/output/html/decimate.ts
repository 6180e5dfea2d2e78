/**
 * Min/max decimation for drawing a long series in `columns` pixel columns.
 *
 * Method: the points are cut into `columns` runs of (nearly) equal length;
 * each run keeps its lowest and its highest point, in time order, so a
 * spike of one bar survives however long the series (an average or a
 * stride would erase it), and the line's envelope is the one a full
 * drawing would show at that width. The first and the last point are kept
 * too, so the line starts and ends where the data does. NaN and ±Infinity
 * points are skipped (a rolling window's warm-up, the Sharpe ratio of a
 * flat window). A series of at most 2·columns points is returned whole.
 *
 * Cost: one pass, O(n); the output holds at most 2·columns + 2 points.
 *
 * @example
 * minMaxDecimate([0, 1, 2, 3, 4, 5, 6, 7], [1, 9, 2, 2, 3, -5, 4, 4], 2)
 * // => { x: [0, 1, 5, 6, 7], y: [1, 9, -5, 4, 4] }
 */
export function minMaxDecimate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  columns: number,
): { x: number[]; y: number[] } {
  const n = y.length;
  const outX: number[] = [];
  const outY: number[] = [];
  let last = -1;
  const keep = (i: number) => {
    if (i <= last || !Number.isFinite(y[i]!)) return;
    last = i;
    outX.push(x[i]!);
    outY.push(y[i]!);
  };
  if (n <= 2 * columns) {
    for (let i = 0; i < n; i++) keep(i);
    return { x: outX, y: outY };
  }
  keep(0);
  for (let k = 0; k < columns; k++) {
    const start = Math.floor((k * n) / columns);
    const end = Math.floor(((k + 1) * n) / columns);
    let low = -1;
    let high = -1;
    for (let i = start; i < end; i++) {
      const v = y[i]!;
      if (!Number.isFinite(v)) continue;
      if (low < 0 || v < y[low]!) low = i;
      if (high < 0 || v > y[high]!) high = i;
    }
    if (low < 0) continue;
    const first = Math.min(low, high);
    const second = Math.max(low, high);
    keep(first);
    keep(second);
  }
  keep(n - 1);
  return { x: outX, y: outY };
}
