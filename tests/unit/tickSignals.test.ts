import { describe, expect, it } from "vitest";
import { parseNdjsonTick, type Tick } from "../../src/io/ticks/tickParser.js";
import { EwmaVolatility } from "../../src/numerics/timeseries/ewmaVolatility.js";
import { emissionFactors } from "../../src/numerics/hmm/gaussianEmission.js";
import { HmmFilter } from "../../src/numerics/hmm/filter.js";
import type { GaussianHmm } from "../../src/numerics/hmm/model.js";
import { Prng } from "../../src/numerics/random/prng.js";
import { rollingMeanStd } from "../../src/numerics/timeseries/rollingMoments.js";
import { TickSignals } from "../../src/numerics/timeseries/tickSignals.js";

const settings = { window: 20, entry: 2, exit: 0.5, ewmaLambda: 0.94, returns: "log" as const };

describe("TickSignals", () => {
  it("reproduces its JSDoc example", () => {
    const s = new TickSignals({ ...settings, window: 3, entry: 1 }, null);
    for (const p of [1, 2, 4, 8]) s.push(p);
    expect([s.mean, s.std, s.z, s.position]).toEqual([
      4.666666666666666, 3.055050463303893, 1.0910894511799623, -1,
    ]);
  });

  it("stays NaN-free and exact on 1e7 + small noise over three million updates", () => {
    const n = 3_000_000;
    const w = settings.window;
    const prices = new Float64Array(n);
    const prng = new Prng(7);
    for (let i = 0; i < n; i++) prices[i] = 1e7 + 0.01 * (prng.nextFloat() - 0.5);
    const s = new TickSignals(settings, null);
    const mean = new Float64Array(n);
    const std = new Float64Array(n);
    rollingMeanStd(prices, w, mean, std);
    let nonFinite = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      s.push(prices[i]!);
      if (i >= w - 1 && !(Number.isFinite(s.mean) && Number.isFinite(s.std) && Number.isFinite(s.z)))
        nonFinite++;
      if (s.std !== std[i] && !(Number.isNaN(s.std) && Number.isNaN(std[i]!))) mismatches++;
    }
    expect(nonFinite).toBe(0);
    expect(mismatches).toBe(0);
    // Two-pass reference on the last window, about its first value (exact for deviations this small).
    const last = prices.subarray(n - w);
    const base = last[0]!;
    let sum = 0;
    for (const x of last) sum += x - base;
    const m = sum / w;
    let ss = 0;
    for (const x of last) ss += (x - base - m) ** 2;
    expect(Math.abs(s.mean - (base + m))).toBeLessThan(1e-8);
    expect(Math.abs(s.std - Math.sqrt(ss / (w - 1))) / s.std).toBeLessThan(1e-6);
    expect(Number.isFinite(s.ewmaVol)).toBe(true);
  });
});

describe("EwmaVolatility", () => {
  it("reproduces its JSDoc example", () => {
    const vol = new EwmaVolatility(0.94);
    vol.push(100);
    expect(vol.value()).toBeNaN();
    vol.push(101);
    expect(vol.value()).toBe(Math.abs(Math.log(1.01)));
    vol.push(100);
    const r = Math.log(101 / 100);
    expect(vol.value()).toBe(Math.sqrt(0.94 * r * r + (1 - 0.94) * Math.log(100 / 101) ** 2));
  });

  it("rejects a lambda outside (0, 1)", () => {
    expect(() => new EwmaVolatility(1)).toThrow(RangeError);
    expect(() => new EwmaVolatility(0)).toThrow(RangeError);
  });
});

describe("HmmFilter", () => {
  it("weighs equiprobable states by their densities on the first observation", () => {
    const model: GaussianHmm = {
      states: 2,
      dimension: 1,
      covariance: "full",
      startProb: Float64Array.of(0.5, 0.5),
      transmat: Float64Array.of(1, 0, 0, 1),
      means: Float64Array.of(0, 0),
      covars: Float64Array.of(1, 4),
    };
    const factors = emissionFactors(model);
    if ("notPositiveDefinite" in factors) throw new Error("bad model");
    const filter = new HmmFilter(model, factors);
    filter.push(0);
    expect(filter.probabilities[0]).toBeCloseTo(2 / 3, 15);
    expect(filter.probabilities[1]).toBeCloseTo(1 / 3, 15);
  });
});

describe("parseNdjsonTick", () => {
  const tick: Tick = { timeJson: "", symbol: "", price: 0, seq: Number.NaN };
  it("reads the expected shape, any key order and whitespace", () => {
    expect(parseNdjsonTick('{"ts":1704205800003,"symbol":"T02","price":143.06,"size":200}', tick)).toBeNull();
    expect(tick).toEqual({ timeJson: '"1704205800003"', symbol: "T02", price: 143.06, seq: Number.NaN });
    expect(
      parseNdjsonTick(' { "seq" : "7", "price" : "1.5" , "symbol":"A", "time":"2024-01-02" } ', tick),
    ).toBeNull();
    expect(tick).toEqual({ timeJson: '"2024-01-02"', symbol: "A", price: 1.5, seq: 7 });
  });

  it("says what is wrong and where", () => {
    expect(parseNdjsonTick('{"ts":1,"symbol":"A","price":}', tick)).toEqual({
      message: "expected a value",
      column: 30,
    });
    expect(parseNdjsonTick('{"ts":1,"symbol":"A","price":1} x', tick)?.message).toBe(
      "unexpected text after the object",
    );
    expect(parseNdjsonTick('{"ts":1,"symbol":"A","price":NaN}', tick)?.message).toMatch(/positive finite/);
    expect(parseNdjsonTick('{"ts":1,"symbol":"A","price":1,"seq":"x"}', tick)?.message).toBe("bad seq x");
  });
});

describe("parseNdjsonTick prices", () => {
  it("reads plain decimals to exactly the double Number() gives", () => {
    const prng = new Prng(11);
    const tick: Tick = { timeJson: "", symbol: "", price: 0, seq: Number.NaN };
    for (let i = 0; i < 100_000; i++) {
      const digits = 1 + Math.floor(prng.nextFloat() * 17);
      let text = "1";
      for (let d = 1; d < digits; d++) text += Math.floor(prng.nextFloat() * 10);
      const dot = 1 + Math.floor(prng.nextFloat() * digits);
      text = `${text.slice(0, dot) || "0"}.${text.slice(dot) || "5"}`;
      expect(parseNdjsonTick(`{"ts":1,"symbol":"A","price":${text}}`, tick)).toBeNull();
      if (tick.price !== Number(text))
        expect({ text, price: tick.price }).toEqual({ text, price: Number(text) });
    }
  });
});
