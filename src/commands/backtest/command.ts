import { open } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { RunContext } from "../../context.js";
import type { PortfolioMethod } from "../../numerics/portfolio/construction.js";
import { periodsPerYearOption, resolvePeriodsPerYear } from "../shared/periodsPerYear.js";
import { inputError, usageError } from "../../errors.js";
import type { Frame } from "../../io/frame.js";
import { CommandRun, checkFinite, checkSymbolColumns, dataSummary } from "../shared/commandRun.js";
import {
  addInputOptions,
  addOutputOptions,
  addReportOption,
  checkOutputModes,
  parseInteger,
  parseList,
  parseNumber,
  resolveInput,
} from "../shared/options.js";
import { addSignalOptions, checkSignalOptions } from "../shared/signalOptions.js";
import { analyseBacktest, regimePositions } from "./analysis.js";
import { addEmOptions } from "../hmm/options.js";
import { addPortfolioOptions, portfolioOptionProblem } from "../optimize/portfolioOptions.js";
import { BACKTEST_DEFAULTS, type BacktestOptions } from "./options.js";
import { backtestParams, backtestResult, backtestRows } from "./results.js";

/**
 * `hftlab backtest`: a strategy's per-bar PnL after costs through the one
 * engine of `numerics/backtest`, with no look-ahead (a strategy sees a view
 * of the prices that ends at the bar it decides on).
 */

/** optimize's methods but the frontier, which is no single portfolio to hold. */
const WALK_FORWARD_METHODS: PortfolioMethod[] = [
  "min-variance",
  "max-sharpe",
  "risk-parity",
  "target-return",
  "target-risk",
  "inverse-vol",
  "equal",
  "hrp",
];

const ROW_COLUMNS = ["equity", "return", "cost", "gross", "net", "drawdown"];
const nonNegative = (x: number) => (x >= 0 ? undefined : "must be 0 or more.");

export function registerBacktest(program: Command, context: RunContext): void {
  const command = program
    .command("backtest")
    .summary("a strategy's PnL after costs, one-bar execution delay, no look-ahead")
    .description(
      "Runs a strategy bar by bar: a target decided at the close of bar t (from prices up to t only) is " +
        "traded at the close of bar t + --delay and earns from the next bar on; weights drift with prices " +
        "between trades; costs (--cost-bps + --slippage-bps) on traded notional, --borrow-bps (annual) on " +
        "shorts. stats are the risk command's metrics of the net returns (hftlab's conventions), beside a " +
        "benchmark (--benchmark SYM held from the first bar, or buy-and-hold equal weight). Strategies: " +
        "meanrev (the meanrev positions, weight position/N), pairs (a spread with a rolling hedge from the " +
        "previous --lookback bars), regime (an HMM run forward as a filter, fitted at --train and every " +
        "--refit bars on past returns only), optimize (walk-forward: optimize's weights every --rebalance " +
        "bars from the previous --lookback returns) and signals (target weights from a file).",
    )
    .argument("[input]", "price (or, with --input-kind returns, returns) file, or - for stdin")
    .addOption(
      new Option("--strategy <name>", "strategy")
        .choices(["meanrev", "pairs", "regime", "optimize", "signals"])
        .default(BACKTEST_DEFAULTS.strategy),
    )
    .option(
      "--pair <A,B>",
      "pairs: trade the spread A - h*B (h from the previous --lookback bars)",
      parseList,
    )
    .option("--log", "pairs: the spread of log prices", false)
    .option(
      "--lookback <bars>",
      "pairs: the bars before each bar its hedge and z come from; optimize: the returns each rebalance " +
        "estimates from (bars up to and including it)",
      parseInteger("--lookback", 3),
      BACKTEST_DEFAULTS.lookback,
    )
    .option(
      "--train <bars>",
      "regime: the HMM is first fitted at this bar, on the log returns up to it",
      parseInteger("--train", 2),
      BACKTEST_DEFAULTS.train,
    )
    .option(
      "--refit <bars>",
      "regime: refit every this many bars on every return so far (0: never)",
      parseInteger("--refit", 0),
      BACKTEST_DEFAULTS.refit,
    )
    .option(
      "--states <K>",
      "regime: number of regimes",
      parseInteger("--states", 2, 20),
      BACKTEST_DEFAULTS.states,
    )
    .option(
      "--positions <label=w,...>",
      "regime: the weight held in each regime (labels as regime names them; others 0)",
      parsePositions,
    )
    .option(
      "--long <labels>",
      "regime: hold 1 in these regimes, 0 elsewhere (default: bull, calm or regimeK)",
      parseList,
    )
    .option(
      "--rebalance <bars>",
      "optimize: bars between rebalances (holdings drift in between)",
      parseInteger("--rebalance", 1),
      BACKTEST_DEFAULTS.rebalance,
    )
    .option("--signals <file>", "target weights per time (wide, or the position column of meanrev --out)")
    .option(
      "--delay <bars>",
      "bars between a decision and its trade",
      parseInteger("--delay", 0, 10_000),
      BACKTEST_DEFAULTS.delay,
    )
    .option("--allow-same-bar", "allow --delay 0 (trading at the close the signal was computed from)", false)
    .option(
      "--cost-bps <bps>",
      "cost per unit of traded notional, bps",
      parseNumber("--cost-bps", nonNegative),
      0,
    )
    .option(
      "--slippage-bps <bps>",
      "slippage per unit of traded notional, bps",
      parseNumber("--slippage-bps", nonNegative),
      0,
    )
    .option(
      "--borrow-bps <bps>",
      "annual borrow cost on short notional, bps",
      parseNumber("--borrow-bps", nonNegative),
      0,
    )
    .option(
      "--max-leverage <x>",
      "cap on gross exposure (targets above it are scaled down)",
      parseNumber("--max-leverage", (x) => (x > 0 ? undefined : "must be greater than 0.")),
    )
    .option("--benchmark <symbol>", "a column of the input held from the first bar, as the benchmark")
    .addOption(periodsPerYearOption())
    .addOption(
      new Option("--input-kind <kind>", "whether the file holds prices or simple returns")
        .choices(["prices", "returns"])
        .default("prices"),
    )
    .option("--trades", "list every trade (a run of bars held with one sign) in the JSON result", false);
  addPortfolioOptions(command, WALK_FORWARD_METHODS, "optimize: ");
  addSignalOptions(command, "bars");
  addEmOptions(command);
  addInputOptions(command);
  addOutputOptions(command, { ndjson: true, csv: false, out: true, seed: true, strict: true });
  addReportOption(command);
  command.option(
    "--report-window <N>",
    "the rolling Sharpe ratio and volatility window of --report, in bars " +
      "(default: half of --periods-per-year, at most half the bars)",
    parseInteger("--report-window", 2),
  );
  command.addHelpText(
    "after",
    `
Examples:
  hftlab backtest --strategy meanrev --window 20 --cost-bps 5 fixtures/eustocks.csv
  hftlab backtest --json --benchmark FTSE fixtures/eustocks.csv
  hftlab backtest --benchmark FTSE --report backtest.html fixtures/eustocks.csv
  hftlab backtest --report backtest.html --report-window 63 fixtures/sp500-2000.csv
  printf 't,DAX,FTSE\\n1991.496154,1,0\\n1995.323077,0.5,0.5\\n' > weights.csv && hftlab backtest --strategy signals --signals weights.csv --cost-bps 2 fixtures/eustocks.csv
  hftlab backtest --strategy optimize --method min-variance --rebalance 21 --lookback 252 --cost-bps 5 fixtures/eustocks.csv
  hftlab backtest --strategy pairs --pair DAX,CAC --log --lookback 60 --cost-bps 5 fixtures/eustocks.csv
  hftlab backtest --strategy regime --train 500 --refit 250 --restarts 3 --positions bull=1,sideways=0.5 fixtures/sp500-2000.csv
  hftlab backtest --ndjson fixtures/sp500-2000.csv | head -3

--ndjson prints one {time, equity, return, cost, gross, net, drawdown, weights} object per bar
(gross and net are the exposures after the bar's trade); --out FILE writes the same as a table
with one weight column per symbol.`,
  );
  command.action(async (input: string | undefined, options: BacktestOptions) => {
    await runBacktestCommand(input, options, context);
  });
}

function checkOptions(options: BacktestOptions): void {
  checkOutputModes(options);
  if (options.reportWindow !== undefined && options.report === undefined) {
    throw usageError(
      "--report-window sets the rolling window of the HTML report and needs --report FILE.html",
      "e.g. --report backtest.html --report-window 63",
    );
  }
  checkSignalOptions(options);
  if (options.delay === 0 && !options.allowSameBar) {
    throw usageError(
      "--delay 0 trades at the very close the signal was computed from (look-ahead in most data)",
      "keep the default --delay 1, or say --allow-same-bar if your signal really is known before the close",
    );
  }
  if (options.strategy === "signals" && options.signals === undefined) {
    throw usageError("--strategy signals needs --signals FILE");
  }
  if (options.strategy === "optimize") {
    const problem = portfolioOptionProblem(options);
    if (problem !== undefined) throw usageError(problem.message, problem.hint);
  }
  if (options.strategy !== "signals" && options.signals !== undefined) {
    throw usageError(`--signals applies to --strategy signals, not ${options.strategy}`);
  }
  if (options.strategy === "pairs") {
    if (options.pair === undefined) throw usageError("--strategy pairs needs --pair A,B");
    if (options.pair.length !== 2) throw usageError("--pair takes exactly two symbols, as A,B");
    if (options.pair[0] === options.pair[1]) {
      throw usageError("--pair needs two different symbols", "e.g. --pair DAX,CAC");
    }
  } else if (options.pair !== undefined) {
    throw usageError(`--pair applies to --strategy pairs, not ${options.strategy}`);
  }
  if (options.strategy === "regime") {
    if (options.positions !== undefined && options.long !== undefined) {
      throw usageError("--positions and --long cannot be combined", "--long L is --positions L=1");
    }
    regimePositions(options);
  } else if (options.positions !== undefined || options.long !== undefined) {
    throw usageError(`--positions and --long apply to --strategy regime, not ${options.strategy}`);
  }
}

/** --positions bull=1,sideways=0.5,bear=0: a label and a finite weight per entry. */
function parsePositions(text: string): [string, number][] {
  return text.split(",").map((entry) => {
    const match = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(entry);
    const weight = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(weight)) {
      throw new InvalidArgumentError(`"${entry}" is not LABEL=weight (e.g. bull=1,sideways=0.5,bear=0).`);
    }
    return [match[1]!, weight];
  });
}

export async function runBacktestCommand(
  input: string | undefined,
  options: BacktestOptions,
  context: RunContext,
): Promise<void> {
  checkOptions(options);
  const source = resolveInput(input, "backtest", context.stdinIsTty);
  const run = new CommandRun("backtest", options, context);
  if (options.delay === 0) run.warn("--delay 0: each target trades at the close it was computed from");
  const frame = await run.load(source);
  resolvePeriodsPerYear(frame, options);
  checkFinite(frame);
  if (options.benchmark !== undefined && !frame.symbols.includes(options.benchmark)) {
    throw inputError(
      "unknown_benchmark",
      `--benchmark ${options.benchmark} is not a column of ${frame.source}`,
      {
        file: frame.source,
      },
    );
  }
  if (options.out !== undefined)
    checkSymbolColumns(frame, [frame.timeName, ...ROW_COLUMNS], `--out ${options.out}`);
  const signals = options.signals === undefined ? null : await readSignals(options.signals, context);
  const keepWeights = options.ndjson || options.out !== undefined;
  const analysis = await analyseBacktest(frame, options, signals, keepWeights, run);
  if (analysis.run.leverageCapped > 0) {
    run.warn(
      `${analysis.run.leverageCapped} targets exceeded --max-leverage ${options.maxLeverage} and were scaled down`,
    );
  }
  run.computed();
  const result = backtestResult(analysis, options);
  if (options.out !== undefined) await writeRows(options.out, analysis.frame, analysis);
  if (options.report !== undefined) {
    const [{ backtestReportHtml }, { writeReport }] = await Promise.all([
      import("./htmlReport.js"),
      import("../../output/html/writeReport.js"),
    ]);
    await writeReport(options.report, await backtestReportHtml(analysis, result, options, context.version));
  }
  if (options.json) await run.writeJson(backtestParams(options), dataSummary(frame), result);
  else if (options.ndjson) for (const chunk of backtestRows(analysis)) await context.stdout.write(chunk);
  else if (options.out === undefined) {
    const { renderBacktestReport } = await import("./report.js");
    await context.stdout.write(
      renderBacktestReport(analysis, result, options, run.color, undefined, context.stdout.isTty),
    );
  }
}

/** The signals file: wide target weights, or meanrev --out's long rows (its position column). */
async function readSignals(path: string, context: RunContext): Promise<Frame> {
  const header = await firstLine(path);
  const names = header.split(/[,\t]/).map((name) => name.trim().replace(/^"|"$/g, "").toLowerCase());
  const long = names.includes("symbol") && names.includes("position");
  const { readFrame } = await import("../../io/read.js");
  return readFrame(path, {
    missing: "error",
    sort: false,
    stdin: context.stdin,
    ...(long ? { priceCol: "position" } : {}),
    onWarning: () => undefined,
  });
}

async function firstLine(path: string): Promise<string> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(path, "r");
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.toString("utf8", 0, bytesRead).split(/\r?\n/)[0] ?? "";
  } catch (error) {
    throw inputError(
      "signals_unreadable",
      `cannot read the signals file ${path}: ${(error as Error).message}`,
      {
        file: path,
      },
    );
  } finally {
    await file?.close();
  }
}

async function writeRows(
  path: string,
  frame: Frame,
  analysis: Awaited<ReturnType<typeof analyseBacktest>>,
): Promise<void> {
  const { writeTable } = await import("../../io/write.js");
  const { run } = analysis;
  const rows = run.net.length;
  const drawdown = new Float64Array(rows);
  let high = 1;
  for (let i = 0; i < rows; i++) {
    high = Math.max(high, run.equity[i]!);
    drawdown[i] = run.equity[i]! / high - 1;
  }
  await writeTable(path, [
    { name: frame.timeName, values: analysis.barTimes.toArray() },
    { name: "equity", values: run.equity },
    { name: "return", values: run.net },
    { name: "cost", values: run.cost },
    { name: "gross", values: run.grossExposure },
    { name: "net", values: run.netExposure },
    { name: "drawdown", values: drawdown },
    ...frame.symbols.map((symbol, i) => ({ name: symbol, values: run.weights![i]! })),
  ]);
}
