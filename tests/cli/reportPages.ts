import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { hftlab } from "./run.js";

/** Reading a --report page in tests: its figures' data-* facts, and the checks every page must pass. */

export interface Figure {
  chart: string;
  facts: Record<string, string>;
}

export function figures(html: string): Figure[] {
  return [...html.matchAll(/<figure data-chart="([^"]+)"([^>]*)>/g)].map((match) => ({
    chart: match[1]!,
    facts: Object.fromEntries(
      [...match[2]!.matchAll(/ data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    ),
  }));
}

export interface ReportRun<R> {
  json: { data: { rows: number }; result: R };
  html: string;
  path: string;
}

/** Runs a command with --json and --report into `folder`; returns the JSON document and the page. */
export function reportRunIn(folder: string) {
  return <R>(args: string[], name: string): ReportRun<R> => {
    const path = join(folder, name);
    const r = hftlab([...args, "--json", "--quiet", "--report", path]);
    expect(r.status, r.stderr).toBe(0);
    return { json: JSON.parse(r.stdout), html: readFileSync(path, "utf8"), path };
  };
}

export function expectSelfContained(html: string): void {
  expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script/i);
  // url(#clip) names a clip path of the page itself; anything else would be fetched.
  expect(html).not.toMatch(/@import|url\((?!#)|<link|<img|<iframe|<object|<embed/i);
}
