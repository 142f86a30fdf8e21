import { describe, expect, it } from "vitest";
import { SDK, extract } from "./extract.js";

const COUNTER = `import { counter } from "./counter";`;

/** `from` and `via` of every call, as "Svc.h via a > b" strings, in source order. */
function origins(code: string): string[] {
  return extract(code)
    .calls.slice()
    .sort((a, b) => a.loc.line - b.loc.line || a.loc.column - b.loc.column)
    .map((c) => `L${c.loc.line} ${c.from ? `${c.from.service}.${c.from.handler}` : "none"}${c.via.length ? ` via ${c.via.join(" > ")}` : ""}`);
}

describe("helpers that receive ctx count as inside the handler", () => {
  it("a function declaration", () => {
    expect(
      origins(`${SDK}${COUNTER}
async function bump(ctx: restate.ObjectContext, n: number) { await ctx.objectClient(counter, ctx.key).add(n); }
export const o = restate.object({ name: "O", handlers: { h: async (ctx: restate.ObjectContext) => { await bump(ctx, 1); } } });`),
    ).toEqual(["L3 O.h via bump"]);
  });

  it("a const arrow, with ctx in another position and renamed", () => {
    const m = extract(`${SDK}${COUNTER}
const bump = async (n: number, c: restate.ObjectContext) => { await c.objectClient(counter, c.key).add(n); };
export const o = restate.object({ name: "O", handlers: { h: async (ctx: restate.ObjectContext) => { await bump(1, ctx); } } });`);
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]).toMatchObject({ from: { service: "O", handler: "h" }, via: ["bump"], key: { kind: "sameAsCaller" } });
  });

  it("an untyped helper (JavaScript style) is followed too", () => {
    expect(
      origins(`${SDK}${COUNTER}
function bump(ctx) { return ctx.serviceClient(counter).ping(); }
export const s = restate.service({ name: "S", handlers: { h: async (ctx) => { await bump(ctx); } } });`),
    ).toEqual(["L3 S.h via bump"]);
  });

  it("a helper declared inside the handler", () => {
    expect(
      origins(`${SDK}${COUNTER}
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => {
  async function inner(c: restate.Context) { await c.serviceClient(counter).ping(); }
  await inner(ctx);
} } });`),
    ).toEqual(["L4 S.h via inner"]);
  });

  it("`this.other(ctx)` in the handler map is a local call of the other handler's function", () => {
    expect(
      origins(`${SDK}${COUNTER}
export const o = restate.object({ name: "O", handlers: {
  async h(ctx: restate.ObjectContext) { await this.other(ctx, 1); },
  other: async (ctx: restate.ObjectContext, n: number) => { await ctx.objectClient(counter, ctx.key).add(n); },
} });`),
    ).toEqual(["L5 O.h via other", "L5 O.other"]);
  });

  it("a helper called without ctx is not part of the handler", () => {
    const m = extract(`${SDK}${COUNTER}
function notAHelper(c: restate.Context) { return c.serviceClient(counter).ping(); }
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => { await notAHelper(otherCtx); } } });`);
    // Still analysed (its parameter is a Restate context), but with no handler to attribute it to.
    expect(m.calls.map((c) => [c.from, c.via])).toEqual([[null, []]]);
  });

  it("goes three helpers deep, not further", () => {
    expect(
      origins(`${SDK}${COUNTER}
async function a(ctx: restate.Context) { await b(ctx); await ctx.serviceClient(counter).a(); }
async function b(ctx: restate.Context) { await c(ctx); await ctx.serviceClient(counter).b(); }
async function c(ctx: restate.Context) { await d(ctx); await ctx.serviceClient(counter).c(); }
async function d(ctx: restate.Context) { await ctx.serviceClient(counter).d(); }
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => { await a(ctx); } } });`),
    ).toEqual([
      "L3 S.h via a",
      "L4 S.h via a > b",
      "L5 S.h via a > b > c",
      // Beyond the depth limit: analysed on its own, not attributed to the handler.
      "L6 none",
    ]);
  });

  it("recursion does not loop: a helper calling itself is analysed once per handler", () => {
    const m = extract(`${SDK}${COUNTER}
async function retry(ctx: restate.Context, n: number): Promise<void> {
  await ctx.sleep(100);
  if (n > 0) await retry(ctx, n - 1);
}
async function ping(ctx: restate.Context): Promise<void> { await pong(ctx); await ctx.serviceClient(counter).ping(); }
async function pong(ctx: restate.Context): Promise<void> { await ping(ctx); }
export const s = restate.service({ name: "S", handlers: {
  h: async (ctx: restate.Context) => { await retry(ctx, 3); await ping(ctx); },
} });`);
    expect(m.sleeps.map((s) => [s.from, s.via])).toEqual([[{ service: "S", handler: "h" }, ["retry"]]]);
    expect(m.calls.map((c) => [c.from, c.via])).toEqual([[{ service: "S", handler: "h" }, ["ping"]]]);
  });

  it("the same helper used by two handlers is attributed to each", () => {
    expect(
      origins(`${SDK}${COUNTER}
async function bump(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).add(1); }
export const o = restate.object({ name: "O", handlers: {
  a: async (ctx: restate.ObjectContext) => { await bump(ctx); },
  b: async (ctx: restate.ObjectContext) => { await bump(ctx); },
} });`),
    ).toEqual(["L3 O.a via bump", "L3 O.b via bump"]);
  });

  it("scopes list the handler and each helper with its ctx name", () => {
    const m = extract(`${SDK}${COUNTER}
const bump = async (c: restate.Context) => {};
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => { await bump(ctx); } } });`);
    expect(m.scopes.map((s) => [s.from, s.via, s.ctxName])).toEqual([
      [{ service: "S", handler: "h" }, [], "ctx"],
      [{ service: "S", handler: "h" }, ["bump"], "c"],
    ]);
  });

  it("a nested function with its own ctx parameter is not the handler's ctx", () => {
    const m = extract(`${SDK}${COUNTER}
export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => {
  const later = (ctx: unknown) => (ctx as any).serviceClient(counter).ping();
  await ctx.serviceClient(counter).direct();
} } });`);
    expect(m.calls.map((c) => c.handler)).toEqual(["direct"]);
  });
});
