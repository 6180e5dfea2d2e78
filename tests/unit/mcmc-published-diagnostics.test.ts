import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { autocovariance } from "../../src/numerics/timeseries/autocovariance.js";
import { essBulk, essTail, mcseMean, summarizeParameter } from "../../src/numerics/mcmc/diagnostics.js";

/**
 * hftlab's diagnostics against published values on a known draws set:
 * eight schools.
 *
 * Draws: stan-dev/stan, src/test/unit/mcmc/test_csv_files/eight_schools_{1,2}.csv
 * (commit 1d8f066a049e7544378ffc22cc325ff64aefeb6a): CmdStan 2.35 output, 500
 * draws per chain (thin = 2). tests/unit/data/eight_schools/ keeps the 10
 * parameter columns as they are in the source text; see the README there.
 *
 * Expected values: stan-dev/stan, src/test/unit/mcmc/chainset_test.cpp (read
 * at commit 0b1b19237c96201bad0b8721199bb2eaa78b2f54). That file says they come
 * from the R package `posterior`, some "via cmdstanr". Columns i + 7 of the
 * samples there are mu, theta[1..8], tau here. Stan checks its own code against
 * them with loose tolerances (R-hat ±0.05, ESS ±5, MCSE ±0.5). The checks here
 * use the precision each value is printed with:
 * - bulk/tail ESS of chains 1 + 2: printed as whole numbers. All 20 equal
 *   floor(ESS), not round(ESS) (e.g. mu bulk 348.85 is printed as 348), so
 *   the check is published ≤ ours < published + 1.
 * - MCSE of the mean, chains 1 + 2: 7 significant digits, so |Δ| ≤ 5e-8.
 * - autocorrelation of mu, chain 1, lags 0..9: 11 decimals, so |Δ| ≤ 5e-12.
 * - mean, sd, 5/50/95% quantiles, chains 1 + 2: 2 decimals, rounded, so |Δ| ≤ 0.005.
 * - single-chain (chain 1) split rank-normalised R-hat, bulk and tail: 10 digits.
 *   These do NOT fit the current CSV (see the note at the end); not asserted.
 */
const PARAMETERS = [
  "mu",
  "theta.1",
  "theta.2",
  "theta.3",
  "theta.4",
  "theta.5",
  "theta.6",
  "theta.7",
  "theta.8",
  "tau",
];

/** One Float64Array of draws per parameter column, in PARAMETERS order. */
function loadChain(file: string): Float64Array[] {
  const text = readFileSync(new URL(`./data/eight_schools/${file}`, import.meta.url), "utf8");
  const [header, ...rows] = text.trimEnd().split("\n");
  expect(header).toBe(PARAMETERS.join(","));
  expect(rows).toHaveLength(500);
  const cells = rows.map((row) => row.split(",").map(Number));
  return PARAMETERS.map((_, j) => Float64Array.from(cells, (r) => r[j]!));
}

const chain1 = loadChain("eight_schools_1.csv");
const chain2 = loadChain("eight_schools_2.csv");
const bothChains = (j: number): Float64Array[] => [chain1[j]!, chain2[j]!];

// chainset_test.cpp, TEST_F(McmcChains, split_rank_normalized_ess): chains 1 + 2
const ESS_BULK = [348, 370, 600, 638, 765, 608, 629, 274, 517, 112];
const ESS_TAIL = [845, 858, 874, 726, 620, 753, 826, 628, 587, 108];
// TEST_F(McmcChains, mcse): chains 1 + 2
const MCSE_MEAN = [
  0.288379, 0.4741815, 0.2741001, 0.3294614, 0.2473758, 0.2665048, 0.2701363, 0.4740092, 0.3621771, 0.3832464,
];
// TEST_F(McmcChains, summary_stats): chains 1 + 2
const MEAN = [7.95, 12.54, 7.82, 5.33, 7.09, 4.12, 5.72, 11.65, 8.8, 8.26];
const SD = [5.48, 9.57, 6.85, 8.39, 6.91, 6.57, 6.85, 7.76, 8.4, 5.53];
const Q05 = [-0.46, -0.39, -3.04, -8.9, -3.31, -7.58, -5.84, 0.1, -4.15, 2.08];
const Q50 = [8.0, 11.27, 7.39, 5.44, 6.64, 4.54, 5.93, 11.38, 8.28, 7.05];
const Q95 = [17.01, 30.47, 19.25, 19.02, 18.72, 14.49, 16.04, 25.77, 22.71, 18.74];
// TEST_F(McmcChains, autocorrelation): mu, chain 1, lags 0..9
const MU_ACF = [
  1.0, 0.19487668999, 0.05412049365, 0.07834048575, 0.04145609855, 0.04353962161, -0.00977255885,
  0.00005175308, 0.0179157708, 0.01245035817,
];

describe("diagnostics on eight schools (Stan 2.35 draws) against posterior's published values", () => {
  it.each(PARAMETERS.map((name, j) => [name, j] as const))(
    "bulk and tail ESS of %s, chains 1 + 2, floor to the published whole numbers",
    (_name, j) => {
      const bulk = essBulk(bothChains(j));
      const tail = essTail(bothChains(j));
      expect(bulk).toBeGreaterThanOrEqual(ESS_BULK[j]!);
      expect(bulk).toBeLessThan(ESS_BULK[j]! + 1);
      expect(tail).toBeGreaterThanOrEqual(ESS_TAIL[j]!);
      expect(tail).toBeLessThan(ESS_TAIL[j]! + 1);
    },
  );

  it("MCSE of the mean, chains 1 + 2, to the 7 published significant digits", () => {
    for (let j = 0; j < PARAMETERS.length; j++) {
      expect(Math.abs(mcseMean(bothChains(j)) - MCSE_MEAN[j]!)).toBeLessThanOrEqual(5e-8);
    }
  });

  it("autocorrelation of mu in chain 1, lags 0..9, to the 11 published decimals", () => {
    const acov = autocovariance(chain1[0]!);
    for (let k = 0; k < MU_ACF.length; k++) {
      expect(Math.abs(acov[k]! / acov[0]! - MU_ACF[k]!)).toBeLessThanOrEqual(5e-12 + 1e-15);
    }
  });

  it("mean, sd and 5/50/95% quantiles, chains 1 + 2, to the 2 published decimals", () => {
    for (let j = 0; j < PARAMETERS.length; j++) {
      const s = summarizeParameter(bothChains(j));
      const tolerance = 0.005 + 1e-12;
      expect(Math.abs(s.mean - MEAN[j]!)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(s.sd - SD[j]!)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(s.q05 - Q05[j]!)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(s.q50 - Q50[j]!)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(s.q95 - Q95[j]!)).toBeLessThanOrEqual(tolerance);
    }
  });

  // The single-chain R-hat values in chainset_test.cpp do not fit this CSV. They were
  // not changed when the CSV files were regenerated (the ESS values in older versions
  // of the same test were 354, 287, 540, …, 71; the R-hat values were the same), and
  // Stan's ±0.05 tolerance hides the gap. On these draws posterior's formulas (checked
  // here and by an independent numpy/scipy transcription, to 10 digits) give e.g.
  // mu bulk 0.9979997224 and tail 1.0011333229, against the printed 1.0012958313 and
  // 1.005676523; the largest gap is theta[7] bulk, 1.0024561364 against 1.0339773469.
  // Not asserted here (a test that cannot pass is no evidence); R-hat is checked against
  // posterior's published values on Stan's bern1-4 draws in mcmc-published-rhat.test.ts.
});
