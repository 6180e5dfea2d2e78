/**
 * Exact window moments for tests: every double is an integer multiple of
 * 2^-1074, so Σx and Σx² over a window are exact BigInts, and the mean and
 * the sample standard deviation (ddof = 1) follow as exact rationals,
 * rounded once to a double (to within one ulp: the quotient carries 100
 * extra bits and is truncated before the final rounding).
 */

const view = new DataView(new ArrayBuffer(8));

/** x·2^1074 as a BigInt (exact for every finite double). */
export function scaledInteger(x: number): bigint {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const value = exponent === 0 ? fraction : (fraction | (1n << 52n)) << BigInt(exponent - 1);
  return negative ? -value : value;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}

/** numerator / denominator (denominator > 0) rounded to a double. */
function ratioToDouble(numerator: bigint, denominator: bigint): number {
  if (numerator === 0n) return 0;
  const k = 120 - (bitLength(numerator) - bitLength(denominator));
  const q = k >= 0 ? (numerator << BigInt(k)) / denominator : numerator / (denominator << BigInt(-k));
  let value = Number(q);
  let left = k;
  while (left > 0) {
    const step = Math.min(left, 1000);
    value *= 2 ** -step;
    left -= step;
  }
  while (left < 0) {
    const step = Math.min(-left, 1000);
    value *= 2 ** step;
    left += step;
  }
  return value;
}

function integerSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Exact mean and sample standard deviation of x[from … to), rounded to doubles. */
export function exactMoments(x: Float64Array, from: number, to: number): { mean: number; std: number } {
  const n = BigInt(to - from);
  let sum = 0n;
  let squares = 0n;
  for (let i = from; i < to; i++) {
    const v = scaledInteger(x[i]!);
    sum += v;
    squares += v * v;
  }
  // mean = sum / (n·2^1074); variance = (n·Σx² − (Σx)²) / (n(n − 1)·2^2148)
  const mean = ratioToDouble(sum, n << 1074n);
  const varianceNumerator = n * squares - sum * sum;
  if (varianceNumerator === 0n) return { mean, std: 0 };
  const varianceDenominator = n * (n - 1n);
  // std·2^1074·2^k = sqrt(numerator·2^2k / denominator), with k giving ~100 bits
  const k = Math.max(
    0,
    Math.ceil((200 - (bitLength(varianceNumerator) - bitLength(varianceDenominator))) / 2),
  );
  const root = integerSqrt((varianceNumerator << BigInt(2 * k)) / varianceDenominator);
  return { mean, std: ratioToDouble(root, 1n << BigInt(1074 + k)) };
}
