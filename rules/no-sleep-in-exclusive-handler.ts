import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { describeFrom, handlerOf } from "../src/ts/handlers.js";

type Options = [{ minDurationMs?: number }];

const WAITED = new Set(["awaited", "returned", "combined", "stored-awaited"]);

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
        "{{where}} sleeps {{duration}} while holding the exclusive lock on ({{service}}, key): every other call to this key queues for the whole sleep. Schedule the rest with a delayed send (`rpc.sendOpts({ delay })`) to a handler of this object, or make the handler shared.",
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
        const reported = new Set<unknown>();
        for (const sleep of model.sleeps) {
          if (!sleep.from || !sleep.node || reported.has(sleep.node) || !WAITED.has(sleep.usage)) continue;
          const handler = handlerOf(model, sleep.from);
          if (handler?.kind !== "exclusive" || !handler.kindKnown) continue;
          if (sleep.durationMs !== null && sleep.durationMs < min) continue;
          reported.add(sleep.node);
          context.report({
            node: sleep.node,
            messageId: "sleepInExclusive",
            data: {
              where: describeFrom(sleep.from, sleep.via),
              service: sleep.from.service,
              duration: sleep.durationMs === null ? `for \`${sleep.durationText}\` (length not known statically)` : formatMs(sleep.durationMs),
            },
          });
        }
      },
    };
  },
});

function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
