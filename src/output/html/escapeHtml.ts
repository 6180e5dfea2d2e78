/**
 * Text and attribute values for an HTML page: `&`, `<`, `>`, `"` and `'`
 * as character references, so a symbol or file name read from the input
 * can never open a tag or close an attribute.
 *
 * @example escapeHtml('<a href="x">') // "&lt;a href=&quot;x&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
