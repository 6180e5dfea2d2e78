/**
 * What can be wrong with an event, as counted by the replay and the
 * matching engine: without `--lenient` the first one stops the run with its
 * line; with it each kind is counted (with its first line) and reported.
 */
export const Issue = {
  unknownId: 0,
  duplicateId: 1,
  negativeSize: 2,
  crossedBook: 3,
  overExecution: 4,
  missingField: 5,
  wrongEvent: 6,
  timeBackwards: 7,
} as const;
export type Issue = (typeof Issue)[keyof typeof Issue];

export const ISSUE_COUNT = 8;

/** Stable codes (for `--json` errors) and phrases (for messages), by Issue. */
export const ISSUE_CODES = [
  "unknown_order_id",
  "duplicate_order_id",
  "negative_size",
  "crossed_book",
  "over_execution",
  "missing_field",
  "unexpected_event",
  "time_backwards",
] as const;

export const ISSUE_PHRASES = [
  "unknown order id",
  "duplicate order id",
  "negative or zero size",
  "order would cross the book",
  "execution larger than the resting order",
  "missing order id, side, price or size",
  "event not valid in this mode",
  "time going backwards",
] as const;

/** Per-kind counts and first lines; `failedAt` is the batch index of a fatal issue, else -1. */
export class IssueLog {
  readonly counts = new Float64Array(ISSUE_COUNT);
  readonly firstLines = new Uint32Array(ISSUE_COUNT);
  failedAt = -1;
  failedIssue: Issue = Issue.unknownId;

  constructor(readonly lenient: boolean) {}

  /**
   * Records an issue at batch index `index` (input line `line`).
   * @returns true when the run must stop (not lenient).
   */
  note(issue: Issue, index: number, line: number): boolean {
    if (this.counts[issue] === 0) this.firstLines[issue] = line;
    this.counts[issue]!++;
    if (this.lenient) return false;
    this.failedAt = index;
    this.failedIssue = issue;
    return true;
  }

  get total(): number {
    let total = 0;
    for (let k = 0; k < ISSUE_COUNT; k++) total += this.counts[k]!;
    return total;
  }
}
