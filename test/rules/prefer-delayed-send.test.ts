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
  ],
});
