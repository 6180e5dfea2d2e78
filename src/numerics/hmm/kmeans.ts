import type { Prng } from "../random/prng.js";

/**
 * k-means clustering of T points in d dimensions (row-major T×d): k-means++
 * seeding (each next centre drawn with probability ∝ squared distance to the
 * nearest centre already chosen) followed by Lloyd iterations until no label
 * changes or `maxIterations`. An emptied cluster keeps its centre.
 *
 * References: D. Arthur, S. Vassilvitskii (2007), "k-means++: the advantages
 * of careful seeding", SODA '07, 1027–1035; S. P. Lloyd (1982), IEEE Trans.
 * Inf. Theory 28(2), 129–137, doi:10.1109/TIT.1982.1056489.
 *
 * @returns centres (K×d) and labels (T)
 * @example
 * kMeans(Float64Array.of(0, 0.1, 10, 10.1), 4, 1, 2, new Prng(42)).centres // => [0.05, 10.05] in some order
 */
export function kMeans(
  x: Float64Array,
  rows: number,
  dimension: number,
  clusters: number,
  rng: Prng,
  maxIterations = 100,
): { centres: Float64Array; labels: Int32Array } {
  const d = dimension;
  const k = clusters;
  const centres = new Float64Array(k * d);
  const labels = new Int32Array(rows);
  const nearest = new Float64Array(rows).fill(Number.POSITIVE_INFINITY);
  let chosen = Math.min(rows - 1, Math.floor(rng.nextFloat() * rows));
  for (let c = 0; c < k; c++) {
    centres.set(x.subarray(chosen * d, chosen * d + d), c * d);
    let total = 0;
    for (let t = 0; t < rows; t++) {
      const dist = squaredDistance(x, t, centres, c, d);
      if (dist < nearest[t]!) nearest[t] = dist;
      total += nearest[t]!;
    }
    if (c + 1 === k) break;
    // All points coincide with a centre: any further point is as good as another.
    let target = rng.nextFloat() * total;
    chosen = rows - 1;
    if (total > 0) {
      for (let t = 0; t < rows; t++) {
        target -= nearest[t]!;
        if (target < 0) {
          chosen = t;
          break;
        }
      }
    } else {
      chosen = Math.min(rows - 1, Math.floor(rng.nextFloat() * rows));
    }
  }
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  labels.fill(-1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let t = 0; t < rows; t++) {
      let best = Number.POSITIVE_INFINITY;
      let label = 0;
      for (let c = 0; c < k; c++) {
        const dist = squaredDistance(x, t, centres, c, d);
        if (dist < best) {
          best = dist;
          label = c;
        }
      }
      if (labels[t] !== label) {
        labels[t] = label;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let t = 0; t < rows; t++) {
      const c = labels[t]!;
      counts[c] = counts[c]! + 1;
      for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! + x[t * d + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c]! === 0) continue;
      for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / counts[c]!;
    }
  }
  return { centres, labels };
}

/**
 * Labels each of `rows` points with its nearest centre (squared Euclidean
 * distance, ties to the lower index): the assignment step of Lloyd's
 * algorithm, for points that were not clustered themselves.
 */
export function nearestCentres(
  x: Float64Array,
  rows: number,
  dimension: number,
  centres: Float64Array,
  clusters: number,
  labels: Int32Array,
): void {
  for (let t = 0; t < rows; t++) {
    let best = Number.POSITIVE_INFINITY;
    let label = 0;
    for (let c = 0; c < clusters; c++) {
      const dist = squaredDistance(x, t, centres, c, dimension);
      if (dist < best) {
        best = dist;
        label = c;
      }
    }
    labels[t] = label;
  }
}

function squaredDistance(x: Float64Array, t: number, centres: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const u = x[t * d + j]! - centres[c * d + j]!;
    s += u * u;
  }
  return s;
}
