import { describe, expect, it } from "vitest";
import { expectOneLineError, temporaryFiles } from "./expectations.js";
import { hftlab } from "./run.js";

const file = temporaryFiles("hftlab-optimize-");

function json(args: string[]) {
  const r = hftlab([...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/**
 * References on fixtures/eustocks.csv (simple returns of the 4 indices), /usr/bin/python3 with
 * numpy 1.24.2, cvxopt 1.3.0, scipy 1.10.1, scikit-learn 1.2.1, using /work/shared/peers/peers.py:
 *   minvar_cvxopt(R, abstol=reltol=feastol=1e-14)          → w below, annual vol 0.11955651583596164
 *   riskparity_scipy(R)                                   → w below (max RC error 2.4e-14)
 *   cvxopt homogenised max-Sharpe (min yᵀSy, μᵀy = 1, y ≥ 0) → w below, Sharpe 1.4829610164475693
 *   cvxopt min-variance on LedoitWolf().fit(R).covariance_ → DAX 0.0029166376, SMI 0.3289779734, CAC 2.9e-11,
 *     FTSE 0.6681053889 (shrinkage 0.007228564970449889); cvxopt stops 2e-8 short, so the exact
 *     references are its active set solved directly: w_F = Σ_FF⁻¹1/(1ᵀΣ_FF⁻¹1) by numpy.linalg.solve
 *     on F = {DAX, SMI, FTSE} (ledoit-wolf) and F = {SMI, FTSE} (sample), zeros elsewhere.
 */
const reference = {
  minVariance: [7.3395064409708245e-9, 0.32690660587028547, 1.1503982670158206e-11, 0.6730933867787041],
  riskParity: [0.2221239990567147, 0.26083666035126424, 0.21210292100031655, 0.3049364195917045],
  maxSharpe: [0.040789487817107124, 0.9074055161962528, 1.1604622408858978e-21, 0.05180499598664005],
  ledoitWolfMinVariance: [0.0029166144745219813, 0.32897798624028285, 0, 0.6681053992851952],
  minVarianceExact: [0, 0.3269066099413288, 0, 0.6730933900586712],
};
const SYMBOLS = ["DAX", "SMI", "CAC", "FTSE"];

function expectWeights(weights: Record<string, number>, expected: number[], tolerance: number): void {
  expect(Object.keys(weights)).toEqual(SYMBOLS);
  SYMBOLS.forEach((s, i) => {
    expect(Math.abs(weights[s]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
  });
}

describe("hftlab optimize: answers against independent solvers", () => {
  it("min-variance (long-only) equals cvxopt's QP, with exact zeros where cvxopt leaves 1e-8", () => {
    const d = json(["optimize", "fixtures/eustocks.csv"]);
    expectWeights(d.result.weights, reference.minVariance, 1e-8);
    expectWeights(d.result.weights, reference.minVarianceExact, 1e-14);
    expect(d.result.weights.DAX).toBe(0);
    expect(d.result.volatility).toBeCloseTo(0.11955651583596164, 9);
    const rc = Object.values(d.result.riskContributions) as number[];
    expect(rc.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });

  it("max-sharpe equals cvxopt's homogenised QP", () => {
    const d = json(["optimize", "--method", "max-sharpe", "fixtures/eustocks.csv"]);
    expectWeights(d.result.weights, reference.maxSharpe, 1e-12);
    expect(d.result.sharpe).toBeCloseTo(1.4829610164475693, 12);
  });

  it("bounded max-sharpe (0.05 ≤ w ≤ 0.6, rf 2 %) equals scipy SLSQP on the Sharpe ratio itself", () => {
    // scipy 1.10.1: minimize(−Sharpe, SLSQP, bounds (0.05, 0.6), sum w = 1, ftol 1e-15)
    //   → [0.20906307934715945, 0.6, 0.05, 0.14093692065284058], Sharpe 1.2788329766906317
    const d = json([
      "optimize",
      "--method",
      "max-sharpe",
      "--min-weight",
      "0.05",
      "--max-weight",
      "0.6",
      "--risk-free",
      "0.02",
      "fixtures/eustocks.csv",
    ]);
    expectWeights(d.result.weights, [0.20906307934715945, 0.6, 0.05, 0.14093692065284058], 1e-8);
    expect(d.result.sharpe).toBeCloseTo(1.2788329766906317, 13);
  });

  it("risk-parity equals scipy's trust-exact solution and equalises contributions to 1e-10", () => {
    const d = json(["optimize", "--method", "risk-parity", "fixtures/eustocks.csv"]);
    expectWeights(d.result.weights, reference.riskParity, 1e-12);
    for (const rc of Object.values(d.result.riskContributions) as number[])
      expect(Math.abs(rc - 0.25)).toBeLessThan(1e-10);
  });

  it("ledoit-wolf min-variance equals the exact solution on scikit-learn's shrunk covariance", () => {
    const d = json(["optimize", "--cov", "ledoit-wolf", "fixtures/eustocks.csv"]);
    expectWeights(d.result.weights, reference.ledoitWolfMinVariance, 1e-14);
    expect(d.result.shrinkage).toBeCloseTo(0.007228564970449889, 14);
  });

  it("equal and inverse-vol are what they say", () => {
    const eq = json(["optimize", "--method", "equal", "fixtures/eustocks.csv"]);
    expect(Object.values(eq.result.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const iv = json(["optimize", "--method", "inverse-vol", "fixtures/eustocks.csv"]);
    const w = Object.values(iv.result.weights) as number[];
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  });

  it("hrp with --min-weight/--max-weight clips the bisection as Riskfolio-Lib and skfolio do", () => {
    // /usr/bin/python3: pandas pct_change, numpy cov/corr, scipy linkage(pdist(sqrt((1 − ρ)/2)),
    // "single"), the paper's getQuasiDiag (order [3, 1, 0, 2]) and getRecBipart with, at each split,
    // a = min(Σhi_L/W, max(Σlo_L/W, a)); a = 1 − min(Σhi_R/W, max(Σlo_R/W, 1 − a)):
    const capped = json(["optimize", "--method", "hrp", "--max-weight", "0.3", "fixtures/eustocks.csv"]);
    expectWeights(capped.result.weights, [0.21398619624958917, 0.3, 0.18601380375041085, 0.3], 1e-13);
    const floored = json(["optimize", "--method", "hrp", "--min-weight", "0.2", "fixtures/eustocks.csv"]);
    expectWeights(floored.result.weights, [0.2, 0.2560356498039171, 0.2, 0.3439643501960829], 1e-13);
    // unbounded, for comparison: [0.19760266082338124, 0.26910430941048336, 0.1717719330273389, 0.3615210967387965]
    const free = json(["optimize", "--method", "hrp", "fixtures/eustocks.csv"]);
    expectWeights(
      free.result.weights,
      [0.19760266082338124, 0.26910430941048336, 0.1717719330273389, 0.3615210967387965],
      1e-13,
    );
    // long-only by construction: --allow-short is a usage error; bounds that cannot sum to 1 too
    const short = hftlab(["optimize", "--method", "hrp", "--allow-short", "fixtures/eustocks.csv"]);
    expect(short.status).toBe(2);
    expect(short.stderr.split("\n")[0]).toBe(
      "hftlab: error: --method hrp is long-only: --allow-short does not apply",
    );
    const infeasible = hftlab([
      "optimize",
      "--method",
      "hrp",
      "--max-weight",
      "0.2",
      "fixtures/eustocks.csv",
    ]);
    expect(infeasible.status).toBe(2);
    expect(infeasible.stderr).toMatch(
      /^hftlab: error: infeasible bounds: 4 assets × --max-weight 0.2 = 0.8 < 1/,
    );
  });

  it("hrp with bounds passes skfolio's own assertions that hold on any 20 assets", () => {
    // skfolio, tests/test_optimization/test_cluster/test_hierarchical/test_hrp.py,
    // test_hrp_weight_constraints (20 S&P 500 stocks): min_weights=0.05 gives np.ones(20)·0.05, so does
    // max_weights=0.05 (20 × 0.05 = 1 leaves one portfolio); test_hrp_weight_constraints_rand: random
    // bounds with Σmin ≤ 1 ≤ Σmax are kept to 1e-8. Their data (a gzipped CSV inside the skfolio
    // package) is not here, so these run on 20 seeded random walks, with scalar bounds (SPEC's).
    let seed = 4242;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const names = Array.from({ length: 20 }, (_, j) => `A${j}`);
    const level = names.map(() => 50 + 100 * uniform());
    const lines = [`t,${names.join(",")}`];
    for (let t = 0; t < 500; t++) {
      names.forEach((_, j) => {
        level[j]! *=
          1 +
          (0.004 + 0.001 * (j % 5)) * (uniform() - 0.5) +
          0.002 * ((t + j) % 3 === 0 ? 1 : -0.5) * (uniform() - 0.5);
      });
      lines.push(`${t},${level.map((v) => v.toFixed(6)).join(",")}`);
    }
    const path = file("twenty.csv", `${lines.join("\n")}\n`);
    const weightsOf = (args: string[]) =>
      Object.values(json(["optimize", "--method", "hrp", ...args, path]).result.weights) as number[];
    const free = weightsOf([]);
    // The bounds below bind: the unbounded weights spread on both sides of 0.05.
    expect(Math.min(...free)).toBeLessThan(0.03);
    expect(Math.max(...free)).toBeGreaterThan(0.06);
    for (const bound of [
      ["--min-weight", "0.05"],
      ["--max-weight", "0.05"],
    ]) {
      const w = weightsOf(bound);
      for (const v of w) expect(Math.abs(v - 0.05)).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-14);
    }
    for (let trial = 0; trial < 8; trial++) {
      const low = (uniform() * 0.05).toFixed(4);
      const high = (0.05 + uniform() * 0.1).toFixed(4);
      const w = weightsOf(["--min-weight", low, "--max-weight", high]);
      for (const v of w) {
        expect(v - Number(low)).toBeGreaterThanOrEqual(-1e-8);
        expect(v - Number(high)).toBeLessThanOrEqual(1e-8);
      }
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(1e-12);
    }
  });

  it("target-return and target-risk land exactly on their targets", () => {
    const r = json([
      "optimize",
      "--method",
      "target-return",
      "--target-return",
      "0.18",
      "fixtures/eustocks.csv",
    ]);
    expect(r.result.expectedReturn).toBeCloseTo(0.18, 13);
    const v = json(["optimize", "--method", "target-risk", "--target-risk", "0.13", "fixtures/eustocks.csv"]);
    expect(v.result.volatility).toBeCloseTo(0.13, 13);
    // the efficient portfolio at 13 % volatility earns more than the min-variance one
    expect(v.result.expectedReturn).toBeGreaterThan(0.1496);
  });

  it("frontier: --points portfolios from the min-variance to the highest return, max-Sharpe on the curve", () => {
    const d = json(["optimize", "--method", "frontier", "--points", "7", "fixtures/eustocks.csv"]);
    const f = d.result.frontier as Array<{
      expectedReturn: number;
      volatility: number;
      sharpe: number;
      weights: Record<string, number>;
    }>;
    expect(f).toHaveLength(7);
    expect(f[0]!.volatility).toBeCloseTo(0.11955651583596164, 9);
    expect(f[6]!.weights.SMI).toBeCloseTo(1, 12);
    for (let k = 1; k < f.length; k++) {
      expect(f[k]!.expectedReturn).toBeGreaterThan(f[k - 1]!.expectedReturn);
      expect(f[k]!.volatility).toBeGreaterThan(f[k - 1]!.volatility);
    }
    for (const p of f) expect(p.sharpe).toBeLessThanOrEqual(d.result.maxSharpe.sharpe + 1e-12);
    expect(d.result.maxSharpe.sharpe).toBeCloseTo(1.4829610164475693, 12);
  });

  it("echoes every resolved option in params", () => {
    const d = json(["optimize", "fixtures/eustocks.csv"]);
    expect(d.params).toMatchObject({
      method: "min-variance",
      mu: "mean",
      cov: "sample",
      longOnly: true,
      minWeight: null,
      maxWeight: null,
      periodsPerYear: 252,
      riskFree: 0,
      points: 20,
      returns: "simple",
      inputKind: "prices",
    });
  });

  it("uses the file as returns with --input-kind returns", () => {
    const prices = file("p.csv", "t,A,B\n1,100,50\n2,101,49\n3,99,50.5\n4,102,50\n5,101,51\n");
    const returns = file(
      "r.csv",
      "t,A,B\n2,0.01,-0.02\n3,-0.0198019801980198,0.030612244897959183\n4,0.030303030303030304,-0.009900990099009901\n5,-0.00980392156862745,0.02\n",
    );
    const a = json(["optimize", prices]);
    const b = json(["optimize", "--input-kind", "returns", returns]);
    expect(b.result.weights.A).toBeCloseTo(a.result.weights.A, 12);
  });
});

describe("hftlab optimize: diagnostics users ask for", () => {
  it("max-sharpe with every expected return below the risk-free rate exits 4, says so and suggests min-variance", () => {
    const r = hftlab(["optimize", "--method", "max-sharpe", "--risk-free", "0.5", "fixtures/eustocks.csv"]);
    expect(r.status).toBe(4);
    expectOneLineError(r.stderr, /every expected return is at or below the risk-free rate 0.5/);
    expect(r.stderr).toMatch(/hint: .*--method min-variance/);
    expect(r.stdout).toBe("");
  });

  it("max-sharpe without bounds refuses the sign-flipped tangency portfolio (exit 4)", () => {
    const r = hftlab([
      "optimize",
      "--method",
      "max-sharpe",
      "--allow-short",
      "--risk-free",
      "0.2",
      "fixtures/eustocks.csv",
    ]);
    expect(r.status).toBe(4);
    expectOneLineError(r.stderr, /no maximum/);
  });

  it("more assets than periods: warns with the rank and suggests ledoit-wolf, never equal weights", () => {
    const path = file(
      "wide5.csv",
      "t,A,B,C,D,E\n1,10,20,30,40,50\n2,11,19,31,42,49\n3,10.5,19.5,30,41,51\n4,10.8,20.2,30.5,40.5,50.2\n",
    );
    const r = hftlab(["optimize", path]);
    expect(r.stderr).toMatch(
      /warning: more assets \(5\) than return periods \(3\).*rank at most 2.*--cov ledoit-wolf/,
    );
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/error: min-variance: the covariance is singular/);
    expect(r.stderr).toMatch(/hint: .*--cov ledoit-wolf/);
    const lw = json(["optimize", "--cov", "ledoit-wolf", path]);
    expect(Object.values(lw.result.weights)).not.toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(lw.warnings).toEqual([]);
  });

  it("an ill-conditioned covariance is reported with its condition number", () => {
    // B is A plus a tiny wiggle: corr(A, B) ≈ 1
    const rows = ["t,A,B,C"];
    for (let i = 0; i < 40; i++) {
      const a = 100 + 5 * Math.sin(i) + i * 0.1;
      rows.push(`${i},${a},${a * (1 + 1e-7 * Math.cos(3 * i))},${80 + 3 * Math.cos(i / 2)}`);
    }
    const r = hftlab([
      "optimize",
      "--method",
      "risk-parity",
      "--json",
      file("ill.csv", `${rows.join("\n")}\n`),
    ]);
    const d = JSON.parse(r.stdout);
    expect(d.result.conditionNumber).toBeGreaterThan(1e10);
    expect(d.warnings.join(" ")).toMatch(/ill-conditioned \(condition number .*\).*--cov ledoit-wolf/);
  });

  it("infeasible bounds exit 2 with the arithmetic", () => {
    const r = hftlab(["optimize", "--max-weight", "0.2", "fixtures/eustocks.csv"]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /4 assets × --max-weight 0.2 = 0.8 < 1/);
    expect(r.stderr).toMatch(/at least 1\/4 = 0.25/);
    const low = hftlab(["optimize", "--min-weight", "0.3", "fixtures/eustocks.csv"]);
    expect(low.status).toBe(2);
    expectOneLineError(low.stderr, /4 assets × --min-weight 0.3 = 1.2 > 1/);
  });

  it("unreachable targets exit 2 with the attainable limit", () => {
    const r = hftlab([
      "optimize",
      "--method",
      "target-return",
      "--target-return",
      "0.5",
      "fixtures/eustocks.csv",
    ]);
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /highest expected return under these bounds is 0.216959/);
    const v = hftlab([
      "optimize",
      "--method",
      "target-risk",
      "--target-risk",
      "0.05",
      "fixtures/eustocks.csv",
    ]);
    expect(v.status).toBe(2);
    expectOneLineError(v.stderr, /minimum-variance portfolio .* volatility 0.119557/);
  });

  it("rejects contradictory flags with exit 2", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--method", "target-return"], /needs --target-return/],
      [["--method", "target-risk"], /needs --target-risk/],
      [["--target-return", "0.1"], /applies to --method target-return/],
      [["--method", "risk-parity", "--max-weight", "0.5"], /do not apply to --method risk-parity/],
      [["--long-only", "--allow-short"], /cannot be combined/],
      [["--min-weight", "-0.1"], /needs --allow-short/],
      [["--min-weight", "0.3", "--max-weight", "0.2"], /exceeds --max-weight/],
      [["--method", "bogus"], /argument 'bogus' is invalid/],
    ];
    for (const [args, pattern] of cases) {
      const r = hftlab(["optimize", ...args, "fixtures/eustocks.csv"]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

describe("hftlab optimize: human and CSV output", () => {
  it("prints the weights with bars and the frontier chart with the chosen portfolios marked", () => {
    const r = hftlab(["optimize", "--method", "frontier", "fixtures/eustocks.csv"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/SMI\s+│\s+90\.74% │ █+/);
    expect(r.stdout).toMatch(/●/);
    expect(r.stdout).toMatch(/★/);
    expect(r.stdout).toMatch(/volatility →/);
    expect(r.stdout.includes("\u001b[")).toBe(false); // no colour off a TTY
  });

  it("--csv gives symbol, weight and risk contribution", () => {
    const r = hftlab(["optimize", "--csv", "--method", "equal", "fixtures/eustocks.csv"]);
    expect(r.stdout.split("\n")[0]).toBe("symbol,weight,riskContribution");
    expect(r.stdout.split("\n")[1]).toMatch(/^DAX,0.25,0\.2/);
  });

  it("has help with examples", () => {
    const r = hftlab(["optimize", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/--method <method>/);
  });
});
