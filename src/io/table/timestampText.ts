/**
 * The text of typed time values from binary formats (Arrow, Parquet), so
 * that the same instant reads the same whichever format held it: dates as
 * `YYYY-MM-DD`, timestamps as ISO 8601 in UTC, `Z`-suffixed when the type
 * is zoned (adjusted to UTC), with the fraction trimmed to the shortest of
 * milli/micro/nanoseconds that is exact.
 */

const MS_PER_DAY = 86_400_000;
/** Fraction digits of each time unit index (seconds, milli-, micro-, nanoseconds), as Arrow's TimeUnit numbers them. */
const UNIT_DIGITS = [0, 3, 6, 9];

function secondsToIso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

/**
 * ISO text of a timestamp, exact for every unit.
 *
 * @param raw the stored integer: units since 1970-01-01T00:00:00 UTC
 * @param unit 0 seconds, 1 milliseconds, 2 microseconds, 3 nanoseconds
 * @param zoned whether the type carries a time zone (then the text ends in `Z`)
 * @example formatTimestamp(1704188200500n, 1, true) // "2024-01-02T09:36:40.500Z"
 */
export function formatTimestamp(raw: bigint, unit: number, zoned: boolean): string {
  const digits = UNIT_DIGITS[unit]!;
  const perSecond = 10n ** BigInt(digits);
  let seconds = raw / perSecond;
  let fraction = raw % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  let text = secondsToIso(seconds);
  if (fraction !== 0n) {
    let fractionText = fraction.toString().padStart(digits, "0");
    while (fractionText.endsWith("000")) fractionText = fractionText.slice(0, -3);
    text += `.${fractionText}`;
  }
  return zoned ? `${text}Z` : text;
}

/** A date held as milliseconds since the epoch: `YYYY-MM-DD`, with the UTC time when not at midnight. */
export function formatDateMs(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % MS_PER_DAY === 0 ? iso.slice(0, 10) : iso;
}

/** A date held as days since 1970-01-01 (Arrow Date32, Parquet DATE). @example formatDateDays(10957) // "2000-01-01" */
export function formatDateDays(days: number): string {
  return formatDateMs(days * MS_PER_DAY);
}
