import { describe, expect, it } from "vitest";
import { extract, inHandler, onlyCall, onlySleep } from "./extract.js";

const COUNTER = `import { counter } from "./counter";`;

/** The usage of the single `add` call in a handler body. */
function usageOf(body: string): string {
  return onlyCall(extract(inHandler(body, COUNTER))).usage;
}

describe("what the handler does with a call's promise", () => {
  it.each([
    ["awaited", `await ctx.objectClient(counter, "k").add(1);`],
    ["awaited", `const r = await ctx.objectClient(counter, "k").add(1);`],
    ["awaited", `await (ctx.objectClient(counter, "k").add(1) as Promise<number>);`],
    ["returned", `return ctx.objectClient(counter, "k").add(1);`],
    ["returned", `return cond ? ctx.objectClient(counter, "k").add(1) : 0;`],
    ["combined", `await restate.RestatePromise.all([ctx.objectClient(counter, "k").add(1), other]);`],
    ["combined", `await restate.RestatePromise.race([ctx.objectClient(counter, "k").add(1), ctx.sleep(10)]);`],
    ["combined", `await Promise.all([ctx.objectClient(counter, "k").add(1)]);`],
    ["combined", `await restate.CombineablePromise.any([ctx.objectClient(counter, "k").add(1)]);`],
    ["combined", `await restate.RestatePromise.all([1, 2].map((i) => ctx.objectClient(counter, "k").add(i)));`],
    ["combined", `const ps = [1, 2].map((i) => ctx.objectClient(counter, "k").add(i));\nawait restate.RestatePromise.all(ps);`],
    ["combined", `const ps = [];\nfor (const i of [1, 2]) ps.push(ctx.objectClient(counter, "k").add(i));\nawait restate.RestatePromise.all(ps);`],
    ["combined", `const ps = [ctx.objectClient(counter, "k").add(1)];\nawait Promise.all(ps);`],
    ["stored-awaited", `const p = ctx.objectClient(counter, "k").add(1);\nawait p;`],
    ["stored-awaited", `const p = ctx.objectClient(counter, "k").add(1);\nawait restate.RestatePromise.all([p]);`],
    ["stored-awaited", `let p;\np = ctx.objectClient(counter, "k").add(1);\nreturn p;`],
    ["stored-awaited", `if (cond) { var p = ctx.objectClient(counter, "k").add(1); }\nawait p;`],
    ["stored-awaited", `let p;\nif (cond) { p = ctx.objectClient(counter, "k").add(1); }\nawait p;`],
    ["stored", `const p = ctx.objectClient(counter, "k").add(1);`],
    // Handed to other code: whether it is awaited there is not known.
    ["passed", `const p = ctx.objectClient(counter, "k").add(1);\ntrack(p);`],
    ["passed", `const p = ctx.objectClient(counter, "k").add(1);\nreturn { p };`],
    ["passed", `this.pending = ctx.objectClient(counter, "k").add(1);`],
    ["stored", `const p = ctx.objectClient(counter, "k").add(1);\nconst id = await p.invocationId;`],
    ["stored", `const ps = [];\nps.push(ctx.objectClient(counter, "k").add(1));`],
    ["floating", `ctx.objectClient(counter, "k").add(1);`],
    ["floating", `ctx.objectClient(counter, "k").add(1).orTimeout(100);`],
    ["voided", `void ctx.objectClient(counter, "k").add(1);`],
    ["passed", `track(ctx.objectClient(counter, "k").add(1));`],
  ])("%s: %s", (expected, body) => {
    expect(usageOf(body)).toBe(expected);
  });

  it("a `.map` callback whose result is thrown away is floating", () => {
    expect(usageOf(`[1, 2].map((i) => ctx.objectClient(counter, "k").add(i));`)).toBe("floating");
  });

  it("a promise stored in an inner function's variable of the same name as an awaited one stays stored", () => {
    const m = extract(
      inHandler(
        `    const p = ctx.objectClient(counter, "k").add(1);
    const f = () => { const p = 1; return p; };`,
        COUNTER,
      ),
    );
    expect(onlyCall(m).usage).toBe("stored");
  });
});

describe("sleeps", () => {
  function sleepOf(body: string, prelude = "") {
    return onlySleep(extract(inHandler(body, prelude)));
  }

  it.each([
    [`await ctx.sleep(1000);`, 1000, "1000"],
    [`await ctx.sleep(5 * 60 * 1000);`, 300_000, "5 * 60 * 1000"],
    [`await ctx.sleep(MINUTE * 2 + 1);`, 120_001, "MINUTE * 2 + 1"],
    [`await ctx.sleep({ hours: 1, minutes: 30 });`, 5_400_000, "{ hours: 1, minutes: 30 }"],
    [`await ctx.sleep({ seconds: 2, milliseconds: 5 }, "named");`, 2005, "{ seconds: 2, milliseconds: 5 }"],
    [`await ctx.sleep(DAY);`, 86_400_000, "DAY"],
    [`const local = 3000;\nawait ctx.sleep(local);`, 3000, "local"],
    [`await ctx.sleep(later);`, null, "later"],
    [`await ctx.sleep(input.ms);`, null, "input.ms"],
    [`await ctx.sleep({ weeks: 1 });`, null, "{ weeks: 1 }"],
  ])("%s", (body, ms, text) => {
    const s = sleepOf(body, `const MINUTE = 60_000;\nconst DAY = { days: 1 };\nlet later = 5;`);
    expect(s).toMatchObject({ durationMs: ms, durationText: text, from: { service: "S", handler: "h" }, via: [] });
  });

  it("usage of sleeps: awaited, floating, combined, stored-awaited", () => {
    const m = extract(
      inHandler(`    await ctx.sleep(1);
    ctx.sleep(2);
    await restate.RestatePromise.race([ctx.sleep(3), ctx.awakeable().promise]);
    const t = ctx.sleep(4);
    await t;`),
    );
    expect(m.sleeps.map((s) => [s.durationMs, s.usage])).toEqual([
      [1, "awaited"],
      [2, "floating"],
      [3, "combined"],
      [4, "stored-awaited"],
    ]);
  });

  it("a sleep on something that is not the context is not a sleep", () => {
    const m = extract(inHandler(`    await timers.sleep(1000);\n    await sleep(1000);`));
    expect(m.sleeps).toEqual([]);
  });
});
