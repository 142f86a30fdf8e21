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

  it("a definition without a static name keeps its kind and handlers, with a name no one knows", () => {
    const m = extract(`${SDK}
      export const c = restate.object({ name: computeName(), handlers: { add: async (ctx) => {} } });`);
    expect(m.services).toHaveLength(1);
    expect(m.services[0]).toMatchObject({ name: "", kind: "object", localNames: ["c"] });
    expect(m.services[0]?.nameFrom).toBeUndefined();
    expect(m.services[0]?.label).toBe("(c)");
    expect(m.services[0]?.handlers.map((h) => [h.service, h.name, h.kind, h.kindKnown])).toEqual([["(c)", "add", "exclusive", true]]);
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

describe("definitions: options written with spreads", () => {
  /** name, nameFrom and handler kinds of the file's only definition. */
  function only(code: string) {
    const m = extract(code);
    expect(m.services).toHaveLength(1);
    const s = m.services[0]!;
    return { name: s.name, nameFrom: s.nameFrom, incomplete: s.incomplete, handlers: Object.fromEntries(s.handlers.map((h) => [h.name, h.kind])) };
  }

  it("a same-file constant gives the name (`as const`, `satisfies`, nested spreads, members)", () => {
    const handlers = `handlers: { add: async (ctx: restate.ObjectSharedContext) => {}, get: restate.handlers.object.shared(async (ctx) => 0) }`;
    const expected = { name: "Counter", nameFrom: undefined, incomplete: false, handlers: { add: "exclusive", get: "shared" } };
    expect(only(`${SDK}const COUNTER = { name: "Counter" } as const;\nexport const c = restate.object({ ...COUNTER, ${handlers} });`)).toEqual(expected);
    expect(only(`${SDK}type D = { name: string };\nconst BASE = { name: "Counter" } satisfies D;\nconst COUNTER = { ...BASE, description: "d" } as const;\nexport const c = restate.object({ ...COUNTER, ${handlers} });`)).toEqual(expected);
    expect(only(`${SDK}const NAME = "Counter";\nconst NAMES = { counter: NAME };\nexport const c = restate.object({ name: NAMES.counter, ${handlers} });`)).toEqual(expected);
    expect(only(`${SDK}const SPECS = { counter: { name: "Counter" } };\nexport const c = restate.object({ ...SPECS["counter"], ${handlers} });`)).toEqual(expected);
    expect(only(`${SDK}const spec = { ...{ name: "Counter" }, ${handlers} };\nexport const c = restate.object(spec);`)).toEqual(expected);
  });

  it("the property written last wins", () => {
    const h = `handlers: { add: async (ctx) => {} }`;
    expect(only(`${SDK}const C = { name: "Counter" };\nrestate.object({ ...C, name: "Other", ${h} });`).name).toBe("Other");
    expect(only(`${SDK}const C = { name: "Counter" };\nrestate.object({ name: "Other", ...C, ${h} });`).name).toBe("Counter");
    expect(only(`${SDK}const C = { description: "no name here" };\nrestate.object({ name: "Other", ...C, ${h} });`).name).toBe("Other");
    // The spread may bring its own handlers: the map written before it is not the one registered.
    expect(only(`${SDK}import { C } from "./c";\nrestate.object({ name: "X", ${h}, ...C });`)).toMatchObject({ name: "", incomplete: true, handlers: {} });
  });

  it("an imported constant: the name is resolved later, the kind and handlers are known now", () => {
    const m = extract(`${SDK}
      import { COUNTER_OBJECT } from "./constants";
      export const counter = restate.object({
        ...COUNTER_OBJECT,
        handlers: {
          add: async (ctx: restate.ObjectSharedContext) => {},
          get: restate.handlers.object.shared(async (ctx) => 0),
        },
      });`);
    expect(m.services[0]).toMatchObject({
      name: "",
      kind: "object",
      incomplete: false,
      localNames: ["counter"],
      nameFrom: { ref: { source: "./constants", imported: "COUNTER_OBJECT" }, path: ["name"] },
    });
    expect(m.services[0]?.handlers.map((h) => [h.service, h.name, h.kind, h.kindKnown])).toEqual([
      ["(counter)", "add", "exclusive", true],
      ["(counter)", "get", "shared", true],
    ]);
    expect(m.impls.map((i) => i.fn?.type)).toEqual(["ArrowFunctionExpression", "ArrowFunctionExpression"]);
  });

  it("names from imports in every form: namespace members, paths, `name: IMPORTED`, a name written after", () => {
    const h = `handlers: { add: async (ctx) => {} }`;
    expect(only(`${SDK}import * as C from "./c";\nrestate.object({ ...C.COUNTER_OBJECT, ${h} });`).nameFrom).toEqual({ ref: { source: "./c", imported: "COUNTER_OBJECT" }, path: ["name"] });
    expect(only(`${SDK}import { SPECS } from "./c";\nrestate.object({ ...SPECS.counter, ${h} });`).nameFrom).toEqual({ ref: { source: "./c", imported: "SPECS" }, path: ["counter", "name"] });
    expect(only(`${SDK}import { COUNTER_NAME } from "./c";\nrestate.service({ name: COUNTER_NAME, ${h} });`).nameFrom).toEqual({ ref: { source: "./c", imported: "COUNTER_NAME" }, path: [] });
    expect(only(`${SDK}import D from "./c";\nconst local = { ...D };\nrestate.workflow({ ...local, ${h} });`).nameFrom).toEqual({ ref: { source: "./c", imported: "default" }, path: ["name"] });
    expect(only(`${SDK}import { COUNTER_OBJECT } from "./c";\nrestate.object({ ...COUNTER_OBJECT, name: "Mine", ${h} })`)).toMatchObject({ name: "Mine", nameFrom: undefined });
  });

  it("a local shadowing an import is the local", () => {
    const m = only(`${SDK}import { C } from "./c";\nfunction f(C: unknown) { return restate.object({ ...C, handlers: { add: async (ctx) => {} } }); }`);
    expect(m).toMatchObject({ name: "", nameFrom: undefined, handlers: { add: "exclusive" } });
  });

  it("spreads of unknown things, calls, computed keys and getters: no name, handlers still read", () => {
    const h = `handlers: { add: async (ctx) => {} }`;
    for (const spec of [
      `{ ...makeSpec(), ${h} }`,
      `{ ...(flag ? A : B), ${h} }`,
      `{ ...globalThing, ${h} }`,
      `{ ...[1, 2], ${h} }`,
      `{ name: "X", ...this, ${h} }`,
      `{ name: "X", [key]: 1, ${h} }`,
      `{ get name() { return "X"; }, ${h} }`,
      `{ name() { return "X"; }, ${h} }`,
      `{ name: \`X\${n}\`, ${h} }`,
      `{ name: "", ${h} }`,
    ]) {
      expect(only(`${SDK}const A = { name: "A" }, B = { name: "B" };\nrestate.object(${spec});`), spec).toEqual({ name: "", nameFrom: undefined, incomplete: false, handlers: { add: "exclusive" } });
    }
  });

  it("spreads of undefined, null and primitives add nothing", () => {
    expect(only(`${SDK}restate.object({ name: "X", ...undefined, ...null, ..."str", ...0, handlers: { add: async (ctx) => {} } });`).name).toBe("X");
    // Unless `undefined` is some local.
    expect(only(`${SDK}function f(undefined: any) { restate.object({ name: "X", ...undefined, handlers: {} }); }`).name).toBe("");
  });

  it("a definition written as a spread argument, or of a spread of itself, is no definition and never loops", () => {
    expect(extract(`${SDK}restate.object(...args);`).services).toEqual([]);
    expect(only(`${SDK}const a = { ...b }; const b = { ...a };\nrestate.object({ ...a, handlers: {} });`).name).toBe("");
  });

  it("nameless definitions are known by labels (their variable) that no service name can equal", () => {
    const m = extract(`${SDK}
      import { A, B } from "./c";
      export const a = restate.object({ ...A, handlers: { get: async (ctx) => {}, add: async (ctx) => {} } });
      export const b = restate.object({ ...B, handlers: { get: async (ctx) => {} } });
      export default restate.object({ ...A, handlers: { run: async (ctx) => {} } });`);
    expect(m.services.map((s) => s.handlers.map((h) => `${h.service}.${h.name}`))).toEqual([["(a).get", "(a).add"], ["(b).get"], ["(default).run"]]);
    const unbound = extract(`${SDK}\nimport { A } from "./c";\nrestate.object({ ...A, handlers: { run: async (ctx) => {} } });`);
    expect(unbound.services[0]?.label).toBe("(unnamed object at line 4)");
  });
});

describe("constants another file may take a name from", () => {
  it("exported consts: strings and objects of them, whatever the file imports", () => {
    const m = extract(`
      import { OTHER } from "./other";
      export const COUNTER_OBJECT = { name: "Counter" } as const;
      export const COUNTER_NAME = \`Counter\`;
      const SPECS = { counter: { name: "Counter", retries: 3 }, ledger: { name: OTHER }, f: () => 1 };
      export { SPECS, SPECS as ALIASED };
      export let mutable = { name: "Mutable" };
      const hidden = { name: "Hidden" };
      export default { name: "Default" };
      export const call = make({ name: "Made" });
      export const empty = {};`);
    expect(m.usesRestate).toBe(false);
    expect(m.constants).toEqual({
      COUNTER_OBJECT: { kind: "object", props: { name: { kind: "string", value: "Counter" } } },
      COUNTER_NAME: { kind: "string", value: "Counter" },
      SPECS: {
        kind: "object",
        props: {
          counter: { kind: "object", props: { name: { kind: "string", value: "Counter" } } },
          ledger: { kind: "object", props: { name: { kind: "ref", ref: { ref: { source: "./other", imported: "OTHER" }, path: [] } } } },
        },
      },
      default: { kind: "object", props: { name: { kind: "string", value: "Default" } } },
    });
  });

  it("a write we cannot see forgets the keys before it; keys after it are known", () => {
    const constants = (spec: string) => extract(`export const X = ${spec};`).constants?.X;
    const name = (value: string) => ({ kind: "object", props: { name: { kind: "string", value } } });
    expect(constants(`{ name: "A", ...unknown }`)).toBeUndefined();
    expect(constants(`{ ...unknown, name: "A" }`)).toEqual(name("A"));
    expect(constants(`{ name: "A", ...{ name: f() } }`)).toBeUndefined();
    expect(constants(`{ name: "A", ...{ [k]: 1 } }`)).toBeUndefined();
    expect(constants(`{ name: "A", ...{ other: 1 } }`)).toEqual(name("A"));
    expect(constants(`{ name: "A", ...undefined }`)).toEqual(name("A"));
    expect(constants(`{ name: "A", get name() { return "B"; } }`)).toBeUndefined();
  });

  it("stays small: long strings and deep objects are left out", () => {
    const m = extract(`export const LONG = "${"x".repeat(300)}";\nexport const DEEP = { a: { b: { c: { name: "Deep" } } } };`);
    expect(m.constants).toEqual({});
  });
});
