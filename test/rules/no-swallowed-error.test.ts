import rule from "../../rules/no-swallowed-error.js";
import { ruleTester, ts } from "../rule-tester.js";

/** The message's placeholders as the TypeScript listeners fill them. */
function swallowed(where: string, op: string): Record<string, string> {
  return {
    swallowed: `This ${where} swallows the failure of ${op}`,
    lost: "the callee's TerminalError, a TimeoutError and this invocation's own CancelledError (both TerminalError subclasses) all end here",
    remedy: "Rethrow, handle the TerminalError subclasses you expect and rethrow the rest, or turn the error into a result",
  };
}

ruleTester().run("no-swallowed-error", rule, {
  valid: [
    // Compensate, then rethrow.
    ts`export const s = restate.service({ name: "S", handlers: {
      book: async (ctx: restate.Context, trip: string) => {
        try {
          await ctx.serviceClient(flights).reserve(trip);
          await ctx.serviceClient(hotels).reserve(trip);
        } catch (e) {
          await ctx.serviceClient(flights).cancel(trip);
          throw e;
        }
      } } });`,
    // Convert the failure into a result, or into stored state derived from it.
    ts`export const s = restate.object({ name: "S", handlers: {
      a: async (ctx: restate.ObjectContext) => {
        try {
          return { ok: true, value: await ctx.serviceClient(payments).charge(10) };
        } catch (e) {
          return { ok: false, error: (e as Error).message };
        }
      },
      b: async (ctx: restate.ObjectContext) => {
        try {
          await ctx.run("charge", () => charge());
        } catch (err) {
          ctx.set("lastError", (err as Error).message);
        }
      } } });`,
    // Handle the TerminalError subclass you expect, rethrow the rest (the documented pattern).
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try {
          return await ctx.serviceClient(slow).work().orTimeout(1000);
        } catch (e) {
          if (e instanceof restate.TimeoutError) return "timed out";
          throw e;
        }
      } } });`,
    // No Restate operation in the try block: not this rule's business.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, raw: string) => {
        let input = {};
        try { input = JSON.parse(raw); } catch {}
        ctx.serviceSendClient(ledger).record(input);
        try { ctx.serviceSendClient(ledger).record(1); } catch (e) { console.log(e); }
      } } });`,
    // The inner catch decides; an outer catch never sees the failure.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try {
          try { await ctx.serviceClient(ledger).record(1); } catch (e) { return "fallback"; }
        } catch (e) {
          console.log(e);
        }
      } } });`,
    // A retry loop: the catch ends an attempt, the failure is decided after the loop.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        for (let i = 0; i < 3; i++) {
          try {
            return await ctx.serviceClient(flaky).call();
          } catch (e) {
            ctx.console.warn("attempt failed", e);
          }
        }
        throw new restate.TerminalError("gave up");
      } } });`,
    // `.catch` that rethrows, or that turns the failure into a value.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(ledger).record(1).catch((e) => { ctx.console.error(e); throw e; });
        const v = await ctx.serviceClient(ledger).balance().catch(() => 0);
        return v;
      } } });`,
    // A `return call()` inside try is not awaited there: the catch never sees its failure.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try { return ctx.serviceClient(ledger).record(1); } catch (e) { console.log(e); }
      } } });`,
    // Calls left floating in a callback: their failures never reach this catch.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        try { ids.forEach((id) => ctx.objectClient(counter, id).add(1)); } catch (e) { console.log(e); }
      } } });`,
    // Looks like Restate, but the SDK is not imported.
    `export const s = { h: async (ctx: any) => { try { await ctx.serviceClient(x).y(); } catch (e) {} } };`,
  ],
  invalid: [
    {
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try {
          await ctx.serviceClient(ledger).record(1);
        } catch (e) {
          console.error("record failed", e);
        }
      } } });`,
      errors: [
        {
          messageId: "swallowedError",
          data: swallowed("catch", "the call to `ledger.record`"),
          line: 6,
          suggestions: [
            {
              messageId: "rethrow",
              data: { param: "e" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try {
          await ctx.serviceClient(ledger).record(1);
        } catch (e) {
          console.error("record failed", e);
          throw e;
        }
      } } });`,
            },
          ],
        },
      ],
    },
    {
      // Empty catches, with and without a parameter; ctx.run and sleeps count too.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try { await ctx.run("charge", () => charge()); } catch (err) {}
        try {
          await ctx.sleep({ minutes: 5 });
        } catch {
          // cancelled? never mind
        }
      } } });`,
      errors: [
        {
          messageId: "swallowedError",
          data: swallowed("catch", "`ctx.run`"),
          suggestions: [
            {
              messageId: "rethrow",
              data: { param: "err" },
              output: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        try { await ctx.run("charge", () => charge()); } catch (err) { throw err; }
        try {
          await ctx.sleep({ minutes: 5 });
        } catch {
          // cancelled? never mind
        }
      } } });`,
            },
          ],
        },
        { messageId: "swallowedError", data: swallowed("catch", "`ctx.sleep`"), suggestions: [] },
      ],
    },
    {
      // `.catch(...)` on the promise; the error logged through a logger or `console.error` itself.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context) => {
        await ctx.serviceClient(ledger).record(1).catch((e) => logger.warn("ignored", e));
        ctx.genericCall({ service: "Audit", method: "log", parameter: 1 }).catch(console.error);
        await restate.RestatePromise.all([ctx.serviceClient(a).x(), ctx.serviceClient(b).y()]).catch(() => {});
      } } });`,
      errors: [
        { messageId: "swallowedError", data: swallowed("`.catch(...)`", "the call to `ledger.record`"), suggestions: [] },
        { messageId: "swallowedError", data: swallowed("`.catch(...)`", "the call to `Audit.log`") },
        { messageId: "swallowedError", data: swallowed("`.catch(...)`", "the call to `a.x`") },
      ],
    },
    {
      // Calls combined in the try block, in a helper that receives ctx, and a comment-only catch.
      code: ts`async function fanOut(ctx: restate.Context, ids: string[]) {
  try {
    await restate.RestatePromise.all(ids.map((id) => ctx.objectClient(counter, id).add(1)));
  } catch (e) {
    // best effort
  }
}`,
      errors: [
        {
          messageId: "swallowedError",
          line: 5,
          suggestions: [
            {
              messageId: "rethrow",
              output: ts`async function fanOut(ctx: restate.Context, ids: string[]) {
  try {
    await restate.RestatePromise.all(ids.map((id) => ctx.objectClient(counter, id).add(1)));
  } catch (e) {
    // best effort
    throw e;
  }
}`,
            },
          ],
        },
      ],
    },
    {
      // Failures of calls in callbacks reach the catch when the callback's result is awaited.
      code: ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.Context, ids: string[]) => {
        try {
          await withRetry(async () => { await ctx.objectClient(counter, ids[0]).add(1); });
          await withRetry(() => ctx.serviceClient(ledger).record(1));
        } catch {
          ctx.console.warn("partial failure");
        }
        try { await withRetry(() => ctx.serviceClient(ledger).record(2)); } catch { log("x"); }
      } } });`,
      errors: [
        { messageId: "swallowedError", line: 7, data: swallowed("catch", "the call to `counter.add`") },
        { messageId: "swallowedError", line: 10, data: swallowed("catch", "the call to `ledger.record`") },
      ],
    },
    {
      // The inner catch rethrows, so the failure reaches the outer one, which logs and returns.
      // Also: a bare `return;` and an `instanceof TerminalError` check without a rethrow.
      code: ts`export const s = restate.object({ name: "S", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        try {
          try {
            await ctx.invocation(id).attach();
          } catch (e) {
            throw e;
          }
        } catch (e) {
          if (e instanceof restate.TerminalError) ctx.console.info("done", e);
          return;
        }
      } } });`,
      errors: [
        {
          messageId: "swallowedError",
          line: 10,
          data: swallowed("catch", "the attached invocation"),
          suggestions: [
            {
              messageId: "rethrow",
              output: ts`export const s = restate.object({ name: "S", handlers: {
      h: async (ctx: restate.ObjectContext) => {
        try {
          try {
            await ctx.invocation(id).attach();
          } catch (e) {
            throw e;
          }
        } catch (e) {
          if (e instanceof restate.TerminalError) ctx.console.info("done", e);
          throw e;
        }
      } } });`,
            },
          ],
        },
      ],
    },
  ],
});
