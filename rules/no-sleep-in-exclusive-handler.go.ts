import type { HandlerRef, SleepSite } from "../src/model/types.js";
import type { GoNode } from "../src/go/ast.js";
import type { GoFileModel } from "../src/go/extract.js";
import { defineGoListeners, goModel } from "../src/go/rule-kit.js";

/** Waited in place or kept and waited later; a timer raced in `WaitFirst` bounds a wait instead. */
const WAITED = new Set(["awaited", "stored-awaited", "returned"]);

export default defineGoListeners("no-sleep-in-exclusive-handler", {
  create(context) {
    const min = (context.options[0] as { minDurationMs?: number } | undefined)?.minDurationMs ?? 1000;
    return {
      "source_file:exit"() {
        const model = goModel(context);
        // A helper reached from several handlers gives one site per handler: report the sleep
        // once, naming the handler that reaches it most directly.
        const best = new Map<GoNode, SleepSite<GoNode>>();
        for (const sleep of model.sleeps) {
          if (!sleep.from || !sleep.node || !sleep.durationText || !WAITED.has(sleep.usage)) continue;
          if (!isExclusive(model, sleep.from)) continue;
          if (sleep.durationMs !== null && sleep.durationMs < min) continue;
          const current = best.get(sleep.node);
          if (!current || sleep.via.length < current.via.length) best.set(sleep.node, sleep);
        }
        const sdk = model.go.restate ?? "restate";
        for (const [node, sleep] of best) {
          const from = sleep.from!;
          context.report({
            node,
            messageId: "sleepInExclusive",
            data: {
              where: sleep.via.length ? `${from.service}.${from.handler} (through ${sleep.via.join(" → ")})` : `${from.service}.${from.handler}`,
              service: from.service,
              delayedSend: `\`${sdk}.WithDelay(d)\``,
              sharedHandler: `\`${sdk}.ObjectSharedContext\``,
              duration: sleep.durationMs === null ? `for \`${sleep.durationText}\` (length not known statically)` : formatMs(sleep.durationMs),
            },
          });
        }
      },
    };
  },
});

function isExclusive(model: GoFileModel, ref: HandlerRef): boolean {
  for (const s of model.services) {
    if (s.name !== ref.service || s.kind !== "object") continue;
    const h = s.handlers.find((x) => x.name === ref.handler);
    if (h) return h.kind === "exclusive" && h.kindKnown;
  }
  // A helper of a handler declared in another file: that file said which kind it is.
  return model.reachedFrom.get(`${ref.service}.${ref.handler}`) === "exclusive";
}

export function formatMs(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
