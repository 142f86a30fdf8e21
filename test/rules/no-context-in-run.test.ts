import rule from "../../rules/no-context-in-run.js";
import { ruleTester, ts } from "../rule-tester.js";

const obj = (body: string, before = "") => ts`${before}export const cart = restate.object({ name: "Cart", handlers: {
  checkout: async (ctx: restate.ObjectContext) => {
${body}
  } } });`;

const err = (use: string, line?: number) => ({ messageId: "contextInRun" as const, data: { use, run: "ctx.run" }, ...(line ? { line } : {}) });

ruleTester().run("no-context-in-run", rule, {
  valid: [
    // The key, the request and logging are fine inside the closure.
    obj(`    await ctx.run("charge", async () => {
      ctx.console.info("charging", ctx.key, ctx.request().id);
      return fetch("https://pay/" + ctx.key);
    });`),
    // Restate operations before and after the run, values passed in and out.
    obj(`    const items = await ctx.get<string[]>("items");
    const total = await ctx.run("total", () => price(items));
    ctx.set("total", total);`),
    // Plain promises combined inside the closure.
    obj(`    await ctx.run("fetch", () => Promise.all([fetch("a"), fetch("b")]));`),
    // A closure declaring its own `ctx` parameter shadows the handler's.
    obj(`    await ctx.run("x", () => withClient((ctx) => ctx.get("k")));`),
    // A helper that receives ctx but only reads the key.
    obj(`    await ctx.run("x", () => keyOf(ctx));`, `function keyOf(c: restate.ObjectContext) { return c.key; }\n`),
    // Date.now() inside ctx.run is what the rule no-nondeterministic-call asks for.
    obj(`    const now = await ctx.run(() => Date.now());`),
    // A run wrapper whose action leaves the context alone, and a helper that calls the function
    // it is given outside any run.
    obj(
      `    await runStep(ctx, "fetch", async () => fetch("https://stock/" + ctx.key));
    await logged(ctx, () => ctx.get("items"));`,
      `function runStep(ctx: restate.Context, name: string, fn: () => Promise<unknown>) { return ctx.run(name, fn); }
async function logged(ctx: restate.Context, fn: () => Promise<unknown>) { ctx.console.info("step"); return fn(); }\n`,
    ),
    // A global does no Restate work with the context; a local helper given `{ ctx }` reads only the key.
    obj(
      `    await ctx.run("x", () => { console.log(ctx); return keyed({ ctx, n: 1 }); });`,
      `function keyed({ ctx }: { ctx: restate.ObjectContext; n: number }) { return ctx.key; }\n`,
    ),
    // Code not importing Restate.
    `const ctx = { run: (f: () => unknown) => f(), get: (k: string) => k };
     export async function h() { await ctx.run(() => ctx.get("x")); }`,
  ],
  invalid: [
    {
      code: obj(`    await ctx.run("charge", async () => {
      const items = await ctx.get<string[]>("items");
      ctx.set("charged", true);
      return items;
    });`),
      errors: [err("`ctx.get`", 5), err("`ctx.set`", 6)],
    },
    {
      // Nested run, sleep, random and clock.
      code: obj(`    await ctx.run(async () => {
      await ctx.sleep(1000);
      await ctx.run(() => 1);
      const r = ctx.rand.uuidv4();
      const t = await ctx.date.now();
    });`),
      errors: [err("`ctx.sleep`"), err("`ctx.run`"), err("`ctx.rand`"), err("`ctx.date`")],
    },
    {
      // Calls and sends from inside the closure.
      code: obj(`    await ctx.run("notify", () => {
      ctx.serviceSendClient(mailer).send("hi");
      return ctx.objectClient(stock, "x").reserve(1);
    });`),
      errors: [err("`ctx.serviceSendClient`"), err("`ctx.objectClient`")],
    },
    {
      // A local action passed by name, and a wrapper around the action.
      code: obj(`    const action = async () => ctx.get("a");
    await ctx.run("a", action);
    await ctx.run("b", withRetry(() => ctx.set("b", 1)));`),
      errors: [err("`ctx.get`", 4), err("`ctx.set`", 6)],
    },
    {
      // Destructuring the context inside the closure.
      code: obj(`    await ctx.run(() => { const { set } = ctx; set("x", 1); });`),
      errors: [err("`ctx.set`")],
    },
    {
      // Passing ctx to a helper that uses it.
      code: obj(`    await ctx.run("save", () => save(ctx));`, `function save(c: restate.ObjectContext) { c.set("saved", true); }\n`),
      errors: [err("Passing `ctx` to `save`, which uses `.set`,")],
    },
    {
      // An action handed to a local wrapper that runs it with `ctx.run`.
      code: obj(
        `    await runWithOptions(ctx, "step", async () => {
      const items = await ctx.get<string[]>("items");
      return items;
    });`,
        `async function runWithOptions<T>(ctx: restate.Context, name: string, fn: () => Promise<T>, options?: object) {
  if (options) return ctx.run(name, fn, options);
  return ctx.run(name, fn);
}\n`,
      ),
      errors: [err("`ctx.get`", 9)],
    },
    {
      // A wrapper of that wrapper, and a context taken out of another object: the step code the
      // closure hands it to runs inside the run.
      code: ts`async function runWithOptions<T>(ctx: restate.Context, name: string, fn: () => Promise<T>) {
  return ctx.run(name, fn);
}
function step<T>(c: restate.Context, name: string, f: () => Promise<T>) {
  return runWithOptions(c, name, () => f());
}
export function createStep<I>(opts: { name: string; run: (a: { ctx: restate.Context; input: I }) => Promise<unknown> }) {
  return async (saga: { ctx: restate.Context }, input: I) => {
    const { ctx } = saga;
    await runWithOptions(ctx, opts.name, async () => opts.run({ ctx, input }));
    await step(ctx, opts.name, async () => ctx.sleep(10));
  };
}`,
      errors: [err("Passing `ctx` to `opts.run`, code this rule cannot see into,", 11), err("`ctx.sleep`", 12)],
    },
    {
      // Passing the context inside an object to a local helper that uses it.
      code: obj(
        `    await ctx.run("save", () => save({ ctx, value: 1 }));`,
        `function save({ ctx }: { ctx: restate.ObjectContext; value: number }) { ctx.set("v", 1); }\n`,
      ),
      errors: [err("Passing `ctx` to `save`, which uses `.set`,")],
    },
    {
      // In a helper that receives ctx, under its own name.
      code: ts`async function charge(c: restate.Context) {
  return c.run("charge", () => c.serviceClient(payments).charge(1));
}`,
      errors: [err("`c.serviceClient`")],
    },
  ],
});
