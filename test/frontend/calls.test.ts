import { describe, expect, it } from "vitest";
import { SDK, callOnLine, extract, inHandler, inObjectHandler, onlyCall } from "./extract.js";

const COUNTER = `import { counter } from "./counter";`;
const counterRef = { by: "import", ref: { source: "./counter", imported: "counter" } };

describe("call forms (§2.1)", () => {
  it("typed request clients: service, object, workflow", () => {
    const m = extract(
      inHandler(
        `    await ctx.serviceClient(counter).get();
    await ctx.objectClient(counter, "k").add(1);
    await ctx.workflowClient(counter, "wf-1").run({});`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.api, c.mode, c.targetKind, c.handler, c.key])).toEqual([
      ["typed", "request", "service", "get", null],
      ["typed", "request", "object", "add", { kind: "literal", value: "k" }],
      ["typed", "request", "workflow", "run", { kind: "literal", value: "wf-1" }],
    ]);
    for (const c of m.calls) {
      expect(c).toMatchObject({ from: { service: "S", handler: "h" }, via: [], target: counterRef, usage: "awaited" });
    }
  });

  it("typed send clients: service, object, workflow", () => {
    const m = extract(
      inHandler(
        `    ctx.serviceSendClient(counter).get();
    ctx.objectSendClient(counter, "k").add(1);
    ctx.workflowSendClient(counter, "wf-1").run({});`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.api, c.mode, c.targetKind, c.handler, c.usage])).toEqual([
      ["typed", "send", "service", "get", "floating"],
      ["typed", "send", "object", "add", "floating"],
      ["typed", "send", "workflow", "run", "floating"],
    ]);
  });

  it("genericCall / genericSend: target by name, key and options inline", () => {
    const m = extract(
      inHandler(`    await ctx.genericCall({ service: "Ledger", method: "record", key: "acct", parameter: 1, idempotencyKey: "i-1" });
    ctx.genericSend({ service: "Mailer", method: "send", parameter: 1, delay: { minutes: 5 } });`),
    );
    expect(m.calls[0]).toMatchObject({
      api: "generic",
      mode: "request",
      target: { by: "name", serviceName: "Ledger" },
      handler: "record",
      key: { kind: "literal", value: "acct" },
      options: { form: "generic-inline", idempotencyKey: `"i-1"` },
      usage: "awaited",
    });
    expect(m.calls[0]?.targetKind).toBeUndefined();
    expect(m.calls[1]).toMatchObject({
      api: "generic",
      mode: "send",
      target: { by: "name", serviceName: "Mailer" },
      handler: "send",
      key: null,
      options: { form: "generic-inline", delay: "{ minutes: 5 }" },
      usage: "floating",
    });
  });

  it("genericCall with a computed service or method gives an unknown target / null handler", () => {
    const m = extract(inHandler(`    await ctx.genericCall({ service: svcName, method: m, parameter: 1 });`));
    expect(onlyCall(m)).toMatchObject({ target: { by: "unknown" }, handler: null, key: null });
  });

  it("1.17 ctx.client / ctx.sendClient on descriptors, with and without key", () => {
    const m = extract(
      inHandler(
        `    await ctx.client(counterApi, ctx.rand.uuidv4()).add(1);
    ctx.sendClient(greeterApi).greet("x");`,
        `import { iface } from "@restatedev/restate-sdk";
const counterApi = iface.object("Counter", { add: iface.json() });
const greeterApi = iface.service("Greeter", { greet: iface.json() });`,
      ),
    );
    expect(m.calls.map((c) => [c.api, c.mode, c.targetKind, c.target, c.handler, c.key])).toEqual([
      ["descriptor", "request", "object", { by: "name", serviceName: "Counter" }, "add", { kind: "fresh" }],
      ["descriptor", "send", "service", { by: "name", serviceName: "Greeter" }, "greet", null],
    ]);
  });

  it("ctx.client on an imported descriptor: kind unknown until resolved", () => {
    const m = extract(inHandler(`    await ctx.client(api, "k").add(1);`, `import { api } from "./api";`));
    expect(onlyCall(m)).toMatchObject({
      api: "descriptor",
      mode: "request",
      target: { by: "import", ref: { source: "./api", imported: "api" } },
      key: { kind: "literal", value: "k" },
    });
    expect(onlyCall(m).targetKind).toBeUndefined();
  });

  it("ctx.scope(s).* clients, inline and through a variable", () => {
    const m = extract(
      inHandler(
        `    await ctx.scope("tenant").objectClient(counter, "k").add(1);
    ctx.scope("tenant").sendClient(counter, "k").add(1);
    const scoped = ctx.scope("tenant");
    await scoped.serviceClient(counter).get();`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.api, c.mode, c.targetKind, c.handler])).toEqual([
      ["typed", "request", "object", "add"],
      ["descriptor", "send", undefined, "add"],
      ["typed", "request", "service", "get"],
    ]);
  });

  it("a client stored in a variable first", () => {
    const m = extract(
      inObjectHandler(
        `    const c = ctx.objectClient(counter, ctx.key);
    await c.add(1);
    c.get();`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.handler, c.key, c.usage, c.from])).toEqual([
      ["add", { kind: "sameAsCaller" }, "awaited", { service: "O", handler: "h" }],
      ["get", { kind: "sameAsCaller" }, "floating", { service: "O", handler: "h" }],
    ]);
  });

  it("calls on something that is not a Restate client are ignored", () => {
    const m = extract(
      inHandler(`    await fetch("x").then((r) => r.json());
    await other.objectClient(counter, "k").add(1);
    await ctx.get("state");
    const c = ctx.objectClient(counter, "k");
    const d = other.objectClient(counter, "k");
    await d.add(1);`),
    );
    expect(m.calls).toEqual([]);
  });

  it("computed handler names on a client: static ones are read, dynamic ones give a null handler", () => {
    const m = extract(
      inHandler(
        `    const c = ctx.objectClient(counter, "k");
    await c["add"](1);
    await c[ADD](2);
    await ctx.objectClient(counter, "k")[pick()](3);`,
        `${COUNTER}
const ADD = "add";`,
      ),
    );
    expect(m.calls.map((c) => [c.handler, c.mode, c.usage])).toEqual([
      ["add", "request", "awaited"],
      ["add", "request", "awaited"],
      [null, "request", "awaited"],
    ]);
  });
});

describe("call targets", () => {
  it("a definition in the same file", () => {
    const m = extract(`${SDK}
      export const counter = restate.object({ name: "Counter", handlers: { add: async (ctx: restate.ObjectContext) => {} } });
      export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => { await ctx.objectClient(counter, "k").add(1); } } });`);
    expect(onlyCall(m).target).toEqual({ by: "local", localName: "counter" });
  });

  it("a definition reached through an alias variable", () => {
    const m = extract(`${SDK}
      export const counter = restate.object({ name: "Counter", handlers: { add: async (ctx: restate.ObjectContext) => {} } });
      const target = counter;
      export const s = restate.service({ name: "S", handlers: { h: async (ctx: restate.Context) => { await ctx.objectClient(target, "k").add(1); } } });`);
    expect(onlyCall(m).target).toEqual({ by: "local", localName: "counter" });
  });

  it("an imported definition, and an alias of one", () => {
    const m = extract(inHandler(`    await ctx.objectClient(counter, "k").add(1);\n    await ctx.objectClient(alias, "k").add(1);`, `${COUNTER}\nconst alias = counter;`));
    expect(m.calls.map((c) => c.target)).toEqual([counterRef, counterRef]);
  });

  it("a namespace-imported definition (ns.counter)", () => {
    const m = extract(inHandler(`    await ctx.objectClient(defs.counter, "k").add(1);`, `import * as defs from "./defs";`));
    expect(onlyCall(m).target).toEqual({ by: "import", ref: { source: "./defs", imported: "counter" } });
  });

  it("`{ name: \"X\" }` with a type argument, inline and in a const", () => {
    const m = extract(
      inHandler(
        `    await ctx.objectClient<Counter>({ name: "Counter" }, "k").add(1);
    const Ledger: LedgerApi = { name: "Ledger" };
    await ctx.serviceClient<LedgerApi>(Ledger).record(1);`,
        `import type { Counter, LedgerApi } from "./types";`,
      ),
    );
    expect(m.calls.map((c) => c.target)).toEqual([
      { by: "name", serviceName: "Counter" },
      { by: "name", serviceName: "Ledger" },
    ]);
  });

  it("a parameter or a computed expression is an unknown target", () => {
    const m = extract(`${SDK}
      export const s = restate.service({ name: "S", handlers: {
        h: async (ctx: restate.Context, def: any) => { await ctx.objectClient(def, "k").add(1); await ctx.serviceClient(pick()).x(); },
      } });`);
    expect(m.calls.map((c) => c.target)).toEqual([{ by: "unknown" }, { by: "unknown" }]);
  });
});

describe("keys", () => {
  it("ctx.key is the caller's key, also through `const k = ctx.key` and `const { key } = ctx`", () => {
    const m = extract(
      inObjectHandler(
        `    await ctx.objectClient(counter, ctx.key).add(1);
    const k = ctx.key;
    await ctx.objectClient(counter, k).add(2);
    const { key } = ctx;
    await ctx.objectClient(counter, key).add(3);
    const { key: id } = ctx;
    await ctx.objectClient(counter, id).add(4);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.key)).toEqual(Array(4).fill({ kind: "sameAsCaller" }));
  });

  it("string literals, templates without expressions and const strings are literal keys", () => {
    const m = extract(
      inObjectHandler(
        `    await ctx.objectClient(counter, "a").add(1);
    await ctx.objectClient(counter, \`b\`).add(1);
    await ctx.objectClient(counter, GLOBAL).add(1);
    const local = "d";
    await ctx.objectClient(counter, local).add(1);`,
        `${COUNTER}\nconst GLOBAL = "c";`,
      ),
    );
    expect(m.calls.map((c) => c.key)).toEqual(["a", "b", "c", "d"].map((value) => ({ kind: "literal", value })));
  });

  it("ctx.rand.uuidv4() is a fresh key, inline or through a variable", () => {
    const m = extract(
      inHandler(
        `    await ctx.workflowClient(counter, ctx.rand.uuidv4()).run(1);
    const id = ctx.rand.uuidv4();
    await ctx.workflowClient(counter, id).run(1);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.key)).toEqual([{ kind: "fresh" }, { kind: "fresh" }]);
  });

  it("anything else is unknown, with its text", () => {
    const m = extract(
      inHandler(
        `    let mutable = "x";
    await ctx.objectClient(counter, mutable).add(1);
    await ctx.objectClient(counter, \`user-\${ctx.key}\`).add(1);
    await ctx.objectClient(counter, req.id).add(1);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.key)).toEqual([
      { kind: "unknown", text: "mutable" },
      { kind: "unknown", text: "`user-${ctx.key}`" },
      { kind: "unknown", text: "req.id" },
    ]);
  });

  it("a parameter shadowing a module-level const is not that const", () => {
    const m = extract(`${SDK}${COUNTER}
      const id = "fixed";
      export const s = restate.service({ name: "S", handlers: {
        h: async (ctx: restate.Context, req: { id: string }) => {
          await Promise.all(["a"].map((id) => ctx.objectClient(counter, id).add(1)));
        },
      } });`);
    expect(onlyCall(m).key).toEqual({ kind: "unknown", text: "id" });
  });

  it("a key parameter of a nested function named like the alias is not the alias", () => {
    const m = extract(
      inObjectHandler(
        `    const k = ctx.key;
    await Promise.all(["a", "b"].map((k) => ctx.objectClient(counter, k).add(1)));`,
        COUNTER,
      ),
    );
    // Conservative either way: never claim the same key as the caller for the shadowing parameter.
    expect(onlyCall(m).key).not.toEqual({ kind: "sameAsCaller" });
  });
});

describe("options (§2.2)", () => {
  it("rpc.opts / restate.rpc.opts / Opts.from on request calls", () => {
    const m = extract(
      inHandler(
        `    await ctx.objectClient(counter, "k").add(1, rpc.opts({ idempotencyKey: "a" }));
    await ctx.objectClient(counter, "k").add(1, restate.rpc.opts({ idempotencyKey: key, headers: {} }));
    await ctx.objectClient(counter, "k").add(1, Opts.from({ idempotencyKey: "c" }));
    await ctx.objectClient(counter, "k").add(1, restate.Opts.from({ name: "obs" }));`,
        `${COUNTER}\nimport { rpc, Opts } from "@restatedev/restate-sdk";`,
      ),
    );
    expect(m.calls.map((c) => [c.options.form, c.options.idempotencyKey, c.options.delay])).toEqual([
      ["rpc.opts", `"a"`, undefined],
      ["rpc.opts", "key", undefined],
      ["rpc.opts", `"c"`, undefined],
      ["rpc.opts", undefined, undefined],
    ]);
  });

  it("rpc.sendOpts / SendOpts.from / the `import sendOpts = rpc.sendOpts` alias on sends", () => {
    const m = extract(
      inHandler(
        `    ctx.objectSendClient(counter, "k").add(1, rpc.sendOpts({ delay: { hours: 5 }, idempotencyKey: "a" }));
    ctx.objectSendClient(counter, "k").add(1, restate.SendOpts.from({ delay: 5000 }));
    ctx.objectSendClient(counter, "k").add(1, sendOpts({ delay }));
    ctx.serviceSendClient(counter).ping(sendOpts({ delay: 10 }));`,
        `${COUNTER}\nimport { rpc } from "@restatedev/restate-sdk";\nimport sendOpts = rpc.sendOpts;`,
      ),
    );
    expect(m.calls.map((c) => [c.options.form, c.options.delay, c.options.idempotencyKey])).toEqual([
      ["rpc.sendOpts", "{ hours: 5 }", `"a"`],
      ["rpc.sendOpts", "5000", undefined],
      ["rpc.sendOpts", "delay", undefined],
      ["rpc.sendOpts", "10", undefined],
    ]);
  });

  it("options held in a variable", () => {
    const m = extract(
      inHandler(
        `    const o = restate.rpc.sendOpts({ delay: 100 });
    ctx.objectSendClient(counter, "k").add(1, o);`,
        COUNTER,
      ),
    );
    expect(onlyCall(m).options).toMatchObject({ form: "rpc.sendOpts", delay: "100" });
  });

  it("legacy factory `{ delay }` options (SDK < 1.12)", () => {
    const m = extract(
      inHandler(
        `    ctx.objectSendClient(counter, "k", { delay: 1000 }).add(1);
    ctx.serviceSendClient(counter, { delay: 2000 }).ping();`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.options.form, c.options.delay, c.key])).toEqual([
      ["legacy-factory", "1000", { kind: "literal", value: "k" }],
      ["legacy-factory", "2000", null],
    ]);
  });

  it("plain objects: the second argument, or a lone object made only of option names", () => {
    const m = extract(
      inHandler(
        `    await ctx.objectClient(counter, "k").add(1, { idempotencyKey: "x" });
    ctx.serviceSendClient(counter).ping({ delay: 100 });
    await ctx.serviceClient(counter).save({ name: "just input" });
    await ctx.serviceClient(counter).save({ amount: 1, idempotencyKey: "k" });`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.options.form, c.options.idempotencyKey, c.options.delay])).toEqual([
      ["plain-object", `"x"`, undefined],
      ["plain-object", undefined, "100"],
      ["none", undefined, undefined],
      ["none", undefined, undefined],
    ]);
  });

  it("no options, and an options argument we cannot read", () => {
    const m = extract(
      inHandler(
        `    await ctx.objectClient(counter, "k").add(1);
    await ctx.objectClient(counter, "k").add(1, makeOpts());`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.options.form)).toEqual(["none", "unknown"]);
  });
});

describe("attach and timeouts", () => {
  it("a send attached through ctx.attach or ctx.invocation(id).attach() is attached", () => {
    const m = extract(
      inHandler(
        `    const h1 = ctx.objectSendClient(counter, "k").add(1);
    await ctx.attach(await h1.invocationId);
    const h2 = ctx.objectSendClient(counter, "k").add(2);
    const id2 = await h2.invocationId;
    await ctx.invocation(id2).attach();
    const h3 = ctx.objectSendClient(counter, "k").add(3);
    ctx.attach(await h3.invocationId);
    ctx.objectSendClient(counter, "k").add(4);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.loc.line - 4, c.attached])).toEqual([
      [1, true],
      [3, true],
      [6, false], // attached, but the attach is never awaited
      [8, false],
    ]);
  });

  it("an attach of another handle does not attach this send", () => {
    const m = extract(
      inHandler(
        `    const h1 = ctx.objectSendClient(counter, "k").add(1);
    const h2 = ctx.objectSendClient(counter, "k").add(2);
    await ctx.attach(await h2.invocationId);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.attached)).toEqual([false, true]);
  });

  it(".orTimeout(...) sets timeout", () => {
    const m = extract(
      inHandler(
        `    await ctx.objectClient(counter, "k").add(1).orTimeout({ seconds: 3 });
    await ctx.objectClient(counter, "k").add(2);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => [c.timeout, c.usage])).toEqual([
      [true, "awaited"],
      [false, "awaited"],
    ]);
  });

  it("calls inside ctx.run closures are inRun", () => {
    const m = extract(
      inHandler(
        `    await ctx.run("step", async () => { await ctx.objectClient(counter, "k").add(1); });
    await ctx.run(() => ctx.serviceSendClient(counter).ping());
    await ctx.objectClient(counter, "k").add(3);`,
        COUNTER,
      ),
    );
    expect(m.calls.map((c) => c.inRun)).toEqual([true, true, false]);
  });
});

describe("lines of a multi-call snippet", () => {
  it("callOnLine finds calls by line", () => {
    const m = extract(inHandler(`    await ctx.objectClient(counter, "k").add(1);`, COUNTER));
    expect(callOnLine(m, 5).handler).toBe("add");
  });
});
