import rule from "../../rules/valid-call-options.js";
import { ruleTester, ts } from "../rule-tester.js";

const NS = `import * as clients from "@restatedev/restate-sdk-clients";\n`;

ruleTester().run("valid-call-options", rule, {
  valid: [
    // Options built with the helpers, in every spelling.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(other).a("x", restate.rpc.opts({ idempotencyKey: "k" }));
        ctx.serviceSendClient(other).b("x", restate.rpc.sendOpts({ delay: 1000 }));
        ctx.serviceSendClient(other).c(restate.SendOpts.from({ delay: 1000 }));
        await ctx.objectClient(other, "k").d(restate.Opts.from({ headers: { a: "b" } }));
      } } });`,
    `import { rpc, service, type Context } from "@restatedev/restate-sdk";
     import sendOpts = rpc.sendOpts;
     export const s = service({ name: "S", handlers: {
       h: async (ctx: Context) => { ctx.serviceSendClient(other).b("x", sendOpts({ delay: 1000 })); } } });`,
    // Options kept in a variable first.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const opts = restate.rpc.sendOpts({ idempotencyKey: "k" });
        ctx.serviceSendClient(other).b("x", opts);
      } } });`,
    // A lone object is the input when the target handler (defined here) takes one.
    ts`const scheduler = restate.service({ name: "Scheduler", handlers: {
      schedule: async (ctx: restate.Context, job: { delay: number; idempotencyKey: string }) => {},
    } });
    export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceSendClient(scheduler).schedule({ delay: 5, idempotencyKey: "job-1" });
      } } });`,
    // A request has no delay option: a lone `{ delay }` is input.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { await ctx.serviceClient(other).plan({ delay: 5 }); } } });`,
    // An ordinary input object.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { ctx.serviceSendClient(other).b({ to: "a", subject: "b" }); } } });`,
    // Generic calls take their options inline.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.genericSend({ service: "M", method: "m", parameter: new Uint8Array(), delay: 1000 });
      } } });`,
    // A factory argument without a visible delay: nothing to say.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, extra: object) => { ctx.serviceSendClient(other, { ...extra }).b("x"); } } });`,
    // Not the Restate context.
    `const client = { h: (a: unknown, b: unknown) => {} };
     client.h("x", { idempotencyKey: "k" });`,
    // At the ingress: options built with the package's helpers, an object as the only argument (the input).
    `${NS}const rs = clients.connect({ url: "u" });
await rs.serviceClient(greeter).greet("x", clients.rpc.opts({ idempotencyKey: "k" }));
await rs.objectSendClient(cart, "k").add(1, clients.SendOpts.from({ delay: 1000 }));
await rs.serviceClient(greeter).greet({ name: "x", headers: {} });
await rs.workflowClient(signup, "id").workflowSubmit(user, clients.rpc.sendOpts({ delay: 1000 }));`,
    // `workflowAttach` and `workflowOutput` take their options alone and never read a second argument.
    `${NS}await clients.connect({ url: "u" }).workflowClient(signup, "id").workflowOutput(undefined, { timeout: 1 });`,
    // A client this file does not get from the ingress package.
    `${NS}await makeClient().serviceClient(greeter).greet("x", { idempotencyKey: "k" });`,
  ],
  invalid: [
    {
      // As the second argument: TypeError at run time.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.objectClient(counter, "k").add(1, { idempotencyKey: "k" });
      } } });`,
      errors: [
        {
          messageId: "plainObjectOptions",
          line: 4,
          data: { helper: "restate.rpc.opts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.objectClient(counter, "k").add(1, restate.rpc.opts({ idempotencyKey: "k" }));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // On a send, through a stored client, with a type assertion around the object.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const mailer = ctx.serviceSendClient(mail);
        mailer.send("hi", { delay: { minutes: 5 } } as const);
      } } });`,
      errors: [
        {
          messageId: "plainObjectOptions",
          data: { helper: "restate.rpc.sendOpts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const mailer = ctx.serviceSendClient(mail);
        mailer.send("hi", restate.rpc.sendOpts({ delay: { minutes: 5 } } as const));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // The only argument of a handler with no input (defined in this file): silently sent as input.
      code: ts`const ticker = restate.object({ name: "Ticker", handlers: {
      tick: async (ctx: restate.ObjectContext) => {},
    } });
    export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.objectSendClient(ticker, "t").tick({ delay: 60_000 });
      } } });`,
      errors: [
        {
          messageId: "plainObjectAsInput",
          line: 7,
          data: { helper: "restate.rpc.sendOpts", keys: "delay" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: ts`const ticker = restate.object({ name: "Ticker", handlers: {
      tick: async (ctx: restate.ObjectContext) => {},
    } });
    export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.objectSendClient(ticker, "t").tick(restate.rpc.sendOpts({ delay: 60_000 }));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // Target unknown here, but an idempotency key is never a handler input field by accident.
      code: `import { rpc, type Context, service } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await ctx.serviceClient(other).status({ idempotencyKey: "k", headers: {} }); } } });`,
      errors: [
        {
          messageId: "plainObjectAsInput",
          data: { helper: "rpc.opts", keys: "idempotencyKey, headers" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: `import { rpc, type Context, service } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => { await ctx.serviceClient(other).status(rpc.opts({ idempotencyKey: "k", headers: {} })); } } });`,
            },
          ],
        },
      ],
    },
    {
      // No way to name the helper in this file: still reported, without a suggestion.
      code: `import { service } from "@restatedev/restate-sdk";
export const s = service({ name: "S", handlers: {
  h: async (ctx: any) => { ctx.serviceSendClient(other).b("x", { idempotencyKey: "k" }); } } });`,
      errors: [{ messageId: "plainObjectOptions", data: { helper: "restate.rpc.sendOpts" }, suggestions: [] }],
    },
    {
      // The legacy factory option: moved onto the send.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, id: string) => {
        ctx.objectSendClient(reminder, id, { delay: 5000 }).remind("now");
        ctx.serviceSendClient(mailer, { delay: { hours: 1 } }).mail();
      } } });`,
      errors: [
        {
          messageId: "legacyFactoryOptions",
          line: 4,
          suggestions: [
            {
              messageId: "moveDelay",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, id: string) => {
        ctx.objectSendClient(reminder, id).remind("now", restate.rpc.sendOpts({ delay: 5000 }));
        ctx.serviceSendClient(mailer, { delay: { hours: 1 } }).mail();
      } } });`,
            },
          ],
        },
        {
          messageId: "legacyFactoryOptions",
          line: 5,
          suggestions: [
            {
              messageId: "moveDelay",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, id: string) => {
        ctx.objectSendClient(reminder, id, { delay: 5000 }).remind("now");
        ctx.serviceSendClient(mailer).mail(restate.rpc.sendOpts({ delay: { hours: 1 } }));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // A stored client serves several sends: moving the delay onto one would drop it from the
      // others. A send that already has options would turn them into input. Report, no suggestion.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const later = ctx.serviceSendClient(mailer, { delay: 5000 });
        later.a();
        later.b();
        ctx.serviceSendClient(mailer, { delay: 5000 }).c(restate.rpc.sendOpts({ idempotencyKey: "k" }));
      } } });`,
      errors: [
        { messageId: "legacyFactoryOptions", line: 4, suggestions: [] },
        { messageId: "legacyFactoryOptions", line: 7, suggestions: [] },
      ],
    },
    {
      // At the ingress: the clients package throws the same TypeError (optsFromArgs).
      code: `${NS}const rs = clients.connect({ url: "u" });
await rs.serviceClient(greeter).greet("x", { idempotencyKey: "k" });
await clients.connect({ url: "u" }).objectSendClient(cart, "k").add(1, { delay: 1000 });
await rs.workflowClient(signup, "id").workflowSubmit(user, { delay: 1000 });`,
      errors: [
        {
          messageId: "plainObjectOptions",
          line: 3,
          data: { helper: "clients.rpc.opts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: `${NS}const rs = clients.connect({ url: "u" });
await rs.serviceClient(greeter).greet("x", clients.rpc.opts({ idempotencyKey: "k" }));
await clients.connect({ url: "u" }).objectSendClient(cart, "k").add(1, { delay: 1000 });
await rs.workflowClient(signup, "id").workflowSubmit(user, { delay: 1000 });`,
            },
          ],
        },
        {
          messageId: "plainObjectOptions",
          line: 4,
          data: { helper: "clients.rpc.sendOpts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: `${NS}const rs = clients.connect({ url: "u" });
await rs.serviceClient(greeter).greet("x", { idempotencyKey: "k" });
await clients.connect({ url: "u" }).objectSendClient(cart, "k").add(1, clients.rpc.sendOpts({ delay: 1000 }));
await rs.workflowClient(signup, "id").workflowSubmit(user, { delay: 1000 });`,
            },
          ],
        },
        {
          messageId: "plainObjectOptions",
          line: 5,
          data: { helper: "clients.rpc.sendOpts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: `${NS}const rs = clients.connect({ url: "u" });
await rs.serviceClient(greeter).greet("x", { idempotencyKey: "k" });
await clients.connect({ url: "u" }).objectSendClient(cart, "k").add(1, { delay: 1000 });
await rs.workflowClient(signup, "id").workflowSubmit(user, clients.rpc.sendOpts({ delay: 1000 }));`,
            },
          ],
        },
      ],
    },
    {
      // Spelled as the file imports the package; without a binding that reaches the helper, no suggestion.
      code: `import { connect, rpc } from "@restatedev/restate-sdk-clients";
await connect({ url: "u" }).serviceClient(greeter).greet("x", { headers: { a: "b" } });`,
      errors: [
        {
          messageId: "plainObjectOptions",
          data: { helper: "rpc.opts" },
          suggestions: [
            {
              messageId: "wrapOptions",
              output: `import { connect, rpc } from "@restatedev/restate-sdk-clients";
await connect({ url: "u" }).serviceClient(greeter).greet("x", rpc.opts({ headers: { a: "b" } }));`,
            },
          ],
        },
      ],
    },
    {
      code: `import { connect } from "@restatedev/restate-sdk-clients";
await connect({ url: "u" }).serviceSendClient(mailer).send("x", { delay: 1000 });`,
      errors: [{ messageId: "plainObjectOptions", data: { helper: "clients.rpc.sendOpts" }, suggestions: [] }],
    },
  ],
});
