import type { HftlabError } from "../../errors.js";
import type { CallError } from "./callProtocol.js";

/** An HftlabError as a call's error, its message the line the CLI prints after `hftlab: error: `. */
export function callErrorOf(error: HftlabError): CallError {
  const where = error.where();
  // The CLI leaves out a place the message already names in full.
  const redundant = error.location.line === undefined && error.message.includes(where);
  return {
    exitCode: error.exitCode,
    code: error.code,
    message: where === "" || redundant ? error.message : `${error.message} (${where})`,
    hint: error.hint ?? null,
    file: error.location.file ?? null,
    line: error.location.line ?? null,
  };
}
