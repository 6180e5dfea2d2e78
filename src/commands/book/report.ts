import type { BookResult } from "./results.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { outputWidth } from "../../output/terminalWidth.js";

/** Width of the longest size bar, in characters (less on a narrow terminal). */
const BAR_WIDTH = 30;
const NARROWEST_BAR = 4;
/** Fills listed on a terminal (all of them are in --json). */
const FILLS_SHOWN = 10;

function bar(size: number, largest: number, barWidth: number): string {
  const eighths = largest > 0 ? Math.round((size / largest) * barWidth * 8) : 0;
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  return "█".repeat(full) + (partial > 0 ? " ▏▎▍▌▋▊▉"[partial]! : "");
}

function fixed(x: number | null, decimals: number): string {
  return x === null ? "–" : x.toFixed(decimals);
}

/**
 * A depth ladder: asks above (best ask nearest the middle), bids below, each
 * level with its size bar scaled to the largest size shown; then the touch
 * statistics. Prices and sizes print with the input's decimals.
 */
export function renderBookReport(
  result: BookResult,
  priceDecimals: number,
  sizeDecimals: number,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const levels = [...result.asks, ...result.bids];
  const largest = Math.max(0, ...levels.map((l) => l.size));
  const priceWidth = Math.max(5, ...levels.map((l) => l.price.toFixed(priceDecimals).length));
  const sizeWidth = Math.max(4, ...levels.map((l) => l.size.toFixed(sizeDecimals).length));
  // "  price  size  orders  bar"
  const barWidth =
    width === undefined
      ? BAR_WIDTH
      : Math.max(NARROWEST_BAR, Math.min(BAR_WIDTH, width - priceWidth - sizeWidth - 14));
  const row = (price: number, size: number, orders: number | null, paint: (s: string) => string) =>
    `  ${paint(price.toFixed(priceDecimals).padStart(priceWidth))}  ${size
      .toFixed(sizeDecimals)
      .padStart(
        sizeWidth,
      )}  ${(orders === null ? "" : String(orders)).padStart(6)}  ${paint(bar(size, largest, barWidth))}`;
  const out: string[] = [];
  out.push(
    c.bold(
      `order book (${result.layout}) after ${result.events} events${result.ts ? ` at ${result.ts}` : ""}`,
    ),
  );
  out.push(
    c.dim(`  ${"price".padStart(priceWidth)}  ${"size".padStart(sizeWidth)}  ${"orders".padStart(6)}`),
  );
  for (let k = result.asks.length - 1; k >= 0; k--) {
    const level = result.asks[k]!;
    out.push(row(level.price, level.size, level.orders, c.red));
  }
  if (result.asks.length === 0) out.push(c.dim("  (no asks)"));
  out.push(
    c.dim(
      `  ${"-".repeat(priceWidth)}  spread ${fixed(result.spread, priceDecimals)}  mid ${fixed(result.mid, priceDecimals + 1)}`,
    ),
  );
  for (const level of result.bids) out.push(row(level.price, level.size, level.orders, c.green));
  if (result.bids.length === 0) out.push(c.dim("  (no bids)"));
  out.push(c.dim("  asks above the spread, bids below · bar: size, the largest level's full width"));
  out.push("");
  const stat = (name: string, value: string) => `  ${c.dim(name.padEnd(12))}${value}`;
  out.push(stat("microprice", result.microprice === null ? "–" : String(result.microprice)));
  out.push(stat("imbalance", result.imbalance === null ? "–" : result.imbalance.toFixed(4)));
  out.push(stat("trades", String(result.trades)));
  out.push(stat("volume", `${result.volume}${result.vwap === null ? "" : ` at VWAP ${result.vwap}`}`));
  out.push(
    stat(
      "live",
      `${result.liveOrders === null ? "" : `${result.liveOrders} orders, `}${result.levels.bids} bid / ${result.levels.asks} ask levels`,
    ),
  );
  if (result.fills !== undefined) {
    out.push(
      stat("fills", `${result.fills.length}${result.unfilled ? ` (${result.unfilled} left unfilled)` : ""}`),
    );
    for (const fill of result.fills.slice(-FILLS_SHOWN)) {
      out.push(
        `    ${fill.ts}  ${fill.side === "buy" ? c.green("buy ") : c.red("sell")} ${fill.size} @ ${fill.price}  taker ${fill.taker} maker ${fill.maker}`,
      );
    }
  }
  return fitReport(out, width);
}
