import rule from "../../rules/no-request-from-exclusive-handler.js";
import { projectFile, ruleTester, ts } from "../rule-tester.js";

const filename = projectFile("orders.ts");

const system = (call: string) => ts`
export const orders = restate.object({ name: "Orders", handlers: {
  place: async (ctx: restate.ObjectContext) => { ${call} },
  view: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => { ${call} }),
} });
export const stock = restate.object({ name: "Stock", handlers: {
  take: async (ctx: restate.ObjectContext) => 1,
  peek: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 1),
} });
export const audit = restate.service({ name: "Audit", handlers: { log: async (ctx: restate.Context) => 1 } });
export const fulfil = restate.workflow({ name: "Fulfil", handlers: {
  run: async (ctx: restate.WorkflowContext) => 1,
  status: async (ctx: restate.WorkflowSharedContext) => 1,
} });`;

ruleTester().run("no-request-from-exclusive-handler", rule, {
  valid: [
    { filename, code: system(`await ctx.objectClient(stock, "a").peek();`) },
    { filename, code: system(`await ctx.serviceClient(audit).log();`) },
    { filename, code: system(`ctx.objectSendClient(stock, "a").take();`) },
    { filename, code: system(`await ctx.workflowClient(fulfil, "w").status();`) },
    { filename, code: system(`await ctx.objectClient(stock, "a").take();`), options: [{ allow: ["Stock/take"] }] },
    { filename, code: system(`await ctx.objectClient(stock, "a").take();`), options: [{ allow: ["Stock"] }] },
  ],
  invalid: [
    {
      filename,
      code: system(`await ctx.objectClient(stock, "a").take();`),
      // Reported from the exclusive `place` only; the shared `view` holds no lock.
      errors: [
        {
          messageId: "requestFromExclusive",
          line: 4,
          data: {
            caller: "Orders.place",
            callerObject: "Orders",
            callee: "Stock.take",
            calleeKind: "an exclusive handler of another virtual object, which itself queues behind every call to its key",
          },
        },
      ],
    },
    {
      filename,
      code: system(`await ctx.workflowClient(fulfil, ctx.key).run();`),
      errors: [
        {
          messageId: "requestFromExclusive",
          line: 4,
          data: { caller: "Orders.place", callerObject: "Orders", callee: "Fulfil.run", calleeKind: "a workflow's run, which may last long" },
        },
      ],
    },
  ],
});
