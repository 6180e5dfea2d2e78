import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

/**
 * Issue 17 item 2: which input columns a saved model's features are read
 * from, in `hmm --model` and `stream --model` (src/commands/shared/modelFeatures.ts).
 * The truth each mapped run is checked against is the same model on a file
 * whose columns were renamed to the model's feature names by hand.
 */

const write = temporaryFiles("hftlab-model-features-");

/** eustocks.csv (t,DAX,SMI,CAC,FTSE) as rows of cells. */
const EUSTOCKS = readFileSync("fixtures/eustocks.csv", "utf8")
  .trim()
  .split("\n")
  .map((line) => line.split(","));
const EUSTOCKS_HEADER = EUSTOCKS[0]!;

/** A wide CSV of eustocks' columns `from`, written under the names `as`. */
function eustocks(name: string, from: string[], as: string[]): string {
  const indices = from.map((column) => EUSTOCKS_HEADER.indexOf(column));
  const lines = EUSTOCKS.map((cells, row) =>
    [cells[0], ...indices.map((j, i) => (row === 0 ? as[i] : cells[j]))].join(","),
  );
  return write(name, `${lines.join("\n")}\n`);
}

function json(args: string[]) {
  const r = hftlab([...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function fitModel(name: string, args: string[]): string {
  const path = write(name, "");
  json(["hmm", "--restarts", "2", ...args, "--save", path]);
  return path;
}

const daxModel = fitModel("dax.json", ["--columns", "DAX", "fixtures/eustocks.csv"]);
const daxCacModel = fitModel("dax-cac.json", ["--columns", "DAX,CAC", "fixtures/eustocks.csv"]);
/** The model's own names, in a shuffled file with two columns more: the by-name truth. */
const byNames = eustocks("by-names.csv", ["FTSE", "CAC", "SMI", "DAX"], ["FTSE", "CAC", "SMI", "DAX"]);
/** The same data under Yahoo-style tickers. */
const tickers = eustocks("tickers.csv", ["DAX", "SMI", "CAC", "FTSE"], ["GDAXI", "SSMI", "FCHI", "FTSE"]);

describe("hmm --model: a one-feature model reads a one-column input whatever its name", () => {
  it("a model fitted on sp500-2000.csv decodes the same prices in other.csv, as on the file it was fitted on", () => {
    const model = write("sp500.json", "");
    const fitted = json([
      "hmm",
      "--states",
      "3",
      "--restarts",
      "2",
      "--save",
      model,
      "fixtures/sp500-2000.csv",
    ]);
    expect(JSON.parse(readFileSync(model, "utf8")).features).toEqual(["sp500-2000"]);
    const other = write("other.csv", readFileSync("fixtures/sp500-2000.csv", "utf8"));
    const same = json(["hmm", "--model", model, "fixtures/sp500-2000.csv"]);
    const applied = json(["hmm", "--model", model, other]);
    expect(applied.result).toEqual(same.result);
    expect(applied.result.path).toEqual(fitted.result.path);
    expect(applied.data.columns).toEqual(["other"]);
    expect(applied.params).toMatchObject({ features: ["other"], featureMatch: "position" });
    expect(applied.warnings).toEqual([]);
  });

  it("a DAX model on a file holding DAX's prices as GDAXI: the same result as on DAX itself", () => {
    const gdaxi = eustocks("gdaxi.csv", ["DAX"], ["GDAXI"]);
    const truth = json(["hmm", "--model", daxModel, eustocks("dax.csv", ["DAX"], ["DAX"])]);
    const applied = json(["hmm", "--model", daxModel, gdaxi]);
    expect(applied.result).toEqual(truth.result);
    expect(applied.result.features).toEqual(["DAX"]);
    expect(applied.params).toMatchObject({ features: ["GDAXI"], featureMatch: "position" });
    expect(truth.params).toMatchObject({ features: ["DAX"], featureMatch: "position" });
    // --columns narrows a wide file to one column, and then position applies too.
    const narrowed = json(["hmm", "--model", daxModel, "--columns", "GDAXI", tickers]);
    expect(narrowed.result).toEqual(truth.result);
  });

  it("the human report says which column each feature was read from", () => {
    const r = hftlab(["hmm", "--model", daxModel, "--features", "GDAXI", tickers]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toContain("DAX ← GDAXI");
  });
});

describe("hmm --model with several columns: by name, or --features", () => {
  it("by name: the model's columns are found in another order among others", () => {
    const truth = json([
      "hmm",
      "--model",
      daxCacModel,
      eustocks("dax-cac.csv", ["DAX", "CAC"], ["DAX", "CAC"]),
    ]);
    const applied = json(["hmm", "--model", daxCacModel, byNames]);
    expect(applied.result).toEqual(truth.result);
    expect(applied.data.columns).toEqual(["DAX", "CAC"]);
    expect(applied.params).toMatchObject({ features: ["DAX", "CAC"], featureMatch: "name" });
    // A one-feature model on a wide file is matched by name as well.
    const dax = json(["hmm", "--model", daxModel, byNames]);
    expect(dax.params).toMatchObject({ features: ["DAX"], featureMatch: "name" });
  });

  it("--features GDAXI,FCHI equals the model on a file renamed to DAX,CAC", () => {
    const truth = json(["hmm", "--model", daxCacModel, byNames]);
    const mapped = json(["hmm", "--model", daxCacModel, "--features", "GDAXI,FCHI", tickers]);
    expect(mapped.result).toEqual(truth.result);
    expect(mapped.data.columns).toEqual(["GDAXI", "FCHI"]);
    expect(mapped.params).toMatchObject({ features: ["GDAXI", "FCHI"], featureMatch: "features" });
  });

  it("--features is in the model's order: FCHI,GDAXI reads CAC as the model's DAX", () => {
    const swapped = eustocks("swapped.csv", ["CAC", "DAX"], ["DAX", "CAC"]);
    const truth = json(["hmm", "--model", daxCacModel, swapped]);
    const mapped = json(["hmm", "--model", daxCacModel, "--features", "FCHI,GDAXI", tickers]);
    expect(mapped.result).toEqual(truth.result);
    expect(mapped.result.logLikelihood).not.toBe(
      json(["hmm", "--model", daxCacModel, byNames]).result.logLikelihood,
    );
  });

  it("--features overrides a name that is there: the DAX model reads SMI", () => {
    const truth = json(["hmm", "--model", daxModel, eustocks("smi-as-dax.csv", ["SMI"], ["DAX"])]);
    const mapped = json(["hmm", "--model", daxModel, "--features", "SMI", byNames]);
    expect(mapped.result).toEqual(truth.result);
  });
});

describe("hmm --model refuses what it cannot match, in one line with a hint", () => {
  it("a missing feature is exit 3, naming it, the columns there are, and --features", () => {
    const r = hftlab(["hmm", "--model", daxCacModel, tickers]);
    expect(r.status).toBe(3);
    expectOneLineError(
      r.stderr,
      /the model's features are not columns of the input: DAX, CAC \(available: GDAXI, SSMI, FCHI, FTSE\)/,
    );
    expect(r.stderr).toMatch(/\nhint: .*--features, in the model's order \(DAX,CAC\)/);
    const one = hftlab(["hmm", "--model", daxModel, tickers]);
    expect(one.status).toBe(3);
    expectOneLineError(
      one.stderr,
      /the model's feature is not a column of the input: DAX \(available: GDAXI,/,
    );
    expect(one.stderr).toMatch(/\nhint: .*--features COLUMN/);
  });

  it("a multi-feature model is not applied by position even to as many columns", () => {
    const two = eustocks("two.csv", ["DAX", "CAC"], ["A", "B"]);
    const r = hftlab(["hmm", "--model", daxCacModel, two]);
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /not columns of the input: DAX, CAC \(available: A, B\)/);
  });

  it("a --features list of the wrong length is exit 2", () => {
    const r = hftlab(["hmm", "--model", daxCacModel, "--features", "GDAXI", tickers]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /--features names 1 column, the model has 2 features \(DAX, CAC\)/);
  });

  it("an unknown --features column is exit 3, with the available columns", () => {
    const r = hftlab(["hmm", "--model", daxCacModel, "--features", "GDAXI,CAC", tickers]);
    expect(r.status).toBe(3);
    expectOneLineError(
      r.stderr,
      /--features names an unknown column "CAC" \(available: GDAXI, SSMI, FCHI, FTSE\)/,
    );
  });

  it("a column named twice, and --features without --model, are exit 2", () => {
    const twice = hftlab(["hmm", "--model", daxCacModel, "--features", "FCHI,FCHI", tickers]);
    expect(twice.status).toBe(2);
    expectOneLineError(twice.stderr, /--features names FCHI twice/);
    const alone = hftlab(["hmm", "--features", "DAX", "fixtures/eustocks.csv"]);
    expect(alone.status).toBe(2);
    expectOneLineError(alone.stderr, /--features .* it needs --model/);
  });
});

interface StreamRow {
  symbol: string;
  [key: string]: unknown;
}

/** NDJSON ticks of eustocks' DAX and CAC, interleaved, DAX under the name `daxName`. */
function ticks(daxName: string): string {
  const dax = EUSTOCKS_HEADER.indexOf("DAX");
  const cac = EUSTOCKS_HEADER.indexOf("CAC");
  const lines: string[] = [];
  for (const cells of EUSTOCKS.slice(1)) {
    lines.push(JSON.stringify({ ts: cells[0], symbol: daxName, price: Number(cells[dax]) }));
    lines.push(JSON.stringify({ ts: cells[0], symbol: "CAC", price: Number(cells[cac]) }));
  }
  return `${lines.join("\n")}\n`;
}

function stream(args: string[], input: string): { rows: StreamRow[]; stderr: string } {
  const r = hftlab(["stream", ...args, "-"], { input });
  expect(r.status, r.stderr).toBe(0);
  return {
    rows: r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as StreamRow),
    stderr: r.stderr,
  };
}

const regimes = (row: StreamRow) => [row.p0, row.p1];
const ofSymbol = (rows: StreamRow[], symbol: string) => rows.filter((row) => row.symbol === symbol);

describe("stream --model: each symbol is a one-column input of its own", () => {
  it("a DAX model filters every symbol, GDAXI as it filters DAX under its own name", () => {
    const truth = stream(["--model", daxModel], ticks("DAX")).rows;
    const renamed = stream(["--model", daxModel], ticks("GDAXI")).rows;
    expect(ofSymbol(renamed, "GDAXI").map(regimes)).toEqual(ofSymbol(truth, "DAX").map(regimes));
    expect(ofSymbol(renamed, "CAC").map(regimes)).toEqual(ofSymbol(truth, "CAC").map(regimes));
    expect(ofSymbol(renamed, "CAC")[5]!.p0).toEqual(expect.any(Number));
  });

  it("--features GDAXI: only GDAXI's rows carry p0..pK-1, the same numbers", () => {
    const truth = stream(["--model", daxModel], ticks("DAX")).rows;
    const mapped = stream(["--model", daxModel, "--features", "GDAXI"], ticks("GDAXI")).rows;
    expect(ofSymbol(mapped, "GDAXI").map(regimes)).toEqual(ofSymbol(truth, "DAX").map(regimes));
    for (const row of ofSymbol(mapped, "CAC")) expect(Object.keys(row)).not.toContain("p0");
  });

  it("--features naming a symbol that never comes: no p0..pK-1, and a warning at the end", () => {
    const { rows, stderr } = stream(["--model", daxModel, "--features", "DAX"], ticks("GDAXI"));
    for (const row of rows) expect(Object.keys(row)).not.toContain("p0");
    expect(stderr).toContain(
      "hftlab: warning: --features DAX: no tick of DAX was read, so no row has p0..pK-1\n",
    );
  });

  it("--features of two symbols for a one-feature model is exit 2; --features without --model too", () => {
    const two = hftlab(["stream", "--model", daxModel, "--features", "GDAXI,CAC", "-"], { input: "" });
    expect(two.status).toBe(2);
    expectOneLineError(two.stderr, /--features names 2 columns, the model has 1 feature \(DAX\)/);
    const alone = hftlab(["stream", "--features", "GDAXI", "-"], { input: "" });
    expect(alone.status).toBe(2);
    expectOneLineError(alone.stderr, /--features .* it needs --model/);
  });

  it("a model of two features is refused before any --features check (exit 3)", () => {
    const r = hftlab(["stream", "--model", daxCacModel, "--features", "GDAXI,CAC", "-"], { input: "" });
    expect(r.status).toBe(3);
    expectOneLineError(r.stderr, /the model needs one feature, it has 2 \(DAX, CAC\)/);
  });
});
