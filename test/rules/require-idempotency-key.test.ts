import { fileURLToPath } from "node:url";
import type { InvalidTestCase, RunTests, ValidTestCase } from "@typescript-eslint/rule-tester";
import { beforeEach } from "vitest";
import rule from "../../rules/require-idempotency-key.js";
import { ProjectIndex } from "../../src/project/index.js";
import { projectFile, ruleTester, ts } from "../rule-tester.js";

type MessageIds = "missingIdempotencyKey" | "missingIdempotencyKeyInHandler" | "addIdempotencyKey";
type Options = [{ targets?: string[]; testFiles?: string[]; testImports?: string[] }];

beforeEach(() => ProjectIndex.reset());

const NS = `import * as clients from "@restatedev/restate-sdk-clients";\n`;
const KEY = "TODO_idempotencyKey";

/** One report with one suggestion whose output is `output`. */
function ingressError(output: string) {
  return { messageId: "missingIdempotencyKey" as const, suggestions: [{ messageId: "addIdempotencyKey" as const, output }] };
}
function handlerError(output: string) {
  return { messageId: "missingIdempotencyKeyInHandler" as const, suggestions: [{ messageId: "addIdempotencyKey" as const, output }] };
}

/** A file of a project that defines `Counter` (object: `add` exclusive, `get` shared) in `src/counter.ts`. */
function fixtureFile(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/ingress-targets/${name}`, import.meta.url));
}

/** Each case in an empty project unless it names its file: targets defined elsewhere stay unresolved. */
function inProject(tests: RunTests<MessageIds, Options>): RunTests<MessageIds, Options> {
  const filename = projectFile("client.ts");
  return {
    valid: tests.valid.map((c): ValidTestCase<Options> => (typeof c === "string" ? { code: c, filename } : { filename, ...c })),
    invalid: tests.invalid.map((c): InvalidTestCase<MessageIds, Options> => ({ filename, ...c })),
  };
}

const COUNTER = `import * as restate from "@restatedev/restate-sdk";
const counter = restate.object({ name: "Counter", handlers: {
  add: async (ctx: restate.ObjectContext, n: number) => n,
  get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0),
} });
`;

ruleTester().run("require-idempotency-key", rule, inProject({
  valid: [
    // Keys given through every options form.
    `${NS}const rs = clients.connect({ url: "http://localhost:8080" });
     export async function a(order: Order) {
       await rs.serviceClient(payments).charge(order, clients.rpc.opts({ idempotencyKey: order.id }));
       await rs.objectSendClient(cart, order.user).checkout(order, clients.rpc.sendOpts({ idempotencyKey: order.id, delay: 1000 }));
       await rs.objectClient(cart, order.user).get(clients.Opts.from({ idempotencyKey: order.id }));
       await rs.serviceSendClient(mailer).send(order, clients.SendOpts.from({ idempotencyKey: order.id }));
       await rs.serviceClient(payments).charge(order, new clients.Opts({ idempotencyKey: order.id }));
       await rs.serviceClient(payments).charge(order, clients.rpc.opts({ headers: { "idempotency-key": order.id } }));
       await rs.call({ service: "Payments", handler: "charge", parameter: order, opts: clients.rpc.opts({ idempotencyKey: order.id }) });
     }`,
    // Workflows are identified by their ID: submit, attach, output and shared handlers need no key.
    `${NS}const rs = clients.connect({ url: "http://localhost:8080" });
     export async function signup(user: User) {
       const wf = rs.workflowClient(signupWorkflow, user.id);
       await wf.workflowSubmit(user);
       await wf.workflowAttach();
       await wf.workflowOutput();
       await rs.workflowClient(signupWorkflow, user.id).verifyEmail("secret");
       await rs.call({ service: "Signup", handler: "run", key: user.id, parameter: user });
     }`,
    // A 1.17 workflow descriptor defined in this file.
    `${NS}import { iface } from "@restatedev/restate-sdk";
     const signupApi = iface.workflow("Signup", { run: iface.json<string, void>(), click: iface.json<string, void>() });
     const rs = clients.connect({ url: "http://localhost:8080" });
     export const go = async (id: string) => { await rs.client(signupApi, id).run(id); await rs.client(signupApi, id).click("x"); };`,
    // Options we cannot see into may hold a key.
    `${NS}import { opts } from "./shared-opts";
     const rs = clients.connect({ url: "http://localhost:8080" });
     export async function a(x: string, o: clients.Opts<string, string>) {
       await rs.serviceClient(greeter).greet(x, opts);
       await rs.serviceClient(greeter).greet(x, o);
       await rs.serviceClient(greeter).greet(x, clients.rpc.opts({ ...opts }));
       await rs.call(request);
     }`,
    // Something that only looks like a client.
    `${NS}const rs = makeHttpClient();
     export async function a() { await rs.serviceClient(greeter).greet("x"); await rs.call({ service: "S", handler: "h", parameter: 1 }); }`,
    // A parameter that shadows the module-level client and is never given one.
    `${NS}const rs = clients.connect({ url: "http://localhost:8080" });
     export async function a(rs: Mock) { await rs.serviceClient(greeter).greet("x"); }`,
    // No ingress package at all.
    ts`const rs = connect({ url: "http://localhost:8080" }); rs.serviceClient(greeter).greet("x");`,
    // In handlers, nothing is required unless the target is listed.
    ts`export const shop = restate.service({ name: "Shop", handlers: {
      buy: async (ctx: restate.Context, order: Order) => { await ctx.serviceClient(payments).charge(order); } } });`,
    {
      code: ts`const payments = restate.service({ name: "PaymentService", handlers: { charge: async (ctx: restate.Context, o: Order) => o, refund: async (ctx: restate.Context, o: Order) => o } });
      export const shop = restate.service({ name: "Shop", handlers: {
        buy: async (ctx: restate.Context, order: Order) => {
          await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: order.id }));
          await ctx.serviceClient(payments).refund(order);
          ctx.genericSend({ service: "PaymentService", method: "charge", parameter: order, idempotencyKey: order.id });
          await ctx.serviceClient(payments).charge(order, sharedOpts);
        } } });`,
      options: [{ targets: ["PaymentService/charge"] }],
    },
    {
      // A workflow's run is started once per workflow ID, whatever the targets say.
      code: ts`export const shop = restate.service({ name: "Shop", handlers: {
        buy: async (ctx: restate.Context, id: string) => { await ctx.workflowClient<Signup>({ name: "Signup" }, id).run(id); } } });`,
      options: [{ targets: ["Signup/*"] }],
    },
    {
      // Imported definitions match only by the name they are exported under.
      code: ts`import { payments } from "./payments";
      export const shop = restate.service({ name: "Shop", handlers: {
        buy: async (ctx: restate.Context, order: Order) => { await ctx.serviceClient(payments).charge(order); } } });`,
      options: [{ targets: ["PaymentService/charge"] }],
    },
    // Shared handlers of a definition in this file: by the definition, a `{ name }` stub, a generic call, a descriptor.
    `${COUNTER}${NS}const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").get();
await rs.objectClient<typeof counter>({ name: "Counter" }, "k").get();
await rs.call({ service: "Counter", handler: "get", key: "k" });`,
    `import { iface } from "@restatedev/restate-sdk";
${NS}const counterApi = iface.object("Counter", { add: iface.json<number, number>(), get: iface.shared.json<void, number>() });
const rs = clients.connect({ url: "u" });
await rs.client(counterApi, "k").get();`,
    {
      // Shared handlers of a definition in another file of the project: imported, or named.
      filename: fixtureFile("src/client.ts"),
      code: `${NS}import { counter, type Counter } from "./counter.js";
const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").get();
await rs.objectClient<Counter>({ name: "Counter" }, "k").get();
await rs.call({ service: "Counter", handler: "get", key: "k" });`,
    },
    {
      // A shared handler made by a create*Handler wrapper, called by its { name } stub.
      filename: fixtureFile("src/client.ts"),
      code: `${NS}const Reader = { name: "Reader" };
await clients.connect({ url: "u" }).objectClient(Reader, "k").current();`,
    },
    {
      // Through a barrel that renames it: the target resolves as the call graph resolves it.
      filename: fixtureFile("src/client.ts"),
      code: `${NS}import { counterObject } from "./index.js";
await clients.connect({ url: "u" }).objectClient(counterObject, "k").get();`,
    },
    // Test code, by its path.
    { filename: projectFile("checkout.test.ts"), code: `${NS}await clients.connect({ url: "u" }).serviceClient(payments).charge(order);` },
    { filename: projectFile("checkout.spec.mts"), code: `${NS}await clients.connect({ url: "u" }).serviceClient(payments).charge(order);` },
    { filename: projectFile("e2e/checkout.ts"), code: `${NS}await clients.connect({ url: "u" }).serviceClient(payments).charge(order);` },
    { filename: projectFile("__tests__/checkout.ts"), code: `${NS}await clients.connect({ url: "u" }).serviceClient(payments).charge(order);` },
    // Test code, by what it imports: a runner, Node's test module, Restate's test environment.
    `import { describe, it } from "vitest";
${NS}describe("checkout", () => it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order); }));`,
    `import test from "node:test";
${NS}test("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order); });`,
    `import { RestateTestEnvironment } from "@restatedev/restate-sdk-testcontainers";
${NS}export async function seed(env: RestateTestEnvironment) { await clients.connect({ url: env.baseUrl() }).serviceClient(payments).charge(order); }`,
    `const { it } = require("mocha");
const clients = require("@restatedev/restate-sdk-clients");
it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order); });`,
    {
      // Listed in-handler targets are not asked of test code either.
      filename: projectFile("tests/services.ts"),
      code: ts`export const shop = restate.service({ name: "Shop", handlers: {
        buy: async (ctx: restate.Context, order: Order) => { await ctx.serviceClient<Payments>({ name: "Payments" }).charge(order); } } });`,
      options: [{ targets: ["Payments/*"] }],
    },
    {
      // Paths of one's own.
      filename: projectFile("integration/checkout.ts"),
      code: `${NS}await clients.connect({ url: "u" }).serviceClient(payments).charge(order);`,
      options: [{ testFiles: ["**/integration/**"] }],
    },
  ],
  invalid: [
    {
      // A module-level singleton; a call with input gets options appended.
      code: `${NS}export const restateClient = clients.connect({ url: "http://localhost:8080" });
export async function charge(order: Order) {
  return restateClient.serviceClient<Payments>({ name: "Payments" }).charge(order);
}`,
      errors: [
        ingressError(`${NS}export const restateClient = clients.connect({ url: "http://localhost:8080" });
export async function charge(order: Order) {
  return restateClient.serviceClient<Payments>({ name: "Payments" }).charge(order, clients.rpc.opts({ idempotencyKey: ${KEY} }));
}`),
      ],
    },
    {
      // Sends get `sendOpts`; the key is merged into existing options.
      code: `${NS}const rs = clients.connect({ url: "u" });
await rs.objectSendClient(cart, user).checkout(order, clients.rpc.sendOpts({ delay: 1000 }));
await rs.serviceClient(greeter).greet("x", clients.Opts.from({ timeout: 5000 }));
await rs.serviceSendClient(mailer).send("x", clients.SendOpts.from({}));`,
      errors: [
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.objectSendClient(cart, user).checkout(order, clients.rpc.sendOpts({ delay: 1000, idempotencyKey: ${KEY} }));
await rs.serviceClient(greeter).greet("x", clients.Opts.from({ timeout: 5000 }));
await rs.serviceSendClient(mailer).send("x", clients.SendOpts.from({}));`),
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.objectSendClient(cart, user).checkout(order, clients.rpc.sendOpts({ delay: 1000 }));
await rs.serviceClient(greeter).greet("x", clients.Opts.from({ timeout: 5000, idempotencyKey: ${KEY} }));
await rs.serviceSendClient(mailer).send("x", clients.SendOpts.from({}));`),
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.objectSendClient(cart, user).checkout(order, clients.rpc.sendOpts({ delay: 1000 }));
await rs.serviceClient(greeter).greet("x", clients.Opts.from({ timeout: 5000 }));
await rs.serviceSendClient(mailer).send("x", clients.SendOpts.from({ idempotencyKey: ${KEY} }));`),
      ],
    },
    {
      // A client passed to a function as a parameter typed with the package's `Ingress`; a handler without input.
      code: `${NS}async function refresh(rs: clients.Ingress, user: string) {
  await rs.objectClient(profile, user).refresh();
}`,
      errors: [
        ingressError(`${NS}async function refresh(rs: clients.Ingress, user: string) {
  await rs.objectClient(profile, user).refresh(clients.rpc.opts({ idempotencyKey: ${KEY} }));
}`),
      ],
    },
    {
      // An untyped parameter that is given a client; named imports spell the helper as imported.
      code: `import { connect, rpc } from "@restatedev/restate-sdk-clients";
async function place(ingress, order) {
  const orders = ingress.serviceSendClient(orderService);
  await orders.place(order);
}
await place(connect({ url: "u" }), order);`,
      errors: [
        ingressError(`import { connect, rpc } from "@restatedev/restate-sdk-clients";
async function place(ingress, order) {
  const orders = ingress.serviceSendClient(orderService);
  await orders.place(order, rpc.sendOpts({ idempotencyKey: ${KEY} }));
}
await place(connect({ url: "u" }), order);`),
      ],
    },
    {
      // Without a binding that reaches `rpc`, the report comes without a suggestion.
      code: `const { connect: open } = require("@restatedev/restate-sdk-clients");
const rs = open({ url: "u" });
rs.serviceClient(greeter).greet("x");`,
      errors: [{ messageId: "missingIdempotencyKey", suggestions: [] }],
    },
    {
      // Generic calls: `opts:` is added to the request, or the key merged into it.
      code: `${NS}const rs = clients.connect({ url: "u" });
await rs.call({ service: "Greeter", handler: "greet", parameter: "x" });
await rs.send({ service: "Counter", handler: "add", key: "k", parameter: 1, opts: clients.rpc.sendOpts({ delay: 10 }) });`,
      errors: [
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.call({ service: "Greeter", handler: "greet", parameter: "x", opts: clients.rpc.opts({ idempotencyKey: ${KEY} }) });
await rs.send({ service: "Counter", handler: "add", key: "k", parameter: 1, opts: clients.rpc.sendOpts({ delay: 10 }) });`),
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.call({ service: "Greeter", handler: "greet", parameter: "x" });
await rs.send({ service: "Counter", handler: "add", key: "k", parameter: 1, opts: clients.rpc.sendOpts({ delay: 10, idempotencyKey: ${KEY} }) });`),
      ],
    },
    {
      // 1.17 descriptor clients, and a scoped client.
      code: `${NS}const rs = clients.connect({ url: "u" });
await rs.client(greeterApi).greet("x");
await rs.sendClient(counterApi, "k").add(1);
await rs.scope("tenant-1").serviceClient(greeter).greet("y");`,
      errors: [
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.client(greeterApi).greet("x", clients.rpc.opts({ idempotencyKey: ${KEY} }));
await rs.sendClient(counterApi, "k").add(1);
await rs.scope("tenant-1").serviceClient(greeter).greet("y");`),
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.client(greeterApi).greet("x");
await rs.sendClient(counterApi, "k").add(1, clients.rpc.sendOpts({ idempotencyKey: ${KEY} }));
await rs.scope("tenant-1").serviceClient(greeter).greet("y");`),
        ingressError(`${NS}const rs = clients.connect({ url: "u" });
await rs.client(greeterApi).greet("x");
await rs.sendClient(counterApi, "k").add(1);
await rs.scope("tenant-1").serviceClient(greeter).greet("y", clients.rpc.opts({ idempotencyKey: ${KEY} }));`),
      ],
    },
    {
      // A client held by a class; options stored in a variable are shared, so not edited.
      code: `${NS}const fast = clients.rpc.opts({ timeout: 100 });
class Api {
  constructor(private readonly rs: clients.Ingress) {}
  get(id: string) { return this.rs.objectClient(user, id).get(fast); }
}`,
      errors: [{ messageId: "missingIdempotencyKey", suggestions: [] }],
    },
    {
      // In handlers, listed targets: a local definition, a `{ name }` reference, a generic send, an import by its exported name.
      code: ts`import { PaymentService } from "./payments";
const ledger = restate.object({ name: "Ledger", handlers: { record: async (ctx: restate.ObjectContext, n: number) => n } });
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
    await ctx.objectClient(ledger, order.id).record(order.total);
    ctx.objectSendClient<Ledger>({ name: "Ledger" }, order.id).record(1, restate.rpc.sendOpts({ delay: 100 }));
    ctx.genericSend({ service: "Ledger", method: "audit", parameter: order });
    await ctx.serviceClient(PaymentService).charge(order);
  } } });`,
      options: [{ targets: ["Ledger/*", "PaymentService/charge"] }],
      errors: [
        handlerError(ts`import { PaymentService } from "./payments";
const ledger = restate.object({ name: "Ledger", handlers: { record: async (ctx: restate.ObjectContext, n: number) => n } });
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
    await ctx.objectClient(ledger, order.id).record(order.total, restate.rpc.opts({ idempotencyKey: ${KEY} }));
    ctx.objectSendClient<Ledger>({ name: "Ledger" }, order.id).record(1, restate.rpc.sendOpts({ delay: 100 }));
    ctx.genericSend({ service: "Ledger", method: "audit", parameter: order });
    await ctx.serviceClient(PaymentService).charge(order);
  } } });`),
        handlerError(ts`import { PaymentService } from "./payments";
const ledger = restate.object({ name: "Ledger", handlers: { record: async (ctx: restate.ObjectContext, n: number) => n } });
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
    await ctx.objectClient(ledger, order.id).record(order.total);
    ctx.objectSendClient<Ledger>({ name: "Ledger" }, order.id).record(1, restate.rpc.sendOpts({ delay: 100, idempotencyKey: ${KEY} }));
    ctx.genericSend({ service: "Ledger", method: "audit", parameter: order });
    await ctx.serviceClient(PaymentService).charge(order);
  } } });`),
        handlerError(ts`import { PaymentService } from "./payments";
const ledger = restate.object({ name: "Ledger", handlers: { record: async (ctx: restate.ObjectContext, n: number) => n } });
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
    await ctx.objectClient(ledger, order.id).record(order.total);
    ctx.objectSendClient<Ledger>({ name: "Ledger" }, order.id).record(1, restate.rpc.sendOpts({ delay: 100 }));
    ctx.genericSend({ service: "Ledger", method: "audit", parameter: order, idempotencyKey: ${KEY} });
    await ctx.serviceClient(PaymentService).charge(order);
  } } });`),
        handlerError(ts`import { PaymentService } from "./payments";
const ledger = restate.object({ name: "Ledger", handlers: { record: async (ctx: restate.ObjectContext, n: number) => n } });
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
    await ctx.objectClient(ledger, order.id).record(order.total);
    ctx.objectSendClient<Ledger>({ name: "Ledger" }, order.id).record(1, restate.rpc.sendOpts({ delay: 100 }));
    ctx.genericSend({ service: "Ledger", method: "audit", parameter: order });
    await ctx.serviceClient(PaymentService).charge(order, restate.rpc.opts({ idempotencyKey: ${KEY} }));
  } } });`),
      ],
    },
    {
      // The exclusive handler of a definition in this file; its shared `get` is not reported.
      code: `${COUNTER}${NS}const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").get();
await rs.objectClient(counter, "k").add(1);`,
      errors: [
        ingressError(`${COUNTER}${NS}const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").get();
await rs.objectClient(counter, "k").add(1, clients.rpc.opts({ idempotencyKey: ${KEY} }));`),
      ],
    },
    {
      // By name, where this file defines "Counter" again (twice, exclusive `get`) and another file
      // declares it shared: the definitions disagree, so the call is reported. The other file's
      // sketch alone would have settled it.
      filename: fixtureFile("src/client.ts"),
      code: `import * as restate from "@restatedev/restate-sdk";
${NS}export const a = restate.object({ name: "Counter", handlers: { get: async (ctx: restate.ObjectContext) => 0 } });
export const b = restate.object({ name: "Counter", handlers: { get: async (ctx: restate.ObjectContext) => 1 } });
await clients.connect({ url: "u" }).objectClient({ name: "Counter" }, "k").get();`,
      errors: [
        ingressError(`import * as restate from "@restatedev/restate-sdk";
${NS}export const a = restate.object({ name: "Counter", handlers: { get: async (ctx: restate.ObjectContext) => 0 } });
export const b = restate.object({ name: "Counter", handlers: { get: async (ctx: restate.ObjectContext) => 1 } });
await clients.connect({ url: "u" }).objectClient({ name: "Counter" }, "k").get(clients.rpc.opts({ idempotencyKey: ${KEY} }));`),
      ],
    },
    {
      // In another file: the exclusive `add`, and a `get` whose definition cannot be found.
      filename: fixtureFile("src/client.ts"),
      code: `${NS}import { counter } from "./counter.js";
import { ledger } from "./missing.js";
const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").add(1);
await rs.objectClient(ledger, "k").get();`,
      errors: [
        ingressError(`${NS}import { counter } from "./counter.js";
import { ledger } from "./missing.js";
const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").add(1, clients.rpc.opts({ idempotencyKey: ${KEY} }));
await rs.objectClient(ledger, "k").get();`),
        ingressError(`${NS}import { counter } from "./counter.js";
import { ledger } from "./missing.js";
const rs = clients.connect({ url: "u" });
await rs.objectClient(counter, "k").add(1);
await rs.objectClient(ledger, "k").get(clients.rpc.opts({ idempotencyKey: ${KEY} }));`),
      ],
    },
    {
      // The test-code exemption turned off.
      filename: projectFile("checkout.test.ts"),
      code: `import { it } from "vitest";
${NS}it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order); });`,
      options: [{ testFiles: [], testImports: [] }],
      errors: [
        ingressError(`import { it } from "vitest";
${NS}it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order, clients.rpc.opts({ idempotencyKey: ${KEY} })); });`),
      ],
    },
    {
      // `testFiles` replaces the default paths, `testImports` the default modules.
      filename: projectFile("checkout.test.ts"),
      code: `import { it } from "vitest";
${NS}it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order); });`,
      options: [{ testFiles: ["**/integration/**"], testImports: ["ava"] }],
      errors: [
        ingressError(`import { it } from "vitest";
${NS}it("charges", async () => { await clients.connect({ url: "u" }).serviceClient(payments).charge(order, clients.rpc.opts({ idempotencyKey: ${KEY} })); });`),
      ],
    },
  ],
}));
