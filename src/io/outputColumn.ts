/** One named column of a result table, as writeTable and the Arrow writer take it. */
export interface OutputColumn {
  name: string;
  values: Float64Array | Int8Array | Int32Array | string[];
}

/** A column of a table written in blocks: its name, type and whether it may hold nulls (NaN). */
export interface ColumnHeader {
  name: string;
  type: "float64" | "int8" | "int32" | "utf8";
  nullable: boolean;
}
