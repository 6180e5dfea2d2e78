/**
 * `hftlab info FILE`, written for the input an error is about, for the hints
 * of errors that describing the file answers (which symbols, which columns,
 * how many missing cells). Standard input is `-`; a path with characters a
 * shell would split or expand is single-quoted, so the hint can be pasted.
 *
 * @example infoCommand("fixtures/stocks.csv") // "hftlab info fixtures/stocks.csv"
 * @example infoCommand("<stdin>") // "hftlab info -"
 */
export function infoCommand(file: string): string {
  if (file === "<stdin>") return "hftlab info -";
  if (/^[\w./+,:@%=-]+$/.test(file)) return `hftlab info ${file}`;
  return `hftlab info '${file.replaceAll("'", "'\\''")}'`;
}
