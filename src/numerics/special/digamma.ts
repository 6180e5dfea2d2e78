/**
 * The digamma function ψ(x) = d/dx ln Γ(x), for x > 0.
 *
 * Method: the recurrence ψ(x) = ψ(x + 1) − 1/x until x ≥ 10, then the
 * asymptotic series ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ) to the x⁻¹⁴ term
 * (Abramowitz & Stegun 6.3.18); the truncation error is below 1e-16 there.
 * Non-positive x gives NaN.
 *
 * Reference: M. Abramowitz, I. A. Stegun (1964), *Handbook of Mathematical
 * Functions*, 6.3.5 and 6.3.18.
 *
 * @example
 * digamma(1); // => -0.5772156649015329 (−γ, the Euler–Mascheroni constant)
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // B2/2 = 1/12, B4/4 = −1/120, B6/6 = 1/252, B8/8 = −1/240, B10/10 = 1/132, B12/12 = −691/32760, B14/14 = 1/12
  const tail =
    inv2 *
    (1 / 12 -
      inv2 *
        (1 / 120 -
          inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return shift + Math.log(x) - 0.5 / x - tail;
}
