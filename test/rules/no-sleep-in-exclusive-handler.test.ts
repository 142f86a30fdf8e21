import rule from "../../rules/no-sleep-in-exclusive-handler.js";
import { ruleTester, ts } from "../rule-tester.js";

/** How the message names the TypeScript remedies (the Go listeners name Go's). */
const TS_APIS = { delayedSend: "`rpc.sendOpts({ delay })`", sharedHandler: "`handlers.object.shared`" };

ruleTester().run("no-sleep-in-exclusive-handler", rule, {
  valid: [
    // Shorter than the default threshold of one second.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await ctx.sleep(500); },
    } });`,
    // Shared handlers hold no lock.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => { await ctx.sleep({ hours: 1 }); }),
    } });`,
    // Services and workflows are not virtual-object handlers.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => { await ctx.sleep({ hours: 1 }); },
    } });`,
    ts`export const w = restate.workflow({ name: "W", handlers: {
      run: async (ctx: restate.WorkflowContext) => { await ctx.sleep({ days: 1 }); },
    } });`,
    // A raced timer bounds a wait; it does not hold the lock by itself.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        const { promise } = ctx.awakeable<string>();
        await restate.RestatePromise.race([promise, ctx.sleep({ minutes: 5 })]);
      },
    } });`,
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        const timer = ctx.sleep(60_000);
        await restate.RestatePromise.any([timer, ctx.awakeable().promise]);
      },
    } });`,
    // Never waited for.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { void ctx.sleep(60_000); },
    } });`,
    // A helper that sleeps briefly.
    ts`async function pause(c: restate.ObjectContext) { await c.sleep(10); }
    export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await pause(ctx); },
    } });`,
    // A function with a context that no handler of this file reaches.
    ts`export async function later(ctx: restate.ObjectContext) { await ctx.sleep(60_000); }`,
    // Threshold raised by the option.
    {
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await ctx.sleep(5_000); },
    } });`,
      options: [{ minDurationMs: 10_000 }],
    },
  ],
  invalid: [
    {
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await ctx.sleep({ minutes: 5 }); },
    } });`,
      errors: [{ messageId: "sleepInExclusive", line: 3, data: { ...TS_APIS, where: "O.h", service: "O", duration: "5 min" } }],
    },
    {
      // The explicit exclusive wrapper, a constant duration, and method shorthand.
      code: ts`const ONE_HOUR = 60 * 60 * 1000;
    export const o = restate.object({ name: "O", handlers: {
      a: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext) => { await ctx.sleep(ONE_HOUR); }),
      async b(ctx: restate.ObjectContext) { await ctx.sleep(1500); },
    } });`,
      errors: [
        { messageId: "sleepInExclusive", line: 4, data: { ...TS_APIS, where: "O.a", service: "O", duration: "1 h" } },
        { messageId: "sleepInExclusive", line: 5, data: { ...TS_APIS, where: "O.b", service: "O", duration: "1500 ms" } },
      ],
    },
    {
      // A duration only known at run time.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext, ms: number) => { await ctx.sleep(ms); },
    } });`,
      errors: [
        {
          messageId: "sleepInExclusive",
          data: { ...TS_APIS, where: "O.h", service: "O", duration: "for `ms` (length not known statically)" },
        },
      ],
    },
    {
      // Plain functions in an object are exclusive whatever the ctx annotation says.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectSharedContext) => { await ctx.sleep(2000); },
    } });`,
      errors: [{ messageId: "sleepInExclusive", data: { ...TS_APIS, where: "O.h", service: "O", duration: "2 s" } }],
    },
    {
      // An object named by another file's constant is known by its variable.
      code: ts`import { COUNTER } from "./names";
export const counter = restate.object({ ...COUNTER, handlers: {
      add: async (ctx: restate.ObjectContext) => { await ctx.sleep({ minutes: 1 }); },
    } });`,
      errors: [{ messageId: "sleepInExclusive", data: { ...TS_APIS, where: "(counter).add", service: "(counter)", duration: "1 min" } }],
    },
    {
      // Through a helper that receives ctx: reported once, at the sleep, naming the path.
      code: ts`async function cooldown(c: restate.ObjectContext) {
      await c.sleep({ seconds: 30 });
    }
    export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await cooldown(ctx); },
      g: async (ctx: restate.ObjectContext) => { await cooldown(ctx); },
    } });`,
      errors: [
        { messageId: "sleepInExclusive", line: 3, data: { ...TS_APIS, where: "O.h → cooldown", service: "O", duration: "30 s" } },
      ],
    },
    {
      // Combined with `all`, the handler waits for the whole timer.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        await restate.RestatePromise.all([ctx.sleep(10_000), ctx.run(() => 1)]);
      },
    } });`,
      errors: [{ messageId: "sleepInExclusive", data: { ...TS_APIS, where: "O.h", service: "O", duration: "10 s" } }],
    },
    {
      // Returned: the invocation waits for it.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: (ctx: restate.ObjectContext) => ctx.sleep(3_000),
    } });`,
      errors: [{ messageId: "sleepInExclusive" }],
    },
    {
      // Lowered threshold.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      h: async (ctx: restate.ObjectContext) => { await ctx.sleep(200); },
    } });`,
      options: [{ minDurationMs: 100 }],
      errors: [{ messageId: "sleepInExclusive", data: { ...TS_APIS, where: "O.h", service: "O", duration: "200 ms" } }],
    },
    {
      // Named imports.
      code: `import { object, type ObjectContext } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  h: async (ctx: ObjectContext) => { await ctx.sleep({ hours: 2 }); },
} });`,
      errors: [{ messageId: "sleepInExclusive", data: { ...TS_APIS, where: "O.h", service: "O", duration: "2 h" } }],
    },
  ],
});
