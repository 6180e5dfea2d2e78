/**
 * The 5-asset covariance (annual-looking numbers, stated exactly) that the
 * solver and hierarchical-risk-parity tests share, row-major.
 */
// biome-ignore format: one matrix row per line
export const FIVE_ASSET_COVARIANCE = Float64Array.of(
  0.04, 0.006, 0.01, 0.002, 0.003,
  0.006, 0.0225, 0.0045, 0.003, 0.0015,
  0.01, 0.0045, 0.0625, 0.005, 0.01,
  0.002, 0.003, 0.005, 0.01, 0.001,
  0.003, 0.0015, 0.01, 0.001, 0.09,
);
