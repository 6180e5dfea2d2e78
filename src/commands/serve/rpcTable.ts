/**
 * The unary RPCs: each is the batch command of its name, run by the CLI's
 * own code on a worker thread. `heavy` calls (fits, sampling, scans, walk-
 * forward backtests) may not take the last free worker (callPool.ts).
 * `pathOptions` are the options that name a file, which must lie under
 * --data-dir like the input itself.
 */
export interface UnaryRpc {
  method: string;
  command: string;
  heavy: boolean;
  pathOptions: readonly string[];
  /** Options the server sets, not the client (how many threads a call may use). */
  fixedOptions?: Record<string, number>;
  /** The command reads order-book events, which an inline Table cannot carry. */
  pathOnly?: boolean;
}

export const UNARY_RPCS: readonly UnaryRpc[] = [
  { method: "Meanrev", command: "meanrev", heavy: false, pathOptions: [] },
  { method: "Optimize", command: "optimize", heavy: false, pathOptions: [] },
  // One EM thread per call: concurrent calls share the cores instead of each claiming them all.
  { method: "Hmm", command: "hmm", heavy: true, pathOptions: ["model"], fixedOptions: { jobs: 1 } },
  { method: "Regime", command: "regime", heavy: true, pathOptions: [], fixedOptions: { jobs: 1 } },
  { method: "Mcmc", command: "mcmc", heavy: true, pathOptions: [] },
  { method: "Sparse", command: "sparse", heavy: true, pathOptions: [] },
  { method: "Decompose", command: "decompose", heavy: true, pathOptions: [] },
  { method: "Book", command: "book", heavy: false, pathOptions: [], pathOnly: true },
  { method: "Risk", command: "risk", heavy: false, pathOptions: ["weights"] },
  { method: "Backtest", command: "backtest", heavy: true, pathOptions: [] },
  { method: "Pairs", command: "pairs", heavy: true, pathOptions: [], fixedOptions: { jobs: 1 } },
];
