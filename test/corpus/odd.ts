// @ts-nocheck
// Restate code in shapes the rules must survive without throwing: computed and dynamic names,
// spreads, destructured contexts, handlers that are not functions, names that are never
// imported, definitions without a name. Linted by test/no-crash.test.ts; never compiled.
import * as restate from "@restatedev/restate-sdk";
import { rpc, object as obj, handlers as h, type ObjectSharedContext as Shared } from "@restatedev/restate-sdk";
import sendOpts = rpc.sendOpts;
import type { Other } from "./does-not-exist";
const r = require("@restatedev/restate-sdk");
const { serviceSendClient } = restate as any;

const dynamicName = `svc-${Math.random()}`;
const key = "computed";
const extra = { spread: async (ctx: restate.ObjectContext) => ctx.sleep(60_000) };
const loopA = { ...loopB };
const loopB = { ...loopA };
const selfRef = restate.object({ name: "SelfRef", handlers: selfRef.handlers });
const alias1 = alias2;
const alias2 = alias1;

export const noName = restate.object({ handlers: { h: async (ctx: Shared) => ctx.sleep(10_000) } });
export const noArgs = restate.object();
export const notAnObject = restate.object(42);
export const nameFromCall = restate.service({ name: dynamicName, handlers: {} });
export const handlersMissing = restate.workflow({ name: "NoHandlers" });
export const handlersNull = restate.object({ name: "Null", handlers: null });
export const handlersAlias = restate.object({ name: "Alias", handlers: alias1 });
export const spreadLoop = restate.object({ name: "SpreadLoop", handlers: { ...loopA, ...undefinedThing } });

export const odd = restate.object({
  name: "Odd",
  handlers: {
    ...extra,
    ...h,
    [key]: async (ctx: restate.ObjectSharedContext) => {
      await ctx.sleep();
      await ctx.sleep(...durations);
      await ctx.sleep(1 / 0);
      await ctx.sleep(-5);
      await ctx.sleep(10n);
      await ctx.sleep("1000");
      await ctx.sleep({ hours: 1, ...rest });
      await ctx.sleep({ [unit]: 5 });
      await ctx.sleep({ fortnights: 1 });
      ctx.serviceSendClient().ping();
      ctx.objectSendClient(Other).ping();
    },
    [`tpl${key}`]: async (ctx: Shared) => 1,
    [Symbol.iterator]: async (ctx: Shared) => 1,
    [dynamicName]: async (ctx: Shared) => 1,
    42: async (ctx: restate.ObjectSharedContext) => 1,
    "quoted name": async (ctx: restate.ObjectSharedContext) => 1,
    notAFunction: 42,
    alsoNot: null,
    stillNot: "handler",
    undefinedValue: undefined,
    wrapperWithoutFn: restate.handlers.object.shared(),
    wrapperWithOptionsOnly: restate.handlers.object.exclusive({ ingressPrivate: true }),
    wrapperOfUnknown: h.object.shared(somethingElse),
    unknownCall: makeHandler(),
    classInstance: new Handler(),
    get getter() {
      return async (ctx: Shared) => 1;
    },
    set setter(ctx: Shared) {},
    async *generator(ctx: Shared) {
      yield* ctx.sleep(5000);
    },
    destructured: async ({ sleep, key }: restate.ObjectContext) => {
      await sleep(60_000);
      return key;
    },
    destructuredDefault: async ({ sleep } = {} as restate.ObjectContext) => sleep(1),
    restParams: async (...args: [restate.ObjectContext]) => args[0].sleep(60_000),
    noParams: async () => 1,
    defaultCtx: async (ctx: restate.ObjectSharedContext = fallback) => ctx.sleep(60_000),
    optionalChain: async (ctx: restate.ObjectContext) => {
      await ctx?.sleep?.(60_000);
      ctx?.objectSendClient?.(odd, ctx.key)?.ping?.({ idempotencyKey: "k" });
      ctx.serviceSendClient(odd, { delay }).ping();
      ctx.serviceSendClient(odd, { delay: 1, ...more }).ping();
      ctx.serviceSendClient(odd, { ...more }).ping();
    },
    shadowed: async (ctx: restate.ObjectContext) => {
      const inner = (ctx: number) => ctx + 1;
      [1, 2].forEach(async (ctx) => {
        await ctx.sleep(60_000);
      });
      return inner(1);
    },
    thisCalls: async function (this: unknown, ctx: restate.ObjectContext) {
      await this.thisCalls(ctx);
      await this[key](ctx);
      await this.missing(ctx);
      await recursive(ctx, 0);
    },
    clients: async (ctx: restate.ObjectContext) => {
      const c = ctx.objectSendClient(odd, ctx.key, { delay: 5000 });
      c.a();
      c["b"]();
      c[dynamicName]();
      const { a } = ctx.objectClient(odd, ctx.key);
      await a();
      const scoped = ctx.scope("tenant").objectSendClient(odd, ctx.rand.uuidv4());
      scoped.ping({ headers: {} } as const);
      ctx.genericSend();
      ctx.genericSend(spec);
      ctx.genericSend({ ...spec });
      ctx.genericSend({ service: 1, method: null, parameter: undefined, delay });
      await ctx.genericCall({ service: dynamicName, method: key, key: ctx.key });
      ctx.serviceSendClient(odd).ping(...args);
      ctx.serviceSendClient(odd).ping("x", ...args);
      ctx.serviceSendClient(odd).ping("x", sendOpts());
      ctx.serviceSendClient(odd).ping("x", sendOpts(...args));
      ctx.serviceSendClient(odd).ping("x", restate.rpc.sendOpts(existing));
      ctx.serviceSendClient(odd).ping("x", r.rpc.sendOpts({ delay: 1 }));
      ctx.serviceSendClient(odd).ping({ delay: 1 } satisfies object);
      ctx.serviceSendClient(odd).ping({ idempotencyKey } as any, { ...opts });
      serviceSendClient(odd).ping({ delay: 1 });
      const handle = ctx.serviceSendClient(odd).ping();
      await ctx.attach((await handle).invocationId);
      await ctx.invocation(handle.invocationId).attach();
      await ctx.sleep(1000);
      ctx.serviceSendClient(odd).ping();
      await ctx.sleep(1000);
      await ctx.sleep(2000);
      ctx.genericSend({ ...spec, service: "X" });
    },
    loops: async (ctx: restate.ObjectContext) => {
      label: for (;;) {
        await ctx.sleep(1000);
        ctx.serviceSendClient(odd).ping();
        break label;
      }
      switch (ctx.key) {
        case "a":
          await ctx.sleep(1000);
          ctx.serviceSendClient(odd).ping();
          break;
        default:
      }
      try {
        await ctx.sleep(1000);
        ctx.serviceSendClient(odd).ping();
      } catch {
        await ctx.sleep(1000);
        ctx.serviceSendClient(odd).ping();
      } finally {
        await ctx.sleep(1000);
        ctx.serviceSendClient(odd).ping();
      }
    },
    racing: async (ctx: restate.ObjectContext) => {
      await restate.RestatePromise.race();
      await restate.RestatePromise.race([...timers, ctx.sleep(5000)]);
      await restate.RestatePromise.any(ctx.sleep(5000));
      const t = ctx.sleep(5000);
      t = ctx.sleep(6000);
      await [t][0];
      return ctx.sleep(5000).map(() => 1).orTimeout();
    },
    withRun: async (ctx: restate.ObjectContext) => {
      await ctx.run(async () => {
        await ctx.sleep(5000);
        ctx.serviceSendClient(odd).ping();
      });
      await ctx.run();
      await ctx.run("name");
    },
  },
});

export default restate.object({
  name: "DefaultExport",
  handlers: { h: obj, i: h.object.shared, j: restate.handlers.object.shared(h.object.shared) },
});

export const viaNamedFactory = obj({
  name: "Named",
  handlers: {
    peek: async (ctx: Shared) => ctx.get("x"),
    wait: h.object.exclusive(async (ctx: restate.ObjectContext) => ctx.sleep({ minutes: 1 })),
  },
});

const api = restate.iface.object("Api", { add: restate.iface.json(), get: restate.iface.shared.json(), [key]: 1 });
const emptyApi = restate.iface.object();
export const implemented = restate.implement(api, {
  handlers: {
    add: async (ctx: restate.ObjectContext) => ctx.sleep(60_000),
    get: async (ctx: Shared) => 1,
    ...spreadImpl,
  },
});
export const implementedUnknown = restate.implement(importedApi, { handlers: { a: async (ctx) => ctx.sleep(5) } });
export const implementedEmpty = restate.implement(emptyApi);
export const implementedNothing = restate.implement();

async function recursive(ctx: restate.ObjectContext, n: number): Promise<void> {
  await ctx.sleep(n);
  await recursive(ctx, n + 1);
  await mutualA(ctx);
}
async function mutualA(ctx: restate.ObjectContext) {
  await mutualB(ctx);
}
async function mutualB(ctx: restate.ObjectContext) {
  await mutualA(ctx);
  ctx.objectSendClient(odd, ctx.key).ping(1, { idempotencyKey: "k" });
}

class Handlers {
  async method(ctx: restate.ObjectSharedContext) {
    await ctx.sleep(60_000);
  }
  field = async (ctx: restate.ObjectContext) => ctx.sleep(60_000);
  constructor(private ctx: restate.ObjectContext) {}
}
export const fromClass = restate.object({ name: "FromClass", handlers: new Handlers() });

declare function declared(ctx: restate.ObjectContext): Promise<void>;
export const declaredHandler = restate.object({ name: "Declared", handlers: { declared } });

await restate.object({ name: "TopLevelAwait", handlers: {} });
await ctx.sleep(1000);
ctx.serviceSendClient(odd).ping();
