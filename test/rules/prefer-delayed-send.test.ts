import rule from "../../rules/prefer-delayed-send.js";
import { ruleTester, ts } from "../rule-tester.js";

ruleTester().run("prefer-delayed-send", rule, {
  valid: [
    // A delayed send already.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        ctx.serviceSendClient(other).ping("x", restate.rpc.sendOpts({ delay: 1000 }));
      } } });`,
    // The sleep is raced: an interruptible timer, not a delay.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await restate.RestatePromise.race([ctx.sleep(1000), ctx.awakeable().promise]);
        ctx.serviceSendClient(other).ping("x");
      } } });`,
    // Work between the sleep and the send may depend on the time passing.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(1000);
        const status = await ctx.serviceClient(other).status();
        ctx.serviceSendClient(other).ping(status);
      } } });`,
    // A request after the sleep is not a send.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(1000);
        await ctx.serviceClient(other).ping("x");
      } } });`,
    // Periodic sends in a loop: one delayed send per iteration is not the same thing.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        for (let i = 0; i < 3; i++) {
          await ctx.sleep(1000);
          ctx.serviceSendClient(other).ping(i);
        }
      } } });`,
    // The sleep runs on one branch only; the send runs on both.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, urgent: boolean) => {
        if (!urgent) { await ctx.sleep(1000); }
        ctx.serviceSendClient(other).ping("x");
      } } });`,
    // More Restate work after the send would run early without the sleep.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.sleep(1000);
        ctx.serviceSendClient(other).ping("x");
        ctx.set("pinged", true);
      } } });`,
    // Reading the clock between: the message depends on when it is built.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(1000);
        const at = Date.now();
        ctx.serviceSendClient(other).ping(at);
      } } });`,
    // The key is read after the sleep.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await ctx.sleep(1000);
        ctx.objectSendClient(other, (await ctx.get<string>("peer")) ?? "").ping();
      } } });`,
    // Code after the if still runs after the sleep.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, x: boolean) => {
        if (x) {
          await ctx.sleep(1000);
          ctx.serviceSendClient(other).ping();
        }
        await ctx.run(() => 1);
      } } });`,
    // A callback that is not the handler: what its caller does afterwards is unknown.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        const later = async () => {
          await ctx.sleep(1000);
          ctx.serviceSendClient(other).ping();
        };
        await later();
        ctx.set("done", true);
      } } });`,
    // A finally block runs after the sleep, whatever it does.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try {
          await ctx.sleep(1000);
          ctx.serviceSendClient(other).ping();
        } finally {
          await ctx.run(() => 1);
        }
      } } });`,
    // Options we cannot read may already hold a delay.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, spec: restate.GenericSend<Uint8Array>, base: object) => {
        await ctx.sleep(1000);
        ctx.genericSend(spec);
        ctx.serviceSendClient(other).ping("x", restate.rpc.sendOpts({ ...base }));
      } } });`,
    // Not Restate at all.
    `const ctx = { sleep: async (n: number) => {}, serviceSendClient: (x: unknown) => ({ ping: () => {} }) };
     async function h() { await ctx.sleep(1000); ctx.serviceSendClient(1).ping(); }`,
  ],
  invalid: [
    {
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, id: string) => {
        await ctx.sleep({ hours: 1 });
        ctx.objectSendClient(reminder, id).remind("now");
      } } });`,
      errors: [
        {
          messageId: "preferDelayedSend",
          suggestions: [
            {
              messageId: "useDelayOption",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, id: string) => {
        
        ctx.objectSendClient(reminder, id).remind("now", restate.rpc.sendOpts({ delay: { hours: 1 } }));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // Merges with existing send options.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(5000);
        ctx.serviceSendClient(mailer).send("hi", restate.rpc.sendOpts({ idempotencyKey: "k" }));
      } } });`,
      errors: [
        {
          messageId: "preferDelayedSend",
          suggestions: [
            {
              messageId: "useDelayOption",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        
        ctx.serviceSendClient(mailer).send("hi", restate.rpc.sendOpts({ idempotencyKey: "k", delay: 5000 }));
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // genericSend takes `delay` inline.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(60_000);
        ctx.genericSend({ service: "Mailer", method: "send", parameter: new Uint8Array() });
      } } });`,
      errors: [
        {
          messageId: "preferDelayedSend",
          suggestions: [
            {
              messageId: "useDelayOption",
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        
        ctx.genericSend({ service: "Mailer", method: "send", parameter: new Uint8Array(), delay: 60_000 });
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // The `import sendOpts = rpc.sendOpts` alias of the official snippets.
      code: `import { rpc, service, type Context } from "@restatedev/restate-sdk";
import sendOpts = rpc.sendOpts;
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => {
    await ctx.sleep(1000);
    ctx.serviceSendClient(mailer).send();
  } } });`,
      errors: [
        {
          messageId: "preferDelayedSend",
          suggestions: [
            {
              messageId: "useDelayOption",
              output: `import { rpc, service, type Context } from "@restatedev/restate-sdk";
import sendOpts = rpc.sendOpts;
export const s = service({ name: "S", handlers: {
  h: async (ctx: Context) => {
    
    ctx.serviceSendClient(mailer).send(sendOpts({ delay: 1000 }));
  } } });`,
            },
          ],
        },
      ],
    },
    {
      // Every send after the sleep gets the delay, or none: the suggestion moves them together.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext, id: string) => {
        await ctx.sleep({ hours: 1 });
        ctx.objectSendClient(reminder, id).remind("now");
        ctx.console.log("reminder scheduled");
        ctx.serviceSendClient(mailer).mail({ to: id });
        return "ok";
      } } });`,
      errors: [5, 7].map((line) => ({
        messageId: "preferDelayedSend" as const,
        line,
        data: { sleep: "await ctx.sleep({ hours: 1 })", delayOption: "delay: { hours: 1 }" },
        suggestions: [
          {
            messageId: "useDelayOption" as const,
            output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext, id: string) => {
        
        ctx.objectSendClient(reminder, id).remind("now", restate.rpc.sendOpts({ delay: { hours: 1 } }));
        ctx.console.log("reminder scheduled");
        ctx.serviceSendClient(mailer).mail({ to: id }, restate.rpc.sendOpts({ delay: { hours: 1 } }));
        return "ok";
      } } });`,
          },
        ],
      })),
    },
    {
      // One send already has its own delay: report the other, but removing the sleep would shift both.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.sleep(1000);
        ctx.serviceSendClient(mailer).first();
        ctx.serviceSendClient(mailer).second(restate.rpc.sendOpts({ delay: 500 }));
      } } });`,
      errors: [{ messageId: "preferDelayedSend", line: 5, suggestions: [] }],
    },
    {
      // Inside a branch that ends the handler; a stored client; an awaited send handle.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext, retry: boolean) => {
        if (retry) {
          await ctx.sleep(30_000);
          const self = ctx.objectSendClient(o, ctx.key);
          await self.attempt(JSON.stringify({ n: 1 }));
          return;
        }
        ctx.set("done", true);
      } } });`,
      errors: [
        {
          messageId: "preferDelayedSend",
          line: 7,
          suggestions: [
            {
              messageId: "useDelayOption",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext, retry: boolean) => {
        if (retry) {
          
          const self = ctx.objectSendClient(o, ctx.key);
          await self.attempt(JSON.stringify({ n: 1 }), restate.rpc.sendOpts({ delay: 30_000 }));
          return;
        }
        ctx.set("done", true);
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // In a helper that receives ctx; options with a deterministic idempotency key are merged.
      code: ts`async function remindLater(ctx: restate.Context, id: string) {
  await ctx.sleep(DELAY);
  ctx.serviceSendClient(reminder).remind(id, restate.rpc.sendOpts({ idempotencyKey: ctx.rand.uuidv4() }));
}`,
      errors: [
        {
          messageId: "preferDelayedSend",
          data: { sleep: "await ctx.sleep(DELAY)", delayOption: "delay: DELAY" },
          suggestions: [
            {
              messageId: "useDelayOption",
              output: ts`async function remindLater(ctx: restate.Context, id: string) {
  
  ctx.serviceSendClient(reminder).remind(id, restate.rpc.sendOpts({ idempotencyKey: ctx.rand.uuidv4(), delay: DELAY }));
}`,
            },
          ],
        },
      ],
    },
  ],
});
