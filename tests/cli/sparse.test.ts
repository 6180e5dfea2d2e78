import { describe, expect, it } from "vitest";
import { hftlab } from "./run.js";

describe("hftlab sparse", () => {
  it("fits a lasso with the SPEC keys and echoes every option in params", () => {
    const r = hftlab(["sparse", "--target", "DAX", "--alpha", "1e-6", "--json", "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.command).toBe("sparse");
    for (const key of [
      "target",
      "alpha",
      "l1Ratio",
      "intercept",
      "coefficients",
      "nonzero",
      "r2",
      "iterations",
    ])
      expect(doc.result).toHaveProperty(key);
    expect(Object.keys(doc.result.coefficients)).toEqual(["SMI", "CAC", "FTSE"]);
    expect(doc.result.l1Ratio).toBe(1);
    expect(doc.result.converged).toBe(true);
    // Python: R = P[1:]/P[:-1] - 1 on eustocks; Lasso(alpha=1e-6, tol=1e-14, max_iter=100000).fit(R[:, 1:], R[:, 0])
    // coef_ = [0.38605503, 0.3807852, 0.20551669], intercept_ = 8.792568132025378e-05
    expect(doc.result.coefficients.SMI).toBeCloseTo(0.38605503, 8);
    expect(doc.result.coefficients.CAC).toBeCloseTo(0.3807852, 7);
    expect(doc.result.coefficients.FTSE).toBeCloseTo(0.20551669, 8);
    expect(doc.result.intercept).toBeCloseTo(8.792568132025378e-5, 12);
    expect(doc.params).toMatchObject({
      method: "lasso",
      target: "DAX",
      alpha: 1e-6,
      returns: "simple",
      strict: false,
      cv: null,
    });
  });

  it("chooses alpha by 5-fold time-ordered CV when --alpha is not given, reporting alphaMin, alpha1se and the path", () => {
    const r = hftlab([
      "sparse",
      "--method",
      "elastic-net",
      "--target",
      "DAX",
      "--json",
      "fixtures/eustocks.csv",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const { result, params } = JSON.parse(r.stdout);
    expect(params.cv).toBe(5);
    expect(result.l1Ratio).toBe(0.5);
    expect(result.cv.path).toHaveLength(100);
    expect(result.alpha).toBe(result.cv.alphaMin);
    expect(result.cv.alpha1se).toBeGreaterThanOrEqual(result.cv.alphaMin);
  });

  it("chooses the same alpha as scikit-learn's ElasticNetCV with contiguous folds", () => {
    // Python: ElasticNetCV(l1_ratio=0.5, cv=5, n_alphas=20, tol=1e-12).fit(R[:, [0,1,3]], R[:, 2]) on eustocks
    // returns -> alpha_ = 1.4721932242535513e-06, coef_ = [0.50143459, 0.14775836, 0.36753644]
    const r = hftlab([
      "sparse",
      "--method",
      "elastic-net",
      "--target",
      "CAC",
      "--n-alphas",
      "20",
      "--json",
      "fixtures/eustocks.csv",
    ]);
    const { result } = JSON.parse(r.stdout);
    expect(result.alpha).toBeCloseTo(1.4721932242535513e-6, 18);
    expect(result.coefficients.DAX).toBeCloseTo(0.50143459, 8);
    expect(result.coefficients.SMI).toBeCloseTo(0.14775836, 8);
    expect(result.coefficients.FTSE).toBeCloseTo(0.36753644, 8);
  });

  it("keeps coefficients non-negative with --positive", () => {
    const r = hftlab([
      "sparse",
      "--target",
      "DAX",
      "--alpha",
      "1e-7",
      "--positive",
      "--json",
      "fixtures/eustocks.csv",
    ]);
    expect(r.status, r.stderr).toBe(0);
    for (const b of Object.values(JSON.parse(r.stdout).result.coefficients))
      expect(b).toBeGreaterThanOrEqual(0);
  });

  it("runs greedy search on levels with a path k = 1..K", () => {
    const r = hftlab(["sparse", "--method", "greedy", "--k", "3", "--json", "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout);
    expect(result.path.map((s: { k: number }) => s.k)).toEqual([1, 2, 3]);
    const norm = Math.hypot(...(Object.values(result.weights) as number[]));
    expect(norm).toBeCloseTo(1, 12);
    expect(result).toHaveProperty("predictability");
    expect(result).toHaveProperty("halfLife");
  });

  it("runs sparse PCA with --k non-zeros", () => {
    const r = hftlab(["sparse", "--method", "sparse-pca", "--k", "2", "--json", "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    const weights = Object.values(JSON.parse(r.stdout).result.components[0].weights) as number[];
    expect(weights.filter((w) => w !== 0)).toHaveLength(2);
  });

  it("rejects a regression without --target and unknown targets", () => {
    expect(hftlab(["sparse", "fixtures/eustocks.csv"]).status).toBe(2);
    expect(hftlab(["sparse", "--target", "NOPE", "--alpha", "1", "fixtures/eustocks.csv"]).status).toBe(3);
    expect(hftlab(["sparse", "--method", "greedy", "--alpha", "1", "fixtures/eustocks.csv"]).status).toBe(2);
  });

  it("refuses an option the method does not read (exit 2), instead of ignoring it", () => {
    for (const [args, message] of [
      [
        ["--method", "greedy", "--tol", "1e-3"],
        "--tol applies to lasso, elastic-net, sparse-pca, not greedy",
      ],
      [
        ["--method", "greedy", "--max-iter", "5"],
        "--max-iter applies to lasso, elastic-net, sparse-pca, not greedy",
      ],
      [["--method", "sparse-pca", "--positive"], "--positive applies to lasso, elastic-net, not sparse-pca"],
      [
        ["--method", "sparse-pca", "--standardize"],
        "--standardize applies to lasso, elastic-net, not sparse-pca",
      ],
      [["--method", "greedy", "--eps", "0.01"], "--eps applies to lasso, elastic-net, not greedy"],
      [["--target", "DAX", "--components", "2"], "--components applies to sparse-pca, not lasso"],
      [
        ["--target", "DAX", "--alpha", "1e-5", "--n-alphas", "10"],
        "--n-alphas shapes the cross-validation path, which --alpha skips",
      ],
      [
        ["--target", "DAX", "--alpha", "1e-5", "--eps", "0.01"],
        "--eps shapes the cross-validation path, which --alpha skips",
      ],
    ] as const) {
      const r = hftlab(["sparse", ...args, "fixtures/eustocks.csv"]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")[0]).toBe(`hftlab: error: ${message}`);
    }
    // the options a method reads are still taken, and their defaults still echoed
    const pca = hftlab([
      "sparse",
      "--method",
      "sparse-pca",
      "--tol",
      "1e-6",
      "--k",
      "2",
      "--json",
      "fixtures/eustocks.csv",
    ]);
    expect(pca.status).toBe(0);
    expect(JSON.parse(pca.stdout).params.tol).toBe(1e-6);
    const greedy = hftlab(["sparse", "--method", "greedy", "--json", "fixtures/eustocks.csv"]);
    expect(JSON.parse(greedy.stdout).params.tol).toBe(1e-8);
  });

  it("refuses a returns file or a returns convention for greedy, which works on price levels (exit 2)", () => {
    // Before, a returns file was silently taken as levels and gave a meaningless portfolio
    // (half-life 0.16 bars on eustocks' returns). The check runs before the file is read.
    for (const [flags, pattern] of [
      [
        ["--input-kind", "returns"],
        /--method greedy works on price levels, so --input-kind returns does not apply/,
      ],
      [["--returns", "log"], /--method greedy works on price levels, so --returns log does not apply/],
    ] as const) {
      const r = hftlab(["sparse", "--method", "greedy", ...flags, "fixtures/eustocks.csv"]);
      expect(r.status, flags.join(" ")).toBe(2);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines[0]).toMatch(pattern);
      expect(lines[1]).toMatch(/^hint: pass the price file|^hint: drop --returns/);
      expect(lines).toHaveLength(2);
    }
    // sparse-pca works on returns, so a returns file is fine there
    expect(
      hftlab([
        "sparse",
        "--method",
        "sparse-pca",
        "--input-kind",
        "returns",
        "--json",
        "fixtures/eustocks.csv",
      ]).status,
    ).toBe(0);
  });

  it("prints a human table by default", () => {
    const r = hftlab(["sparse", "--target", "DAX", "--alpha", "1e-6", "fixtures/eustocks.csv"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("coefficient");
  });
});
