/** One named column of a result table, as writeTable and the Arrow writer take it. */
export interface OutputColumn {
  name: string;
  values: Float64Array | Int8Array | Int32Array | string[];
}
