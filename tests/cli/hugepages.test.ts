import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wantsHugePages } from "../../src/hugePages.js";
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
