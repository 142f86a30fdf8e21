import rule from "../../rules/valid-idempotency-key.js";
import { ruleTester, ts } from "../rule-tester.js";

const NS = `import * as clients from "@restatedev/restate-sdk-clients";\n`;

/** Wraps handler body lines in a service definition. */
function handler(body: string, head = ""): string {
  return ts`${head}export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (ctx: restate.Context, order: Order) => {
${body}
  } } });`;
}

function randomError(output: string) {
  return { messageId: "nondeterministicKey" as const, suggestions: [{ messageId: "useCtxRandUuid" as const, output }] };
}

const MIXED = handler(
  `    ctx.genericSend({ service: "Mailer", method: "send", parameter: order, idempotencyKey: String(Math.random()) });
    await ctx.genericCall({ service: "Ledger", method: "add", key: order.id, parameter: order, idempotencyKey: new Date().toISOString() });
    ctx.serviceSendClient(mailer).send(order, restate.SendOpts.from({ idempotencyKey: uuid.v7() }));
    ctx.serviceSendClient(mailer).send(order, restate.rpc.sendOpts({ idempotencyKey: "n-" + nanoid() }));`,
  `import * as uuid from "uuid";\nimport { nanoid } from "nanoid";\n`,
);

ruleTester().run("valid-idempotency-key", rule, {
  valid: [
    // Keys derived from the request, the object key, or recorded randomness.
    handler(`    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: order.id }));
    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: \`charge-\${order.id}\` }));
    ctx.serviceSendClient(mailer).send(order, restate.rpc.sendOpts({ idempotencyKey: ctx.rand.uuidv4() }));
    const key = await ctx.run("key", () => crypto.randomUUID());
    ctx.genericSend({ service: "Mailer", method: "send", parameter: order, idempotencyKey: key });
    const at = new Date(order.createdAt).toISOString();
    ctx.serviceSendClient(mailer).send(order, restate.rpc.sendOpts({ idempotencyKey: at }));`),
    // Name-based uuids (v5) are deterministic.
    handler(
      `    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: v5(order.id, NS) }));`,
      `import { v5 } from "uuid";\n`,
    ),
    // A local `crypto` that is not the global one.
    handler(`    const crypto = { randomUUID: () => order.id };
    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: crypto.randomUUID() }));`),
    // A constant key on an object whose key varies: at most once per object key, on purpose.
    handler(`    await ctx.objectClient(account, order.user).open(order, restate.rpc.opts({ idempotencyKey: "open" }));`),
    // At the ingress a random key is the caller's business (made once and reused across its own retries, it is right).
    `${NS}const rs = clients.connect({ url: "u" });
     export async function place(order: Order) {
       const key = crypto.randomUUID();
       await rs.serviceClient(orders).place(order, clients.rpc.opts({ idempotencyKey: key }));
       await rs.serviceClient(orders).place(order, clients.rpc.opts({ idempotencyKey: \`\${Date.now()}\` }));
     }`,
    // A constant key at the ingress towards a varying object key or workflow ID.
    `${NS}const rs = clients.connect({ url: "u" });
     export const open = (user: string) => rs.objectClient(account, user).open(1, clients.rpc.opts({ idempotencyKey: "open-account" }));`,
    // Options that are not Restate's.
    handler(`    await http.post(url, someLib.opts({ idempotencyKey: "fixed" }));`),
  ],
  invalid: [
    {
      code: handler(`    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: crypto.randomUUID() }));`),
      errors: [
        randomError(
          handler(`    await ctx.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: ctx.rand.uuidv4() }));`),
        ),
      ],
    },
    {
      // Through a local variable, from the uuid package under another name: the initializer is replaced.
      code: handler(
        `    const key = uuidv4();
    ctx.objectSendClient(ledger, order.id).record(order, restate.rpc.sendOpts({ idempotencyKey: key }));`,
        `import { v4 as uuidv4 } from "uuid";\n`,
      ),
      errors: [
        randomError(
          handler(
            `    const key = ctx.rand.uuidv4();
    ctx.objectSendClient(ledger, order.id).record(order, restate.rpc.sendOpts({ idempotencyKey: key }));`,
            `import { v4 as uuidv4 } from "uuid";\n`,
          ),
        ),
      ],
    },
    {
      // The clock in a template: the whole key is replaced (a number is no drop-in for an id).
      code: handler(`    await ctx.serviceClient(payments).charge(order, restate.Opts.from({ idempotencyKey: \`charge-\${Date.now()}\` }));`),
      errors: [
        randomError(handler(`    await ctx.serviceClient(payments).charge(order, restate.Opts.from({ idempotencyKey: ctx.rand.uuidv4() }));`)),
      ],
    },
    {
      // Generic calls; Math.random, new Date(), a namespace import of uuid, nanoid.
      code: MIXED,
      errors: [
        { ...randomError(MIXED.replace("String(Math.random())", "ctx.rand.uuidv4()")), data: { source: "Math.random()", noun: "send", stableKey: "ctx.rand.uuidv4()" } },
        { ...randomError(MIXED.replace("new Date().toISOString()", "ctx.rand.uuidv4()")), data: { source: "new Date()", noun: "call", stableKey: "ctx.rand.uuidv4()" } },
        { ...randomError(MIXED.replace("uuid.v7()", "ctx.rand.uuidv4()")), data: { source: "uuid.v7()", noun: "send", stableKey: "ctx.rand.uuidv4()" } },
        { ...randomError(MIXED.replace("nanoid()", "ctx.rand.uuidv4()")), data: { source: "nanoid()", noun: "send", stableKey: "ctx.rand.uuidv4()" } },
      ],
    },
    {
      // A module-level random value is fresh per process: reported, but ctx is not in scope there.
      code: ts`import { randomUUID } from "node:crypto";
const RUN = randomUUID();
export const shop = restate.service({ name: "Shop", handlers: {
  buy: async (context: restate.Context, order: Order) => {
    await context.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: RUN }));
  } } });`,
      errors: [{ messageId: "nondeterministicKey", data: { source: "randomUUID()", noun: "call", stableKey: "context.rand.uuidv4()" }, suggestions: [] }],
    },
    {
      // A helper that receives the context, with its own name for it.
      code: ts`import cuid from "cuid";
export async function charge(c: restate.Context, order: Order) {
  await c.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: cuid() }));
}`,
      errors: [
        randomError(ts`import cuid from "cuid";
export async function charge(c: restate.Context, order: Order) {
  await c.serviceClient(payments).charge(order, restate.rpc.opts({ idempotencyKey: c.rand.uuidv4() }));
}`),
      ],
    },
    {
      // Constant keys in handlers: a literal, a template without expressions, a const; towards a service or a constant object key.
      code: handler(`    const KEY = "daily-report";
    await ctx.serviceClient(reports).build(order, restate.rpc.opts({ idempotencyKey: "report" }));
    ctx.serviceSendClient(reports).build(order, restate.rpc.sendOpts({ idempotencyKey: \`report\` }));
    ctx.genericSend({ service: "Reports", method: "build", parameter: order, idempotencyKey: KEY });
    await ctx.objectClient(ledger, "global").add(1, restate.rpc.opts({ idempotencyKey: "add" }));`),
      errors: [
        { messageId: "constantKey", data: { key: `"report"`, noun: "call" } },
        { messageId: "constantKey", data: { key: "`report`", noun: "send" } },
        { messageId: "constantKey", data: { key: `KEY ("daily-report")`, noun: "send" } },
        { messageId: "constantKey", data: { key: `"add"`, noun: "call" } },
      ],
    },
    {
      // Constant keys at the ingress, also as the `idempotency-key` header and in generic requests.
      code: `${NS}const rs = clients.connect({ url: "u" });
export async function place(order: Order) {
  await rs.serviceClient(orders).place(order, clients.rpc.opts({ idempotencyKey: "place-order" }));
  await rs.serviceSendClient(orders).place(order, clients.rpc.sendOpts({ headers: { "idempotency-key": "x" } }));
  await rs.call({ service: "Orders", handler: "place", parameter: order, opts: clients.rpc.opts({ idempotencyKey: "y" }) });
  await rs.objectClient(account, "admin").open(1, new clients.Opts({ idempotencyKey: "open" }));
  const idempotencyKey = "same";
  await rs.serviceClient(orders).place(order, clients.rpc.opts({ idempotencyKey }));
}`,
      errors: [
        { messageId: "constantKey", data: { key: `"place-order"`, noun: "call" } },
        { messageId: "constantKey", data: { key: `"x"`, noun: "send" } },
        { messageId: "constantKey", data: { key: `"y"`, noun: "call" } },
        { messageId: "constantKey", data: { key: `"open"`, noun: "call" } },
        { messageId: "constantKey", data: { key: `idempotencyKey ("same")`, noun: "call" } },
      ],
    },
  ],
});
