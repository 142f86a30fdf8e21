import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import type { SleepSite } from "../src/model/types.js";
import { type Node, enclosingFunction, memberName, parentOf, referencesTo, unwrap, valueParent } from "../src/ts/ast.js";
import { describeFrom, handlerOf } from "../src/ts/handlers.js";

type Options = [{ minDurationMs?: number }];

const WAITED = new Set(["awaited", "returned", "combined", "stored-awaited"]);
const RACES = new Set(["race", "any"]);
const CHAIN_METHODS = new Set(["orTimeout", "map"]);

export default createRule<Options, "sleepInExclusive">({
  name: "no-sleep-in-exclusive-handler",
  meta: {
    type: "suggestion",
    docs: {
      description: "Disallow long sleeps in exclusive virtual-object handlers: every call to the key queues behind them",
      config: "recommended",
    },
    messages: {
      sleepInExclusive:
        "{{where}} sleeps {{duration}} while holding the exclusive lock on ({{service}}, key): every other call to this key queues for the whole sleep. Schedule the rest with a delayed send ({{delayedSend}}) to a handler of this object, or make the handler shared ({{sharedHandler}}).",
    },
    schema: [
      {
        type: "object",
        properties: {
          minDurationMs: {
            type: "number",
            minimum: 0,
            description: "Report sleeps of at least this many milliseconds (sleeps of unknown length are always reported).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ minDurationMs: 1000 }],
  },
  defaultOptions: [{ minDurationMs: 1000 }],
  create(context, [options]) {
    const min = options.minDurationMs ?? 1000;
    return {
      "Program:exit"() {
        const model = fileModel(context);
        // A helper reached from several handlers yields one site per handler; report the sleep
        // once, naming the handler that reaches it most directly.
        const best = new Map<Node, SleepSite<Node>>();
        for (const sleep of model.sleeps) {
          // `ctx.sleep()` without a duration does not type-check; nothing useful to say about it.
          if (!sleep.from || !sleep.node || !sleep.durationText || !WAITED.has(sleep.usage)) continue;
          const handler = handlerOf(model, sleep.from);
          if (handler?.kind !== "exclusive" || !handler.kindKnown) continue;
          if (sleep.durationMs !== null && sleep.durationMs < min) continue;
          const current = best.get(sleep.node);
          if (!current || sleep.via.length < current.via.length) best.set(sleep.node, sleep);
        }
        for (const [node, sleep] of best) {
          // A timer raced against other work bounds a wait; it is not what holds the lock.
          if (isRacedTimer(node)) continue;
          const from = sleep.from!;
          context.report({
            node,
            messageId: "sleepInExclusive",
            data: {
              where: describeFrom(from, sleep.via),
              service: from.service,
              delayedSend: "`rpc.sendOpts({ delay })`",
              sharedHandler: "`handlers.object.shared`",
              duration:
                sleep.durationMs === null
                  ? `for \`${sleep.durationText}\` (length not known statically)`
                  : formatMs(sleep.durationMs),
            },
          });
        }
      },
    };
  },
});

/** `race([ctx.sleep(d), p])`, `any([...])`, also when the sleep is stored in a variable first. */
function isRacedTimer(sleep: Node): boolean {
  if (isRaced(sleep)) return true;
  const { parent, child } = valueParent(sleep);
  if (parent?.type !== "VariableDeclarator" || parent.init !== child || parent.id.type !== "Identifier") return false;
  const scope = enclosingFunction(parent);
  if (!scope) return false;
  return referencesTo(scope.body, parent.id.name).some((ref) => isRaced(ref));
}

function isRaced(expr: Node): boolean {
  let current = expr;
  for (;;) {
    const { parent, child } = valueParent(current);
    if (!parent) return false;
    if (parent.type === "MemberExpression" && parent.object === child) {
      // `ctx.sleep(d).map(...)` still is the timer.
      const call = parentOf(parent);
      const name = memberName(parent);
      if (!name || !CHAIN_METHODS.has(name) || call?.type !== "CallExpression" || call.callee !== parent) return false;
      current = call;
      continue;
    }
    if (parent.type === "ArrayExpression") {
      const outer = valueParent(parent);
      return outer.parent?.type === "CallExpression" && isRaceCall(outer.parent, outer.child);
    }
    if (parent.type === "CallExpression") return isRaceCall(parent, child);
    return false;
  }
}

function isRaceCall(call: TSESTree.CallExpression, arg: Node): boolean {
  if (!call.arguments.includes(arg as TSESTree.CallExpressionArgument)) return false;
  const name = memberName(unwrap(call.callee));
  return !!name && RACES.has(name);
}

function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
