import rule from "../../rules/no-floating-call.js";
import { ruleTester, ts } from "../rule-tester.js";

ruleTester().run("no-floating-call", rule, {
  valid: [
    // Awaited, returned, combined.
    ts`export const s = restate.service({ name: "S", handlers: {
      a: async (ctx: restate.Context) => { await ctx.serviceClient(ledger).record(1); },
      b: async (ctx: restate.Context) => ctx.serviceClient(ledger).record(1),
      c: async (ctx: restate.Context) => {
        return ctx.objectClient(counter, "k").add(1).orTimeout(1000);
      } } });`,
    // `void` is an explicit fire-and-forget.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { void ctx.serviceClient(ledger).record(1); } } });`,
    // Collected in an array and combined later.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        const calls = [];
        for (const id of ids) calls.push(ctx.objectClient(counter, id).add(1));
        const first = ctx.serviceClient(ledger).record(1);
        await restate.RestatePromise.all(calls);
        await restate.RestatePromise.race([first, ctx.sleep(1000)]);
      } } });`,
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        const results = await restate.RestatePromise.all(ids.map((id) => ctx.objectClient(counter, id).add(1)));
        return results;
      } } });`,
    // Stored, awaited later.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const p = ctx.serviceClient(ledger).record(1);
        ctx.set("x", 1);
        return await p;
      } } });`,
    // Handed to a function we cannot see into, or into an object: it may be awaited there.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const p = ctx.serviceClient(ledger).record(1);
        track(p);
        const q = ctx.serviceClient(ledger).record(2);
        return { q };
      } } });`,
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { track(ctx.serviceClient(ledger).record(1)); } } });`,
    // A `.catch(...)` decides what a failure means (no-swallowed-error judges it).
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceClient(ledger).record(1).catch((e) => ctx.set("error", String(e)));
      } } });`,
    // Sends are one-way by design.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceSendClient(ledger).record(1);
        ctx.genericSend({ service: "Ledger", method: "record", parameter: 1 });
      } } });`,
    // Looks like Restate, but the SDK is not imported.
    `const s = { handlers: { h: async (ctx: any) => { ctx.serviceClient(ledger).record(1); } } };`,
  ],
  invalid: [
    {
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceClient(ledger).record(1);
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          data: { target: "`ledger.record`", what: "never awaited" },
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(ledger).record(1);
      } } });`,
            },
            {
              messageId: "useSendClient",
              data: { send: "serviceSendClient" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceSendClient(ledger).record(1);
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // Not async: only the send suggestion. Object clients keep their key.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: (ctx: restate.Context) => {
        ctx.objectClient(counter, "k").add(1);
        return "ok";
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          suggestions: [
            {
              messageId: "useSendClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: (ctx: restate.Context) => {
        ctx.objectSendClient(counter, "k").add(1);
        return "ok";
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // genericCall without an output serde becomes genericSend; a workflow client through a scope.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.genericCall({ service: "Ledger", method: "record", parameter: new Uint8Array() });
        ctx.scope("tenant").workflowClient(signup, "id").click("x");
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          data: { target: "`Ledger.record`", what: "never awaited" },
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.genericCall({ service: "Ledger", method: "record", parameter: new Uint8Array() });
        ctx.scope("tenant").workflowClient(signup, "id").click("x");
      } } });`,
            },
            {
              messageId: "useSendClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.genericSend({ service: "Ledger", method: "record", parameter: new Uint8Array() });
        ctx.scope("tenant").workflowClient(signup, "id").click("x");
      } } });`,
            },
          ],
        },
        {
          messageId: "floatingCall",
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.genericCall({ service: "Ledger", method: "record", parameter: new Uint8Array() });
        await ctx.scope("tenant").workflowClient(signup, "id").click("x");
      } } });`,
            },
            {
              messageId: "useSendClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.genericCall({ service: "Ledger", method: "record", parameter: new Uint8Array() });
        ctx.scope("tenant").workflowSendClient(signup, "id").click("x");
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // The result is used (`.map`) or the call carries request options / an output serde:
      // a send would not type-check, so only `await` is offered.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceClient(ledger).record(1).map((v) => v);
        ctx.serviceClient(ledger).record(2, restate.rpc.opts({ idempotencyKey: "k" }));
        ctx.genericCall({ service: "Ledger", method: "record", parameter: 3, outputSerde: restate.serde.json });
      } } });`,
      errors: [
        { messageId: "floatingCall", suggestions: [{ messageId: "addAwait", output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(ledger).record(1).map((v) => v);
        ctx.serviceClient(ledger).record(2, restate.rpc.opts({ idempotencyKey: "k" }));
        ctx.genericCall({ service: "Ledger", method: "record", parameter: 3, outputSerde: restate.serde.json });
      } } });` }] },
        { messageId: "floatingCall", suggestions: [{ messageId: "addAwait", output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceClient(ledger).record(1).map((v) => v);
        await ctx.serviceClient(ledger).record(2, restate.rpc.opts({ idempotencyKey: "k" }));
        ctx.genericCall({ service: "Ledger", method: "record", parameter: 3, outputSerde: restate.serde.json });
      } } });` }] },
        { messageId: "floatingCall", suggestions: [{ messageId: "addAwait", output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceClient(ledger).record(1).map((v) => v);
        ctx.serviceClient(ledger).record(2, restate.rpc.opts({ idempotencyKey: "k" }));
        await ctx.genericCall({ service: "Ledger", method: "record", parameter: 3, outputSerde: restate.serde.json });
      } } });` }] },
      ],
    },
    {
      // Stored and never awaited; reading only `.invocationId` does not observe the result.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const pending = ctx.serviceClient(ledger).record(1);
        const unused = ctx.serviceClient(ledger).record(2);
        ctx.set("id", await pending.invocationId);
      } } });`,
      errors: [
        { messageId: "floatingCall", data: { target: "`ledger.record`", what: "kept in `pending` but never awaited" }, suggestions: [] },
        {
          messageId: "floatingCall",
          data: { target: "`ledger.record`", what: "kept in `unused` but never awaited" },
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const pending = ctx.serviceClient(ledger).record(1);
        const unused = await ctx.serviceClient(ledger).record(2);
        ctx.set("id", await pending.invocationId);
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // A helper reached from two handlers is reported once; 1.17 `ctx.client` becomes `sendClient`.
      code: ts`async function notify(ctx: restate.Context, id: string) {
  ctx.client(mailerApi).send(id);
}
export const s = restate.service({ name: "S", handlers: {
  a: async (ctx: restate.Context) => { await notify(ctx, "a"); },
  b: async (ctx: restate.Context) => { await notify(ctx, "b"); } } });`,
      errors: [
        {
          messageId: "floatingCall",
          line: 3,
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`async function notify(ctx: restate.Context, id: string) {
  await ctx.client(mailerApi).send(id);
}
export const s = restate.service({ name: "S", handlers: {
  a: async (ctx: restate.Context) => { await notify(ctx, "a"); },
  b: async (ctx: restate.Context) => { await notify(ctx, "b"); } } });`,
            },
            {
              messageId: "useSendClient",
              data: { send: "sendClient" },
              output: ts`async function notify(ctx: restate.Context, id: string) {
  ctx.sendClient(mailerApi).send(id);
}
export const s = restate.service({ name: "S", handlers: {
  a: async (ctx: restate.Context) => { await notify(ctx, "a"); },
  b: async (ctx: restate.Context) => { await notify(ctx, "b"); } } });`,
            },
          ],
        },
      ],
    },
    {
      // Mapped into an array that is thrown away: `await` in the callback would not help.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        ids.map((id) => ctx.objectClient(counter, id).add(1));
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          suggestions: [
            {
              messageId: "useSendClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        ids.map((id) => ctx.objectSendClient(counter, id).add(1));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // `forEach` drops what its callback returns.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        ids.forEach((id) => ctx.objectClient(counter, id).add(1));
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          suggestions: [
            {
              messageId: "useSendClient",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        ids.forEach((id) => ctx.objectSendClient(counter, id).add(1));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // A client kept in a variable: renaming its factory would change every use, so no send suggestion.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const l = ctx.serviceClient(ledger);
        l.record(1);
        await l.record(2);
      } } });`,
      errors: [
        {
          messageId: "floatingCall",
          suggestions: [
            {
              messageId: "addAwait",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        const l = ctx.serviceClient(ledger);
        await l.record(1);
        await l.record(2);
      } } });`,
            },
          ],
        },
      ],
    },
  ],
});
