import { parse } from "@typescript-eslint/typescript-estree";
import { describe, expect, it } from "vitest";
import { extractFileModel } from "../src/ts/extract.js";
import { type IngressCall, bindingsOf, ingressCalls } from "../src/ts/ingress.js";

function calls(code: string): IngressCall[] {
  const program = parse(code, { range: true, loc: true });
  return ingressCalls(extractFileModel(program, "ingress.ts", code));
}

/** `Target.handler mode [exemption] options-state key?` per call, for readable assertions. */
function summary(code: string): string[] {
  return calls(code).map((c) => {
    const parts = [`${c.targetText}.${c.handler}`, c.mode];
    if (c.exemption) parts.push(c.exemption);
    parts.push(c.options.state);
    if (c.options.idempotencyKey || c.options.keyHeader) parts.push("key");
    return parts.join(" ");
  });
}

const NS = `import * as clients from "@restatedev/restate-sdk-clients";\n`;

describe("ingressCalls", () => {
  it("finds typed calls and sends through a client from connect()", () => {
    expect(
      summary(`${NS}
        const rs = clients.connect({ url: "http://localhost:8080" });
        export async function f(x: string) {
          await rs.serviceClient<Greeter>({ name: "Greeter" }).greet(x);
          await rs.objectSendClient(counter, "k").add(1, clients.rpc.sendOpts({ idempotencyKey: x }));
          const g = rs.objectClient(counter, x);
          await g.get();
        }`),
    ).toEqual(["Greeter.greet request none", "counter.add send read key", "counter.get request none"]);
  });

  it("accepts named, renamed and require imports of connect", () => {
    expect(summary(`import { connect } from "@restatedev/restate-sdk-clients";
      const rs = connect({ url: "u" }); rs.serviceClient(a).h(1);`)).toEqual(["a.h request none"]);
    expect(summary(`import { connect as restateConnect } from "@restatedev/restate-sdk-clients";
      restateConnect({ url: "u" }).serviceClient(a).h(1);`)).toEqual(["a.h request none"]);
    expect(summary(`const clients = require("@restatedev/restate-sdk-clients");
      const rs = clients.connect({ url: "u" }); rs.serviceSendClient(a).h(1);`)).toEqual(["a.h send none"]);
    expect(summary(`const { connect } = require("@restatedev/restate-sdk-clients");
      const rs = connect({ url: "u" }); rs.serviceClient(a).h(1);`)).toEqual(["a.h request none"]);
  });

  it("follows clients into function parameters: typed, or passed at a call site", () => {
    expect(
      summary(`${NS}
        async function typed(rs: clients.Ingress) { await rs.serviceClient(a).h(1); }
        async function untyped(ingress) { await ingress.serviceClient(b).h(1); }
        async function neverGivenAClient(other) { await other.serviceClient(c).h(1); }
        untyped(clients.connect({ url: "u" }));
        neverGivenAClient({});`),
    ).toEqual(["a.h request none", "b.h request none"]);
    expect(
      summary(`import { type Ingress } from "@restatedev/restate-sdk-clients";
        export const order = async (rs: Ingress | undefined) => rs!.objectClient(o, "k").h(1);`),
    ).toEqual(["o.h request none"]);
  });

  it("respects shadowing", () => {
    expect(
      summary(`${NS}
        const rs = clients.connect({ url: "u" });
        function f() { const rs = makeSomethingElse(); return rs.serviceClient(a).h(1); }
        function g(rs) { return rs.serviceClient(a).h(1); }
        g({});`),
    ).toEqual([]);
  });

  it("finds clients held by a class", () => {
    expect(
      summary(`${NS}
        class Orders {
          private readonly rs = clients.connect({ url: "u" });
          constructor(private readonly ingress: clients.Ingress) {}
          async a() { await this.rs.serviceClient(s).h(1); }
          async b() { await this.ingress.serviceClient(s).h(2); }
          async c() { await this.other.serviceClient(s).h(3); }
          d() { return function (this: unknown) { return this.rs.serviceClient(s).h(4); }; }
          static e() { return this.rs.serviceClient(s).h(5); }
          static { this.rs.serviceClient(s).h(6); }
          static shared = clients.connect({ url: "u" });
          static f() { return this.shared.serviceClient(s).g(7); }
        }`),
    ).toEqual(["s.h request none", "s.h request none", "s.g request none"]);
  });

  it("marks workflow operations as exempt", () => {
    expect(
      summary(`${NS}
        const rs = clients.connect({ url: "u" });
        const wf = rs.workflowClient(signup, id);
        await wf.workflowSubmit(user);
        await wf.workflowAttach();
        await wf.workflowOutput();
        await wf.click("secret");`),
    ).toEqual([
      "signup.workflowSubmit send workflowSubmit none",
      "signup.workflowAttach request workflowAttach none",
      "signup.workflowOutput request workflowOutput none",
      "signup.click request workflowHandler none",
    ]);
  });

  it("reads generic call and send requests with their opts", () => {
    expect(
      summary(`${NS}
        const rs = clients.connect({ url: "u" });
        await rs.call({ service: "Greeter", handler: "greet", parameter: "x" });
        await rs.send({ service: "Counter", handler: "add", key: "k", parameter: 1, opts: clients.rpc.sendOpts({ idempotencyKey: "i" }) });
        await rs.call({ service: "Signup", handler: "run", key: "id", parameter: 1 });
        await rs.call({ ...request });`),
    ).toEqual([
      "Greeter.greet request none",
      "Counter.add send read key",
      "Signup.run request workflowRun none",
      "?.null request unknown",
    ]);
  });

  it("tells options from input and treats unreadable options as unknown", () => {
    expect(
      summary(`${NS}import * as restate from "@restatedev/restate-sdk";
        const rs = clients.connect({ url: "u" });
        const shared = clients.Opts.from({ timeout: 1000 });
        declare const fromElsewhere: clients.Opts<unknown, unknown>;
        await rs.serviceClient(a).h(shared);
        await rs.serviceClient(a).h(1, fromElsewhere);
        await rs.serviceClient(a).h(fromElsewhere);
        await rs.serviceClient(a).h(1, new clients.Opts({ headers: { "Idempotency-Key": k } }));
        await rs.serviceClient(a).h(1, clients.rpc.opts({ ...base }));
        await rs.serviceClient(a).h(request);
        await rs.serviceClient(a).h(restate.rpc.opts({ timeout: 1 }));`),
    ).toEqual([
      "a.h request read",
      "a.h request unknown",
      "a.h request unknown",
      "a.h request read key",
      "a.h request unknown",
      "a.h request none",
      "a.h request unknown",
    ]);
  });

  it("knows descriptors: services without a key, workflows by their iface kind", () => {
    const code = `${NS}import { iface } from "@restatedev/restate-sdk";
      const signupApi = iface.workflow("Signup", { run: iface.json<string, void>() });
      const rs = clients.connect({ url: "u" });
      await rs.client(greeterApi).greet("x");
      await rs.client(signupApi, "id").run("x");
      await rs.sendClient(counterApi, "k").add(1);
      await rs.client(counterApi, "k").run(1);`;
    expect(summary(code)).toEqual([
      "greeterApi.greet request none",
      "Signup.run request workflowRun none",
      "counterApi.add send none",
      "counterApi.run request workflowRun none",
    ]);
    const program = parse(code, { range: true, loc: true });
    const model = extractFileModel(program, "x.ts", code);
    expect(ingressCalls(model)[0]!.targetKind).toBe("service");
    expect(bindingsOf(model)).toBe(bindingsOf(model));
  });

  it("sees nothing without the clients package", () => {
    expect(
      summary(`import * as restate from "@restatedev/restate-sdk";
        const rs = connect({ url: "u" }); rs.serviceClient(a).h(1);`),
    ).toEqual([]);
  });
});
