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

/** A finite number, or null: what a JSON consumer should see for NaN. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
