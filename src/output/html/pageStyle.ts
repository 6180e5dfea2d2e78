/**
 * The page's one style sheet, inline: system fonts only (no web font to
 * fetch), charts that scale to the column (their SVG has a viewBox), tables
 * that scroll inside their own box rather than widen the page, and a print
 * layout that keeps each figure on one page.
 */
export const PAGE_STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p { margin: 0; color: #57606a; overflow-wrap: anywhere; }
header p.callout { margin: 10px 0 0; padding: 8px 12px; color: #1f2328; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
figure { margin: 16px 0; padding: 12px 12px 8px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
figure h3 { font-size: 15px; margin: 0 0 4px; }
figure svg { display: block; width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
figcaption { color: #57606a; font-size: 13px; margin-top: 4px; }
.table-box { overflow-x: auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid #eaeef2; text-align: right; white-space: nowrap; }
thead th { white-space: normal; vertical-align: bottom; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
.notes { font-size: 13px; color: #57606a; }
.notes li { overflow-wrap: anywhere; }
footer { margin-top: 32px; font-size: 12px; color: #57606a; }
@media (max-width: 640px) { main { padding: 12px 8px 32px; } body { font-size: 14px; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  figure, .table-box { break-inside: avoid; border-color: #999; }
  h2 { break-after: avoid; }
  .table-box { overflow: visible; }
}
`;
