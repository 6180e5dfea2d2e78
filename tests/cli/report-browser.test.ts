import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WARM_UP_FILL } from "../../src/output/html/timeSeriesChart.js";
import { hftlab } from "./run.js";

/**
 * Every kind of --report page opened in a real browser: Debian's chromium,
 * driven headless by puppeteer-core (which never downloads a browser). The
 * page is opened with JavaScript disabled, as a mail reader would; it must
 * log no console error, request nothing but its own file, lay out without
 * horizontal overflow at 1280 and 800 px, draw no chart label over
 * another nor over a plot, and paint a screenshot that is not blank. Without /usr/bin/chromium (a bare machine) the tests skip and
 * say so; .ci/run installs it.
 */
const CHROMIUM = "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) {
  console.warn(
    `report-browser: skipped, no browser at ${CHROMIUM} (apt-get install -y chromium to run these tests)`,
  );
}

/** 20 seeded random walks with long names: charts of ten lines whose legends wrap onto three rows. */
const wideFolder = mkdtempSync(join(tmpdir(), "hftlab-report-wide-"));
const WIDE = join(wideFolder, "wide20.csv");
{
  let seed = 3;
  const symbols = Array.from({ length: 20 }, (_, k) => `LONG_SYMBOL_NAME_${String(k + 1).padStart(2, "0")}`);
  const prices = symbols.map(() => 100);
  const lines = [`date,${symbols.join(",")}`];
  for (let day = 0; day < 300; day++) {
    lines.push(
      `${new Date(Date.UTC(2020, 0, 1 + day)).toISOString().slice(0, 10)},${prices.map((p) => p.toFixed(4)).join(",")}`,
    );
    prices.forEach((p, k) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      prices[k] = p * (1 + (seed / 2147483648 - 0.5) * 0.02);
    });
  }
  writeFileSync(WIDE, `${lines.join("\n")}\n`);
}

const REPORTS: Record<string, string[]> = {
  "risk (20 series, long names)": ["risk", WIDE],
  risk: ["risk", "--benchmark", "FTSE", "fixtures/eustocks.csv"],
  "risk (monthly heatmaps)": [
    "risk",
    "--missing",
    "ffill",
    "--periods-per-year",
    "12",
    "fixtures/stocks.csv",
  ],
  backtest: ["backtest", "fixtures/sp500-2000.csv"],
  regime: ["regime", "fixtures/sp500-2000.csv"],
  hmm: ["hmm", "--columns", "DAX,CAC", "--states", "2", "fixtures/eustocks.csv"],
  optimize: ["optimize", "--method", "max-sharpe", "fixtures/eustocks.csv"],
};

const WIDTHS = [1280, 800];

describe.skipIf(!haveBrowser)("--report pages in headless chromium", () => {
  const folder = mkdtempSync(join(tmpdir(), "hftlab-report-browser-"));
  type Browser = Awaited<ReturnType<typeof import("puppeteer-core").launch>>;
  let browser: Browser;

  beforeAll(async () => {
    const puppeteer = await import("puppeteer-core");
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${join(folder, "profile")}`,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
    rmSync(wideFolder, { recursive: true, force: true });
  });

  /** The variance of a screenshot's grey levels, measured on a canvas in a page of its own. */
  async function pixelVariance(png: Uint8Array): Promise<number> {
    const page = await browser.newPage();
    try {
      const url = `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
      return await page.evaluate(async (source) => {
        const image = new Image();
        image.src = source;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext("2d")!;
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, image.width, image.height);
        let sum = 0;
        let squares = 0;
        const count = data.length / 4;
        for (let i = 0; i < data.length; i += 4) {
          const grey = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
          sum += grey;
          squares += grey * grey;
        }
        const mean = sum / count;
        return squares / count - mean * mean;
      }, url);
    } finally {
      await page.close();
    }
  }

  for (const [kind, args] of Object.entries(REPORTS)) {
    it(`${kind}: no console error, no request, no overflow at ${WIDTHS.join(" and ")} px, no label over another, not blank`, async () => {
      const path = join(folder, `${kind.replace(/\W+/g, "-")}.html`);
      const r = hftlab([...args, "--quiet", "--report", path]);
      expect(r.status, r.stderr).toBe(0);
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warn")
          problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error}`));
      page.on("request", (request) => {
        if (request.url() !== pathToFileURL(path).href) problems.push(`request: ${request.url()}`);
      });
      page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
      await page.setJavaScriptEnabled(false);
      try {
        for (const width of WIDTHS) {
          await page.setViewport({ width, height: 900 });
          await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
          const layout = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            charts: document.querySelectorAll("figure svg").length,
            figures: document.querySelectorAll("figure").length,
            shortest: Math.min(
              ...[...document.querySelectorAll("figure svg")].map(
                (svg) => svg.getBoundingClientRect().height,
              ),
            ),
          }));
          expect(layout.scrollWidth, `${kind} at ${width} px`).toBeLessThanOrEqual(layout.innerWidth);
          expect(layout.charts).toBe(layout.figures);
          expect(layout.charts).toBeGreaterThan(0);
          expect(layout.shortest, "every chart has a height").toBeGreaterThan(50);
          // No label is drawn over another (a wrapped legend over the warm-up label, a VaR label over an edge bin's).
          const overlaps = await page.evaluate((fill) => {
            const found: string[] = [];
            for (const svg of document.querySelectorAll("figure svg")) {
              const boxes = [...svg.querySelectorAll("text")]
                .filter((t) => (t.textContent ?? "").trim() !== "")
                .map((t) => ({ text: t.textContent!, box: t.getBoundingClientRect() }));
              // Nor over the plot: a warm-up band is plot area, and a legend wrapped too low would cover it.
              for (const band of svg.querySelectorAll(`polygon[fill="${fill}"]`)) {
                const b = band.getBoundingClientRect();
                for (const { text, box: a } of boxes) {
                  const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                  const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                  if (x > 1 && y > 1) found.push(`"${text}" over the plot`);
                }
              }
              for (let i = 0; i < boxes.length; i++) {
                for (let j = i + 1; j < boxes.length; j++) {
                  const a = boxes[i]!.box;
                  const b = boxes[j]!.box;
                  const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                  const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                  if (x > 1 && y > 1) found.push(`"${boxes[i]!.text}" over "${boxes[j]!.text}"`);
                }
              }
            }
            return found;
          }, WARM_UP_FILL);
          expect(overlaps, `${kind} at ${width} px`).toEqual([]);
          const shot = await page.screenshot({ type: "png" });
          expect(await pixelVariance(shot), `${kind} at ${width} px is not blank`).toBeGreaterThan(100);
        }
      } finally {
        await page.close();
      }
      expect(problems).toEqual([]);
    }, 60_000);
  }

  it("a blank page has (nearly) no pixel variance, so the check above can fail", async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 800, height: 600 });
    await page.setContent("<html><body style='background:#fff'></body></html>");
    const shot = await page.screenshot({ type: "png" });
    await page.close();
    expect(await pixelVariance(shot)).toBeLessThan(1);
  });
});
