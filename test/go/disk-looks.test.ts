import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

// Counts the package view's looks at the disk (it imports `statSync` and `readdirSync` by name).
const looks = vi.hoisted(() => ({ stat: new Map<string, number>(), readdir: new Map<string, number>() }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const counted = <F extends (...args: never[]) => unknown>(calls: Map<string, number>, f: F) =>
    ((...args: Parameters<F>) => {
      const key = String(args[0]);
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return f(...args);
    }) as F;
  return { ...fs, default: fs, statSync: counted(looks.stat, fs.statSync), readdirSync: counted(looks.readdir, fs.readdirSync) };
});

const { packageView } = await import("../../src/go/package.js");
const { forgetConfigs } = await import("../../src/project/config-files.js");

describe("the package view's looks at the disk", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "restate-looks-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.useRealTimers());
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("go.mod", "module example.com/shop\n\ngo 1.22\n");
  for (const n of ["a", "b", "c", "d"]) write(`cart/${n}.go`, `package cart\n\nconst Name${n.toUpperCase()} = "${n}"\n`);
  write("cart/main.go", "package cart\n");
  const file = path.join(dir, "cart/main.go");

  it("stats each file and lists each folder once for all the names one lint looks up", () => {
    forgetConfigs();
    looks.stat.clear();
    looks.readdir.clear();
    const view = packageView(file, "cart");
    for (const n of ["A", "B", "C", "D", "Missing", "Other"]) view.constant(`Name${n}`);
    expect(view.constant("NameC")).toBe("c");
    // Another view of the package, as the next file's lint makes it.
    expect(packageView(path.join(dir, "cart/a.go"), "cart").constant("NameD")).toBe("d");
    const siblings = ["a", "b", "c", "d"].map((n) => path.join(dir, `cart/${n}.go`));
    for (const f of siblings) expect(looks.stat.get(f)).toBe(1);
    expect(looks.readdir.get(path.join(dir, "cart"))).toBe(1);
  });

  it("sees a change once the look is older than a quarter of a second", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    forgetConfigs();
    expect(packageView(file, "cart").constant("NameA")).toBe("a");
    write("cart/a.go", 'package cart\n\nconst NameA = "changed, longer"\n');
    write("cart/e.go", 'package cart\n\nconst NameE = "e"\n');
    // Within the same moment, the files are as the look found them.
    expect(packageView(file, "cart").constant("NameA")).toBe("a");
    expect(packageView(file, "cart").constant("NameE")).toBeNull();
    vi.setSystemTime(Date.now() + 250);
    expect(packageView(file, "cart").constant("NameA")).toBe("changed, longer");
    expect(packageView(file, "cart").constant("NameE")).toBe("e");
  });
});
