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
    // Options with spreads: wrapped handlers are shared whatever the name.
    ts`import { COUNTER_OBJECT } from "./constants";
    export const counter = restate.object({ ...COUNTER_OBJECT, handlers: {
      current: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0),
    } });`,
    // A spread written after the handler map may replace it: these may not be the handlers registered.
    ts`import { COUNTER_OBJECT } from "./constants";
    export const counter = restate.object({ handlers: { current: async (ctx: restate.ObjectSharedContext) => 0 }, ...COUNTER_OBJECT });`,
    ts`export const counter = restate.object({ name: "C", handlers: { current: async (ctx: restate.ObjectSharedContext) => 0 }, ...makeSpec() });`,
    ts`export const counter = restate.object({ name: "C", handlers: { current: async (ctx: restate.ObjectSharedContext) => 0 }, [key]: 1 });`,
    // A spread into a workflow or a service: no exclusive handler but \`run\`.
    ts`import { SIGNUP } from "./constants";
    export const w = restate.workflow({ ...SIGNUP, handlers: { status: async (ctx: restate.ObjectSharedContext) => "ok" } });`,
    ts`import * as names from "./constants";
    export const s = restate.service({ ...names.GREETER, handlers: { h: async (ctx: restate.ObjectSharedContext) => 1 } });`,
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
    {
      // The name from a spread of a same-file constant.
      code: ts`const COUNTER = { name: "Counter" } as const;
export const counter = restate.object({ ...COUNTER, handlers: { current: async (ctx: restate.ObjectSharedContext) => 0 } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          data: { service: "Counter", handler: "current" },
          line: 3,
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`const COUNTER = { name: "Counter" } as const;
export const counter = restate.object({ ...COUNTER, handlers: { current: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0) } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`const COUNTER = { name: "Counter" } as const;
export const counter = restate.object({ ...COUNTER, handlers: { current: async (ctx: restate.ObjectContext) => 0 } });`,
            },
          ],
        },
      ],
    },
    {
      // The name from a spread of an imported constant: unknown in this file, but the kind is the call's.
      code: ts`import { COUNTER_OBJECT } from "./constants";
export const counter = restate.object({
  ...COUNTER_OBJECT,
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {},
    current: async (ctx: restate.ObjectSharedContext): Promise<number> => (await ctx.get<number>("n")) ?? 0,
  },
});`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          data: { service: "counter", handler: "current" },
          line: 7,
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`import { COUNTER_OBJECT } from "./constants";
export const counter = restate.object({
  ...COUNTER_OBJECT,
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {},
    current: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<number> => (await ctx.get<number>("n")) ?? 0),
  },
});`,
            },
            {
              messageId: "useObjectContext",
              output: ts`import { COUNTER_OBJECT } from "./constants";
export const counter = restate.object({
  ...COUNTER_OBJECT,
  handlers: {
    add: async (ctx: restate.ObjectContext, n: number) => {},
    current: async (ctx: restate.ObjectContext): Promise<number> => (await ctx.get<number>("n")) ?? 0,
  },
});`,
            },
          ],
        },
      ],
    },
    {
      // Spreads of unknown things, written before the handler map, leave it the one registered.
      code: ts`export default restate.object({ ...makeSpec(), ...undefined, handlers: { get: async (ctx: restate.ObjectSharedContext) => 0 } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          data: { service: "(unnamed object)", handler: "get" },
          line: 2,
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`export default restate.object({ ...makeSpec(), ...undefined, handlers: { get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0) } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`export default restate.object({ ...makeSpec(), ...undefined, handlers: { get: async (ctx: restate.ObjectContext) => 0 } });`,
            },
          ],
        },
      ],
    },
    {
      // A name no one can know.
      code: ts`restate.object({ name: computeName(), handlers: { peek: async (ctx: restate.ObjectSharedContext) => 0 } });`,
      errors: [
        {
          messageId: "sharedContextOnExclusive",
          data: { service: "(unnamed object)", handler: "peek" },
          suggestions: [
            {
              messageId: "wrapInShared",
              output: ts`restate.object({ name: computeName(), handlers: { peek: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext) => 0) } });`,
            },
            {
              messageId: "useObjectContext",
              output: ts`restate.object({ name: computeName(), handlers: { peek: async (ctx: restate.ObjectContext) => 0 } });`,
            },
          ],
        },
      ],
    },
  ],
});
