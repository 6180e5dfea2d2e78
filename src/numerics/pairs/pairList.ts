/**
 * The list of pairs a scan tests, in input order with A before B: every
 * unordered pair of the universe's columns, (0,1), (0,2), …, (0,m−1), (1,2),
 * …, or, against one column w, (min(i,w), max(i,w)) for each other column i
 * in turn. A pair is known by its index in this list, which is what threads
 * and shards divide.
 */
export interface PairList {
  /** Number of columns in the universe. */
  columns: number;
  /** The one column every pair contains, or -1 for every pair. */
  against: number;
  /** Number of pairs. */
  count: number;
}

/**
 * @example
 * pairList(4).count; // => 6
 * pairList(4, 2).count; // => 3
 */
export function pairList(columns: number, against = -1): PairList {
  const count = against < 0 ? (columns * (columns - 1)) / 2 : Math.max(0, columns - 1);
  return { columns, against, count };
}

/**
 * Calls `visit(index, a, b)` for the pairs `from` … `to − 1` of the list, in
 * order (a < b: column indices).
 *
 * @example
 * const seen: string[] = [];
 * forEachPair(pairList(4), 2, 5, (k, a, b) => seen.push(`${k}:${a}${b}`)); // seen => ["2:03", "3:12", "4:13"]
 */
export function forEachPair(
  list: PairList,
  from: number,
  to: number,
  visit: (index: number, a: number, b: number) => void,
): void {
  const m = list.columns;
  if (list.against >= 0) {
    const w = list.against;
    for (let k = from; k < to; k++) {
      const other = k < w ? k : k + 1;
      if (other < w) visit(k, other, w);
      else visit(k, w, other);
    }
    return;
  }
  // Row a of the triangle starts at a·m − a(a+1)/2.
  let a = 0;
  while (a < m - 1 && (a + 1) * m - ((a + 1) * (a + 2)) / 2 <= from) a++;
  let b = a + 1 + (from - (a * m - (a * (a + 1)) / 2));
  for (let k = from; k < to; k++) {
    visit(k, a, b);
    if (++b === m) {
      a++;
      b = a + 1;
    }
  }
}

/**
 * The pair at `index` of the list, as [a, b] (a < b).
 *
 * @example
 * pairAt(pairList(4), 3); // => [1, 2]
 * pairAt(pairList(4, 2), 2); // => [2, 3]
 */
export function pairAt(list: PairList, index: number): [number, number] {
  let pair: [number, number] = [0, 0];
  forEachPair(list, index, index + 1, (_, a, b) => {
    pair = [a, b];
  });
  return pair;
}

/**
 * The K-th (1-based) of N contiguous slices of `count` pairs, as equal as
 * integers allow: [⌊(K−1)·count/N⌋, ⌊K·count/N⌋). The N slices cover every
 * pair exactly once.
 *
 * @example
 * shardRange(10, 1, 3); // => { from: 0, to: 3 }
 * shardRange(10, 3, 3); // => { from: 6, to: 10 }
 */
export function shardRange(count: number, shard: number, shards: number): { from: number; to: number } {
  return { from: Math.floor(((shard - 1) * count) / shards), to: Math.floor((shard * count) / shards) };
}
