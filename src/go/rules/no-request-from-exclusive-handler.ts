import path from "node:path";
import type { CallSite } from "../../model/types.js";
import type { HandlerNode } from "../../project/graph.js";
import { handlerName } from "../../report/chain.js";
import type { GoNode } from "../ast.js";
import { goProjectAnalysis } from "../project.js";
import { defineGoRule, goModel } from "../rule-kit.js";

export default defineGoRule("no-request-from-exclusive-handler", {
  meta: {
    type: "suggestion",
    docs: {
      description:
        "Disallow request-response calls from an exclusive handler to another virtual object's exclusive handler or a workflow",
      config: "strict",
    },
    messages: {
      requestFromExclusive:
        "{{caller}} holds the lock on ({{callerObject}}, key) while it waits for {{callee}} ({{calleeKind}}): every other call to this key queues until it finishes. Send instead of calling, or make one of the two handlers shared.",
    },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: { type: "string" },
            description: 'Targets that may be called: "Service", "Service/handler" or "Service/*".',
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ allow: [] }],
  },
  create(context) {
    const allowed = ((context.options[0] as { allow?: string[] } | undefined)?.allow ?? []).map(parsePattern);
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const analysis = goProjectAnalysis(context, model);
        if (!analysis) return;
        const file = path.resolve(context.filename);
        const reported = new Set<number>();
        for (const e of analysis.edgesByFile.get(file) ?? []) {
          if (e.attached || !holdsLock(e.from) || !longLocked(e.from, e.to)) continue;
          if (allowed.some((a) => a(e.to))) continue;
          if (reported.has(e.callIndex)) continue;
          reported.add(e.callIndex);
          const call: CallSite<GoNode> | undefined = model.calls[e.callIndex];
          const at = analysis.locOf(e);
          context.report({
            ...(call?.node
              ? { node: call.node }
              : { loc: { start: { line: at.line, column: at.column }, end: { line: at.endLine, column: at.endColumn } } }),
            messageId: "requestFromExclusive",
            data: {
              caller: handlerName(e.from),
              callerObject: e.from.service,
              callee: handlerName(e.to),
              calleeKind:
                e.to.serviceKind === "workflow"
                  ? "a workflow's run, which may last long"
                  : "an exclusive handler of another virtual object, which itself queues behind every call to its key",
            },
          });
        }
      },
    };
  },
});

function holdsLock(n: HandlerNode): boolean {
  return n.serviceKind === "object" && n.kind === "exclusive";
}

function longLocked(from: HandlerNode, to: HandlerNode): boolean {
  if (to.kind === "workflow-run") return true;
  return to.serviceKind === "object" && to.kind === "exclusive" && to.service !== from.service;
}

function parsePattern(pattern: string): (n: HandlerNode) => boolean {
  const [service, handler] = pattern.split("/");
  return (n) => n.service === service && (handler === undefined || handler === "*" || handler === n.handler);
}
