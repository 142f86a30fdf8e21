import rule from "../../rules/no-native-promise-combinators.js";
import { ruleTester, ts } from "../rule-tester.js";

const svc = (body: string) => ts`export const s = restate.service({ name: "S", handlers: {
  h: async (ctx: restate.Context, ids: string[]) => {
${body}
  } } });`;

/** A service whose handler runs `body`, after the helper functions `helpers`. */
const withHelpers = (helpers: string, body: string) => ts`${helpers}
export const s = restate.service({ name: "S", handlers: {
  h: async (ctx: restate.Context, ids: string[]) => {
${body}
  } } });`;

const concurrent = (method: string, what: string, replacement = "restate.RestatePromise") => ({
  messageId: "concurrentRestateWork" as const,
  data: { method, what, replacement },
});

const err = (method: string, output: string | null, replacement = "restate.RestatePromise") => ({
  messageId: "nativeCombinator" as const,
  data: { method, replacement },
  suggestions: output === null ? [] : [{ messageId: "useRestatePromise" as const, data: { method, replacement }, output }],
});

ruleTester().run("no-native-promise-combinators", rule, {
  valid: [
    // Already the Restate combinator.
    svc(`    await restate.RestatePromise.all([ctx.run(() => 1), ctx.sleep(10)]);`),
    // Promises collected in an array, then combined the Restate way.
    svc(`    const ps = [];
    for (const id of ids) ps.push(ctx.serviceClient(other).get(id));
    await restate.RestatePromise.all(ps);`),
    // Plain fetches combined inside a run closure: ordinary, non-journaled work.
    svc(`    await ctx.run("fetch", () => Promise.all(ids.map((id) => fetch("https://x/" + id))));`),
    // Inside a run closure, Restate operations are no-context-in-run's finding, not this rule's.
    svc(`    await ctx.run("x", () => Promise.all([ctx.sleep(1), ctx.sleep(2)]));`),
    // Not Restate promises: plain I/O, and async callbacks that only await Restate work inside.
    svc(`    await Promise.all([fetch("a"), fetch("b")]);`),
    svc(`    await Promise.all(ids.map(async (id) => { const r = await ctx.run(() => id); return r.length; }));`),
    // A send handle is not a promise.
    svc(`    await Promise.all([ctx.serviceSendClient(other).ping(1)]);`),
    // A local `Promise` is not the global one.
    svc(`    const Promise = restate.RestatePromise;
    await Promise.all([ctx.sleep(1), ctx.sleep(2)]);`),
    // Array `.map` over plain values.
    svc(`    await Promise.all(ids.map((id) => fetch(id)));`),
    // Helpers given the context that do no Restate operation, or only before their first
    // `await` (issued in call order, so the journal order is fixed), or nothing async at all.
    withHelpers(
      `async function price(ctx: restate.Context, id: string) { ctx.console.info(id); return fetch("https://p/" + id + ctx.key); }
async function charge(ctx: restate.Context, id: string) { const r = await ctx.run("charge", () => pay(id)); return r.ok; }
function label(ctx: restate.Context, id: string) { return ctx.key + id; }`,
      `    await Promise.all(ids.map((id) => price(ctx, id)));
    await Promise.all(ids.map((id) => charge(ctx, id)));
    await Promise.all(ids.map((id) => label(ctx, id)));`,
    ),
    // Only one of the functions running at once has Restate operations after a wait.
    withHelpers(
      `async function stage(ctx: restate.Context, id: string) { await ctx.sleep(10); await ctx.run(id, () => id); return id; }`,
      `    await Promise.all([stage(ctx, "a"), fetch("x")]);`,
    ),
    // Code that does not import Restate.
    `const ctx = { run: (f: () => number) => Promise.resolve(f()) };
     export async function h() { await Promise.all([ctx.run(() => 1), ctx.run(() => 2)]); }`,
  ],
  invalid: [
    {
      code: svc(`    const [a, b] = await Promise.all([ctx.serviceClient(other).get("a"), ctx.run(() => 2)]);`),
      errors: [
        err(
          "all",
          svc(`    const [a, b] = await restate.RestatePromise.all([ctx.serviceClient(other).get("a"), ctx.run(() => 2)]);`),
        ),
      ],
    },
    {
      // An awakeable raced against a timeout sleep.
      code: svc(`    const { id, promise } = ctx.awakeable<string>();
    await Promise.race([promise, ctx.sleep({ minutes: 5 })]);`),
      errors: [
        err(
          "race",
          svc(`    const { id, promise } = ctx.awakeable<string>();
    await restate.RestatePromise.race([promise, ctx.sleep({ minutes: 5 })]);`),
        ),
      ],
    },
    {
      // Through variables, `.orTimeout`, and `ctx.awakeable().promise`.
      code: svc(`    const call = ctx.serviceClient(other).get("a").orTimeout(1000);
    const aw = ctx.awakeable();
    await Promise.any([call, aw.promise]);`),
      errors: [
        err(
          "any",
          svc(`    const call = ctx.serviceClient(other).get("a").orTimeout(1000);
    const aw = ctx.awakeable();
    await restate.RestatePromise.any([call, aw.promise]);`),
        ),
      ],
    },
    {
      // An array the promises are pushed into.
      code: svc(`    const ps: Promise<unknown>[] = [];
    for (const id of ids) ps.push(ctx.run(() => id));
    await Promise.allSettled(ps);`),
      errors: [
        err(
          "allSettled",
          svc(`    const ps: Promise<unknown>[] = [];
    for (const id of ids) ps.push(ctx.run(() => id));
    await restate.RestatePromise.allSettled(ps);`),
        ),
      ],
    },
    {
      // `.map` whose callback returns a Restate promise.
      code: svc(`    await Promise.all(ids.map((id) => ctx.objectClient(counter, id).add(1)));`),
      errors: [err("all", svc(`    await restate.RestatePromise.all(ids.map((id) => ctx.objectClient(counter, id).add(1)));`))],
    },
    {
      // A variable holding the `.map` result.
      code: svc(`    const calls = ids.map((id) => {
      return ctx.serviceClient(other).get(id).map((v) => v ?? 0);
    });
    return Promise.all(calls);`),
      errors: [
        err(
          "all",
          svc(`    const calls = ids.map((id) => {
      return ctx.serviceClient(other).get(id).map((v) => v ?? 0);
    });
    return restate.RestatePromise.all(calls);`),
        ),
      ],
    },
    {
      // Attach and signals.
      code: svc(`    await Promise.race([ctx.invocation(ids[0] as restate.InvocationId).attach(), ctx.signal("stop")]);`),
      errors: [
        err("race", svc(`    await restate.RestatePromise.race([ctx.invocation(ids[0] as restate.InvocationId).attach(), ctx.signal("stop")]);`)),
      ],
    },
    {
      // A mix with a plain promise: `RestatePromise.all` would throw on it, so no suggestion.
      code: svc(`    await Promise.all([ctx.run(() => 1), fetch("x")]);`),
      errors: [err("all", null)],
    },
    {
      // `async` callbacks return native promises: reported, but no suggestion.
      code: svc(`    await Promise.all(ids.map(async (id) => ctx.run(() => id)));`),
      errors: [err("all", null)],
    },
    {
      // The array escapes to a helper that could add anything: no suggestion.
      code: svc(`    const ps = [ctx.sleep(1)];
    addMore(ps);
    await Promise.all(ps);`),
      errors: [err("all", null)],
    },
    {
      // Workflow durable promises: `.get()` is a RestatePromise, the bare durable promise is not.
      code: ts`export const w = restate.workflow({ name: "W", handlers: {
  run: async (ctx: restate.WorkflowContext) => {
    await Promise.race([ctx.promise<string>("approved").get(), ctx.sleep(1000)]);
    await Promise.race([ctx.promise<string>("approved"), ctx.sleep(1000)]);
  } } });`,
      errors: [
        err(
          "race",
          ts`export const w = restate.workflow({ name: "W", handlers: {
  run: async (ctx: restate.WorkflowContext) => {
    await restate.RestatePromise.race([ctx.promise<string>("approved").get(), ctx.sleep(1000)]);
    await Promise.race([ctx.promise<string>("approved"), ctx.sleep(1000)]);
  } } });`,
        ),
        err("race", null),
      ],
    },
    {
      // Named import of RestatePromise.
      code: `import { service, RestatePromise, type Context } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await Promise.all([ctx.sleep(1), ctx.sleep(2)]); } } });`,
      errors: [
        err(
          "all",
          `import { service, RestatePromise, type Context } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await RestatePromise.all([ctx.sleep(1), ctx.sleep(2)]); } } });`,
          "RestatePromise",
        ),
      ],
    },
    {
      // SDK < 1.6 code: CombineablePromise is what exists.
      code: `import { service, CombineablePromise, type Context } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await Promise.all([ctx.sleep(1), ctx.sleep(2)]); } } });`,
      errors: [
        err(
          "all",
          `import { service, CombineablePromise, type Context } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await CombineablePromise.all([ctx.sleep(1), ctx.sleep(2)]); } } });`,
          "CombineablePromise",
        ),
      ],
    },
    {
      // No binding reaches RestatePromise: report without a suggestion.
      code: `import { service, type Context } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await Promise.all([ctx.sleep(1), ctx.sleep(2)]); } } });`,
      errors: [err("all", null, "RestatePromise")],
    },
    {
      // Local async helpers given the context, each doing Restate operations after a wait.
      code: withHelpers(
        `async function executeStage(ctx: restate.Context, id: string) {
  const input = await ctx.run("load", () => load(id));
  return ctx.serviceClient(stages).run(input);
}`,
        `    await Promise.all(ids.map((id) => executeStage(ctx, id)));`,
      ),
      errors: [concurrent("all", "`executeStage`")],
    },
    {
      // An async callback, a helper reached through another one, and a helper awaiting in a loop.
      code: withHelpers(
        `async function executeStage(c: restate.Context, id: string) { await prepare(id); return runStep(c, id); }
function runStep(c: restate.Context, id: string) { return c.run(id, () => id); }
async function each(c: restate.Context, ids: string[]) { for (const id of ids) await c.run(id, () => id); }`,
        `    await Promise.allSettled(ids.map(async (id) => { await ctx.sleep(10); return ctx.run(id, () => id); }));
    const ps = [];
    for (const id of ids) ps.push(executeStage(ctx, id));
    await Promise.race(ps);
    await Promise.all([each(ctx, ids), each(ctx, ids.slice(1))]);`,
      ),
      errors: [concurrent("allSettled", "the `async` callback"), concurrent("race", "`executeStage`"), concurrent("all", "`each`")],
    },
    {
      // A local function that sees the handler's context, passed by name or called without it.
      code: svc(`    const stage = async (id: string) => { await ctx.sleep(1); return ctx.run(id, () => id); };
    await Promise.all(ids.map(stage));
    await Promise.any(ids.map((id) => stage(id)));`),
      errors: [concurrent("all", "`stage`"), concurrent("any", "`stage`")],
    },
    {
      // A helper that returns a Restate promise is one: the Restate combinator takes it.
      code: withHelpers(
        `function get(c: restate.Context, id: string) { return c.serviceClient(other).get(id); }`,
        `    await Promise.all(ids.map((id) => get(ctx, id)));`,
      ),
      errors: [
        err(
          "all",
          withHelpers(
            `function get(c: restate.Context, id: string) { return c.serviceClient(other).get(id); }`,
            `    await restate.RestatePromise.all(ids.map((id) => get(ctx, id)));`,
          ),
        ),
      ],
    },
    {
      // A helper that receives ctx.
      code: ts`async function both(ctx: restate.Context) {
  return Promise.all([ctx.run(() => 1), ctx.run(() => 2)]);
}`,
      errors: [err("all", ts`async function both(ctx: restate.Context) {
  return restate.RestatePromise.all([ctx.run(() => 1), ctx.run(() => 2)]);
}`)],
    },
  ],
});
