import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type MalformedLine, TickEngine } from "../../src/stream/tickEngine.js";
import { BytesIndex } from "../../src/io/ticks/bytesIndex.js";
import { parsePlainDecimalBytes } from "../../src/io/delimited/numberText.js";
import { scanNdjsonTick, TickBytes } from "../../src/io/ticks/tickBytes.js";
import { parseNdjsonTick, type Tick } from "../../src/io/ticks/tickParser.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { TickSignals } from "../../src/numerics/timeseries/tickSignals.js";

const settings = { window: 5, entry: 1, exit: 0.25, ewmaLambda: 0.94, returns: "log" as const };

/** The byte scanner's reading of one line, in parseNdjsonTick's terms; null when it leaves the line to the text path. */
function scan(line: string): Tick | null {
  const bytes = Buffer.from(`${line}\n`, "utf8");
  const fields = new TickBytes();
  const end = scanNdjsonTick(bytes, 0, fields);
  if (end < 0) return null;
  expect(end).toBe(bytes.length - 1);
  const time = bytes.toString("latin1", fields.timeStart, fields.timeEnd);
  return {
    timeJson: fields.timeQuoted ? time : `"${time}"`,
    symbol: bytes.toString("latin1", fields.symbolStart, fields.symbolEnd),
    price: fields.price,
    seq: fields.seq,
  };
}

function parse(line: string): Tick | null {
  const tick: Tick = { timeJson: "", symbol: "", price: 0, seq: Number.NaN };
  return parseNdjsonTick(line, tick) === null ? tick : null;
}

/** A random tick line: keys in any order, any spacing, extra fields, numeric or string times, optional seq. */
function randomLine(prng: Prng): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(prng.nextFloat() * xs.length)]!;
  const space = (): string => pick(["", "", "", " ", "\t", "  "]);
  const decimals = Math.floor(prng.nextFloat() * 5);
  const price = (Math.floor(prng.nextFloat() * 1e7) / 10 ** decimals).toFixed(decimals);
  const fields = [
    `"${pick(["ts", "time", "timestamp", "t", "date"])}"${space()}:${space()}${pick([
      String(1704205800000 + Math.floor(prng.nextFloat() * 1e6)),
      '"2024-01-02T14:30:00.123Z"',
      '"1704205800123456789"',
      "1704205800123456789",
    ])}`,
    `"${pick(["symbol", "ticker"])}":${space()}"${pick(["A", "T02", "BTC-USD", "X/Y"])}"`,
    `"${pick(["price", "close", "value"])}":${space()}${price}`,
  ];
  if (prng.nextFloat() < 0.3)
    fields.push(`"${pick(["seq", "sequence"])}":${Math.floor(prng.nextFloat() * 1e9)}`);
  if (prng.nextFloat() < 0.5) fields.push(`"size":${pick(["200", "0.5", '"big"', "null", "true", "-3e2"])}`);
  for (let i = fields.length - 1; i > 0; i--) {
    const j = Math.floor(prng.nextFloat() * (i + 1));
    [fields[i], fields[j]] = [fields[j]!, fields[i]!];
  }
  return `${space()}{${space()}${fields.join(`${space()},${space()}`)}${space()}}${space()}${pick(["", "", "\r"])}`;
}

describe("scanNdjsonTick", () => {
  it("reads every plain tick exactly as parseNdjsonTick does", () => {
    const prng = new Prng(17);
    let scanned = 0;
    for (let i = 0; i < 50_000; i++) {
      const line = randomLine(prng);
      const fast = scan(line);
      if (fast === null) continue;
      scanned++;
      const reference = parse(line.replace(/\r$/, ""));
      if (JSON.stringify(fast) !== JSON.stringify(reference) || !Object.is(fast.seq, reference?.seq)) {
        expect({ line, fast }).toEqual({ line, fast: reference });
      }
    }
    // Numeric times with digits only, string times, plain prices: the scanner takes all but the odd ones.
    expect(scanned).toBeGreaterThan(45_000);
  });

  it("takes the feed's own shape", () => {
    expect(scan('{"ts":1704205800003,"symbol":"T02","price":143.06,"size":200}')).toEqual({
      timeJson: '"1704205800003"',
      symbol: "T02",
      price: 143.06,
      seq: Number.NaN,
    });
  });

  it("leaves every unusual or malformed line to the text path", () => {
    const lines = [
      "",
      "   ",
      "not json",
      "{}",
      '{"ts":1,"symbol":"A"}',
      '{"ts":1,"symbol":"A","price":-1}',
      '{"ts":1,"symbol":"A","price":0}',
      '{"ts":1,"symbol":"A","price":1e2}',
      '{"ts":1,"symbol":"A","price":"11.5"}',
      '{"ts":1,"symbol":"A","price":NaN}',
      '{"ts":1,"symbol":"A","price":1.2.3}',
      '{"ts":1,"symbol":"A","price":}',
      '{"ts":1,"symbol":"A","price":1} x',
      '{"ts":1,"symbol":"A","price":1,"seq":"7"}',
      '{"ts":1,"symbol":"A","price":1,"seq":1.5}',
      '{"ts":1,"symbol":"A","price":1,"seq":null}',
      '{"ts":1,"symbol":"A","price":1,"seq":12345678901234567}',
      '{"ts":1,"symbol":"A","price":12,"extra":{"nested":[1,2]}}',
      '{"ts":1.5,"symbol":"A","price":1}',
      '{"ts":null,"symbol":"A","price":1}',
      '{"ts":"2024-01-02\\u0054","symbol":"A","price":1}',
      '{"ts":1,"symbol":"B\\u00e9","price":1}',
      '{"ts":1,"symbol":"Bé","price":1}',
      '{"ts":1,"symbol":"","price":1}',
      '{"ts":1,"symbol":5,"ticker":"A","price":1}',
      '{"t\\s":1,"symbol":"A","price":1}',
      '{"ts":1,"symbol":"A","price":1,}',
      '{"ts":1 "symbol":"A","price":1}',
      '["ts",1]',
      // Digit-first quoted stamps that are no time: the text path refuses them with its message.
      '{"ts":"2024-13-02","symbol":"A","price":1}',
      '{"ts":"2024-02-30T10:00:00Z","symbol":"A","price":1}',
      '{"ts":"2024-01-02T25:00","symbol":"A","price":1}',
      '{"ts":"12:00","symbol":"A","price":1}',
      '{"ts":"1.2.3","symbol":"A","price":1}',
      '{"ts":"17x","symbol":"A","price":1}',
    ];
    for (const line of lines) expect({ line, scanned: scan(line) }).toEqual({ line, scanned: null });
    for (const line of lines.slice(-6)) expect({ line, parsed: parse(line) }).toEqual({ line, parsed: null });
  });

  it("takes digit-first quoted stamps that are times (epoch text, ISO dates and date-times) as the text path does", () => {
    const lines = [
      '{"ts":"1704205800000","symbol":"A","price":1}',
      '{"ts":"1704205800.25","symbol":"A","price":1}',
      '{"ts":"1.5e3","symbol":"A","price":1}',
      '{"ts":"2024-02-29","symbol":"A","price":1}',
      '{"ts":"2024-01-02T10:00:00.123456Z","symbol":"A","price":1}',
      '{"ts":"2024-01-02 10:00:00+01:00","symbol":"A","price":1}',
    ];
    for (const line of lines) {
      expect(parse(line)).not.toBeNull();
      expect({ line, scanned: scan(line) }).toEqual({ line, scanned: parse(line) });
    }
  });
});

describe("parsePlainDecimalBytes", () => {
  it("gives Number(text) on plain decimals and NaN on anything else", () => {
    const prng = new Prng(19);
    for (let i = 0; i < 100_000; i++) {
      const digits = 1 + Math.floor(prng.nextFloat() * 16);
      let text = "";
      for (let d = 0; d < digits; d++) text += Math.floor(prng.nextFloat() * 10);
      const dot = Math.floor(prng.nextFloat() * (digits + 1));
      if (prng.nextFloat() < 0.8) text = `${text.slice(0, dot)}.${text.slice(dot)}`;
      const value = parsePlainDecimalBytes(Buffer.from(text), 0, text.length);
      if (!Number.isNaN(value) && value !== Number(text))
        expect({ text, value }).toEqual({ text, value: Number(text) });
    }
    for (const text of ["", ".", "-1", "+1", "1e2", "1.2.3", "0x10", " 1", "1,5", "12345678901234567890"]) {
      expect(parsePlainDecimalBytes(Buffer.from(text), 0, text.length)).toBeNaN();
    }
  });
});

interface Run {
  output: string;
  problems: MalformedLine[];
  counts: number[];
}

function run(feed: (engine: TickEngine) => void): Run {
  const problems: MalformedLine[] = [];
  const engine = new TickEngine(settings, null, (problem) => problems.push(problem));
  feed(engine);
  return {
    output: engine.takeOutput().toString("utf8"),
    problems,
    counts: [engine.ticks, engine.skipped, engine.duplicates, engine.symbols, engine.lineNumber],
  };
}

/** Feeds `bytes` in chunks cut at `cuts` (sorted offsets). */
function feedCut(bytes: Buffer, cuts: number[]): (engine: TickEngine) => void {
  return (engine) => {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      engine.feedBytes(bytes.subarray(from, cut));
      from = cut;
    }
    engine.endBytes();
  };
}

describe("TickEngine on bytes", () => {
  const prng = new Prng(23);
  const good = Array.from({ length: 400 }, () => randomLine(prng));
  const odd = [
    "not json",
    '{"ts":2,"symbol":"A"}',
    '{"ts":3,"symbol":"A","price":-1}',
    "",
    "  ",
    '{"ts":4,"symbol":"A","price":"11.5","size":3}',
    '{"ts":5,"symbol":"A","price":12,"extra":{"nested":[1,2]}}',
    '{"ts":"2024-01-02T14:30:00.000000001Z","symbol":"B\\u00e9","price":1e2}',
    '{"ts":6,"symbol":"Bé€","price":3.25}',
    '{"ts":7,"symbol":"A","price":10,"seq":1}',
    '{"ts":8,"symbol":"A","price":11,"seq":1}',
    '{"ts":1.5,"symbol":"A","price":1}',
    "\r",
  ];
  const lines: string[] = [];
  for (let i = 0; i < good.length; i++) {
    lines.push(good[i]!);
    if (i % 31 === 0) lines.push(odd[(i / 31) % odd.length]!);
  }
  const text = `${lines.join("\n")}\n${good[0]}`; // the last line has no line feed
  const bytes = Buffer.from(text, "utf8");

  it("writes the same rows and reports the same lines as the text path, however the bytes are cut", () => {
    const reference = run((engine) => {
      engine.feedText(text);
      engine.endText();
    });
    const [ticks, skipped, duplicates] = reference.counts;
    expect([ticks! > 250, skipped! >= 3, duplicates! > 20]).toEqual([true, true, true]);
    expect(run(feedCut(bytes, []))).toEqual(reference);
    for (let trial = 0; trial < 30; trial++) {
      const cuts = Array.from({ length: 1 + Math.floor(prng.nextFloat() * 40) }, () =>
        Math.floor(prng.nextFloat() * bytes.length),
      ).sort((a, b) => a - b);
      expect(run(feedCut(bytes, cuts))).toEqual(reference);
    }
  });

  it("reads the same when the caller reuses one buffer for every chunk (as --follow does)", () => {
    const reference = run(feedCut(bytes, []));
    const reused = run((engine) => {
      const buffer = Buffer.alloc(4096);
      for (let from = 0; from < bytes.length; from += 777) {
        const length = bytes.copy(buffer, 0, from, Math.min(from + 777, bytes.length));
        engine.feedBytes(buffer.subarray(0, length));
        buffer.fill(120);
      }
      engine.endBytes();
    });
    expect(reused).toEqual(reference);
  });

  it("decodes UTF-8 split across chunks at every byte", () => {
    const small = Buffer.from('{"ts":1,"symbol":"Bé€","price":2}\n{"ts":2,"symbol":"A","price":3}\n', "utf8");
    const whole = run(feedCut(small, []));
    expect(whole.output).toContain('"symbol":"Bé€"');
    for (let cut = 1; cut < small.length; cut++) expect(run(feedCut(small, [cut]))).toEqual(whole);
  });

  it("reads CSV ticks through the text path, header first", () => {
    const csv = Buffer.from("ts,symbol,price\n1,A,10\n2,A,11\n3,B,1.5\n", "utf8");
    const reference = run((engine) => {
      engine.feedText(csv.toString());
      engine.endText();
    });
    expect(reference.counts[0]).toBe(3);
    expect(run(feedCut(csv, [5, 17]))).toEqual(reference);
  });
});

describe("TickEngine rows", () => {
  it("are the rows JSON.stringify gives for the same signals (eustocks, four symbols time-major)", () => {
    const [header, ...rows] = readFileSync("fixtures/eustocks.csv", "utf8").trim().split("\n");
    const symbols = header!.split(",").slice(1);
    const signals = symbols.map(() => new TickSignals(settings, null));
    let input = "";
    let expected = "";
    for (const row of rows) {
      const [time, ...prices] = row.split(",");
      for (let s = 0; s < symbols.length; s++) {
        const price = Number(prices[s]);
        input += `{"ts":"${time}","symbol":"${symbols[s]}","price":${prices[s]}}\n`;
        const signal = signals[s]!;
        signal.push(price);
        const { mean, std, z, position, ewmaVol } = signal;
        expected += `${JSON.stringify({ time, symbol: symbols[s], price, mean, std, z, position, ewmaVol })}\n`;
      }
    }
    const result = run(feedCut(Buffer.from(input), [100_000, 200_000]));
    expect(result.counts[0]).toBe(rows.length * symbols.length);
    expect(result.output === expected).toBe(true);
  });
});

describe("BytesIndex", () => {
  it("finds values by key bytes through collisions and growth, keeping its own copy of each key", () => {
    const index = new BytesIndex<number>(4);
    const keys = Array.from({ length: 300 }, (_, i) => `S${i}`);
    const scratch = Buffer.alloc(16);
    keys.forEach((key, i) => {
      const length = scratch.write(key);
      // Every fourth key shares a hash with the previous one: only the bytes tell them apart.
      expect(index.get(scratch, 0, length, i >> 2)).toBeUndefined();
      index.set(scratch, 0, length, i >> 2, i);
      scratch.fill(0);
    });
    keys.forEach((key, i) => {
      const bytes = Buffer.from(`..${key}..`);
      expect(index.get(bytes, 2, 2 + key.length, i >> 2)).toBe(i);
    });
    expect(index.get(Buffer.from("S1"), 0, 2, 1)).toBeUndefined();
  });
});
