import rule from "../../rules/no-nondeterministic-call.js";
import { ruleTester, ts } from "../rule-tester.js";

const svc = (body: string, before = "") => ts`${before}export const orders = restate.object({ name: "Orders", handlers: {
  place: async (ctx: restate.ObjectContext, n: number) => {
${body}
  } } });`;

const problem =
  "returns a different value on every replay of this invocation, so code that depends on it can take a path the journal does not match (RT0016)";
const timerProblem =
  "is not durable: the timer is lost when the invocation suspends or moves to another process, and is armed again on every replay";
const advice = {
  now: "Use `await ctx.date.now()` (journaled), or read the clock inside `ctx.run`.",
  newDate: "Use `new Date(await ctx.date.now())` (journaled), or create it inside `ctx.run`.",
  random: "Use `ctx.rand.random()`: seeded by the invocation, it repeats the same sequence on replay.",
  uuid: "Use `ctx.rand.uuidv4()` (deterministic per invocation, not for secrets), or generate it inside `ctx.run`.",
  perf: "Measure inside `ctx.run`, or use `await ctx.date.now()`.",
  timer: "Use `await ctx.sleep(ms)` (a durable timer), or a delayed send for work that should happen later.",
};
const data = (call: string, where: string, adv: string, prob = problem) => ({ call, where, problem: prob, advice: adv });
const suggestion = (replacement: string, output: string) => [
  { messageId: "useDeterministic" as const, data: { replacement }, output },
];

ruleTester().run("no-nondeterministic-call", rule, {
  valid: [
    // A random idempotency key is restate/valid-idempotency-key's finding, not reported twice.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(s).h(restate.rpc.opts({ idempotencyKey: crypto.randomUUID() }));
      } } });`,
    // So is any clock or random value in a key it reports: inside a template, a concatenation, or a
    // `const` read only by keys.
    svc(`    await ctx.serviceClient(pay).charge(n, restate.rpc.opts({ idempotencyKey: \`order-\${Date.now()}\` }));
    ctx.genericSend({ service: "Mail", method: "send", parameter: n, idempotencyKey: "m-" + Math.random() + "-" + Date.now() });
    const key = \`ship-\${new Date().toISOString()}\`;
    ctx.serviceSendClient(ship).send(n, restate.rpc.sendOpts({ idempotencyKey: key }));`),
    // A value that reaches nothing but the handler's result: the result is written once, when the
    // invocation ends, and nothing journaled depends on it.
    svc(`    return { at: Date.now(), id: crypto.randomUUID() };`),
    svc(`    const now = Date.now();
    const count = (await ctx.get<number>("count")) ?? 0;
    return { count, remainingMs: now > 5 ? now - 5 : 0 };`),
    svc(
      `    const tokens = advance((await ctx.get<number>("tokens")) ?? 0, Date.now());
    return tokens;`,
      `function advance(tokens: number, now: number) { return tokens + now; }\n`,
    ),
    svc(`    return stamp();`, `function stamp() { return new Date().toISOString(); }\n`),
    ts`export const o = restate.object({ name: "O", handlers: {
      status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => Date.now() - ((await ctx.get<number>("at")) ?? 0)),
    } });`,
    // A value that reaches nothing but log lines: a log line is no journal entry.
    svc(
      `    const t0 = Date.now();
    const start = performance.now();
    const v = await ctx.get<number>("v");
    ctx.console.log(\`took \${Date.now() - t0}ms\`);
    console.info("elapsed", performance.now() - start, v);
    logger.debug({ at: new Date().toISOString() }, "done");
    return v;`,
      `import { logger } from "./logging";\n`,
    ),
    // Logged in a helper that gets the context, and in one the handler calls without it.
    ts`async function audit(ctx: restate.Context, n: number) {
      const t0 = Date.now();
      await ctx.run("a", () => n);
      ctx.console.info(\`audit took \${Date.now() - t0}\`);
    }
    function trace(step: string) { console.debug(step, Date.now()); }
    export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, n: number) => { trace("h"); await audit(ctx, n); },
    } });`,
    // Inside ctx.run the result is journaled once.
    svc(`    const t = await ctx.run(() => Date.now());
    const id = await ctx.run("id", async () => crypto.randomUUID());
    const r = await ctx.run("r", () => Math.random(), { maxRetryAttempts: 3 });`),
    // An action given to a local wrapper that runs it with ctx.run.
    svc(
      `    const t = await runStep(ctx, "t", async () => Date.now());`,
      `function runStep<T>(ctx: restate.Context, name: string, fn: () => Promise<T>) { return ctx.run(name, fn); }\n`,
    ),
    // A local function passed to ctx.run by name, and a wrapper around the action.
    svc(`    const stamp = () => new Date().toISOString();
    await ctx.run("stamp", stamp);
    await ctx.run("retry", withRetry(() => Date.now()));`),
    // The deterministic APIs.
    svc(`    const t = await ctx.date.now();
    const r = ctx.rand.random();
    const id = ctx.rand.uuidv4();
    await ctx.sleep(1000);`),
    // `new Date(x)` with an argument is not the clock.
    svc(`    const d = new Date(n);
    return d.toISOString();`),
    // Shadowed globals and unrelated imports.
    svc(`    const Math = { random: () => 4 };
    return Math.random();`),
    svc(`    return randomUUID();`, `import { randomUUID } from "./ids";\n`),
    // A helper called only inside ctx.run.
    svc(`    return ctx.run(() => makeId());`, `function makeId() { return crypto.randomUUID(); }\n`),
    // Not a handler.
    ts`export function nowish() { return Date.now(); }`,
    // Code not importing Restate.
    `export const handlers = { place: async (ctx: { run: unknown }) => Date.now() };`,
  ],
  invalid: [
    {
      // The clock value also decides a branch, and a random key for an API Restate does not see:
      // no key finding covers them.
      code: svc(`    const now = Date.now();
    if (now % 2 === 0) ctx.set("even", true);
    await ctx.serviceClient(pay).charge(n, restate.rpc.opts({ idempotencyKey: \`order-\${now}\` }));
    await stripe.charges.create({ amount: n }, { idempotencyKey: crypto.randomUUID() });`),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("Date.now()", "Orders.place", advice.now),
          line: 4,
          suggestions: suggestion(
            "await ctx.date.now()",
            svc(`    const now = await ctx.date.now();
    if (now % 2 === 0) ctx.set("even", true);
    await ctx.serviceClient(pay).charge(n, restate.rpc.opts({ idempotencyKey: \`order-\${now}\` }));
    await stripe.charges.create({ amount: n }, { idempotencyKey: crypto.randomUUID() });`),
          ),
        },
        {
          messageId: "nondeterministicCall",
          data: data("crypto.randomUUID()", "Orders.place", advice.uuid),
          line: 7,
          suggestions: suggestion(
            "ctx.rand.uuidv4()",
            svc(`    const now = Date.now();
    if (now % 2 === 0) ctx.set("even", true);
    await ctx.serviceClient(pay).charge(n, restate.rpc.opts({ idempotencyKey: \`order-\${now}\` }));
    await stripe.charges.create({ amount: n }, { idempotencyKey: ctx.rand.uuidv4() });`),
          ),
        },
      ],
    },
    {
      code: svc(`    const createdAt = Date.now();
    ctx.set("createdAt", createdAt);`),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("Date.now()", "Orders.place", advice.now),
          suggestions: suggestion(
            "await ctx.date.now()",
            svc(`    const createdAt = await ctx.date.now();
    ctx.set("createdAt", createdAt);`),
          ),
        },
      ],
    },
    {
      // Parenthesised when the value is used as an object.
      code: svc(`    ctx.set("at", Date.now().toString());`),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("Date.now()", "Orders.place", advice.now),
          suggestions: suggestion("await ctx.date.now()", svc(`    ctx.set("at", (await ctx.date.now()).toString());`)),
        },
      ],
    },
    {
      // In a non-async callback `await` is not possible: no suggestion for the clock.
      code: svc(`    return [1, 2].map(() => Date.now());`),
      errors: [{ messageId: "nondeterministicCall", data: data("Date.now()", "Orders.place", advice.now), suggestions: [] }],
    },
    {
      code: svc(`    if (Math.random() < 0.5) ctx.set("coin", "heads");`),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("Math.random()", "Orders.place", advice.random),
          suggestions: suggestion("ctx.rand.random()", svc(`    if (ctx.rand.random() < 0.5) ctx.set("coin", "heads");`)),
        },
      ],
    },
    {
      code: svc(
        `    const a = crypto.randomUUID();
    const b = globalThis.crypto.randomUUID();
    const c = uuid();
    const d = nodeCrypto.randomUUID();
    ctx.set("ids", [a, b, c, d]);`,
        `import { randomUUID as uuid } from "node:crypto";\nimport * as nodeCrypto from "crypto";\n`,
      ),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("crypto.randomUUID()", "Orders.place", advice.uuid),
          suggestions: suggestion(
            "ctx.rand.uuidv4()",
            svc(
              `    const a = ctx.rand.uuidv4();
    const b = globalThis.crypto.randomUUID();
    const c = uuid();
    const d = nodeCrypto.randomUUID();
    ctx.set("ids", [a, b, c, d]);`,
              `import { randomUUID as uuid } from "node:crypto";\nimport * as nodeCrypto from "crypto";\n`,
            ),
          ),
        },
        {
          messageId: "nondeterministicCall",
          data: data("globalThis.crypto.randomUUID()", "Orders.place", advice.uuid),
          suggestions: suggestion(
            "ctx.rand.uuidv4()",
            svc(
              `    const a = crypto.randomUUID();
    const b = ctx.rand.uuidv4();
    const c = uuid();
    const d = nodeCrypto.randomUUID();
    ctx.set("ids", [a, b, c, d]);`,
              `import { randomUUID as uuid } from "node:crypto";\nimport * as nodeCrypto from "crypto";\n`,
            ),
          ),
        },
        {
          messageId: "nondeterministicCall",
          data: data("uuid()", "Orders.place", advice.uuid),
          suggestions: suggestion(
            "ctx.rand.uuidv4()",
            svc(
              `    const a = crypto.randomUUID();
    const b = globalThis.crypto.randomUUID();
    const c = ctx.rand.uuidv4();
    const d = nodeCrypto.randomUUID();
    ctx.set("ids", [a, b, c, d]);`,
              `import { randomUUID as uuid } from "node:crypto";\nimport * as nodeCrypto from "crypto";\n`,
            ),
          ),
        },
        {
          messageId: "nondeterministicCall",
          data: data("nodeCrypto.randomUUID()", "Orders.place", advice.uuid),
          suggestions: suggestion(
            "ctx.rand.uuidv4()",
            svc(
              `    const a = crypto.randomUUID();
    const b = globalThis.crypto.randomUUID();
    const c = uuid();
    const d = ctx.rand.uuidv4();
    ctx.set("ids", [a, b, c, d]);`,
              `import { randomUUID as uuid } from "node:crypto";\nimport * as nodeCrypto from "crypto";\n`,
            ),
          ),
        },
      ],
    },
    {
      code: svc(`    const d = new Date();
    const t0 = performance.now();
    ctx.set("t", [d, t0]);`),
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("new Date()", "Orders.place", advice.newDate),
          suggestions: suggestion(
            "new Date(await ctx.date.now())",
            svc(`    const d = new Date(await ctx.date.now());
    const t0 = performance.now();
    ctx.set("t", [d, t0]);`),
          ),
        },
        { messageId: "nondeterministicCall", data: data("performance.now()", "Orders.place", advice.perf), suggestions: [] },
      ],
    },
    {
      // Timers: reported with advice, never rewritten.
      code: svc(`    await new Promise((resolve) => setTimeout(resolve, 1000));
    const h = setInterval(() => {}, 10);`),
      errors: [
        { messageId: "nondeterministicCall", data: data("setTimeout", "Orders.place", advice.timer, timerProblem), suggestions: [] },
        { messageId: "nondeterministicCall", data: data("setInterval", "Orders.place", advice.timer, timerProblem), suggestions: [] },
      ],
    },
    {
      code: svc(`    await sleep(100);`, `import { setTimeout as sleep } from "node:timers/promises";\n`),
      errors: [{ messageId: "nondeterministicCall", data: data("sleep", "Orders.place", advice.timer, timerProblem), suggestions: [] }],
    },
    {
      // A local helper called without ctx: reported inside the helper, with the path; ctx is not in scope there.
      code: svc(`    const id = makeId();
    ctx.set("id", id);`, `function makeId() { return "o-" + Date.now(); }\n`),
      errors: [{ messageId: "nondeterministicCall", data: data("Date.now()", "Orders.place → makeId", advice.now), suggestions: [] }],
    },
    {
      // Two levels of helpers, reached from two handlers: reported once.
      code: ts`const stamp = () => new Date();
function label(p: string) { return p + stamp().getTime(); }
export const s = restate.service({ name: "S", handlers: {
  a: async (ctx: restate.Context) => { await ctx.sleep(label("a").length); },
  b: async (ctx: restate.Context) => { await ctx.sleep(label("b").length); },
} });`,
      errors: [{ messageId: "nondeterministicCall", data: data("new Date()", "S.a → label → stamp", advice.newDate), suggestions: [] }],
    },
    {
      // A helper that receives ctx is part of the handler; the suggestion uses its ctx name.
      code: ts`async function audit(c: restate.ObjectContext, what: string) {
  c.set("at", Date.now());
}
export const o = restate.object({ name: "Orders", handlers: {
  place: async (ctx: restate.ObjectContext) => { await audit(ctx, "place"); },
} });`,
      errors: [
        {
          messageId: "nondeterministicCall",
          data: data("Date.now()", "Orders.place → audit", advice.now),
          suggestions: suggestion(
            "await c.date.now()",
            ts`async function audit(c: restate.ObjectContext, what: string) {
  c.set("at", await c.date.now());
}
export const o = restate.object({ name: "Orders", handlers: {
  place: async (ctx: restate.ObjectContext) => { await audit(ctx, "place"); },
} });`,
          ),
        },
      ],
    },
    {
      // The value decides whether a journaled operation happens, or goes into one: reported, even
      // when it is also returned.
      code: svc(`    const now = Date.now();
    if (now > 5) await ctx.sleep(1000);
    return now;`),
      errors: [
        {
          messageId: "nondeterministicCall",
          line: 4,
          suggestions: suggestion("await ctx.date.now()", svc(`    const now = await ctx.date.now();
    if (now > 5) await ctx.sleep(1000);
    return now;`)),
        },
      ],
    },
    {
      code: svc(`    const now = Date.now();
    ctx.set("at", now);
    return now;`),
      errors: [
        {
          messageId: "nondeterministicCall",
          line: 4,
          suggestions: suggestion("await ctx.date.now()", svc(`    const now = await ctx.date.now();
    ctx.set("at", now);
    return now;`)),
        },
      ],
    },
    {
      code: svc(`    return Math.random() > 0.5 ? await ctx.get<number>("a") : 0;`),
      errors: [
        {
          messageId: "nondeterministicCall",
          line: 4,
          suggestions: suggestion("ctx.rand.random()", svc(`    return ctx.rand.random() > 0.5 ? await ctx.get<number>("a") : 0;`)),
        },
      ],
    },
    {
      // Handed to a helper that gets the context, or to a closure that sees it.
      code: svc(`    const record = (t: number) => ctx.set("at", t);
    return [format(ctx, Date.now()), record(Date.now())];`),
      errors: [
        {
          messageId: "nondeterministicCall",
          line: 5,
          column: 25,
          suggestions: suggestion("await ctx.date.now()", svc(`    const record = (t: number) => ctx.set("at", t);
    return [format(ctx, await ctx.date.now()), record(Date.now())];`)),
        },
        {
          messageId: "nondeterministicCall",
          line: 5,
          column: 45,
          suggestions: suggestion("await ctx.date.now()", svc(`    const record = (t: number) => ctx.set("at", t);
    return [format(ctx, Date.now()), record(await ctx.date.now())];`)),
        },
      ],
    },
    {
      // Outside the run closure of the same handler it is still reported.
      code: svc(`    const a = await ctx.run(() => Date.now());
    const b = Date.now();
    ctx.set("b", b);`),
      errors: [
        {
          messageId: "nondeterministicCall",
          line: 5,
          data: data("Date.now()", "Orders.place", advice.now),
          suggestions: suggestion(
            "await ctx.date.now()",
            svc(`    const a = await ctx.run(() => Date.now());
    const b = await ctx.date.now();
    ctx.set("b", b);`),
          ),
        },
      ],
    },
    {
      // Logged, but also deciding a branch around a Restate operation, going into one, logged
      // through a logger written inside the function, or by a log call whose result is used.
      code: ts`function audit(ctx: restate.Context) {
      const t0 = Date.now();
      ctx.console.log(\`at \${t0}\`);
      if (Date.now() - t0 > 100) ctx.set("slow", true);
      const log = { info: (m: number) => ctx.set("m", m) };
      log.info(Date.now());
      ctx.set("at", String(console.log(Date.now())));
    }`,
      errors: [
        { messageId: "nondeterministicCall", line: 3, data: data("Date.now()", "audit", advice.now) },
        { messageId: "nondeterministicCall", line: 5, data: data("Date.now()", "audit", advice.now) },
        { messageId: "nondeterministicCall", line: 7, data: data("Date.now()", "audit", advice.now) },
        { messageId: "nondeterministicCall", line: 8, data: data("Date.now()", "audit", advice.now) },
      ],
    },
    {
      // A shadowed `console` is no log.
      code: ts`function audit(ctx: restate.Context) {
      const console = { log: (x: number) => ctx.set("x", x) };
      console.log(Date.now());
    }`,
      errors: [{ messageId: "nondeterministicCall", line: 4, data: data("Date.now()", "audit", advice.now) }],
    },
  ],
});
