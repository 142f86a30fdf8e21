import { describe, expect, it } from "vitest";
import { type GoFileModel, extractGoModel } from "../../src/go/extract.js";
import { EMPTY_PACKAGE, type PackageView } from "../../src/go/package.js";
import { parseGo } from "../../src/go/parser.js";
import { go } from "./helpers.js";

function model(code: string, pkg: PackageView = EMPTY_PACKAGE): GoFileModel {
  const { root, error } = parseGo(code);
  expect(error).toBeNull();
  return extractGoModel(root, "x.go", pkg);
}

function services(m: GoFileModel): string[] {
  return m.services.map((s) => `${s.name}:${s.kind}(${s.handlers.map((h) => `${h.name}=${h.kind}`).join(",")})`);
}

/** The facts of each call site, compactly. */
function calls(m: GoFileModel) {
  return m.calls.map((c) => ({
    from: c.from ? `${c.from.service}.${c.from.handler}${c.via.length ? ` via ${c.via.join(">")}` : ""}` : null,
    mode: c.mode,
    target: c.target.by === "name" ? c.target.serviceName : c.target.by,
    kind: c.targetKind,
    handler: c.handler,
    key: c.key ? (c.key.kind === "literal" ? `"${c.key.value}"` : c.key.kind) : null,
    usage: c.usage,
  }));
}

describe("Go definitions", () => {
  it("reads restate.Reflect-style types: the context parameter decides the handler kind", () => {
    const m = model(go`
type Cart struct{}
func (c *Cart) Add(ctx restate.ObjectContext, item string) error { return nil }
func (c *Cart) Items(ctx restate.ObjectSharedContext) ([]string, error) { return nil, nil }
func (c *Cart) helper(ctx restate.ObjectContext) {}
func (c *Cart) Plain(n int) int { return n }

type Signup struct{}
func (Signup) Run(ctx restate.WorkflowContext, email string) (bool, error) { return true, nil }
func (Signup) Click(ctx restate.WorkflowSharedContext, secret string) error { return nil }

type Greeter struct{}
func (Greeter) Greet(ctx restate.Context, name string) (string, error) { return name, nil }
`);
    expect(services(m)).toEqual([
      "Cart:object(Add=exclusive,Items=shared)",
      "Signup:workflow(Run=workflow-run,Click=workflow-shared)",
      "Greeter:service(Greet=service)",
    ]);
  });

  it("takes the service name from ServiceName() and skips types that mix kinds", () => {
    const m = model(go`
type counter struct{}
func (counter) ServiceName() string { return "Counter" }
func (counter) Add(ctx restate.ObjectContext, n int) (int, error) { return n, nil }

type computed struct{}
func (computed) ServiceName() string { return prefix + "X" }
func (computed) Add(ctx restate.ObjectContext, n int) (int, error) { return n, nil }

type mixed struct{}
func (mixed) A(ctx restate.ObjectContext) error { return nil }
func (mixed) B(ctx restate.Context) error { return nil }
`);
    expect(services(m)).toEqual(["Counter:object(Add=exclusive)"]);
  });

  it("takes only the types the package passes to restate.Reflect, when it passes any", () => {
    const code = go`
type A struct{}
func (A) H(ctx restate.ObjectContext) error { return nil }
type Helper struct{}
func (Helper) Do(ctx restate.ObjectContext) error { return nil }
`;
    expect(services(model(code))).toEqual(["A:object(H=exclusive)", "Helper:object(Do=exclusive)"]);
    expect(services(model(`${code}
func main() { restate.Reflect(&A{}) }
`))).toEqual(["A:object(H=exclusive)"]);
    const elsewhere: PackageView = { ...EMPTY_PACKAGE, registrations: () => ({ types: new Map([["Helper", [{ by: "reflect" }]]]), followed: new Set(), complete: false }) };
    expect(services(model(code, elsewhere))).toEqual(["Helper:object(Do=exclusive)"]);
  });

  it("reads names from constants of the package's other files", () => {
    const pkg: PackageView = { ...EMPTY_PACKAGE, constant: (n) => ({ CartName: "Cart", StockName: "Stock" })[n] ?? null };
    const m = model(
      go`
type cart struct{}
func (cart) ServiceName() string { return CartName }
func (cart) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, StockName, restate.Key(ctx), "Take").Request(1)
	return err
}
`,
      pkg,
    );
    expect(services(m)).toEqual(["Cart:object(Add=exclusive)"]);
    expect(calls(m).map((c) => [c.from, c.target])).toEqual([["Cart.Add", "Stock"]]);
  });

  it("reads names from constants of other packages and ServiceName() methods of their types", () => {
    const AUTH = "example.com/bank/auth";
    const consts: Record<string, string> = { ServiceName: "AuthService", Get: "Get", DefaultKey: "global" };
    const pkg: PackageView = {
      ...EMPTY_PACKAGE,
      dir: "/bank/ledger",
      importedConstant: (importPath, name) => (importPath === AUTH ? (consts[name] ?? null) : null),
      resolve: (v) => (v.kind === "type" && v.pkg === AUTH ? { dir: "/bank/auth", type: v.name } : v.kind === "call" && v.pkg === AUTH && v.name === "New" ? { dir: "/bank/auth", type: "Auth" } : null),
      serviceName: (t) => (t.dir === "/bank/auth" && t.type === "Auth" ? "Authn" : null),
    };
    const m = model(
      `package ledger

import (
	restate "github.com/restatedev/sdk-go"
	"example.com/bank/auth"
)

type Ledger struct{}

func (Ledger) A(ctx restate.ObjectContext, a *auth.Auth) error {
	_, err := restate.Object[int](ctx, auth.ServiceName, auth.DefaultKey, auth.Get).Request(1)
	_, err = restate.Object[int](ctx, a.ServiceName(), restate.Key(ctx), "Get").Request(1)
	_, err = restate.Object[int](ctx, (auth.Auth{}).ServiceName(), restate.Key(ctx), "Get").Request(1)
	b := auth.New()
	_, err = restate.Object[int](ctx, b.ServiceName(), restate.Key(ctx), "Get").Request(1)
	name := auth.ServiceName
	_, err = restate.Object[int](ctx, name, restate.Key(ctx), "Get").Request(1)
	_, err = restate.Object[int](ctx, auth.Unknown, restate.Key(ctx), "Get").Request(1)
	_, err = restate.Object[int](ctx, (auth.Other{}).ServiceName(), restate.Key(ctx), "Get").Request(1)
	return err
}
`,
      pkg,
    );
    expect(calls(m).map((c) => [c.target, c.handler, c.key])).toEqual([
      ["AuthService", "Get", '"global"'],
      ["Authn", "Get", "sameAsCaller"],
      ["Authn", "Get", "sameAsCaller"],
      ["Authn", "Get", "sameAsCaller"],
      ["AuthService", "Get", "sameAsCaller"],
      ["unknown", "Get", "sameAsCaller"],
      ["unknown", "Get", "sameAsCaller"],
    ]);
  });

  it("reads a ServiceName() of this file's type called on a value, and constants naming constants", () => {
    const pkg: PackageView = { ...EMPTY_PACKAGE, importedConstant: (p, n) => (p === "example.com/x/api" && n === "Cart" ? "Cart" : null) };
    const m = model(
      `package cart

import (
	restate "github.com/restatedev/sdk-go"
	"example.com/x/api"
)

const Name = api.Cart

type cart struct{}
func (cart) ServiceName() string { return Name }
func (c cart) Add(ctx restate.ObjectContext) error {
	_, err := restate.Object[int](ctx, c.ServiceName(), restate.Key(ctx), "Peek").Request(1)
	return err
}
`,
      pkg,
    );
    expect(services(m)).toEqual(["Cart:object(Add=exclusive)"]);
    expect(calls(m).map((c) => [c.from, c.target])).toEqual([["Cart.Add", "Cart"]]);
  });

  it("reads the builder API, chained or through a variable", () => {
    const m = model(go`
var Orders = restate.NewObject("Orders").
	Handler("Place", restate.NewObjectHandler(place)).
	Handler("Peek", restate.NewObjectSharedHandler(func(ctx restate.ObjectSharedContext, _ restate.Void) (int, error) { return 0, nil }))

func place(ctx restate.ObjectContext, n int) (int, error) { return n, nil }

func init() {
	wf := restate.NewWorkflow("Shipping")
	wf.Handler("Run", restate.NewWorkflowHandler(func(ctx restate.WorkflowContext, id string) (string, error) { return id, nil }))
	wf.Handler("Status", restate.NewWorkflowSharedHandler(func(ctx restate.WorkflowSharedContext, _ restate.Void) (string, error) { return "", nil }))
	_ = restate.NewService("Mailer").Handler("Send", restate.NewServiceHandler(func(ctx restate.Context, to string) (restate.Void, error) { return restate.Void{}, nil }))
}
`);
    expect(services(m)).toEqual([
      "Orders:object(Place=exclusive,Peek=shared)",
      "Shipping:workflow(Run=workflow-run,Status=workflow-shared)",
      "Mailer:service(Send=service)",
    ]);
  });

  it("follows a renamed import and ignores files without the SDK", () => {
    const renamed = model(`package x
import sdk "github.com/restatedev/sdk-go"
type A struct{}
func (A) H(ctx sdk.ObjectContext) error { _, err := sdk.Object[int](ctx, "B", sdk.Key(ctx), "H").Request(1); return err }
`);
    expect(services(renamed)).toEqual(["A:object(H=exclusive)"]);
    expect(calls(renamed)).toEqual([{ from: "A.H", mode: "request", target: "B", kind: "object", handler: "H", key: "sameAsCaller", usage: "awaited" }]);

    const lookalike = model(`package x
import restate "example.com/not/restate"
type A struct{}
func (A) H(ctx restate.ObjectContext) error { _, err := restate.Object[int](ctx, "B", restate.Key(ctx), "H").Request(1); return err }
`);
    expect(lookalike.usesRestate).toBe(false);
    expect(lookalike.services).toEqual([]);
    expect(lookalike.calls).toEqual([]);
  });
});

describe("Go call sites", () => {
  it("waits on futures kept in a slice: each waited in a range loop or by index, or all at once", () => {
    const m = model(go`
type A struct{}
func (A) H(ctx restate.ObjectContext, keys []string) error {
	futs := make([]restate.ResponseFuture[int], len(keys))
	for i, k := range keys {
		futs[i] = restate.Object[int](ctx, "Ranged", k, "Get").RequestFuture(1)
	}
	for _, f := range futs {
		f.Response()
	}
	var all []restate.Future
	for _, k := range keys {
		all = append(all, restate.Object[int](ctx, "Waited", k, "Get").RequestFuture(1))
	}
	for fut, err := range restate.Wait(ctx, all...) {
		_, _ = fut, err
	}
	byIndex := []restate.ResponseFuture[int]{}
	one := restate.Object[int](ctx, "Indexed", "k", "Get").RequestFuture(1)
	byIndex = append(byIndex, one)
	byIndex[0].Response()
	kept := make([]restate.ResponseFuture[int], 1)
	kept[0] = restate.Object[int](ctx, "Kept", "k", "Get").RequestFuture(1)
	return nil
}
`);
    expect(calls(m).map((c) => `${c.target} ${c.usage}`)).toEqual(["Ranged stored-awaited", "Waited combined", "Indexed stored-awaited", "Kept stored"]);
  });

  it("recognises every client and how the caller waits", () => {
    const m = model(go`
type A struct{}
func (A) H(ctx restate.ObjectContext, in string) error {
	restate.Service[int](ctx, "Svc", "Do").Request(1)
	fut := restate.Object[int](ctx, "Obj", "k1", "Get").RequestFuture(1)
	fut.Response()
	restate.Workflow[int](ctx, "Wf", in, "Run").RequestFuture(1).Response()
	restate.ServiceSend(ctx, "Svc", "Ping").Send(1)
	restate.ObjectSend(ctx, "Obj", restate.Key(ctx), "Put").Send(1)
	restate.WorkflowSend(ctx, "Wf", restate.UUID(ctx).String(), "Run").Send(1)
	restate.Object[int](ctx, "Obj", in, "Put").Send(1)
	c := restate.Object[int](ctx, "Obj", "k2", "Get")
	c.Request(1)
	kept := restate.Service[int](ctx, "Svc", "Later").RequestFuture(1)
	_ = kept
	return nil
}
`);
    expect(calls(m)).toEqual([
      { from: "A.H", mode: "request", target: "Svc", kind: "service", handler: "Do", key: null, usage: "awaited" },
      { from: "A.H", mode: "request", target: "Obj", kind: "object", handler: "Get", key: '"k1"', usage: "stored-awaited" },
      { from: "A.H", mode: "request", target: "Wf", kind: "workflow", handler: "Run", key: "input", usage: "awaited" },
      { from: "A.H", mode: "send", target: "Svc", kind: "service", handler: "Ping", key: null, usage: "floating" },
      { from: "A.H", mode: "send", target: "Obj", kind: "object", handler: "Put", key: "sameAsCaller", usage: "floating" },
      { from: "A.H", mode: "send", target: "Wf", kind: "workflow", handler: "Run", key: "fresh", usage: "floating" },
      { from: "A.H", mode: "send", target: "Obj", kind: "object", handler: "Put", key: "input", usage: "floating" },
      { from: "A.H", mode: "request", target: "Obj", kind: "object", handler: "Get", key: '"k2"', usage: "awaited" },
      { from: "A.H", mode: "request", target: "Svc", kind: "service", handler: "Later", key: null, usage: "stored" },
    ]);
  });

  it("follows keys and names through local and file-level constants, and gives up on reassigned ones", () => {
    const m = model(go`
const target = "Obj"
type A struct{}
func (A) H(ctx restate.ObjectContext, in string) error {
	k := restate.Key(ctx)
	id := restate.Rand(ctx).UUID().String()
	lit := "fixed"
	moved := in
	changed := restate.Key(ctx)
	changed = "other"
	restate.Object[int](ctx, target, k, "A").Request(1)
	restate.Object[int](ctx, target, id, "A").Request(1)
	restate.Object[int](ctx, target, lit, "A").Request(1)
	restate.Object[int](ctx, target, moved, "A").Request(1)
	restate.Object[int](ctx, target, changed, "A").Request(1)
	restate.Object[int](ctx, name(), fmt.Sprint(in), handler).Request(1)
	return nil
}
`);
    expect(calls(m).map((c) => [c.target, c.handler, c.key])).toEqual([
      ["Obj", "A", "sameAsCaller"],
      ["Obj", "A", "fresh"],
      ["Obj", "A", '"fixed"'],
      ["Obj", "A", "input"],
      ["Obj", "A", "unknown"],
      ["unknown", null, "unknown"],
    ]);
  });

  it("reads options: delay and idempotency key texts, and options it cannot see", () => {
    const m = model(go`
type A struct{}
func (A) H(ctx restate.Context, opts []restate.SendOption) error {
	restate.ServiceSend(ctx, "S", "h").Send(1, restate.WithDelay(5*time.Minute), restate.WithIdempotencyKey("k-"+x))
	restate.Service[int](ctx, "S", "h").Request(1, restate.WithHeaders(nil))
	restate.ServiceSend(ctx, "S", "h").Send(1, opts...)
	return nil
}
`);
    expect(m.calls.map((c) => ({ ...c.options, node: undefined }))).toEqual([
      { form: "rpc.sendOpts", delay: "5*time.Minute", idempotencyKey: '"k-"+x', node: undefined },
      { form: "rpc.opts", delay: undefined, idempotencyKey: undefined, node: undefined },
      { form: "unknown", delay: undefined, idempotencyKey: undefined, node: undefined },
    ]);
  });

  it("sees sleeps with their durations, raced timers, attachments and Run closures", () => {
    const m = model(go`
const pause = 2 * time.Hour
type A struct{}
func (A) H(ctx restate.ObjectContext, d time.Duration) error {
	restate.Sleep(ctx, 5*time.Second)
	restate.Sleep(ctx, time.Hour*24)
	restate.Sleep(ctx, time.Duration(3)*time.Minute)
	restate.Sleep(ctx, pause)
	restate.Sleep(ctx, 1500000)
	restate.Sleep(ctx, d)
	restate.After(ctx, time.Minute).Done()
	timer := restate.After(ctx, time.Minute)
	fut := restate.Service[int](ctx, "S", "Slow").RequestFuture(1)
	restate.WaitFirst(ctx, fut, timer)
	inv := restate.ObjectSend(ctx, "O", "k", "Job").Send(1)
	restate.AttachInvocation[int](ctx, inv.GetInvocationId()).Response()
	restate.ObjectSend(ctx, "O", "k", "Other").Send(1)
	restate.Run(ctx, func(ctx restate.RunContext) (int, error) { return 0, nil })
	return nil
}
`);
    expect(m.sleeps.map((s) => [s.durationMs, s.usage])).toEqual([
      [5000, "awaited"],
      [86_400_000, "awaited"],
      [180_000, "awaited"],
      [7_200_000, "awaited"],
      [1.5, "awaited"],
      [null, "awaited"],
      [60_000, "awaited"],
      [60_000, "combined"],
    ]);
    const byHandler = Object.fromEntries(m.calls.map((c) => [c.handler, c]));
    expect(byHandler.Slow).toMatchObject({ usage: "combined", timeout: true });
    expect(byHandler.Job).toMatchObject({ mode: "send", attached: true });
    expect(byHandler.Other).toMatchObject({ mode: "send", attached: false });
    expect(m.runClosures.size).toBe(1);
  });

  it("follows the context into helper functions, once per handler that reaches them", () => {
    const m = model(go`
type A struct{}
func (a A) One(ctx restate.ObjectContext, in string) error { return notify(ctx, in) }
func (a A) Two(ctx restate.ObjectContext, in string) error { return a.relay(ctx) }
func (a A) relay(ctx restate.ObjectContext) error { return notify(ctx, "x") }
func notify(ctx restate.Context, who string) error {
	_, err := restate.Object[int](ctx, "B", who, "Ping").Request(1)
	return err
}
func orphan(ctx restate.Context) { restate.ServiceSend(ctx, "C", "h").Send(1) }
`);
    expect(calls(m).map((c) => [c.from, c.target, c.key])).toEqual([
      ["A.One via notify", "B", "unknown"],
      ["A.Two via A.relay>notify", "B", "unknown"],
      [null, "C", null],
    ]);
  });

  it("reads the forms of older SDK versions: ctx.Key(), ctx.Sleep(d), restate.Select", () => {
    const m = model(go`
type A struct{}
func (A) H(ctx restate.ObjectContext) error {
	ctx.Sleep(time.Minute)
	fut := restate.Object[int](ctx, "B", ctx.Key(), "H").RequestFuture(1)
	restate.Select(ctx, fut, ctx.After(time.Second))
	return nil
}
`);
    expect(m.sleeps.map((s) => [s.durationMs, s.usage])).toEqual([
      [60_000, "awaited"],
      [1000, "combined"],
    ]);
    expect(m.calls.map((c) => [c.key?.kind, c.usage, c.timeout])).toEqual([["sameAsCaller", "combined", true]]);
  });

  it("reads ingress calls", () => {
    const m = model(`package main
import (
	"context"
	restate "github.com/restatedev/sdk-go"
	"github.com/restatedev/sdk-go/ingress"
)
func main() {
	c := ingress.NewClient("http://localhost:8080")
	out, err := ingress.Object[int, int](c, "Counter", "k", "Add").Request(context.Background(), 1, restate.WithIdempotencyKey("x"))
	client := ingress.ServiceSend[string](c, "Mailer", "Send")
	client.Send(context.Background(), "hi")
	_, _ = out, err
}
`);
    expect(
      m.ingress.map((i) => [i.method, i.kind, i.service, i.handler, i.keyNode?.text ?? null, i.idempotencyKeyNode?.text ?? null, i.optionsReadable]),
    ).toEqual([
      ["Request", "object", "Counter", "Add", '"k"', '"x"', true],
      ["Send", "service", "Mailer", "Send", null, null, true],
    ]);
  });

  it("attributes the calls of a helper to the handlers of other files of the package that pass it their context", () => {
    const pkg: PackageView = {
      ...EMPTY_PACKAGE,
      helperReach: () => [
        { from: { service: "Deployer", handler: "Deploy" }, fromKind: "exclusive", via: ["Deployer.waitForBuildSlot"], dir: "", name: "Deployer.waitForBuildSlot", ctxArgs: [0] },
        { from: { service: "Deployer", handler: "Deploy" }, fromKind: "exclusive", via: ["prepare", "notify"], dir: "", name: "notify", ctxArgs: [1] },
        // The context lands on a parameter that is none: no context is passed.
        { from: { service: "Deployer", handler: "Undo" }, fromKind: "exclusive", via: ["notify"], dir: "", name: "notify", ctxArgs: [0] },
        // A function of the same name in another package is not this one.
        { from: { service: "Mailer", handler: "Send" }, fromKind: "exclusive", via: ["notify"], dir: "/elsewhere", name: "notify", ctxArgs: [1] },
      ],
    };
    const m = model(
      `package deploy

import restate "github.com/restatedev/sdk-go"

func (d Deployer) waitForBuildSlot(ctx restate.ObjectContext) error {
	_, err := restate.Object[string](ctx, "Deployer", restate.Key(ctx), "Status").Request("x")
	return err
}

func notify(id string, ctx restate.ObjectContext) error {
	return publish(ctx, id)
}

func publish(ctx restate.ObjectContext, id string) error {
	return restate.ObjectSend(ctx, "Mailer", id, "Send").Send(id)
}
`,
      pkg,
    );
    expect(m.calls.map((c) => [c.handler, c.from && `${c.from.service}.${c.from.handler}`, c.via.join(">")])).toEqual([
      ["Status", "Deployer.Deploy", "Deployer.waitForBuildSlot"],
      ["Send", "Deployer.Deploy", "prepare>notify>publish"],
    ]);
    expect(m.scopes.filter((s) => s.from).map((s) => s.info.name)).toEqual(["Deployer.waitForBuildSlot", "notify", "publish"]);
  });

  it("follows a context a handler hands on inside a function literal, not one of a function without a context", () => {
    const m = model(`package deploy

import restate "github.com/restatedev/sdk-go"

type Deployer struct{}

func (d Deployer) Deploy(ctx restate.ObjectContext) error {
	return step(ctx, func(stepCtx restate.ObjectContext) error {
		return route(stepCtx)
	})
}

func step(ctx restate.ObjectContext, fn func(restate.ObjectContext) error) error { return fn(ctx) }

func route(ctx restate.ObjectContext) error {
	_, err := restate.Object[string](ctx, "Router", "r", "Assign").Request("x")
	return err
}

func wire(register func(func(restate.ObjectContext) error)) {
	register(func(c restate.ObjectContext) error { return route(c) })
}
`);
    expect(calls(m).map((c) => c.from)).toEqual(["Deployer.Deploy via route"]);
    expect(m.functions.find((f) => f.name === "wire")?.ctxParams.size).toBe(0);
  });

  it("records the calls a handler passes its context to that its file does not declare", () => {
    const m = model(`package deploy

import restate "github.com/restatedev/sdk-go"

type Deployer struct{}

func (d Deployer) Deploy(ctx restate.ObjectContext, id string) error {
	other := d
	_ = other.elsewhere(ctx)
	_ = strings.ToUpper(id)
	_ = d.waitForBuildSlot(ctx)
	return notify(id, ctx)
}
`);
    expect(m.functions.map((f) => [f.name, f.externalCalls])).toEqual([
      [
        "Deployer.Deploy",
        [
          // A method called on another value of the receiver's type.
          { dir: "", name: "Deployer.elsewhere", ctxArgs: [0] },
          { dir: "", name: "Deployer.waitForBuildSlot", ctxArgs: [0] },
          { dir: "", name: "notify", ctxArgs: [1] },
        ],
      ],
    ]);
  });
});
