import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { fitReport } from "../../output/fitLines.js";
import { formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";
import { outputWidth } from "../../output/terminalWidth.js";

type Weights = Record<string, number>;

/** The human report of `sparse`: the portfolio or regression as a table of non-zero weights. */
export function renderSparseReport(
  frame: Frame,
  method: string,
  result: Record<string, unknown>,
  color: boolean,
  width: number | undefined = outputWidth(),
): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  const out: string[] = [
    `${c.bold("sparse")} ${method} · ${frame.source} · ${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)}`,
  ];
  const weightTable = (weights: Weights, heading: string) => {
    const table = compactTable(["symbol", heading], ["left", "right"], color, width);
    for (const [s, w] of Object.entries(weights)) if (w !== 0) table.push([s, formatNumber(w)]);
    return table.toString();
  };
  if (method === "lasso" || method === "elastic-net") {
    out.push(
      `target ${result.target} · alpha ${formatNumber(result.alpha as number)} · l1Ratio ${result.l1Ratio} · ` +
        `${result.nonzero} non-zero · R² ${formatNumber(result.r2 as number)} · intercept ${formatNumber(result.intercept as number)}`,
    );
    const cv = result.cv as { folds: number; alphaMin: number; alpha1se: number } | null;
    if (cv !== null)
      out.push(
        `${cv.folds}-fold CV: alphaMin ${formatNumber(cv.alphaMin)}, alpha1se ${formatNumber(cv.alpha1se)}`,
      );
    out.push(weightTable(result.coefficients as Weights, "coefficient"));
  } else if (method === "greedy") {
    out.push(
      `predictability ${formatNumber(result.predictability as number)} · half-life ${formatNumber(result.halfLife as number)} bars`,
    );
    out.push(weightTable(result.weights as Weights, "weight"));
    // Too wide for the terminal: half-life, then predictability go; the assets never do.
    const path = compactTable(
      ["k", "assets", { head: "predictability", short: "predict.", drop: 2 }, { head: "half-life", drop: 1 }],
      ["right", "left", "right", "right"],
      color,
      width,
    );
    for (const step of result.path as {
      k: number;
      assets: string[];
      predictability: number;
      halfLife: number | null;
    }[])
      path.push([
        step.k,
        step.assets.join(", "),
        formatNumber(step.predictability),
        formatNumber(step.halfLife),
      ]);
    out.push(path.toString());
  } else {
    (result.components as { weights: Weights; explainedVariance: number | null }[]).forEach(
      (component, i) => {
        out.push(`component ${i + 1} · explained variance ${formatNumber(component.explainedVariance)}`);
        out.push(weightTable(component.weights, "weight"));
      },
    );
  }
  return fitReport(out, width);
}
