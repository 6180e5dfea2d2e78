import { describe, expect, it } from "vitest";
import { compareDecimalText, isMissingText, parseNumberText } from "../../src/io/delimited/numberText.js";
import { readFrame } from "../../src/io/read.js";
import { failure, tempFile } from "./io-helpers.js";

/** A deterministic PRNG for the random decimal strings (mulberry32). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDecimal(random: () => number): string {
  const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join("");
  const sign = random() < 0.3 ? "-" : random() < 0.1 ? "+" : "";
  const shape = random();
  if (shape < 0.35)
    return `${sign}${digits(1 + Math.floor(random() * 6))}.${digits(1 + Math.floor(random() * 8))}`;
  if (shape < 0.55) return `${sign}${digits(1 + Math.floor(random() * 25))}`;
  if (shape < 0.75)
    return `${sign}${digits(1 + Math.floor(random() * 12))}.${digits(Math.floor(random() * 14))}`;
  if (shape < 0.9) {
    const exponent = Math.floor(random() * 80) - 40;
    return `${sign}${digits(1)}.${digits(1 + Math.floor(random() * 18))}e${exponent}`;
  }
  return `${sign}0.${"0".repeat(Math.floor(random() * 25))}${digits(1 + Math.floor(random() * 20))}`;
}

/** Strings where a naive parser goes wrong (double rounding, subnormals, long mantissas). */
const HARD_CASES = [
  "0.1",
  "0.2",
  "0.3",
  "-0",
  "0",
  "1",
  "9007199254740993",
  "9007199254740992",
  "9007199254740991",
  "9007199254740993.0000000001",
  "1e-320",
  "4.9406564584124654e-324",
  "2.4703282292062327e-324",
  "2.2250738585072011e-308",
  "2.2250738585072012e-308",
  "1.7976931348623157e308",
  "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
  "123456789012345678901234567890",
  "0.000000000000000000000000000000000000000000001",
  "3.14159265358979323846264338327950288419716939937510582097494459",
  "1.00000000000000011102230246251565404236316680908203125",
  "1.00000000000000011102230246251565404236316680908203124",
  "1.00000000000000011102230246251565404236316680908203126",
  "5e-324",
  "1e22",
  "1e23",
  "8.98846567431158e307",
  "523.4567",
  "1.",
  ".5",
  "-.5",
  "+7",
  "1E5",
  "1e+5",
  "12345678901234567e-22",
];

describe("parseNumberText", () => {
  it("recognises the missing markers in any case", () => {
    for (const text of ["", "NA", "na", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL", "  NA  "]) {
      expect(parseNumberText(text)).toBeNaN();
    }
    expect(isMissingText("none")).toBe(false);
  });

  it("returns undefined for text that is not a decimal number", () => {
    for (const text of ["abc", "1.2.3", "0x10", "1e", "e5", "--1", "1,5", "12abc", "."]) {
      expect(parseNumberText(text)).toBeUndefined();
    }
  });

  it("maps infinity words and overflow to ±Infinity (the caller rejects them)", () => {
    expect(parseNumberText("inf")).toBe(Infinity);
    expect(parseNumberText("-Infinity")).toBe(-Infinity);
    expect(parseNumberText("1e999")).toBe(Infinity);
  });

  it("agrees with Number() on the hard cases", () => {
    for (const text of HARD_CASES) expect(Object.is(parseNumberText(text), Number(text))).toBe(true);
  });
});

describe("compareDecimalText", () => {
  it("orders integers beyond 2^53 exactly", () => {
    expect(compareDecimalText("1700000000000000001", "1700000000000000000")).toBeGreaterThan(0);
    expect(compareDecimalText("1700000000000000000", "1700000000000000001")).toBeLessThan(0);
    expect(Number("1700000000000000001")).toBe(Number("1700000000000000000"));
  });

  it("treats equal values in different spellings as equal", () => {
    expect(compareDecimalText("1.50", "1.5")).toBe(0);
    expect(compareDecimalText("15e-1", "1.5")).toBe(0);
    expect(compareDecimalText("-0", "0.000")).toBe(0);
    expect(compareDecimalText("007", "7")).toBe(0);
  });

  it("handles signs, magnitudes and fractions", () => {
    expect(compareDecimalText("-2", "-10")).toBeGreaterThan(0);
    expect(compareDecimalText("0.5", "0.51")).toBeLessThan(0);
    expect(compareDecimalText("1991.496154", "1991.5")).toBeLessThan(0);
    expect(compareDecimalText("1e3", "999.9999999999999999999")).toBeGreaterThan(0);
  });
});

describe("the byte scanner's numbers", () => {
  it("are correctly rounded exactly like Number() on hard and random decimal strings", async () => {
    const random = mulberry32(20240101);
    const texts = [...HARD_CASES];
    while (texts.length < 20_000) texts.push(randomDecimal(random));
    const body = texts.map((text, row) => `${row},${text}`).join("\n");
    const frame = await readFrame(tempFile("hard.csv", `time,x\n${body}\n`));
    expect(frame.time.length).toBe(texts.length);
    const column = frame.columns[0]!;
    const mismatches = texts.filter((text, row) => !Object.is(column[row], Number(text)));
    expect(mismatches).toEqual([]);
  });

  it("take the same values through the csv-parse fallback", async () => {
    const texts = HARD_CASES.slice(0, 30);
    const body = texts.map((text, row) => `${row},"${text}"`).join("\n");
    const frame = await readFrame(tempFile("quoted.csv", `time,x\n${body}\n`));
    const mismatches = texts.filter((text, row) => !Object.is(frame.columns[0]![row], Number(text)));
    expect(mismatches).toEqual([]);
  });

  it("reject garbage with its line and column", async () => {
    const error = await failure(readFrame(tempFile("bad.csv", "time,a,b\n1,2,3\n2,4,1.2.3\n")));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe("bad_number");
    expect(error.message).toContain('unparseable number "1.2.3"');
    expect(error.where()).toMatch(/bad\.csv:3:3$/);
  });

  it("reject infinities and overflow as non-finite input", async () => {
    for (const text of ["inf", "-Infinity", "1e400"]) {
      const error = await failure(readFrame(tempFile("inf.csv", `time,a\n1,1\n2,${text}\n`)));
      expect(error.code).toBe("non_finite");
      expect(error.location).toMatchObject({ line: 3, column: 2 });
    }
  });

  it("accept padded cells and signs", async () => {
    const frame = await readFrame(tempFile("pad.csv", "time,a,b\n1, 1.5 ,+2\n2,-0.25,  -3e2\n"));
    expect(Array.from(frame.columns[0]!)).toEqual([1.5, -0.25]);
    expect(Array.from(frame.columns[1]!)).toEqual([2, -300]);
  });
});
