import { describe, expect, it } from "vitest";
import { cycleCandidates, sameLinks } from "../../src/project/candidates.js";
import { sketchGo } from "../../src/go/sketch.js";
import { mayExportNames, sketchTypeScript, tokenize } from "../../src/ts/sketch.js";
import { repoModule, runApart } from "../run-apart.js";
import { tempDirs } from "../temp-dirs.js";

const sketch = sketchTypeScript;

/** The candidates among files given as name → text. */
function candidates(files: Record<string, string>): string[] {
  return [...cycleCandidates(Object.entries(files).map(([file, text]) => ({ file, sketch: sketch(text) }))).candidates].sort();
}

describe("tokenize", () => {
  it("drops comments, numbers and regular expressions; keeps strings and template parts", () => {
    const toks = tokenize('const a = /"x/g; // objectClient(B)\n/* c */ const b = `t${c}u` + 1.5 / 2; f("q\\"r")');
    const words = toks.filter((t) => t.k !== 2).map((t) => t.v);
    expect(words).toEqual(["const", "a", "const", "b", "t", "c", "u", "f", 'q\\"r']);
  });

  it("never throws on unterminated text", () => {
    for (const text of ["`abc ${", '"abc', "/* x", "a = /[/", "}}}", "${"]) expect(() => tokenize(text)).not.toThrow();
  });

  it("ends a string at its quote or its line, a template part at its backtick or its next ${", () => {
    const parts = (text: string) => tokenize(text).map((t) => (t.k === 2 ? t.v : `${t.k === 0 ? "id" : "str"}:${t.v}`));
    // Escapes are kept as written; a `\` at the end of the text ends the string there.
    expect(parts(`'it\\'s' "a\\\nb" "open\nnext "\\`)).toEqual(["str:it\\'s", "str:a\\\nb", "str:open", "id:next", "str:\\"]);
    // A `$` without `{` is text; a substitution nests, with its own templates.
    expect(parts("`a$b${x + `in${y}`}c` $z")).toEqual(["str:a$b", "(", "id:x", "+", "str:in", "(", "id:y", ")", "str:", ")", "str:c", "id:$z"]);
    // Identifiers take `$`, digits after the first character, and any character past ASCII.
    expect(parts("é1 $a_2 😀x.b")).toEqual(["id:é1", "id:$a_2", "id:😀x", ".", "id:b"]);
  });
});

const tempDir = tempDirs("restate-sketch-");

describe("sketchTypeScript", () => {
  it("ends on text with more closing braces than opening ones, and reads on", () => {
    const texts = [
      "}}}",
      "}}}\nobject({ a: 1 }}}} ...x",
      'const a = { b: "}" }}}}}; restate.object({ ...A, handlers: {} })',
      // Valid code: a regular expression after `)` reads as a division, its braces as braces.
      "if (x) /\\}\\}/.test(s);\n",
    ];
    const module = repoModule("src/ts/sketch.ts");
    const script = `import { sketchTypeScript } from ${JSON.stringify(module)};\nfor (const text of ${JSON.stringify(texts)}) sketchTypeScript(text);\nconsole.log("ended");\n`;
    expect(runApart(tempDir(), script, 20_000).stdout.trim()).toBe("ended");
    // Past the braces too many, a definition's spread still names it.
    expect(sketch(texts[2]!).handleRefs).toContain("A");
    expect(tokenize(texts[3]!).filter((t) => t.v === "}")).toHaveLength(2);
  });

  it("reads declared names, service names and the default export as handles", () => {
    const s = sketch(`
      export const counter = restate.object({ name: "Counter", handlers: {} });
      function helper() {}
      export default counter;`);
    expect(s.handles).toEqual(expect.arrayContaining(["counter", "Counter", "helper", "default"]));
  });

  it("tells a definition with handlers, written inline or shorthand, from an object literal with a name", () => {
    expect(sketch(`export const x = restate.object({ name: "X", handlers: { add: async () => {} } });`).defines).toBe(true);
    expect(sketch(`const handlers = { add: async () => {} };\nexport const x = restate.object({ name: "X", handlers });`).defines).toBe(true);
    expect(sketch(`export const Order = z.object({ name: z.string(), total: z.number() });`).defines).toBe(false);
  });

  it("takes the target words of requests, not of sends (unless attached)", () => {
    const s = sketch(`
      await ctx.objectClient(counter, ctx.key).add(1);
      await ctx.serviceClient<typeof Api>({ name: "Billing" }).charge();
      ctx.objectSendClient(ledger, "k").log();`);
    expect(s.waits.sort()).toEqual(["Api", "Billing", "counter"]);
    expect(s.handles).not.toContain("Billing");
    const attached = sketch(`const h = ctx.objectSendClient(ledger, "k").log(); await ctx.attach(h.invocationId);`);
    expect(attached.waits).toEqual(["ledger"]);
  });

  it("takes no target words from a declaration of a client method (an SDK's own sources), but from every call", () => {
    const declared = sketch(`
      interface Context { objectClient<D>(opts: VirtualObjectDefinitionFrom<D>, key: string): Client<D>; }
      class ContextImpl { objectClient<D>(opts: VirtualObjectDefinitionFrom<D>, key: string) { return proxy(opts, key); } }
      export function client<D>(def: D, key?: string): Client<D> { return make(def, key); }`);
    expect(declared.waits).toEqual([]);
    const called = sketch(`
      const c = fast ? ctx.objectClient(Cache, k) : ctx.objectClient(Store, k);
      await c.get();
      await ctx.client(ledger, "k").log();`);
    expect(called.waits.sort()).toEqual(["Cache", "Store", "ledger"]);
  });

  it("takes a factory's words only from a method: a function or a parameter of that name calls nothing", () => {
    // The SDK's own client proxies call a parameter named genericCall; restate-sdk-gen's `client` is a function.
    const s = sketch(`import { object, client } from "@restatedev/restate-sdk-gen";
      export const makeRpcCallProxy = (genericCall: (call: unknown) => Promise<unknown>, service: string, opts: { name?: string }) =>
        genericCall({ service, method: "m", name: opts.name });
      export const o = object({ name: "O", handlers: { *run() { yield* client(awakeableHolder, "k").hold("x"); } } });`);
    expect(s.waits).toEqual([]);
    expect(s.sites ?? []).toEqual([]);
    // The call's argument is still no definition's name.
    expect(s.handleRefs).not.toContain("opts");
  });

  it("reads a factory called as a computed member", () => {
    const s = sketch(`import * as restate from "@restatedev/restate-sdk";
      export const o = restate.object({ name: "O", handlers: { a: async (ctx: restate.ObjectContext) => {
        await ctx["objectClient"](counter, ctx.key).add();
        ctx["objectSendClient"](ledger, ctx.key).record();
      } } });`);
    expect(s.waits).toEqual(["counter"]);
    expect(s.sites).toEqual([{ in: 0, words: ["counter"], calls: "add" }]);
  });

  it("reads generic calls, descriptor clients and `implement`", () => {
    const s = sketch(`
      await ctx.genericCall({ service: "Wallet", method: "pay", parameter: x });
      await ctx.client(walletApi, ctx.key).pay(1);
      export const w = implement(walletApi, { handlers: {} });`);
    expect(s.waits).toEqual(expect.arrayContaining(["Wallet", "walletApi"]));
    expect(s.handleRefs).toEqual(["walletApi"]);
  });

  it("records renames, default imports and simple aliases, not calls", () => {
    const s = sketch(`
      import Counter, { ledger as book } from "./x.js";
      export { orders as ordersApi } from "./orders.js";
      const target = flag ? book : Counter;
      const NAME = "Counter";
      const made = make(book);
      const grouped = (book as typeof Counter);`);
    expect(s.aliases).toEqual(
      expect.arrayContaining([
        ["Counter", "default"],
        ["book", "ledger"],
        ["ordersApi", "orders"],
        ["target", "flag"],
        ["target", "book"],
        ["target", "Counter"],
        ["NAME", "Counter"],
        ["grouped", "book"],
      ]),
    );
    expect(s.aliases.some(([a]) => a === "made")).toBe(false);
    expect(sketch(`const { counter: c, other } = require("./counter.js");`).aliases).toEqual([["c", "counter"]]);
    expect(s.imports).toEqual(["./x.js", "./orders.js"]);
    expect(s.passThrough).toBe(true);
  });
});

describe("sketchTypeScript: names from constants", () => {
  it("a definition's spreads and `name:` chains may name it", () => {
    const s = sketch(`
      export const c = restate.object({ ...COUNTER_OBJECT, handlers: { add: async (ctx) => { const x = { ...other }; } } });
      export const d = restate.object({ ...C.OBJECTS.ledger, handlers: {} });
      export const e = restate.service(spec);
      export const f = restate.workflow({ name: NAMES.signup, handlers: {} });`);
    // A spread inside a handler (\`{ ...other }\`) names no definition.
    expect(s.handleRefs.sort()).toEqual(["C", "COUNTER_OBJECT", "NAMES", "OBJECTS", "ledger", "signup", "spec"].sort());
  });

  it("reads the spreads of a definition's own object, after its handlers too, and of a definition written inside another", () => {
    const s = sketch(`
      export const c = restate.object({ handlers: { add: async (ctx) => ({ ...state }) }, ...LATE });
      export const d = restate.object({ ...OUTER, handlers: { make: async () => restate.service({ ...INNER, handlers: {} }) }, ...AFTER });
      const plain = { ...NOT_A_SPEC };`);
    expect(s.handleRefs.sort()).toEqual(["AFTER", "INNER", "LATE", "OUTER"]);
  });

  it("an object constant stands for the names that may be read off it", () => {
    const s = sketch(`
      export const COUNTER_OBJECT = { name: "Counter" } as const;
      const OBJECTS = { counter: { ...BASE, name: COUNTER_NAME }, ledger: { name: \`Ledger\` }, shorthand, n: 1, f: make(x), g: () => "no" };
      export default { name: "Default" };`);
    expect(s.aliases).toEqual(
      expect.arrayContaining([
        ["COUNTER_OBJECT", "Counter"],
        ["OBJECTS", "BASE"],
        ["OBJECTS", "COUNTER_NAME"],
        ["OBJECTS", "Ledger"],
        ["OBJECTS", "shorthand"],
        ["default", "Default"],
      ]),
    );
    expect(s.aliases.filter(([a]) => a === "OBJECTS").map(([, w]) => w)).not.toEqual(expect.arrayContaining(["make"]));
    expect(s.aliases.filter(([a]) => a === "OBJECTS").map(([, w]) => w)).not.toEqual(expect.arrayContaining(["no"]));
    expect(sketch(`export default COUNTER_OBJECT;`).aliases).toEqual([["default", "COUNTER_OBJECT"]]);
  });

  it("reads a top-level constant whole, however long", () => {
    const filler = Array.from({ length: 2000 }, (_, i) => `k${i}: "v${i}"`).join(", ");
    const s = sketch(`export const OBJECTS = { ${filler}, counter: { name: "Counter" } };`);
    expect(s.aliases).toContainEqual(["OBJECTS", "Counter"]);
  });

  it("a file of constants matters when it may export a name", () => {
    expect(mayExportNames(`export const COUNTER_OBJECT = { name: "Counter" } as const;`)).toBe(true);
    expect(mayExportNames(`export const COUNTER_OBJECT = { "name": 'Counter' };`)).toBe(true);
    expect(mayExportNames(`const A = { name: COUNTER_NAME };\nexport { A };`)).toBe(true);
    expect(mayExportNames(`export interface User { name: string }`)).toBe(false);
    expect(mayExportNames(`const A = { name: "Counter" };`)).toBe(false);
  });
});

describe("cycleCandidates", () => {
  const a = `import { b } from "./b.js";
export const a = restate.object({ name: "A", handlers: { async h(ctx) { await ctx.objectClient(b, ctx.key).h(); } } });`;
  const b = `import { a } from "./a.js";
export const b = restate.object({ name: "B", handlers: { async h(ctx) { await ctx.objectClient(a, ctx.key).h(); } } });`;
  const leaf = `export const c = restate.object({ name: "C", handlers: { async h(ctx) {} } });`;

  it("keeps the files of a cycle and leaves the others out", () => {
    expect(candidates({ a, b, leaf, caller: `await ctx.objectClient(c, k).h(); await ctx.objectClient(a, k).h();` })).toEqual(["a", "b"]);
  });

  it("follows renames through barrels and constants used as names", () => {
    const renamedA = `import { bee } from "./index.js";
export const a = restate.object({ name: "A", handlers: { async h(ctx) { await ctx.objectClient(bee, ctx.key).h(); } } });`;
    const barrel = `export { b as bee } from "./b.js";`;
    expect(candidates({ a: renamedA, b, barrel })).toEqual(["a", "b"]);
    const named = `const NAME = "A"; export const a = restate.object({ name: NAME, handlers: {} });`;
    const byName = `export const b = restate.object({ name: "B", handlers: { async h(ctx) { await ctx.objectClient({ name: "A" }, k).h(); } } });`;
    const back = named.replace("handlers: {}", "handlers: { async h(ctx) { await ctx.objectClient(b, k).h(); } }");
    expect(candidates({ a: back, b: byName })).toEqual(["a", "b"]);
  });

  it("links a definition named by a spread of another file's constant to its callers", () => {
    const constants = `export const COUNTER_OBJECT = { name: "Counter" } as const;\nexport const LEDGER_OBJECT = { name: "Ledger" };`;
    const counter = `import { COUNTER_OBJECT, LEDGER_OBJECT } from "./constants.js";
export const counter = restate.object({ ...COUNTER_OBJECT, handlers: { async add(ctx) { await ctx.objectClient(LEDGER_OBJECT, ctx.key).record(); } } });`;
    const ledger = `import { LEDGER_OBJECT } from "./constants.js";
export const ledger = restate.object({ ...LEDGER_OBJECT, handlers: { async record(ctx) { await ctx.objectClient({ name: "Counter" }, ctx.key).add(); } } });`;
    expect(candidates({ constants, counter, ledger })).toEqual(["counter", "ledger"]);
    // Without the constants, nothing says that "Counter" is the counter's name.
    expect(candidates({ counter, ledger })).toEqual([]);
  });

  it("sees a self-call as a cycle, and sends as none", () => {
    expect(candidates({ self: `const s = restate.object({ name: "S", handlers: { async h(ctx) { await ctx.objectClient(s, ctx.key).h(); } } });` })).toEqual(["self"]);
    const sendsOnly = a.replace("objectClient", "objectSendClient");
    expect(candidates({ a: sendsOnly, b })).toEqual([]);
  });

  it("tells a local name typed in an editor from a change of links", () => {
    const last = cycleCandidates([
      { file: "a", sketch: sketch(a) },
      { file: "b", sketch: sketch(b) },
    ]);
    const typed = a.replace("async h(ctx) {", "async h(ctx) { const draft = 1;");
    expect(sameLinks(sketch(a), sketch(typed), last)).toBe(true);
    const renamed = a.replace("export const a", "export const a2");
    expect(sameLinks(sketch(a), sketch(renamed), last)).toBe(false);
    const rewired = a.replace("objectClient(b", "objectClient(leaf");
    expect(sameLinks(sketch(a), sketch(rewired), last)).toBe(false);
  });

  it("follows waits from the handler they are written in to the handler they call", () => {
    const sdk = `import * as restate from "@restatedev/restate-sdk";\n`;
    // A read of the object's own state through a shared handler is no cycle: that handler takes no lock.
    const counter = `${sdk}export const counter = restate.object({ name: "Counter", handlers: {
  add: async (ctx: restate.ObjectContext) => { await ctx.objectClient(counter, ctx.key).get(); },
  get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get("n")),
} });`;
    expect(candidates({ counter })).toEqual([]);
    // Unless the shared handler waits on one that takes the lock.
    const back = counter.replace(`ctx.get("n")`, `ctx.objectClient(counter, ctx.key).add()`);
    expect(candidates({ counter: back })).toEqual(["counter"]);
    // A chain back to another handler of a locked object closes a cycle; one through a service's other handler does not.
    const service = (calls: string) => `${sdk}export const svc = restate.service({ name: "Svc", handlers: {
  a: async (ctx: restate.Context) => {},
  b: async (ctx: restate.Context) => { ${calls} },
} });`;
    const caller = `${sdk}export const x = restate.object({ name: "X", handlers: {
  add: async (ctx: restate.ObjectContext) => { await ctx.serviceClient(svc).a(); },
  other: async (ctx: restate.ObjectContext) => {},
} });`;
    expect(candidates({ caller, svc: service(`await ctx.objectClient(x, "k").other();`) })).toEqual([]);
    const closing = caller.replace("a();", "b();");
    expect(candidates({ caller: closing, svc: service(`await ctx.objectClient(x, "k").other();`) })).toEqual(["caller", "svc"]);
  });

  it("resolves a variable the file declares and does not import within the file", () => {
    const sdk = `import * as restate from "@restatedev/restate-sdk";\n`;
    // Two test files, each with its own \`greeter\`: neither waits on the other's.
    const test = (other: string) => `${sdk}describe("x", () => {
  const greeter = restate.object({ name: "G${other}", handlers: { greet: async (ctx: restate.ObjectContext) => {} } });
  const caller = restate.object({ name: "C${other}", handlers: { call: async (ctx: restate.ObjectContext) => { await ctx.objectClient(greeter, "k").greet(); } } });
});`;
    expect(candidates({ one: test("1"), two: test("2") })).toEqual([]);
    // Imported, or renamed from an import, it names the other file.
    const a = `${sdk}import { b as other } from "./b.js";
const local = other;
export const a = restate.object({ name: "A", handlers: { h: async (ctx: restate.ObjectContext) => { await ctx.objectClient(local, ctx.key).h(); } } });`;
    const b = `${sdk}import { a } from "./a.js";
export const b = restate.object({ name: "B", handlers: { h: async (ctx: restate.ObjectContext) => { await ctx.objectClient(a, ctx.key).h(); } } });`;
    expect(sketch(a).sites).toEqual([{ in: 0, words: ["local"], calls: "h", local: ["local"] }]);
    expect(candidates({ a, b })).toEqual(["a", "b"]);
    // Required, it is another module.
    const required = a.replace(`import { b as other } from "./b.js";\nconst local = other;`, `const local = require("./b.js").b;`);
    expect(sketch(required).sites).toEqual([{ in: 0, words: ["local"], calls: "h" }]);
  });

  it("counts a wait it cannot place as any handler's: in a helper, through a kept client, or in a map written otherwise", () => {
    const sdk = `import * as restate from "@restatedev/restate-sdk";\n`;
    const get = `get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get("n"))`;
    const inHelper = `${sdk}async function bump(ctx: restate.ObjectContext) { await ctx.objectClient(counter, ctx.key).get(); }
export const counter = restate.object({ name: "Counter", handlers: { add: async (ctx: restate.ObjectContext) => bump(ctx), ${get} } });`;
    // The helper's wait is on a shared handler: still no cycle.
    expect(candidates({ inHelper })).toEqual([]);
    expect(candidates({ inHelper: inHelper.replace(").get()", ").add()") })).toEqual(["inHelper"]);
    const kept = `${sdk}export const counter = restate.object({ name: "Counter", handlers: {
  add: async (ctx: restate.ObjectContext) => { const c = ctx.objectClient(counter, ctx.key); await c.get(); }, ${get} } });`;
    expect(candidates({ kept })).toEqual(["kept"]);
    const spread = `${sdk}const base = { ${get} };
export const counter = restate.object({ name: "Counter", handlers: { ...base, add: async (ctx: restate.ObjectContext) => { await ctx.objectClient(counter, ctx.key).get(); } } });`;
    expect(sketch(spread).sites).toBeUndefined();
    expect(candidates({ spread })).toEqual(["spread"]);
    // A map under a string key is not read: every wait is then any handler's.
    expect(sketch(`${sdk}export const o = restate.object({ name: "O", "handlers": { async add(ctx) { await ctx.objectClient(o, ctx.key).add(); } } });`).sites).toBeUndefined();
    // A file without a handler map waits for no handler (its calls run in none), whatever it calls.
    expect(sketch(`export async function bump(ctx) { await ctx.objectClient(counter, ctx.key).add(); }`).sites).toEqual([]);
    // A wrapper not imported from the SDK is no shared handler.
    const own = `import { handlers } from "./my-handlers.js";\n` + inHelper.slice(sdk.length).replace("restate.handlers", "handlers");
    expect(sketch(own).handlers?.filter((h) => h.lockless)).toEqual([]);
  });

  it("tells the handlers of inline maps apart, and which of them surely take no lock", () => {
    const s = sketch(`import { handlers, object, workflow } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  async add(ctx: ObjectContext) { await ctx.objectClient(o, ctx.key).peek(); },
  peek: handlers.object.shared(async (ctx) => { await ctx.serviceClient(s).run(); }),
  reset,
  async *replay(ctx) { await ctx.objectClient(o, "x").add(); },
} });
export const w = workflow({ name: "W", handlers: { run: async (ctx) => {}, status: async (ctx) => {} } });
async function reset(ctx: ObjectContext) { await ctx.objectClient(o, "all").add(); }`);
    expect(s.handlers).toEqual([
      { name: "add", map: 0 },
      { name: "peek", map: 0, lockless: true },
      { name: "reset", map: 0 },
      { name: "replay", map: 0 },
      { name: "run", map: 1 },
      { name: "status", map: 1, lockless: true },
    ]);
    // An import that binds the word `handlers` names no map.
    expect(sketch(`import * as handlers from "./h.js";\nexport const o = object({ name: "O", handlers: { a: async (ctx) => {} } });`).handlers).toEqual([{ name: "a", map: 0 }]);
    // `o` is the file's own variable; `s` is none of its names.
    expect(s.sites).toEqual([
      { in: 0, words: ["o"], calls: "peek", local: ["o"] },
      { in: 1, words: ["s"], calls: "run" },
      { in: 3, words: ["o"], calls: "add", local: ["o"] },
      { in: -1, words: ["o"], calls: "add", local: ["o"] },
    ]);
  });

  it("takes in the Go file that holds the handler closing a cycle, though it waits on nothing", () => {
    const add = `type Counter struct{}
func (Counter) Add(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Ledger", restate.Key(ctx), "Record").Request(1)
}`;
    const read = `func (Counter) Current(ctx restate.ObjectContext) (int, error) { return 0, nil }`;
    const ledger = `type Ledger struct{}
func (Ledger) Record(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Counter", restate.Key(ctx), "Current").Request(1)
}`;
    const unrelated = `type Other struct{}\nfunc (Other) Get(ctx restate.ObjectContext) (int, error) { return 0, nil }`;
    const files = Object.entries({ "add.go": add, "read.go": read, "ledger.go": ledger, "other.go": unrelated }).map(([file, text]) => ({
      file,
      sketch: sketchGo(text),
    }));
    expect([...cycleCandidates(files).candidates].sort()).toEqual(["add.go", "ledger.go", "read.go"]);
  });

  it("names a Go service by its receiver's type, not by the receiver's own name", () => {
    const cart = `type Cart struct{}
func (c *Cart) Add(ctx restate.ObjectContext) error { return nil }
func (Cart) Get(ctx restate.ObjectSharedContext) (int, error) { return 0, nil }
func (s Store[T]) Put(ctx restate.ObjectContext) error { return nil }`;
    const { handles } = sketchGo(cart);
    expect(handles).toEqual(expect.arrayContaining(["Cart", "Store", ".Add", ".Put"]));
    expect(handles).not.toContain("c");
    expect(handles).not.toContain("s");
    // A wait written with a variable named like a receiver links nothing to the file.
    const caller = `type Orders struct{}
func (Orders) Place(ctx restate.ObjectContext) error {
	c := "Ledger"
	_, err := restate.Object[int](ctx, c, restate.Key(ctx), "Record").Request(1)
	return err
}`;
    const ledger = `type Ledger struct{}
func (Ledger) Record(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Orders", restate.Key(ctx), "Place").Request(1)
}`;
    const files = Object.entries({ "cart.go": cart, "orders.go": caller, "ledger.go": ledger }).map(([file, text]) => ({ file, sketch: sketchGo(text) }));
    expect([...cycleCandidates(files).candidates].sort()).toEqual(["ledger.go", "orders.go"]);
  });

  it("takes no Go call through the ingress package for a wait: its caller holds no lock", () => {
    const test = `package cart_test
import (
	"testing"
	ing "github.com/restatedev/sdk-go/ingress"
)
func TestAdd(t *testing.T) {
	_, _ = ing.Object[int, int](client, "Cart", "k", "Add").Request(ctx, 1)
	_ = ing.ObjectSend[int](client, "Cart", "k", "Add").Send(ctx, 1)
}`;
    expect(sketchGo(test).waits).toEqual([]);
    // The SDK's own clients, written the same way, still wait.
    const handler = test.replace('ing "github.com/restatedev/sdk-go/ingress"', 'ing "github.com/restatedev/sdk-go"');
    expect(sketchGo(handler).waits).toEqual(expect.arrayContaining(["Cart", "Add"]));
  });

  it("follows a Go receiver or parameter of a known type to that type's ServiceName() and methods", () => {
    const orders = `package orders
type Orders struct{}
func (o *Orders) Place(ctx restate.ObjectContext, l *ledger.Ledger, s Store[int]) error {
	_, err := restate.Object[int](ctx, l.ServiceName(), restate.Key(ctx), "Record").Request(1)
	s.Save(ctx)
	return err
}`;
    const ledger = `package ledger
type Ledger struct{}
func (Ledger) ServiceName() string { return "LedgerSvc" }
func (Ledger) Record(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Orders", restate.Key(ctx), "Place").Request(1)
}`;
    // Another type's ServiceName() and another Save: the model never follows l or s to them.
    const other = `package other
type Audit struct{}
func (Audit) ServiceName() string { return "AuditSvc" }
func (a *Audit) Save(ctx restate.Context) error { return nil }
func (Audit) Check(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Orders", restate.Key(ctx), "Place").Request(1)
}`;
    const store = `package orders
type Store[T any] struct{}
func (s *Store[T]) Save(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "Orders", restate.Key(ctx), "Place").Request(1)
	return err
}`;
    const sketches = { "orders.go": sketchGo(orders), "ledger.go": sketchGo(ledger), "other.go": sketchGo(other), "store.go": sketchGo(store) };
    expect(sketches["orders.go"].waits).toEqual(expect.arrayContaining(["ServiceName@Ledger", "Store.Save()"]));
    expect(sketches["orders.go"].waits).not.toContain("ServiceName");
    expect(sketches["orders.go"].waits).not.toContain("*:Save()");
    const files = Object.entries(sketches).map(([file, sketch]) => ({ file, sketch }));
    expect([...cycleCandidates(files).candidates].sort()).toEqual(["ledger.go", "orders.go", "store.go"]);

    // A parameter the function also uses otherwise may hold another value: every ServiceName() and Save.
    const reassigned = sketchGo(orders.replace("\ts.Save(ctx)", "\ts = other()\n\ts.Save(ctx)\n\tl = pick()"));
    expect(reassigned.waits).toEqual(expect.arrayContaining(["ServiceName", "*:Save()"]));
    const broad = cycleCandidates([...files.filter((f) => f.file !== "orders.go"), { file: "orders.go", sketch: reassigned }]);
    expect([...broad.candidates].sort()).toEqual(["ledger.go", "orders.go", "other.go", "store.go"]);
  });

  it("links Go handlers, not files: a wait from a locking handler back to a shared one closes no cycle", () => {
    const cart = `package cart
type Cart struct{}
func (c *Cart) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "Ledger", restate.Key(ctx), "Record").Request(1)
	return err
}
func (c *Cart) Get(ctx restate.ObjectSharedContext) (int, error) { return 0, nil }`;
    const ledger = `package cart
type Ledger struct{}
func (Ledger) Record(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Cart", restate.Key(ctx), "Get").Request(1)
}`;
    const files = [
      { file: "cart.go", sketch: sketchGo(cart) },
      { file: "ledger.go", sketch: sketchGo(ledger) },
    ];
    expect(files[0]!.sketch.handlers).toEqual([
      { name: "Add", map: 0, lock: "cart.Cart" },
      { name: "Get", map: 0, lockless: true },
    ]);
    expect(files[0]!.sketch.sites).toEqual([{ in: 0, words: ["ctx", "Ledger", "restate", "Key", "Record"], calls: "Record" }]);
    expect([...cycleCandidates(files).candidates]).toEqual([]);
    // The same call to the locking handler is a cycle; so is one made from a helper the handler runs.
    const exclusive = sketchGo(ledger.replace('"Get"', '"Add"'));
    expect([...cycleCandidates([files[0]!, { file: "ledger.go", sketch: exclusive }]).candidates].sort()).toEqual(["cart.go", "ledger.go"]);
    const viaHelper = `package cart
type Ledger struct{}
func (Ledger) Record(ctx restate.ObjectContext) (int, error) { return ask(ctx) }`;
    const helper = `package cart
func ask(ctx restate.ObjectContext) (int, error) {
	return restate.Object[int](ctx, "Cart", restate.Key(ctx), "Add").Request(1)
}`;
    const withHelper = [files[0]!, { file: "ledger.go", sketch: sketchGo(viaHelper) }, { file: "ask.go", sketch: sketchGo(helper) }];
    expect([...cycleCandidates(withHelper).candidates].sort()).toEqual(["ask.go", "cart.go", "ledger.go"]);
  });

  it("holds one lock for a Go type's handlers written in several files", () => {
    // Add (one file) waits on Ledger, which asks Current (another file) through a generated client: one lock, a cycle.
    const add = `package counter
type Counter struct{}
func (Counter) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "Ledger", restate.Key(ctx), "Record").Request(1)
	return err
}`;
    const current = `package counter
func (Counter) Current(ctx restate.ObjectContext) (int, error) { return 0, nil }`;
    const ledger = `package counter
type Ledger struct{}
func (Ledger) Record(ctx restate.ObjectContext) (int, error) {
	return NewCounterClient(ctx, restate.Key(ctx)).Current().Request(restate.Void{})
}`;
    const files = Object.entries({ "add.go": add, "current.go": current, "ledger.go": ledger }).map(([file, text]) => ({ file, sketch: sketchGo(text) }));
    expect([...cycleCandidates(files).candidates].sort()).toEqual(["add.go", "current.go", "ledger.go"]);
  });

  it("links Go files by type names, service names and constants", () => {
    const goFile = `func (C) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, "A", restate.Key(ctx), "h").Request(1)
	return err
}`;
    const tsCallsGo = `export const a = restate.object({ name: "A", handlers: { async h(ctx) { await ctx.objectClient({ name: "C" }, ctx.key).add(); } } });`;
    const files = [
      { file: "c.go", sketch: sketchGo(`type C struct{}\n${goFile}`) },
      { file: "other.go", sketch: sketchGo(`type D struct{}`) },
      { file: "a.ts", sketch: sketch(tsCallsGo) },
      { file: "leaf.ts", sketch: sketch(leaf) },
    ];
    const last = cycleCandidates(files);
    expect([...last.candidates].sort()).toEqual(["a.ts", "c.go"]);
    const local = sketchGo(`type C struct{}\n${goFile.replace("return err", "draft := 1\n\treturn err")}`);
    expect(sameLinks(files[0]!.sketch, local, last)).toBe(true);
    const callsLeaf = sketchGo(`type C struct{}\n${goFile.replace('"A"', '"C2"').replace("return err", 'restate.Object[int](ctx, "c", "k", "h")\n\treturn err')}`);
    expect(sameLinks(files[0]!.sketch, callsLeaf, last)).toBe(false);
  });
});
