import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ESLint } from "eslint";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BUFFER_TTL_MS, LOOK_IDLE_MS, ProjectIndex } from "../../src/project/index.js";
import { deadlockEslint } from "../deadlock-eslint.js";

const fixture = fileURLToPath(new URL("../../fixtures/deadlock/cross-file", import.meta.url));
const temps: string[] = [];

function copyFixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "restate-editor-"));
  temps.push(dir);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** ESLint as an editor integration drives it: `lintText` with the buffer and its path. */
function editorEslint(cwd: string, refreshMs: number): ESLint {
  return deadlockEslint(cwd, { settings: { refreshMs } });
}

async function deadlockLines(eslint: ESLint, file: string, text: string): Promise<number[]> {
  const [result] = await eslint.lintText(text, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === "restate/no-deadlock").map((m) => m.line);
}

afterEach(() => {
  vi.useRealTimers();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The two files of the fixture's cycle, in a fresh copy, with an editor's ESLint on it. */
function openCycle(refreshMs: number) {
  const dir = copyFixture();
  const orders = path.join(dir, "src/orders.ts");
  const payments = path.join(dir, "src/payments.ts");
  return { orders, payments, eslint: editorEslint(dir, refreshMs), saved: readFileSync(orders, "utf8") };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The project indexes of this process (the registry is the index's own). */
const indexes = () => [...(ProjectIndex as unknown as { registry: Map<string, ProjectIndex> }).registry.values()];

/** The wait in payments.ts that closes the cycle. */
const CLOSING_WAIT = "await ctx.objectClient(orders, ctx.key).total()";

describe("no-deadlock in an editor", () => {
  it("follows the unsaved buffer of the file being linted", async () => {
    const { orders, payments, eslint, saved } = openCycle(0);
    expect(await deadlockLines(eslint, orders, saved)).toEqual([9]);

    // The user turns the call into a send but has not saved yet.
    const edited = saved.replace("await ctx.objectClient(payments, ctx.key).charge(amount);", "ctx.objectSendClient(payments, ctx.key).charge(amount);");
    expect(edited).not.toBe(saved);
    expect(await deadlockLines(eslint, orders, edited)).toEqual([]);
    // The other file of the cycle sees the buffer too: its hop is no longer on a cycle.
    expect(await deadlockLines(eslint, payments, readFileSync(payments, "utf8"))).toEqual([]);
  });

  it("reports at the new place when an edit only moves code", async () => {
    const { orders, payments, eslint, saved } = openCycle(0);
    expect(await deadlockLines(eslint, orders, saved)).toEqual([9]);
    const moved = `// a comment\n// another\n\n${saved}`;
    expect(await deadlockLines(eslint, orders, moved)).toEqual([12]);
    // The chain shown in the other file names the call where it now is.
    const [result] = await eslint.lintText(readFileSync(payments, "utf8"), { filePath: payments });
    expect(result!.messages[0]!.message).toContain("Orders.place (src/orders.ts:12)");
  });

  it("picks up a change to another file on disk at the next lint", async () => {
    const { orders, payments, eslint, saved: text } = openCycle(0);
    expect(await deadlockLines(eslint, orders, text)).toEqual([9]);

    const before = readFileSync(payments, "utf8");
    writeFileSync(payments, before.replace(CLOSING_WAIT, "0"));
    expect(await deadlockLines(eslint, orders, text)).toEqual([]);

    writeFileSync(payments, before);
    expect(await deadlockLines(eslint, orders, text)).toEqual([9]);
  });

  it("with refreshMs, looks at the disk once linting pauses after the lint that finds the look due", async () => {
    const { orders, payments, eslint, saved: text } = openCycle(50);
    // The first look is made at once.
    expect(await deadlockLines(eslint, orders, text)).toEqual([9]);
    // (A slow first lint may have found the next look due: let it be made before the change.)
    await pause(LOOK_IDLE_MS * 3);

    writeFileSync(payments, readFileSync(payments, "utf8").replace(CLOSING_WAIT, "0"));
    await pause(100);
    // This lint finds the look due and answers from the last one…
    expect(await deadlockLines(eslint, orders, text)).toEqual([9]);
    await pause(LOOK_IDLE_MS * 3);
    // …which is made in the pause after it: the next lint sees the change.
    expect(await deadlockLines(eslint, orders, text)).toEqual([]);
  });

  it("does not look again while lints follow one another (a CLI run), and looks in the first pause", async () => {
    const { orders, eslint, saved: text } = openCycle(10);
    expect(await deadlockLines(eslint, orders, text)).toEqual([9]);
    const index = indexes().find((i) => i.root === path.dirname(path.dirname(orders)))!;
    const first = index.looks;
    // 300 ms of lints one right after another, the event loop turning between them as a CLI run
    // reads its next file: a look falls due every 10 ms, and waits.
    const until = Date.now() + 300;
    let lints = 0;
    while (Date.now() < until) {
      await deadlockLines(eslint, orders, text);
      await new Promise((resolve) => setImmediate(resolve));
      lints++;
    }
    expect(lints).toBeGreaterThan(5);
    // Looking after every lint that found a look due would have looked about 30 times; a lint
    // that stalls the process for longer than the pause may let one through.
    expect(index.looks - first).toBeLessThanOrEqual(2);
    await pause(LOOK_IDLE_MS * 3);
    expect(index.looks - first).toBeGreaterThanOrEqual(1);
  });

  it("forgets a buffer closed without saving once it is no longer linted: the disk counts again", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { orders, payments, eslint, saved } = openCycle(0);
    // Orders sends (saved): no cycle.
    const sending = saved.replace("await ctx.objectClient(payments, ctx.key).charge(amount);", "ctx.objectSendClient(payments, ctx.key).charge(amount);");
    writeFileSync(orders, sending);
    expect(await deadlockLines(eslint, payments, readFileSync(payments, "utf8"))).toEqual([]);
    // The user makes it wait again, unsaved: both files show the cycle while the buffer is linted.
    expect(await deadlockLines(eslint, orders, saved)).toEqual([9]);
    expect(await deadlockLines(eslint, payments, readFileSync(payments, "utf8"))).toEqual([8]);
    vi.setSystemTime(Date.now() + BUFFER_TTL_MS / 2);
    expect(await deadlockLines(eslint, payments, readFileSync(payments, "utf8"))).toEqual([8]);
    // Closed without saving: no more lints of it; after the bounded time the disk says what it holds.
    vi.setSystemTime(Date.now() + BUFFER_TTL_MS);
    expect(await deadlockLines(eslint, payments, readFileSync(payments, "utf8"))).toEqual([]);
  });

  it("keeps the last facts of a file of the cycle that stops parsing while the user types", async () => {
    const { orders, payments, eslint, saved } = openCycle(0);
    expect(await deadlockLines(eslint, orders, saved)).toEqual([9]);
    // Payments is being edited (saved on each keystroke, as with auto save): it does not parse now.
    const good = readFileSync(payments, "utf8");
    writeFileSync(payments, good.replace("ctx.set(", "ctx.set((("));
    const [broken] = await eslint.lintText(readFileSync(payments, "utf8"), { filePath: payments });
    expect(broken!.messages[0]!.fatal).toBe(true);
    // The other file still sees the cycle through the last facts that parsed…
    expect(await deadlockLines(eslint, orders, saved)).toEqual([9]);
    // …until the file parses again, with a change that breaks the cycle.
    writeFileSync(payments, good.replace(CLOSING_WAIT, "0"));
    expect(await deadlockLines(eslint, orders, saved)).toEqual([]);
  });

  it("parses each unchanged file from disk once across many lints", async () => {
    const dir = copyFixture();
    const eslint = editorEslint(dir, 0);
    for (let i = 0; i < 5; i++) {
      const results = await eslint.lintFiles(["src/**/*.ts"]);
      expect(results.flatMap((r) => r.messages.map((m) => m.line)).sort((a, b) => a - b)).toEqual([8, 9]);
    }
    const index = ProjectIndex.for({ root: dir, base: dir });
    const counts = [...index.parses.values()];
    // The first file linted needs the other before ESLint reaches it; the other's own lint hands
    // over ESLint's model, which the index keeps: it is never parsed from disk.
    expect(counts).toEqual([1]);
  });
});
