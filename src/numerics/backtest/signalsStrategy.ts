import type { PrefixView, Strategy } from "./strategy.js";

/**
 * Target weights read from a file: `targets[i][row]` is symbol i's target
 * at price row `row`, and `hasRow[row]` whether the file has that row. A
 * bar without a row trades nothing (the holdings drift).
 *
 * @example
 * // a file with rows only at month ends rebalances at month ends and drifts in between
 */
export class SignalsStrategy implements Strategy {
  constructor(
    private readonly targets: readonly Float64Array[],
    private readonly hasRow: Uint8Array,
  ) {}

  decide(view: PrefixView, out: Float64Array): boolean {
    const bar = view.bar;
    if (!this.hasRow[bar]) return false;
    for (let i = 0; i < this.targets.length; i++) out[i] = this.targets[i]![bar]!;
    return true;
  }
}
