/**
 * Hierarchical risk parity (López de Prado 2016) on a covariance matrix.
 */

export interface HierarchicalRiskParity {
  w: Float64Array;
  /** The quasi-diagonal order of the assets (leaves of the single-linkage tree). */
  order: Int32Array;
  /** scipy-style linkage: row k = [left, right, distance, size], clusters ≥ n are merges. */
  linkage: Float64Array[];
}

/**
 * HRP weights: (1) correlation distance d_ij = sqrt((1 − ρ_ij)/2);
 * (2) single-linkage clustering of the assets on the Euclidean distance
 * between columns of d, D_ij = ‖d_·i − d_·j‖ (what the paper's
 * `sch.linkage(dist, 'single')` computes from the square d); (3)
 * quasi-diagonal order = the dendrogram's leaves, left child (smaller
 * cluster id, as scipy labels merges) first; (4) recursive bisection of that
 * order into halves, splitting the weight by α = 1 − V₀/(V₀ + V₁) where V is
 * the variance of a half's inverse-variance portfolio. With per-asset
 * bounds, each split is clipped so that both halves stay within the sums of
 * their assets' bounds (skfolio's rule, and Riskfolio-Lib's; see below):
 *
 *     α ← min(Σ upper_L / W, max(Σ lower_L / W, α))
 *     α ← 1 − min(Σ upper_R / W, max(Σ lower_R / W, 1 − α))
 *
 * with W the weight of the cluster being split; with feasible bounds
 * (Σ lower ≤ 1 ≤ Σ upper) every asset ends within its own.
 *
 * Conventions, against the peers: steps (2)–(3) are the paper's, so the order
 * can differ from Riskfolio-Lib's and skfolio's, which link the correlation
 * distance d itself (single linkage by default in Riskfolio-Lib, Ward in
 * skfolio) and then apply scipy's `optimal_leaf_ordering`; step (4)
 * with the same order gives their weights (see `recursiveBisection`). The
 * clipping is skfolio's, applied at every split; Riskfolio-Lib
 * (HCPortfolio._recursive_bisection) clips a split only while some weight is
 * outside its bounds and then repairs the final weights by clip-and-rescale,
 * so its bounded weights can differ.
 *
 * Single linkage is computed from a minimum spanning tree (Prim, O(n²)) whose
 * edges, sorted by length, are merged with union–find — the same algorithm
 * as scipy's `linkage(method='single')`.
 *
 * Reference: M. López de Prado (2016), "Building diversified portfolios that
 * outperform out of sample", Journal of Portfolio Management 42(4), 59–69.
 * doi:10.3905/jpm.2016.42.4.059 (code in its appendix); J. C. Gower,
 * G. J. S. Ross (1969), "Minimum spanning trees and single linkage cluster
 * analysis", Applied Statistics 18(1), 54–64.
 *
 * @example
 * // two uncorrelated assets: HRP reduces to inverse variance
 * hierarchicalRiskParity(Float64Array.of(1, 0, 0, 4), 2).w; // => Float64Array [0.8, 0.2]
 */
export function hierarchicalRiskParity(
  covariance: Float64Array,
  n: number,
  bounds?: { lower: Float64Array; upper: Float64Array },
): HierarchicalRiskParity {
  const distance = correlationDistance(covariance, n);
  const euclid = columnDistances(distance, n);
  const linkage = singleLinkage(euclid, n);
  const order = leafOrder(linkage, n);
  const w = recursiveBisection(covariance, n, order, bounds);
  return { w, order, linkage };
}

function correlationDistance(h: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const rho = i === j ? 1 : h[i * n + j]! / Math.sqrt(h[i * n + i]! * h[j * n + j]!);
      d[i * n + j] = Math.sqrt(Math.max(0, (1 - rho) / 2));
    }
  }
  return d;
}

function columnDistances(d: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const e = d[k * n + i]! - d[k * n + j]!;
        s += e * e;
      }
      out[i * n + j] = out[j * n + i] = Math.sqrt(s);
    }
  }
  return out;
}

/** Single linkage via Prim's MST, then merges in ascending edge order (stable). */
function singleLinkage(distance: Float64Array, n: number): Float64Array[] {
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n).fill(-1);
  const edges: Array<[number, number, number]> = [];
  let current = 0;
  inTree[0] = 1;
  for (let added = 1; added < n; added++) {
    let next = -1;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const dj = distance[current * n + j]!;
      if (dj < best[j]!) {
        best[j] = dj;
        from[j] = current;
      }
      if (next < 0 || best[j]! < best[next]!) next = j;
    }
    edges.push([from[next]!, next, best[next]!]);
    inTree[next] = 1;
    current = next;
  }
  edges.sort((a, b) => a[2] - b[2]);
  const parent = new Int32Array(2 * n - 1).map((_, i) => i);
  const size = new Float64Array(2 * n - 1).fill(1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const linkage: Float64Array[] = [];
  for (const [a, b, dist] of edges) {
    const ra = find(a);
    const rb = find(b);
    const id = n + linkage.length;
    const merged = size[ra]! + size[rb]!;
    linkage.push(Float64Array.of(Math.min(ra, rb), Math.max(ra, rb), dist, merged));
    parent[ra] = id;
    parent[rb] = id;
    size[id] = merged;
  }
  return linkage;
}

function leafOrder(linkage: Float64Array[], n: number): Int32Array {
  const order: number[] = [];
  const stack = [n === 1 ? 0 : n + linkage.length - 1];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (c < n) order.push(c);
    else {
      const row = linkage[c - n]!;
      stack.push(row[1]!, row[0]!);
    }
  }
  return Int32Array.from(order);
}

/** Variance of the inverse-variance portfolio of `items`. */
function clusterVariance(h: Float64Array, n: number, items: Int32Array): number {
  let total = 0;
  for (const i of items) total += 1 / h[i * n + i]!;
  let variance = 0;
  for (const i of items) {
    const wi = 1 / h[i * n + i]! / total;
    for (const j of items) variance += wi * h[i * n + j]! * (1 / h[j * n + j]! / total);
  }
  return variance;
}

/** Σ values[i] over the cluster's items. */
function sumOf(values: Float64Array, items: Int32Array): number {
  let total = 0;
  for (const i of items) total += values[i]!;
  return total;
}

/**
 * Step (4) alone: López de Prado's recursive bisection of a given seriation
 * `order` (halves of ⌊k/2⌋ and the rest, weight split by inverse-variance
 * cluster variances, clipped to `bounds` as above). It is the allocation
 * Riskfolio-Lib (model "HRP", rm "MV") and skfolio (variance) make from their
 * own seriation, so a peer's weights can be checked apart from its clustering.
 *
 * @example
 * recursiveBisection(Float64Array.of(1, 0, 0, 4), 2, Int32Array.of(1, 0)); // => Float64Array [0.8, 0.2]
 */
export function recursiveBisection(
  h: Float64Array,
  n: number,
  order: Int32Array,
  bounds?: { lower: Float64Array; upper: Float64Array },
): Float64Array {
  const w = new Float64Array(n).fill(1);
  let clusters: Int32Array[] = [order];
  while (clusters.length > 0) {
    const next: Int32Array[] = [];
    for (const c of clusters) {
      if (c.length <= 1) continue;
      const half = c.length >> 1;
      const left = c.subarray(0, half);
      const right = c.subarray(half);
      const v0 = clusterVariance(h, n, left);
      const v1 = clusterVariance(h, n, right);
      let alpha = 1 - v0 / (v0 + v1);
      if (bounds !== undefined) {
        const weight = w[c[0]!]!;
        alpha = Math.min(
          sumOf(bounds.upper, left) / weight,
          Math.max(sumOf(bounds.lower, left) / weight, alpha),
        );
        alpha =
          1 -
          Math.min(
            sumOf(bounds.upper, right) / weight,
            Math.max(sumOf(bounds.lower, right) / weight, 1 - alpha),
          );
      }
      for (const i of left) w[i]! *= alpha;
      for (const i of right) w[i]! *= 1 - alpha;
      next.push(left, right);
    }
    clusters = next;
  }
  return w;
}
