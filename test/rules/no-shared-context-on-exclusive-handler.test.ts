import rule from "../../rules/no-shared-context-on-exclusive-handler.js";
import { ruleTester, ts } from "../rule-tester.js";

ruleTester().run("no-shared-context-on-exclusive-handler", rule, {
  valid: [
    // Wrapped: really shared at run time.
    ts`export const o = restate.object({ name: "O", handlers: {
      get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get("n")),
    } });`,
    // Wrapped with options first.
    ts`export const o = restate.object({ name: "O", handlers: {
      get: restate.handlers.object.shared({ ingressPrivate: true }, async (ctx: restate.ObjectSharedContext) => 1),
    } });`,
    // The 1.9 alias, imported by name.
    `import { object, createObjectSharedHandler, type ObjectSharedContext } from "@restatedev/restate-sdk";
     export const o = object({ name: "O", handlers: {
       get: createObjectSharedHandler(async (ctx: ObjectSharedContext) => 1),
     } });`,
    // Exclusive and typed so.
    ts`export const o = restate.object({ name: "O", handlers: {
      add: async (ctx: restate.ObjectContext, n: number) => { ctx.set("n", n); },
    } });`,
    // Workflows register every handler but \`run\` as shared: the annotation matches.
    ts`export const w = restate.workflow({ name: "W", handlers: {
      run: async (ctx: restate.WorkflowContext) => {},
      status: async (ctx: restate.ObjectSharedContext) => "ok",
    } });`,
    // Services hold no lock.
    ts`export const s = restate.service({ name: "S", handlers: {
      h: async (ctx: restate.ObjectSharedContext) => 1,
    } });`,
    // A service wrapper misused in an object is registered SHARED.
    ts`export const o = restate.object({ name: "O", handlers: {
      h: restate.handlers.handler({}, async (ctx: restate.ObjectSharedContext) => 1),
    } });`,
    // An accessor in the handler map is not a handler.
    ts`export const o = restate.object({ name: "O", handlers: {
      set h(ctx: restate.ObjectSharedContext) {},
    } });`,
    // Not the SDK's type.
    `import * as restate from "@restatedev/restate-sdk";
     interface ObjectSharedContext { key: string }
     export const o = restate.object({ name: "O", handlers: { h: async (ctx: ObjectSharedContext) => 1 } });`,
    // No SDK import: not Restate code.
    `const object = (x: unknown) => x;
     export const o = object({ name: "O", handlers: { h: async (ctx: ObjectSharedContext) => 1 } });`,
  ],
  invalid: [
    {
      code: ts`export const o = restate.object({ name: "O", handlers: {
      get: async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n"),
    } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          data: { service: "O", handler: "get" },
          line: 3,
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => ctx.get<number>("n")),
    } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      get: async (ctx: restate.ObjectContext) => ctx.get<number>("n"),
    } });`,
            },
          ],
        },
      ],
    },
    {
      // Method shorthand: the wrapper needs a function expression.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      async get(ctx: restate.ObjectSharedContext<{ n: number }>) { return ctx.get("n"); },
    } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      get: restate.handlers.object.shared(async function (ctx: restate.ObjectSharedContext<{ n: number }>) { return ctx.get("n"); }),
    } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      async get(ctx: restate.ObjectContext<{ n: number }>) { return ctx.get("n"); },
    } });`,
            },
          ],
        },
      ],
    },
    {
      // Named imports: the wrapper is spelt as imported; no `ObjectContext` import, so no retyping.
      code: `import { object, createObjectSharedHandler, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  get: async (ctx: ObjectSharedContext) => 1,
} });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          suggestions: [
            {
              messageId: "wrapInShared",
              output: `import { object, createObjectSharedHandler, type ObjectSharedContext } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  get: createObjectSharedHandler(async (ctx: ObjectSharedContext) => 1),
} });`,
            },
          ],
        },
      ],
    },
    {
      // A renamed type import and an `ObjectContext` import: retype with the local spelling.
      code: `import { object, type ObjectContext as Ctx, type ObjectSharedContext as Shared } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  get: async (ctx: Shared) => 1,
} });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          suggestions: [
            {
              messageId: "useObjectContext",
              output: `import { object, type ObjectContext as Ctx, type ObjectSharedContext as Shared } from "@restatedev/restate-sdk";
export const o = object({ name: "O", handlers: {
  get: async (ctx: Ctx) => 1,
} });`,
            },
          ],
        },
      ],
    },
    {
      // A handler defined apart and listed by shorthand.
      code: ts`async function get(ctx: restate.ObjectSharedContext) { return 1; }
export const o = restate.object({ name: "O", handlers: { get } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          line: 2,
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`async function get(ctx: restate.ObjectSharedContext) { return 1; }
export const o = restate.object({ name: "O", handlers: { get: restate.handlers.object.shared(get) } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`async function get(ctx: restate.ObjectContext) { return 1; }
export const o = restate.object({ name: "O", handlers: { get } });`,
            },
          ],
        },
      ],
    },
    {
      // The explicit exclusive wrapper is not flagged; the plain sibling is.
      code: ts`export const o = restate.object({ name: "O", handlers: {
      add: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext) => {}),
      peek: async (ctx: restate.ObjectSharedContext) => 1,
    } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          line: 4,
          data: { service: "O", handler: "peek" },
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      add: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext) => {}),
      peek: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 1),
    } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`export const o = restate.object({ name: "O", handlers: {
      add: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext) => {}),
      peek: async (ctx: restate.ObjectContext) => 1,
    } });`,
            },
          ],
        },
      ],
    },
  ],
});
