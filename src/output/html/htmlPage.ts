import { escapeHtml } from "./escapeHtml.js";
import { PAGE_STYLE } from "./pageStyle.js";

/**
 * A report page: one HTML document with its style inline and no script, so
 * it reads the same from a file, a mail attachment or a browser with
 * JavaScript off, and fetches nothing. The content is HTML built by the
 * section builders (already escaped); the title and subtitle are text.
 */

export interface PageSection {
  heading: string;
  /** HTML: figures and tables. */
  body: string;
}

export interface HtmlPage {
  title: string;
  subtitle: string[];
  /** What a reader must know before the charts (which series they leave out): shown under the title. */
  callouts?: string[];
  sections: PageSection[];
  notes: string[];
  /** "hftlab 0.1.0": the version, never a date, so two runs write the same bytes. */
  generator: string;
}

export function htmlPage(page: HtmlPage): string {
  const sections = page.sections
    .map((section) => `<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${section.body}\n</section>`)
    .join("\n");
  const notes =
    page.notes.length === 0
      ? ""
      : `<section>\n<h2>Notes</h2>\n<ul class="notes">\n${page.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("\n")}\n</ul>\n</section>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(page.generator)}">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(page.title)}</h1>
${[
  ...page.subtitle.map((line) => `<p>${escapeHtml(line)}</p>`),
  ...(page.callouts ?? []).map((line) => `<p class="callout" role="note">${escapeHtml(line)}</p>`),
].join("\n")}
</header>
${sections}
${notes}<footer>Written by ${escapeHtml(page.generator)}. Same input and flags give the same file.</footer>
</main>
</body>
</html>
`;
}

/** A chart in its frame: a heading, the SVG, a caption, and data-* facts that tests compare with the JSON. */
export function figureHtml(
  kind: string,
  heading: string,
  svg: string,
  caption: string,
  facts: Record<string, string | number>,
): string {
  const attributes = Object.entries(facts)
    .map(([key, value]) => ` data-${key}="${escapeHtml(String(value))}"`)
    .join("");
  return `<figure data-chart="${escapeHtml(kind)}"${attributes}>
<h3>${escapeHtml(heading)}</h3>
${svg}
<figcaption>${escapeHtml(caption)}</figcaption>
</figure>`;
}

/** A table of text cells (escaped here), the first column a row label. */
export function tableHtml(kind: string, head: string[], rows: string[][]): string {
  const headHtml = head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, k) => (k === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("\n");
  return `<div class="table-box" data-table="${escapeHtml(kind)}">\n<table>\n<thead><tr>${headHtml}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>`;
}
