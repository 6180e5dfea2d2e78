import { describe, expect, it } from "vitest";
import {
  columnMeans,
  ewmaCovariance,
  ewmaMeans,
  ewmaWeights,
  gramRows,
  sampleCovariance,
} from "../../src/numerics/stats/covariance.js";
import { ledoitWolf } from "../../src/numerics/portfolio/ledoitWolf.js";

/** The 6×3 panel used for the scikit-learn and numpy references below (rows = periods). */
const X = [
  [0.01, -0.02, 0.005],
  [0.03, 0.01, -0.01],
  [-0.02, 0.0, 0.02],
  [0.0, 0.015, -0.005],
  [0.012, -0.01, 0.0],
  [-0.005, 0.02, 0.01],
];
const columns = [0, 1, 2].map((j) => Float64Array.from(X.map((row) => row[j]!)));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(relative * Math.max(Math.abs(e), 1e-300));
  }
}

describe("sample covariance (ddof 1)", () => {
  it("equals numpy's np.cov(X, rowvar=False, ddof=1) on a 6×3 panel", () => {
    // /usr/bin/python3: np.cov(X, rowvar=False, ddof=1).ravel().tolist()
    const numpy = [
      0.00028950000000000004, -3.750000000000001e-5, -0.000158, -3.750000000000001e-5, 0.0002375,
      -2.499999999999999e-5, -0.000158, -2.499999999999999e-5, 0.00011666666666666668,
    ];
    expectClose(sampleCovariance(columns, 1), numpy, 1e-13);
  });

  it("matches a naive double loop for every size around the 4×4 blocking (n = 1…9)", () => {
    for (let n = 1; n <= 9; n++) {
      const T = 11;
      const cols = Array.from({ length: n }, (_, j) =>
        Float64Array.from({ length: T }, (_, t) => Math.sin(3 * t + j * j)),
      );
      const got = sampleCovariance(cols, 1);
      const means = columnMeans(cols);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let t = 0; t < T; t++) s += (cols[i]![t]! - means[i]!) * (cols[j]![t]! - means[j]!);
          expect(got[i * n + j]).toBeCloseTo(s / (T - 1), 14);
        }
      }
    }
  });

  it("is exact for huge offsets (1e9 + small noise), thanks to the two-pass centring", () => {
    const a = Float64Array.of(1e9 + 1, 1e9 + 2, 1e9 + 3);
    expect(Array.from(sampleCovariance([a], 1))).toEqual([1]);
  });

  it("writes the symmetric Gram matrix of the rows", () => {
    const y = Float64Array.of(1, 2, 3, 4, 5, 6); // rows [1,2,3], [4,5,6]
    expect(Array.from(gramRows(y, 2, 3, new Float64Array(4)))).toEqual([14, 32, 32, 77]);
  });
});

describe("EWMA weights, means and covariance", () => {
  it("weights the newest bar 1 and halves every half-life, normalised", () => {
    expectClose(ewmaWeights(3, 1), [0.25 / 1.75, 0.5 / 1.75, 1 / 1.75], 1e-15);
  });

  it("reduces to the ddof-0 sample moments when the half-life is huge", () => {
    const cov = ewmaCovariance(columns, 1e300);
    const sample = sampleCovariance(columns, 0);
    expectClose(cov, sample, 1e-12);
    expectClose(ewmaMeans(columns, 1e300), columnMeans(columns), 1e-12);
  });

  it("gives a two-point series its weighted variance by hand", () => {
    // weights 1/3, 2/3 (half-life 1); mean = 1/3·1 + 2/3·4 = 3; var = 1/3·4 + 2/3·1 = 2
    expectClose(ewmaMeans([Float64Array.of(1, 4)], 1), [3], 1e-15);
    expectClose(ewmaCovariance([Float64Array.of(1, 4)], 1), [2], 1e-15);
  });
});

describe("Ledoit–Wolf shrinkage", () => {
  it("equals scikit-learn's LedoitWolf().fit(X) on the 6×3 panel", () => {
    // /usr/bin/python3, scikit-learn 1.2.1:
    //   lw = LedoitWolf().fit(X); lw.covariance_.ravel().tolist(), lw.shrinkage_
    const sklearn = [
      0.00019489144768349896, -8.05354127973445e-6, -3.393225392528114e-5, -8.05354127973445e-6,
      0.00018372387044226718, -5.369027519822964e-6, -3.393225392528114e-5, -5.369027519822964e-6,
      0.00015777357076312285,
    ];
    const lw = ledoitWolf(columns);
    expect(lw.shrinkage).toBeCloseTo(0.7422866790484977, 14);
    expectClose(lw.covariance, sklearn, 1e-12);
  });

  it("matches the 2004 formula computed directly from its definition", () => {
    // S = XcᵀXc/T, μ = tr S/n, δ = ‖S − μI‖²/n, β = min(δ, Σ_t ‖x_t x_tᵀ − S‖²/(nT²))
    const T = X.length;
    const n = 3;
    const means = columnMeans(columns);
    const xc = X.map((row) => row.map((v, j) => v - means[j]!));
    const s = Array.from(
      { length: n * n },
      (_, k) => xc.reduce((acc, r) => acc + r[Math.floor(k / n)]! * r[k % n]!, 0) / T,
    );
    const mu = (s[0]! + s[4]! + s[8]!) / n;
    const delta = s.reduce((acc, v, k) => acc + (v - (k % 4 === 0 ? mu : 0)) ** 2, 0) / n;
    let beta = 0;
    for (const r of xc)
      for (let k = 0; k < n * n; k++) beta += (r[Math.floor(k / n)]! * r[k % n]! - s[k]!) ** 2;
    beta = Math.min(delta, beta / (n * T * T));
    expect(ledoitWolf(columns).shrinkage).toBeCloseTo(beta / delta, 12);
  });

  it("does not shrink a single asset (scikit-learn returns 0 there)", () => {
    const lw = ledoitWolf([Float64Array.of(1, 2, 4)]);
    expect(lw.shrinkage).toBe(0);
    expectClose(lw.covariance, sampleCovariance([Float64Array.of(1, 2, 4)], 0), 1e-15);
  });
});
