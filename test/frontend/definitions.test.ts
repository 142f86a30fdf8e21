import { describe, expect, it } from "vitest";
import { SDK, extract, handlerKinds } from "./extract.js";

describe("definitions: import forms", () => {
  it("namespace import: restate.service / object / workflow", () => {
    const m = extract(`${SDK}
      export const greeter = restate.service({ name: "Greeter", handlers: { greet: async (ctx: restate.Context) => "hi" } });
      export const counter = restate.object({ name: "Counter", handlers: { add: async (ctx: restate.ObjectContext) => {} } });
      export const signup = restate.workflow({ name: "Signup", handlers: { run: async (ctx: restate.WorkflowContext) => {} } });`);
    expect(m.usesRestate).toBe(true);
    expect(m.services.map((s) => [s.name, s.kind, s.localNames])).toEqual([
      ["Greeter", "service", ["greeter"]],
      ["Counter", "object", ["counter"]],
      ["Signup", "workflow", ["signup"]],
    ]);
    expect(handlerKinds(m)).toEqual({
      "Greeter.greet": "service",
      "Counter.add": "exclusive",
      "Signup.run": "workflow-run",
    });
    expect(m.services.every((s) => !s.incomplete)).toBe(true);
  });

  it("named and renamed imports", () => {
    const m = extract(`
      import { object as obj, service, handlers as h } from "@restatedev/restate-sdk";
      export const c = obj({ name: "C", handlers: { get: h.object.shared(async (ctx) => 1) } });
      export const s = service({ name: "S", handlers: { x: async (ctx) => {} } });`);
    expect(handlerKinds(m)).toEqual({ "C.get": "shared", "S.x": "service" });
    expect(m.services.find((s) => s.name === "C")?.kind).toBe("object");
  });

  it("runtime-specific entry points (/fetch, /lambda) are the same SDK", () => {
    const m = extract(`
      import * as restate from "@restatedev/restate-sdk/fetch";
      export const c = restate.object({ name: "C", handlers: { add: async (ctx) => {} } });`);
    expect(handlerKinds(m)).toEqual({ "C.add": "exclusive" });
  });

  it("default import", () => {
    const m = extract(`
      import restate from "@restatedev/restate-sdk";
      export default restate.object({ name: "D", handlers: { add: async (ctx) => {} } });`);
    expect(m.services[0]).toMatchObject({ name: "D", kind: "object", localNames: ["default"] });
  });

  it("CommonJS require, whole module and destructured", () => {
    const m = extract(
      `
      const restate = require("@restatedev/restate-sdk");
      const { object, handlers } = require("@restatedev/restate-sdk");
      const c = object({ name: "C", handlers: { get: handlers.object.shared(async (ctx) => 1) } });
      const w = restate.workflow({ name: "W", handlers: { run: async (ctx) => {}, poke: async (ctx) => {} } });
      module.exports = { c, w };`,
      "snippet.js",
    );
    expect(handlerKinds(m)).toEqual({ "C.get": "shared", "W.run": "workflow-run", "W.poke": "workflow-shared" });
  });

  it("an alias of the namespace (`const r = restate`) is still the SDK", () => {
    const m = extract(`${SDK}
      const r = restate;
      export const c = r.object({ name: "C", handlers: { add: async (ctx) => {} } });`);
    expect(handlerKinds(m)).toEqual({ "C.add": "exclusive" });
  });

  it("code that only looks like Restate but does not import it has no model", () => {
    const m = extract(`
      const restate = { object: (x: unknown) => x, service: (x: unknown) => x };
      export const c = restate.object({ name: "C", handlers: {
        add: async (ctx: any) => { await ctx.objectClient(c, ctx.key).add(1); await ctx.sleep(10); },
      } });`);
    expect(m.usesRestate).toBe(false);
    expect(m.services).toEqual([]);
    expect(m.calls).toEqual([]);
    expect(m.sleeps).toEqual([]);
  });

  it("a look-alike package is not the SDK", () => {
    const m = extract(`
      import * as restate from "restate-sdk-fake";
      export const c = restate.object({ name: "C", handlers: { add: async (ctx) => {} } });`);
    expect(m.usesRestate).toBe(false);
    expect(m.services).toEqual([]);
  });
});

describe("definitions: handler maps", () => {
  it("method shorthand", () => {
    const m = extract(`${SDK}
      export const c = restate.object({ name: "C", handlers: { async add(ctx: restate.ObjectContext, n: number) {} } });`);
    expect(handlerKinds(m)).toEqual({ "C.add": "exclusive" });
    expect(m.impls[0]?.fn?.type).toBe("FunctionExpression");
  });

  it("the whole options object passed through a variable", () => {
    const m = extract(`${SDK}
      const spec = { name: "S", handlers: { a: async (ctx: restate.Context) => {} } };
      export const s = restate.service(spec);`);
    expect(m.services[0]).toMatchObject({ name: "S", kind: "service", incomplete: false, localNames: ["s"] });
    expect(handlerKinds(m)).toEqual({ "S.a": "service" });
  });

  it("a handler map built elsewhere in the file, and a name held in a const", () => {
    const m = extract(`${SDK}
      const NAME = "Counter";
      const counterHandlers = {
        add: async (ctx: restate.ObjectContext) => {},
        get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0),
      };
      export const counter = restate.object({ name: NAME, handlers: counterHandlers });`);
    expect(m.services[0]).toMatchObject({ name: "Counter", incomplete: false });
    expect(handlerKinds(m)).toEqual({ "Counter.add": "exclusive", "Counter.get": "shared" });
  });

  it("shorthand `handlers` property and handlers that are module-level functions", () => {
    const m = extract(`${SDK}
      async function add(ctx: restate.ObjectContext, n: number) {}
      const get = async (ctx: restate.ObjectSharedContext) => 0;
      const handlers = { add, get: restate.handlers.object.shared(get) };
      export const counter = restate.object({ name: "Counter", handlers });`);
    expect(handlerKinds(m)).toEqual({ "Counter.add": "exclusive", "Counter.get": "shared" });
    expect(m.impls.map((i) => i.fn?.type)).toEqual(["FunctionDeclaration", "ArrowFunctionExpression"]);
  });

  it("spreads of const maps are followed", () => {
    const m = extract(`${SDK}
      const reads = { get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0) };
      const writes = { ...{ add: async (ctx: restate.ObjectContext) => {} } };
      export const counter = restate.object({ name: "Counter", handlers: { ...reads, ...writes, reset: async (ctx) => {} } });`);
    expect(m.services[0]?.incomplete).toBe(false);
    expect(handlerKinds(m)).toEqual({ "Counter.get": "shared", "Counter.add": "exclusive", "Counter.reset": "exclusive" });
  });

  it("a spread we cannot follow marks the definition incomplete", () => {
    const m = extract(`${SDK}
      import { moreHandlers } from "./more";
      export const counter = restate.object({ name: "Counter", handlers: { ...moreHandlers, add: async (ctx) => {} } });`);
    expect(m.services[0]?.incomplete).toBe(true);
    expect(handlerKinds(m)).toEqual({ "Counter.add": "exclusive" });
  });

  it("computed handler names: static ones are read, dynamic ones make the definition incomplete", () => {
    const m = extract(`${SDK}
      const GET = "get";
      export const counter = restate.object({ name: "Counter", handlers: {
        ["add"]: async (ctx) => {},
        [\`sub\`]: async (ctx) => {},
        [GET]: restate.handlers.object.shared(async (ctx) => 0),
        [Symbol.iterator]: async (ctx) => {},
        [dynamicName()]: async (ctx) => {},
      } });`);
    expect(handlerKinds(m)).toEqual({ "Counter.add": "exclusive", "Counter.sub": "exclusive", "Counter.get": "shared" });
    expect(m.services[0]?.incomplete).toBe(true);
  });

  it("a handler map that is not an object literal marks the definition incomplete", () => {
    const m = extract(`${SDK}
      import { handlersFromElsewhere } from "./x";
      export const c = restate.object({ name: "C", handlers: handlersFromElsewhere });
      export const d = restate.object({ name: "D", handlers: makeHandlers() });`);
    expect(m.services.map((s) => [s.name, s.incomplete, s.handlers.length])).toEqual([
      ["C", true, 0],
      ["D", true, 0],
    ]);
  });

  it("a definition without a static name is not a definition we can name", () => {
    const m = extract(`${SDK}
      export const c = restate.object({ name: computeName(), handlers: { add: async (ctx) => {} } });`);
    expect(m.services).toEqual([]);
  });

  it("accessors in a handler map are not read as handlers", () => {
    const m = extract(`${SDK}
      export const c = restate.object({ name: "C", handlers: { get weird() { return async (ctx: unknown) => {}; }, add: async (ctx) => {} } });`);
    expect(handlerKinds(m)).toEqual({ "C.add": "exclusive" });
    expect(m.services[0]?.incomplete).toBe(true);
  });
});

describe("definitions: handler kind follows the runtime wrapper, never the ctx annotation (§1.3)", () => {
  it("object: plain (even annotated shared) and exclusive wrappers are exclusive; shared and service wrappers are shared", () => {
    const m = extract(`${SDK}
      import { createObjectHandler, createObjectSharedHandler, createServiceHandler } from "@restatedev/restate-sdk";
      export const o = restate.object({ name: "O", handlers: {
        plainExclusive: async (ctx: restate.ObjectContext) => {},
        annotatedSharedButPlain: async (ctx: restate.ObjectSharedContext) => {},
        wrappedShared: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => {}),
        serviceWrapperInObject: restate.handlers.handler({}, async (ctx: restate.Context) => {}),
        explicitExclusive: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext) => {}),
        aliasExclusive: createObjectHandler(async (ctx) => {}),
        aliasShared: createObjectSharedHandler(async (ctx) => {}),
        aliasService: createServiceHandler({ description: "x" }, async (ctx) => {}),
      } });`);
    expect(handlerKinds(m)).toEqual({
      "O.plainExclusive": "exclusive",
      "O.annotatedSharedButPlain": "exclusive",
      "O.wrappedShared": "shared",
      "O.serviceWrapperInObject": "shared",
      "O.explicitExclusive": "exclusive",
      "O.aliasExclusive": "exclusive",
      "O.aliasShared": "shared",
      "O.aliasService": "shared",
    });
    expect(m.impls.map((i) => i.wrapper)).toEqual([
      "plain",
      "plain",
      "shared",
      "service",
      "exclusive",
      "exclusive",
      "shared",
      "service",
    ]);
  });

  it("wrappers with an options first argument still find the function", () => {
    const m = extract(`${SDK}
      export const o = restate.object({ name: "O", handlers: {
        get: restate.handlers.object.shared({ description: "read", ingressPrivate: true }, async (ctx: restate.ObjectSharedContext) => 0),
        add: restate.createObjectHandler({ enableLazyState: true }, async (ctx: restate.ObjectContext) => {}),
      } });`);
    expect(handlerKinds(m)).toEqual({ "O.get": "shared", "O.add": "exclusive" });
    expect(m.impls.every((i) => i.fn?.type === "ArrowFunctionExpression")).toBe(true);
  });

  it("workflow: run is the workflow handler, every other handler is shared, whatever its wrapper", () => {
    const m = extract(`${SDK}
      export const w = restate.workflow({ name: "W", handlers: {
        run: restate.handlers.workflow.workflow(async (ctx: restate.WorkflowContext) => {}),
        plain: async (ctx: restate.WorkflowContext) => {},
        wfShared: restate.handlers.workflow.shared(async (ctx: restate.WorkflowSharedContext) => {}),
        objShared: restate.handlers.object.shared(async (ctx) => {}),
        alias: restate.createWorkflowSharedHandler(async (ctx) => {}),
      } });`);
    expect(handlerKinds(m)).toEqual({
      "W.run": "workflow-run",
      "W.plain": "workflow-shared",
      "W.wfShared": "workflow-shared",
      "W.objShared": "workflow-shared",
      "W.alias": "workflow-shared",
    });
  });

  it("service: every handler is a service handler", () => {
    const m = extract(`${SDK}
      export const s = restate.service({ name: "S", handlers: {
        a: async (ctx: restate.ObjectContext) => {},
        b: restate.handlers.handler({ ingressPrivate: true }, async (ctx: restate.Context) => {}),
      } });`);
    expect(handlerKinds(m)).toEqual({ "S.a": "service", "S.b": "service" });
  });

  it("handlers that are not functions are still registered, without an implementation", () => {
    const m = extract(`${SDK}
      export const o = restate.object({ name: "O", handlers: { n: 42, w: restate.handlers.object.shared(notAFunction), s: "str" } });`);
    expect(handlerKinds(m)).toEqual({ "O.n": "exclusive", "O.w": "shared", "O.s": "exclusive" });
    expect(m.impls.map((i) => i.fn)).toEqual([null, null, null]);
  });
});

describe("definitions: 1.17 interface-first (iface + implement)", () => {
  it("descriptors with shared handlers, and implement() taking their kinds", () => {
    const m = extract(`${SDK}
      import { iface, implement } from "@restatedev/restate-sdk";
      export const counterApi = iface.object("Counter", { add: iface.json<number, number>(), get: iface.shared.json<void, number>() });
      export const counter = implement(counterApi, { handlers: { add: async (ctx, n) => n, get: async (ctx) => 0 } });
      const wfApi = iface.workflow("Signup", { run: iface.json(), click: iface.json() });
      export const signup = restate.implement(wfApi, { handlers: { run: async (ctx) => {}, click: async (ctx) => {} } });
      const svcApi = iface.service("Greeter", { greet: iface.json() });
      export const greeter = implement(svcApi, { handlers: { greet: async (ctx) => "hi" } });`);
    expect(m.descriptors).toEqual([
      { name: "Counter", kind: "object", handlers: { add: false, get: true }, localNames: ["counterApi"] },
      { name: "Signup", kind: "workflow", handlers: { run: false, click: false }, localNames: ["wfApi"] },
      { name: "Greeter", kind: "service", handlers: { greet: false }, localNames: ["svcApi"] },
    ]);
    expect(m.services.map((s) => [s.name, s.kind, s.localNames])).toEqual([
      ["Counter", "object", ["counter"]],
      ["Signup", "workflow", ["signup"]],
      ["Greeter", "service", ["greeter"]],
    ]);
    expect(handlerKinds(m)).toEqual({
      "Counter.add": "exclusive",
      "Counter.get": "shared",
      "Signup.run": "workflow-run",
      "Signup.click": "workflow-shared",
      "Greeter.greet": "service",
    });
    expect(m.services.flatMap((s) => s.handlers).every((h) => h.kindKnown)).toBe(true);
  });

  it("implement() of a descriptor from another file: kinds are resolved later", () => {
    const m = extract(`
      import { implement } from "@restatedev/restate-sdk";
      import { counterApi } from "./api";
      export const counter = implement(counterApi, { handlers: { add: async (ctx, n) => n } });`);
    expect(m.services[0]).toMatchObject({
      name: "",
      implementsImport: { source: "./api", imported: "counterApi" },
    });
    expect(m.services[0]?.handlers[0]).toMatchObject({ name: "add", kindKnown: false });
  });
});
