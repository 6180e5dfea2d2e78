import { closeSync, mkdtempSync, openSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tunablesFor, wantsHugePages } from "../../src/hugePages.js";
import { hftlab } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "hftlab-huge-"));
const small = join(dir, "small.csv");
writeFileSync(small, "t,A\n1,1\n");
/** 64 MiB + a little: a bad cell on line 3, then valid rows. */
const large = join(dir, "large.csv");
{
  const fd = openSync(large, "w");
  writeSync(fd, "t,A\n1,1\n2,abc\n");
  const block = Buffer.from("9,1\n".repeat(1 << 18));
  for (let i = 0; i < 65; i++) writeSync(fd, block);
  closeSync(fd);
}

describe("huge pages for large inputs", () => {
  it("are wanted only on Linux, for a file argument of 64 MiB or more, when nothing opts out", () => {
    if (process.platform !== "linux") return;
    expect(wantsHugePages(["meanrev", large], {})).toBe(true);
    expect(wantsHugePages(["meanrev", small], {})).toBe(false);
    expect(wantsHugePages(["meanrev", "--json", "-"], {})).toBe(false);
    expect(wantsHugePages(["book", "--json", large], {})).toBe(false);
    expect(wantsHugePages(["stream", large], {})).toBe(false);
    expect(wantsHugePages(["meanrev", large], { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" })).toBe(false);
    expect(wantsHugePages(["meanrev", large], { HFTLAB_NO_HUGEPAGES: "1" })).toBe(false);
  });

  it("add Parquet's malloc thresholds only when a large operand is a Parquet file", () => {
    if (process.platform !== "linux") return;
    const parquet = join(dir, "large.parquet");
    writeFileSync(parquet, "");
    truncateSync(parquet, 65 * 1024 * 1024);
    expect(tunablesFor(["meanrev", large], {})).toBe("glibc.malloc.hugetlb=1");
    expect(tunablesFor(["meanrev", "--json", parquet], {})).toBe(
      "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864",
    );
    // A small Parquet file beside a large CSV: the CSV's setting.
    const smallParquet = join(dir, "small.parquet");
    writeFileSync(smallParquet, "PAR1");
    expect(tunablesFor(["meanrev", large, smallParquet], {})).toBe("glibc.malloc.hugetlb=1");
  });

  it("pass the child's exit code and one-line error through unchanged", () => {
    for (const env of [{}, { HFTLAB_NO_HUGEPAGES: "1" }]) {
      const r = hftlab(["meanrev", large], { env });
      expect(r.status).toBe(3);
      expect(r.stderr.split("\n")[0]).toBe(
        `hftlab: error: unparseable number "abc" in column A (${large}:3:2)`,
      );
    }
  });
});

describe("a killed parent takes its huge-page child with it", () => {
  it("kill -9 of the parent ends the child before it writes its output", async () => {
    if (process.platform !== "linux") return;
    const { spawn, execFileSync } = await import("node:child_process");
    const { existsSync, readdirSync } = await import("node:fs");
    // 64 MiB+ of valid rows: long enough to work on that the kill lands mid-run.
    const valid = join(dir, "valid.csv");
    const fd = openSync(valid, "w");
    writeSync(fd, "t,A,B\n");
    let t = 0;
    for (let block = 0; block < 110; block++) {
      let text = "";
      for (let i = 0; i < 40_000; i++, t++) text += `${t},${100 + (t % 97) / 10},${200 + (t % 89) / 10}\n`;
      writeSync(fd, text);
    }
    closeSync(fd);
    const out = join(dir, "killed.csv");
    const parent = spawn(
      process.execPath,
      [join(__dirname, "../../bin/hftlab"), "meanrev", "--out", out, valid],
      {
        stdio: "ignore",
      },
    );
    const childOf = (pid: number): number | null => {
      try {
        return Number(
          execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
            .trim()
            .split("\n")[0],
        );
      } catch {
        return null;
      }
    };
    let child: number | null = null;
    for (let i = 0; i < 100 && child === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      child = childOf(parent.pid!);
    }
    expect(child, "the parent re-executes itself for a 64 MiB input").not.toBeNull();
    parent.kill("SIGKILL");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    let waited = 0;
    while (alive(child!) && waited < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      waited += 50;
    }
    expect(alive(child!)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes("killed.csv"))).toEqual([]);
  }, 60_000);
});
