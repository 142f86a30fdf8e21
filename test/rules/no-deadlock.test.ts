import rule from "../../rules/no-deadlock.js";
import { projectFile, ruleTester, ts } from "../rule-tester.js";

const filename = projectFile("counter.ts");

ruleTester().run("no-deadlock", rule, {
  valid: [
    {
      // The callee is shared: it takes no lock.
      filename,
      code: ts`export const counter = restate.object({ name: "Counter", handlers: {
        add: async (ctx: restate.ObjectContext) => { await ctx.objectClient(counter, ctx.key).get(); },
        get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 1),
      } });`,
    },
    {
      // A send does not wait.
      filename,
      code: ts`export const counter = restate.object({ name: "Counter", handlers: {
        add: async (ctx: restate.ObjectContext) => { ctx.objectSendClient(counter, ctx.key).get(); },
        get: async (ctx: restate.ObjectContext) => 1,
      } });`,
    },
    {
      // Possible deadlocks can be switched off.
      filename,
      options: [{ reportPossible: false }],
      code: ts`export const account = restate.object({ name: "Account", handlers: {
        transfer: async (ctx: restate.ObjectContext, req: { to: string }) => { await ctx.objectClient(account, req.to).deposit(1); },
        deposit: async (ctx: restate.ObjectContext, n: number) => { ctx.set("b", n); },
      } });`,
    },
    {
      // Every caller in the code enters Board.post with "lobby": "archive" is another lock.
      filename,
      code: ts`export const board = restate.object({ name: "Board", handlers: {
        post: async (ctx: restate.ObjectContext, msg: string) => { await ctx.objectClient(board, "archive").store(msg); },
        store: async (ctx: restate.ObjectContext, msg: string) => { ctx.set("m", msg); },
      } });
      export const desk = restate.service({ name: "Desk", handlers: {
        announce: async (ctx: restate.Context, msg: string) => { await ctx.objectClient(board, "lobby").post(msg); },
      } });`,
    },
    {
      // Looks like Restate, but is not.
      filename,
      code: `const ctx = { objectClient: (a: unknown, b: unknown) => ({ get: async () => 1 }), key: "k" };
        export const counter = { name: "Counter", handlers: { add: async () => { await ctx.objectClient(counter, ctx.key).get(); } } };`,
    },
  ],
  invalid: [
    {
      filename,
      code: ts`export const counter = restate.object({ name: "Counter", handlers: {
        add: async (ctx: restate.ObjectContext) => {
          await ctx.objectClient(counter, ctx.key).reset();
        },
        reset: async (ctx: restate.ObjectContext) => { ctx.clear("n"); },
      } });`,
      errors: [
        {
          messageId: "certainDeadlock",
          line: 4,
          data: {
            chain: "Counter.add (src/counter.ts:4) → Counter.reset [same key]",
            closing: "Counter.reset",
            holder: "Counter.add",
          },
          suggestions: [
            {
              messageId: "useSend",
              output: ts`export const counter = restate.object({ name: "Counter", handlers: {
        add: async (ctx: restate.ObjectContext) => {
          ctx.objectSendClient(counter, ctx.key).reset();
        },
        reset: async (ctx: restate.ObjectContext) => { ctx.clear("n"); },
      } });`,
            },
          ],
        },
      ],
    },
    {
      // The result is used: no send suggestion.
      filename,
      code: ts`export const counter = restate.object({ name: "Counter", handlers: {
        add: async (ctx: restate.ObjectContext) => {
          const n = await ctx.objectClient(counter, ctx.key).get();
          ctx.set("n", n + 1);
        },
        get: async (ctx: restate.ObjectContext) => 1,
      } });`,
      errors: [{ messageId: "certainDeadlock", suggestions: [] }],
    },
    {
      // Lock-order inversion on one object: keys not known to be equal.
      filename,
      code: ts`export const account = restate.object({ name: "Account", handlers: {
        transfer: async (ctx: restate.ObjectContext, req: { to: string }) => {
          const ok = await ctx.objectClient(account, req.to).deposit(1);
          return ok;
        },
        deposit: async (ctx: restate.ObjectContext, n: number) => true,
      } });`,
      errors: [
        {
          messageId: "possibleDeadlock",
          data: {
            chain: "Account.transfer (src/counter.ts:4) → Account.deposit [key unknown]",
            closing: "Account.deposit",
            holder: "Account.transfer",
            explanation:
              "if the keys are equal, Account.deposit is exclusive and waits for the lock Account.transfer holds, and neither invocation ever finishes.",
          },
        },
      ],
    },
    {
      // A literal key on the holder's own object, and no caller in the code fixes the holder's
      // key: when a client calls Board("archive").post, it waits on its own lock.
      filename,
      code: ts`export const board = restate.object({ name: "Board", handlers: {
        post: async (ctx: restate.ObjectContext, msg: string) => { await ctx.objectClient(board, "archive").store(msg); },
        store: async (ctx: restate.ObjectContext, msg: string) => { ctx.set("m", msg); },
      } });`,
      errors: [
        {
          messageId: "possibleDeadlock",
          data: {
            chain: 'Board.post (src/counter.ts:3) → Board.store [key "archive"]',
            closing: "Board.store",
            holder: "Board.post",
            explanation:
              'if Board.post runs for key "archive" (its callers are not all in the code), Board.store is exclusive and waits for the lock Board.post holds, and neither invocation ever finishes.',
          },
          suggestions: [
            {
              messageId: "useSend",
              output: ts`export const board = restate.object({ name: "Board", handlers: {
        post: async (ctx: restate.ObjectContext, msg: string) => { ctx.objectSendClient(board, "archive").store(msg); },
        store: async (ctx: restate.ObjectContext, msg: string) => { ctx.set("m", msg); },
      } });`,
            },
          ],
        },
      ],
    },
    {
      // Through a helper function that receives ctx, and a key passed through a service's input.
      filename,
      code: ts`export const stock = restate.object({ name: "Stock", handlers: {
        reserve: async (ctx: restate.ObjectContext) => { await price(ctx); },
        level: async (ctx: restate.ObjectContext) => 3,
      } });
      async function price(ctx: restate.ObjectContext) {
        return await ctx.serviceClient(pricing).quote(ctx.key);
      }
      export const pricing = restate.service({ name: "Pricing", handlers: {
        quote: async (ctx: restate.Context, sku: string) => ctx.objectClient(stock, sku).level(),
      } });`,
      errors: [
        { messageId: "certainDeadlock", line: 7, data: {
            chain: "Stock.reserve (src/counter.ts:7) → Pricing.quote (src/counter.ts:10) → Stock.level [same key]",
            closing: "Stock.level",
            holder: "Stock.reserve",
          },
        },
        { messageId: "certainDeadlock", line: 10 },
      ],
    },
  ],
});
