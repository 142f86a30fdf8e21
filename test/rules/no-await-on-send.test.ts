import rule from "../../rules/no-await-on-send.js";
import { ruleTester, ts } from "../rule-tester.js";

ruleTester().run("no-await-on-send", rule, {
  valid: [
    // A send as it is meant to be written.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.objectSendClient(counter, "k").add(1);
        ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
      } } });`,
    // The handle's invocation id is a real promise.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const handle = ctx.objectSendClient(counter, "k").add(1);
        ctx.set("id", await handle.invocationId);
      } } });`,
    // Awaiting the handle to read its id: pointless, harmless, and plainly a handle.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const id = await (await ctx.objectSendClient(counter, "k").add(1)).invocationId;
        const handle = await ctx.serviceSendClient(ledger).record(1);
        const { invocationId } = await ctx.workflowSendClient(signup, "u").run();
        return [id, await handle.invocationId, await invocationId];
      } } });`,
    // Awaiting a request-response call is the point of it.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { await ctx.objectClient(counter, "k").add(1); } } });`,
    // Not Restate: no SDK import.
    `async function h(ctx: any) { await ctx.objectSendClient(counter, "k").add(1); }`,
    // A stored handle whose id is read, or awaited to destructure the id.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const a = ctx.serviceSendClient(ledger).record(1);
        const b = ctx.serviceSendClient(ledger).record(2);
        const { invocationId } = await b;
        return [await a.invocationId, await invocationId];
      } } });`,
    // The variable may hold a request promise: awaiting it can wait.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, fast: boolean) => {
        const p = fast ? ctx.serviceSendClient(ledger).record(1) : ctx.serviceClient(ledger).record(1);
        let q = ctx.serviceSendClient(ledger).record(2);
        if (!fast) q = ctx.serviceClient(ledger).record(2);
        await p;
        await q;
      } } });`,
  ],
  invalid: [
    {
      // A handle kept in a variable and awaited later waits no more than the direct form.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const h = ctx.serviceSendClient(ledger).record(1);
        ctx.set("sent", true);
        await h;
        return ctx.get("total");
      } } });`,
      errors: [
        {
          messageId: "awaitOnSend",
          data: { target: "`ledger.record`" },
          line: 6,
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const h = ctx.serviceSendClient(ledger).record(1);
        ctx.set("sent", true);
        return ctx.get("total");
      } } });`,
            },
            {
              messageId: "useRequestClient",
              data: { request: "serviceClient" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const h = ctx.serviceClient(ledger).record(1);
        ctx.set("sent", true);
        await h;
        return ctx.get("total");
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // An `await h;` that is a branch's only statement loses its `await`, not the statement.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, wait: boolean) => {
        const h = ctx.serviceSendClient(ledger).record(1);
        if (wait) await h;
      } } });`,
      errors: [
        {
          messageId: "awaitOnSend",
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, wait: boolean) => {
        const h = ctx.serviceSendClient(ledger).record(1);
        if (wait) h;
      } } });`,
            },
            {
              messageId: "useRequestClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, wait: boolean) => {
        const h = ctx.serviceClient(ledger).record(1);
        if (wait) await h;
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // The handle also goes elsewhere: turning it into a request promise would change that use.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        const h = ctx.objectSendClient(counter, "k").add(1);
        track(h);
        const r = await h;
        const mine = ctx.objectSendClient(o, ctx.key).other();
        return [r, await mine];
      } } });`,
      errors: [
        {
          messageId: "awaitOnSend",
          data: { target: "`counter.add`" },
          line: 6,
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        const h = ctx.objectSendClient(counter, "k").add(1);
        track(h);
        const r = h;
        const mine = ctx.objectSendClient(o, ctx.key).other();
        return [r, await mine];
      } } });`,
            },
          ],
        },
        {
          // Waiting on the caller's own key could deadlock: no request suggestion.
          messageId: "awaitOnSend",
          data: { target: "`O.other`" },
          line: 8,
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        const h = ctx.objectSendClient(counter, "k").add(1);
        track(h);
        const r = await h;
        const mine = ctx.objectSendClient(o, ctx.key).other();
        return [r, mine];
      } } });`,
            },
          ],
        },
      ],
    },
    {
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.objectSendClient(counter, "k").add(1);
        return ctx.get("total");
      } } });`,
      errors: [
        {
          messageId: "awaitOnSend",
          data: { target: "`counter.add`" },
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.objectSendClient(counter, "k").add(1);
        return ctx.get("total");
      } } });`,
            },
            {
              messageId: "useRequestClient",
              data: { request: "objectClient" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.objectClient(counter, "k").add(1);
        return ctx.get("total");
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // genericSend → genericCall; 1.17 sendClient → client; a service send through a scope.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.sendClient(mailerApi).send("x");
        await ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
      errors: [
        {
          messageId: "awaitOnSend",
          data: { target: "`Ledger.record`" },
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.sendClient(mailerApi).send("x");
        await ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
            },
            {
              messageId: "useRequestClient",
              data: { request: "genericCall" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericCall({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.sendClient(mailerApi).send("x");
        await ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
            },
          ],
        },
        {
          messageId: "awaitOnSend",
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        ctx.sendClient(mailerApi).send("x");
        await ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
            },
            {
              messageId: "useRequestClient",
              data: { request: "client" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.client(mailerApi).send("x");
        await ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
            },
          ],
        },
        {
          messageId: "awaitOnSend",
          suggestions: [
            {
              messageId: "removeAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.sendClient(mailerApi).send("x");
        ctx.scope("t").serviceSendClient(ledger).record(2);
      } } });`,
            },
            {
              messageId: "useRequestClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const r = await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
        await ctx.sendClient(mailerApi).send("x");
        await ctx.scope("t").serviceClient(ledger).record(2);
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // Only `await` can go: a delayed send, send options, our own key (waiting there could
      // deadlock), or a client kept in a variable.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1, delay: 1000 });
        await ctx.objectSendClient(counter, "k").add(1, restate.rpc.sendOpts({ delay: 1000 }));
        await ctx.objectSendClient(o, ctx.key).other();
        const c = ctx.serviceSendClient(ledger);
        await c.record(1);
      } } });`,
      errors: [
        { messageId: "awaitOnSend", suggestions: [{ messageId: "removeAwait", output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        ctx.genericSend({ service: "Ledger", method: "record", parameter: 1, delay: 1000 });
        await ctx.objectSendClient(counter, "k").add(1, restate.rpc.sendOpts({ delay: 1000 }));
        await ctx.objectSendClient(o, ctx.key).other();
        const c = ctx.serviceSendClient(ledger);
        await c.record(1);
      } } });` }] },
        { messageId: "awaitOnSend", suggestions: [{ messageId: "removeAwait", output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1, delay: 1000 });
        ctx.objectSendClient(counter, "k").add(1, restate.rpc.sendOpts({ delay: 1000 }));
        await ctx.objectSendClient(o, ctx.key).other();
        const c = ctx.serviceSendClient(ledger);
        await c.record(1);
      } } });` }] },
        { messageId: "awaitOnSend", data: { target: "`O.other`" }, suggestions: [{ messageId: "removeAwait", output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1, delay: 1000 });
        await ctx.objectSendClient(counter, "k").add(1, restate.rpc.sendOpts({ delay: 1000 }));
        ctx.objectSendClient(o, ctx.key).other();
        const c = ctx.serviceSendClient(ledger);
        await c.record(1);
      } } });` }] },
        { messageId: "awaitOnSend", suggestions: [{ messageId: "removeAwait", output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.genericSend({ service: "Ledger", method: "record", parameter: 1, delay: 1000 });
        await ctx.objectSendClient(counter, "k").add(1, restate.rpc.sendOpts({ delay: 1000 }));
        await ctx.objectSendClient(o, ctx.key).other();
        const c = ctx.serviceSendClient(ledger);
        c.record(1);
      } } });` }] },
      ],
    },
  ],
});
