import type { EChartsCoreOption } from "echarts/core";
import { escapeHtml } from "./escapeHtml.js";

/**
 * Apache ECharts' server-side SVG renderer, loaded on first use: only a
 * run with `--report` pays for it (about 0.35 s to import), and only the
 * chart kinds a report draws are registered.
 *
 * What makes the SVG fit a self-contained, byte-identical page:
 * - no animation, no clock: a chart is drawn in its final state at once;
 * - `useUTC`: time labels are the data's own calendar, not the machine's zone;
 * - each chart is disposed once drawn (a live chart keeps a timer that
 *   would hold the process open);
 * - the `xmlns` declarations are dropped: inline SVG in HTML needs none, and
 *   the page then names no http(s) address at all;
 * - path coordinates are rounded to a tenth of a pixel (see roundPath);
 * - ECharts numbers its CSS classes per chart instance (`zr3-cls-0`), so
 *   charts on one page never share a class, and the same charts drawn in
 *   the same order number alike on every run.
 */

export interface ChartSize {
  width: number;
  height: number;
}

export type ChartOption = EChartsCoreOption;

export type RenderChart = (option: ChartOption, size: ChartSize, label: string) => string;

export const FONT_FAMILY =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

let renderer: Promise<RenderChart> | undefined;

export function loadChartRenderer(): Promise<RenderChart> {
  renderer ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import("echarts/core"),
      import("echarts/charts"),
      import("echarts/components"),
      import("echarts/renderers"),
    ]);
    core.use([
      charts.LineChart,
      charts.BarChart,
      charts.HeatmapChart,
      charts.ScatterChart,
      components.GridComponent,
      components.LegendComponent,
      components.MarkLineComponent,
      components.MarkAreaComponent,
      components.VisualMapComponent,
      renderers.SVGRenderer,
    ]);
    return (option, size, label) => {
      const chart = core.init(null, null, { renderer: "svg", ssr: true, ...size });
      try {
        chart.setOption({
          animation: false,
          useUTC: true,
          textStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: "#333" },
          ...option,
          // ECharts measures text with its own metrics, narrower than a browser's system font: room between legend items.
          ...(option.legend === undefined ? {} : { legend: { itemGap: 24, ...(option.legend as object) } }),
        });
        return inlineSvg(chart.renderToSVGString(), label);
      } finally {
        chart.dispose();
      }
    };
  })();
  return renderer;
}

/** The SVG as an HTML element: no namespace declarations, an accessible name, and a fluid width. */
function inlineSvg(svg: string, label: string): string {
  return (
    svg
      // The font is the page's (figure svg in the style sheet): said once there, not on each of hundreds of labels.
      .replaceAll(`font-family:${FONT_FAMILY};`, "")
      .replace(/ d="([^"]*)"/g, (_, path: string) => ` d="${roundPath(path)}"`)
      .replace(/ xmlns(:xlink)?="[^"]*"/g, "")
      .replace(/ baseProfile="full"/, "")
      .replace(/^<svg width="(\d+)" height="(\d+)"/, `<svg role="img" aria-label="${escapeHtml(label)}"`)
  );
}

/**
 * Path coordinates to a tenth of a pixel (ECharts writes four decimals): at
 * most 0.05 px off, invisible even on a 2× screen, and a long line's path
 * about a third shorter.
 */
function roundPath(path: string): string {
  return path.replace(/-?\d+\.\d{2,}/g, (number) => {
    const rounded = Math.round(Number(number) * 10) / 10;
    return String(rounded === 0 ? 0 : rounded);
  });
}
