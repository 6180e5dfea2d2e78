/**
 * The JSON envelope of SPEC §1. Deterministic by construction: keys are
 * written in the order the objects are built, numbers are JavaScript's
 * shortest round-trip decimals, and NaN/±Infinity become null (which is what
 * JSON.stringify already does for non-finite numbers). Nothing here reads a
 * clock: timings appear only when the caller passes them (`--timings`).
 */
export interface DataSummary {
  source: string;
  rows: number;
  columns: string[];
  start: string | null;
  end: string | null;
  droppedRows: number;
}

export interface Timings {
  load: number;
  compute: number;
  output: number;
}

export interface Envelope<R> {
  command: string;
  version: string;
  params: Record<string, unknown>;
  data: DataSummary;
  result: R;
  warnings: string[];
  timings?: Timings;
}

export function envelopeJson<R>(envelope: Envelope<R>): string {
  const ordered: Record<string, unknown> = {
    command: envelope.command,
    version: envelope.version,
    params: envelope.params,
    data: envelope.data,
    result: envelope.result,
  };
  if (envelope.timings !== undefined) ordered.timings = envelope.timings;
  ordered.warnings = envelope.warnings;
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * An object keyed by names that come from the input (symbols, parameters),
 * such as `weights: {SYM: w}`, with keys in the order given.
 *
 * Why no prototype: on a plain `{}`, `o["__proto__"] = x` sets the
 * prototype instead of a key (the name vanishes from the JSON), and looking
 * up an absent `constructor` or `toString` finds Object.prototype's function.
 * Here every name is an own key like any other, and JSON.stringify writes it.
 * (Integer-like names, such as `2020`, still come first in ascending order,
 * as on every JavaScript object.)
 *
 * @example
 * JSON.stringify(byName([["__proto__", 0.2], ["B", 0.8]])) // '{"__proto__":0.2,"B":0.8}'
 */
export function byName<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const [name, value] of entries) out[name] = value;
  return out;
}

/** A finite number, or null: what a JSON consumer should see for NaN. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
