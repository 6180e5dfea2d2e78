import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hftlab } from "../cli/run.js";
import {
  type Client,
  fixtureTable,
  hftlabClient,
  type Served,
  startServer,
  stopServer,
  unary,
} from "./harness.js";

/**
 * Every unary RPC against the CLI on the same fixture: result_json is the
 * CLI's `result` as `--json` prints it (compactly, as `jq -c .result` would
 * write it), and the typed fields carry the same numbers.
 */
let served: Served;
let client: Client;

beforeAll(async () => {
  served = await startServer(["--data-dir", "fixtures"]);
  client = hftlabClient(served.address);
});

afterAll(async () => {
  client.close();
  expect(await stopServer(served)).toBe(0);
});

/** The CLI's `result` for these arguments, written as result_json is. */
function cliResult(args: string[]): string {
  const run = hftlab([...args, "--json", "--quiet"]);
  expect(run.status, run.stderr).toBe(0);
  return JSON.stringify(JSON.parse(run.stdout).result);
}

describe("each batch RPC gives the CLI's result", () => {
  it("Meanrev on a path equals meanrev --json on the file", async () => {
    const reply = await unary(client, "Meanrev", { path: "stocks.csv", window: 30, hurstMethod: "dfa" });
    expect(reply.resultJson).toBe(
      cliResult(["meanrev", "--window", "30", "--hurst-method", "dfa", "fixtures/stocks.csv"]),
    );
    const series = reply.series as { symbol: string; ou: { halfLife: number }; last: { z: number } }[];
    const expected = JSON.parse(reply.resultJson!).series;
    expect(series.map((s) => s.symbol)).toEqual(["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]);
    expect(series[0]!.ou.halfLife).toBe(expected[0].ou.halfLife);
    expect(series[1]!.last.z).toBe(expected[1].last.z);
    expect(reply.warnings).toContain("dropped 55 rows with missing values");
  });

  it("Meanrev on an inline Table equals meanrev on the file it came from, pair and all", async () => {
    const reply = await unary(client, "Meanrev", {
      data: fixtureTable("eustocks.csv"),
      pair: ["DAX", "CAC"],
      log: true,
      adf: false,
    });
    expect(reply.resultJson).toBe(
      cliResult(["meanrev", "--pair", "DAX,CAC", "--log", "--no-adf", "fixtures/eustocks.csv"]),
    );
    const pair = reply.pair as { hedgeRatio: number; engleGranger: { pValue: number } };
    const expected = JSON.parse(reply.resultJson!).pair;
    expect(pair.hedgeRatio).toBe(expected.hedgeRatio);
    expect(pair.engleGranger.pValue).toBe(expected.engleGranger.pValue);
  });

  it("Optimize (max-sharpe, Ledoit-Wolf) equals optimize --json", async () => {
    const reply = await unary(client, "Optimize", {
      path: "eustocks.csv",
      method: "max-sharpe",
      cov: "ledoit-wolf",
    });
    expect(reply.resultJson).toBe(
      cliResult(["optimize", "--method", "max-sharpe", "--cov", "ledoit-wolf", "fixtures/eustocks.csv"]),
    );
    const expected = JSON.parse(reply.resultJson!);
    expect(reply.weights).toEqual(expected.weights);
    expect(reply.sharpe).toBe(expected.sharpe);
  });

  it("Hmm equals hmm --json, with the Viterbi path as typed states", async () => {
    const request = {
      path: "eustocks.csv",
      columns: ["DAX", "CAC"],
      states: 2,
      covariance: "diag",
      restarts: 3,
    };
    const reply = await unary(client, "Hmm", request);
    expect(reply.resultJson).toBe(
      cliResult([
        "hmm",
        "--columns",
        "DAX,CAC",
        "--states",
        "2",
        "--covariance",
        "diag",
        "--restarts",
        "3",
        "fixtures/eustocks.csv",
      ]),
    );
    const expected = JSON.parse(reply.resultJson!);
    expect(reply.logLikelihood).toBe(expected.logLikelihood);
    expect(reply.path).toEqual(expected.path);
  });

  it("Regime equals regime --json", async () => {
    const reply = await unary(client, "Regime", { path: "eustocks.csv", columns: ["DAX"], restarts: 3 });
    expect(reply.resultJson).toBe(
      cliResult(["regime", "--columns", "DAX", "--restarts", "3", "fixtures/eustocks.csv"]),
    );
    const series = reply.series as { current: { regime: string } }[];
    expect(series[0]!.current.regime).toBe(JSON.parse(reply.resultJson!).series[0].current.regime);
  });

  it("Mcmc equals mcmc --json for the same seed", async () => {
    const request = { path: "eustocks.csv", columns: ["DAX"], draws: 300, warmup: 300, chains: 2, seed: 7 };
    const reply = await unary(client, "Mcmc", request);
    expect(reply.resultJson).toBe(
      cliResult([
        "mcmc",
        "--columns",
        "DAX",
        "--draws",
        "300",
        "--warmup",
        "300",
        "--chains",
        "2",
        "--seed",
        "7",
        "fixtures/eustocks.csv",
      ]),
    );
    const params = reply.params as Record<string, { mean: number }>;
    expect(params.mu!.mean).toBe(JSON.parse(reply.resultJson!).params.mu.mean);
  });

  it("Sparse equals sparse --json", async () => {
    const reply = await unary(client, "Sparse", { path: "eustocks.csv", target: "DAX", cv: 5 });
    expect(reply.resultJson).toBe(
      cliResult(["sparse", "--target", "DAX", "--cv", "5", "fixtures/eustocks.csv"]),
    );
    expect(reply.coefficients).toEqual(JSON.parse(reply.resultJson!).coefficients);
  });

  it("Decompose equals decompose --json", async () => {
    const reply = await unary(client, "Decompose", { path: "eustocks.csv", top: 5 });
    expect(reply.resultJson).toBe(cliResult(["decompose", "--top", "5", "fixtures/eustocks.csv"]));
    expect(reply.rank).toBe(JSON.parse(reply.resultJson!).rank);
  });

  it("Book equals book --json", async () => {
    const reply = await unary(client, "Book", { path: "book-sample.csv", depth: 5 });
    expect(reply.resultJson).toBe(cliResult(["book", "--depth", "5", "fixtures/book-sample.csv"]));
    const expected = JSON.parse(reply.resultJson!);
    expect(reply.mid).toBe(expected.mid);
    expect(reply.bids).toEqual(expected.bids);
  });

  it("Risk equals risk --json, with inline weights and two confidence levels", async () => {
    const request = {
      path: "eustocks.csv",
      weights: "DAX=0.5,CAC=0.5",
      confidence: [0.9, 0.975],
      benchmark: "FTSE",
    };
    const reply = await unary(client, "Risk", request);
    expect(reply.resultJson).toBe(
      cliResult([
        "risk",
        "--weights",
        "DAX=0.5,CAC=0.5",
        "--confidence",
        "0.9,0.975",
        "--benchmark",
        "FTSE",
        "fixtures/eustocks.csv",
      ]),
    );
    const series = reply.series as { sharpe: number }[];
    expect(series[0]!.sharpe).toBe(JSON.parse(reply.resultJson!).series[0].sharpe);
  });

  it("Backtest equals backtest --json", async () => {
    const reply = await unary(client, "Backtest", {
      path: "eustocks.csv",
      strategy: "meanrev",
      costBps: 5,
      window: 40,
    });
    expect(reply.resultJson).toBe(
      cliResult([
        "backtest",
        "--strategy",
        "meanrev",
        "--cost-bps",
        "5",
        "--window",
        "40",
        "fixtures/eustocks.csv",
      ]),
    );
    const stats = reply.stats as { sharpe: number };
    expect(stats.sharpe).toBe(JSON.parse(reply.resultJson!).stats.sharpe);
  });

  it("Pairs equals pairs --json", async () => {
    const reply = await unary(client, "Pairs", { path: "eustocks.csv", maxPvalue: 1, log: true });
    expect(reply.resultJson).toBe(
      cliResult(["pairs", "--max-pvalue", "1", "--log", "fixtures/eustocks.csv"]),
    );
    const expected = JSON.parse(reply.resultJson!);
    expect(reply.tested).toBe(expected.tested);
    expect((reply.pairs as { pValue: number }[])[0]!.pValue).toBe(expected.pairs[0].pValue);
  });
});
