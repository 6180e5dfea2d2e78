import type { Frame } from "../../io/frame.js";
import { makeChalk } from "../../output/color.js";
import { formatNumber } from "../../output/format.js";
import { compactTable } from "../../output/table.js";

type Weights = Record<string, number>;

/** The human report of `sparse`: the portfolio or regression as a table of non-zero weights. */
export function renderSparseReport(
  frame: Frame,
  method: string,
  result: Record<string, unknown>,
  color: boolean,
): string {
  const c = makeChalk(color);
  const rows = frame.time.length;
  const out: string[] = [
    `${c.bold("sparse")} ${method} · ${frame.source} · ${rows} rows · ${frame.time.at(0)} → ${frame.time.at(rows - 1)}`,
  ];
  const weightTable = (weights: Weights, heading: string) => {
    const table = compactTable(["symbol", heading], ["left", "right"], color);
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
    const path = compactTable(
      ["k", "assets", "predictability", "half-life"],
      ["right", "left", "right", "right"],
      color,
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
  return `${out.join("\n")}\n`;
}
