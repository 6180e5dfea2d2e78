import { describe, expect, it } from "vitest";
import { delimitedText } from "../../src/io/rows/delimitedBytes.js";
import {
  formatMeanrevRows,
  type MeanrevRowColumns,
  meanrevSymbolBytes,
  type RowFlavour,
} from "../../src/output/meanrevRows.js";
import { NdjsonBytes } from "../../src/output/ndjsonBytes.js";
import { timeTextBytes } from "../../src/output/timeBytes.js";
import { Prng } from "../../src/numerics/random/prng.js";

/**
 * The byte formatter of meanrev's per-row output against the obvious code:
 * JSON.stringify of each row object for NDJSON, String(x) per cell for CSV,
 * on values chosen to be awkward (NaN, ±Infinity, −0, subnormals, huge and
 * tiny magnitudes), stamps and symbols that need quoting or are not ASCII.
 */
const prng = new Prng(20261208);
const random = () => prng.nextFloat();
const AWKWARD = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  5e-324,
  1.7976931348623157e308,
  1e21,
  1e-7,
  0.1,
  123456789.125,
];

function value(): number {
  const u = random();
  if (u < 0.2) return AWKWARD[Math.floor(random() * AWKWARD.length)]!;
  if (u < 0.5) return Math.round(random() * 1e8) / 1e4;
  return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
}

const bars = 300;
const times = Array.from({ length: bars }, (_, i) =>
  i % 7 === 0 ? `2024-01-${i} "q",x` : i % 5 === 0 ? `Zeit ${i} – ü` : String(1704205800000 + 1000 * i),
);
const symbols = ["S00", 'A,"B"', "Ä-Ö", " pad "];
const series: MeanrevRowColumns[] = symbols.map(() => {
  const column = () => Float64Array.from({ length: bars }, value);
  return {
    price: column(),
    mean: column(),
    std: column(),
    position: Int8Array.from({ length: bars }, () => Math.floor(random() * 3) - 1),
  };
});

function formatted(flavour: RowFlavour, quote: (text: string) => string, from: number, to: number): string {
  const out = new NdjsonBytes(64);
  formatMeanrevRows(
    out,
    flavour,
    timeTextBytes(times, quote, false),
    symbols.map((symbol) => meanrevSymbolBytes(symbol, flavour, quote)),
    series,
    from,
    to,
  );
  return out.take().toString("utf8");
}

/** The z-score meanrev prints: (price − mean)/std, none where the window is flat (std 0). */
function z(s: MeanrevRowColumns, i: number): number {
  return s.std[i] === 0 ? Number.NaN : (s.price[i]! - s.mean[i]!) / s.std[i]!;
}

function naiveNdjson(from: number, to: number): string {
  let text = "";
  for (let i = from; i < to; i++) {
    series.forEach((s, j) => {
      const number = (x: number) => (Number.isFinite(x) ? x : null);
      const row = {
        time: times[i],
        symbol: symbols[j],
        price: number(s.price[i]!),
        mean: number(s.mean[i]!),
        std: number(s.std[i]!),
        z: number(z(s, i)),
        position: s.position[i],
      };
      text += `${JSON.stringify(row)}\n`;
    });
  }
  return text;
}

function naiveDelimited(delimiter: string, from: number, to: number): string {
  let text = "";
  const cell = (x: number) => (Number.isNaN(x) ? "" : String(x));
  for (let i = from; i < to; i++) {
    series.forEach((s, j) => {
      const cells = [
        delimitedText(times[i]!, delimiter),
        delimitedText(symbols[j]!, delimiter),
        cell(s.price[i]!),
        cell(s.mean[i]!),
        cell(s.std[i]!),
        cell(z(s, i)),
        String(s.position[i]),
      ];
      text += `${cells.join(delimiter)}\n`;
    });
  }
  return text;
}

describe("meanrev's per-row byte formatter", () => {
  it("writes NDJSON exactly as JSON.stringify of each row, whatever the chunk of bars", () => {
    expect(formatted({ kind: "ndjson" }, JSON.stringify, 0, bars)).toBe(naiveNdjson(0, bars));
    expect(formatted({ kind: "ndjson" }, JSON.stringify, 137, 211)).toBe(naiveNdjson(137, 211));
  });

  it("writes CSV and TSV exactly as String(x) per cell, NaN empty, text quoted when needed", () => {
    for (const delimiter of [",", "\t"]) {
      const quote = (text: string) => delimitedText(text, delimiter);
      expect(formatted({ kind: "delimited", delimiter }, quote, 0, bars)).toBe(
        naiveDelimited(delimiter, 0, bars),
      );
      expect(formatted({ kind: "delimited", delimiter }, quote, 1, 2)).toBe(naiveDelimited(delimiter, 1, 2));
    }
  });

  it("parses back to the same doubles (−0 as 0, as JSON has it)", () => {
    const rows = formatted({ kind: "ndjson" }, JSON.stringify, 0, bars).trim().split("\n");
    rows.forEach((line, k) => {
      const s = series[k % symbols.length]!;
      const i = Math.floor(k / symbols.length);
      const row = JSON.parse(line);
      const mean = s.mean[i]!;
      expect(row.mean).toBe(Number.isFinite(mean) ? mean + 0 : null);
      expect(row.time).toBe(times[i]);
    });
  });
});
