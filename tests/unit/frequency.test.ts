import { describe, expect, it } from "vitest";
import { TimeColumn } from "../../src/io/frame.js";
import { frequencyOfStep, inferFrequency } from "../../src/io/table/frequency.js";

/** Dates from `start` (UTC, YYYY-MM-DD) stepping by `step(date)`, as ISO strings. */
function dates(start: string, count: number, step: (d: Date) => void): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    out.push(d.toISOString().slice(0, 10));
    step(d);
  }
  return out;
}

const businessDays = (d: Date) => {
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
};
const monthEnds = (start: string, count: number) =>
  Array.from({ length: count }, (_, i) => {
    const [y, m] = start.split("-").map(Number) as [number, number];
    const end = new Date(Date.UTC(y, m - 1 + i + 1, 0));
    return end.toISOString().slice(0, 10);
  });

describe("the frequency of a time column (xts periodicity thresholds, PerformanceAnalytics' periods)", () => {
  it("business days with weekends are daily (the median step is one day): 252", () => {
    const f = inferFrequency(TimeColumn.fromStrings(dates("2000-01-03", 600, businessDays)))!;
    expect(f).toEqual({ frequency: "daily", periodsPerYear: 252, medianStepSeconds: 86_400 });
  });

  it("weekly 52, month ends 12, quarter ends 4 (steps of 90–92 days), year ends 1", () => {
    const week = (d: Date) => d.setUTCDate(d.getUTCDate() + 7);
    expect(inferFrequency(TimeColumn.fromStrings(dates("2001-01-05", 100, week)))!.periodsPerYear).toBe(52);
    expect(inferFrequency(TimeColumn.fromStrings(monthEnds("2000-01", 40)))!.periodsPerYear).toBe(12);
    const quarters = monthEnds("2000-01", 40).filter((_, i) => i % 3 === 2);
    const q = inferFrequency(TimeColumn.fromStrings(quarters))!;
    expect(q.frequency).toBe("quarterly");
    expect(q.medianStepSeconds).toBeGreaterThan(91 * 86_400); // xts's old 91-day bound would say yearly
    const years = Array.from({ length: 12 }, (_, i) => `${1990 + i}-12-31`);
    expect(inferFrequency(TimeColumn.fromStrings(years))!.periodsPerYear).toBe(1);
  });

  it("reads month-name dates as the fixtures write them", () => {
    const f = inferFrequency(
      TimeColumn.fromStrings(["Jan 1 2000", "Feb 1 2000", "Mar 1 2000", "Apr 1 2000"]),
    )!;
    expect(f.frequency).toBe("monthly");
  });

  it("calls minute bars intraday and guesses no periods; numbers (epoch, fractional years) are not dates", () => {
    const minutes = Array.from(
      { length: 50 },
      (_, i) => `2024-01-02T09:${String(30 + (i % 30)).padStart(2, "0")}:00Z`,
    );
    minutes.sort();
    const f = inferFrequency(TimeColumn.fromStrings([...new Set(minutes)]))!;
    expect(f.frequency).toBe("intraday");
    expect(f.periodsPerYear).toBeNull();
    expect(inferFrequency(TimeColumn.fromStrings(["1991.496154", "1991.5"]))).toBeNull();
    expect(inferFrequency(TimeColumn.fromStrings(["946857600000", "946944000000"]))).toBeNull();
    expect(inferFrequency(TimeColumn.fromStrings(["2000-01-03"]))).toBeNull();
  });

  it("samples evenly on long columns and still finds the median", () => {
    const f = inferFrequency(TimeColumn.fromStrings(dates("1950-01-02", 20_000, businessDays)))!;
    expect(f.frequency).toBe("daily");
  });

  it("puts the boundaries where xts does (one day daily, up to 7 weekly, 31 monthly), quarterly to 92", () => {
    const day = 86_400;
    expect(
      [day - 1, day, day + 1, 7 * day, 7 * day + 1, 31 * day, 31 * day + 1, 92 * day, 92 * day + 1].map(
        frequencyOfStep,
      ),
    ).toEqual([
      "intraday",
      "daily",
      "weekly",
      "weekly",
      "monthly",
      "monthly",
      "quarterly",
      "quarterly",
      "yearly",
    ]);
  });
});
