/**
 * Number formatting for people (tables). JSON never goes through here: it
 * keeps full round-trip precision.
 */
export function formatNumber(x: number | null | undefined, significant = 6): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e9 || magnitude < 1e-4) return x.toExponential(significant - 1);
  return Number(x.toPrecision(significant)).toString();
}

export function formatFixed(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  return x.toFixed(digits);
}

export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return "–";
  if (p < 1e-4) return "<0.0001";
  return p.toFixed(4);
}
