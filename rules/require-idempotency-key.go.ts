import type { CallSite, HandlerKind } from "../src/model/types.js";
import type { ProjectAnalysis } from "../src/project/analysis.js";
import { NO_KEY_NEEDED, handlerKindInFile, handlerKindInProject } from "../src/project/handler-kinds.js";
import { type TestCodeOptions, isTestCode } from "../src/project/test-code.js";
import type { GoNode } from "../src/go/ast.js";
import { argsOf } from "../src/go/extract.js";
import { goProjectAnalysis } from "../src/go/project.js";
import { type GoFixFunction, type GoSuggestion, defineGoListeners, goModel } from "../src/go/rule-kit.js";

/**
 * What the suggestion inserts: an undeclared name, so the code does not compile until someone
 * writes a real key. A string placeholder would compile and give every request the same key.
 */
const PLACEHOLDER = "TODO_idempotencyKey";

export default defineGoListeners("require-idempotency-key", {
  create(context) {
    const options = (context.options[0] ?? {}) as TestCodeOptions & { targets?: string[] };
    const targets = (options.targets ?? []).map((t) => {
      const slash = t.indexOf("/");
      return { service: t.slice(0, slash), handler: t.slice(slash + 1) };
    });
    return {
      "source_file:exit"() {
        const model = goModel(context);
        if (model.ingress.length === 0 && targets.length === 0) return;
        const imports = model.go.byName.values();
        if (isTestCode({ filename: context.filename, cwd: context.cwd, imports }, options)) return;
        // A workflow runs once per workflow ID: the ID is its idempotency key.
        const needsKey = (call: (typeof model.ingress)[number]): boolean =>
          call.kind !== "workflow" && call.optionsReadable && !call.idempotencyKeyNode;
        // Asked only when a call without a key names a service this file does not define.
        let analysis: ProjectAnalysis | null | undefined;
        const targetKind = (service: string, handler: string): HandlerKind | null => {
          const target = { by: "name" as const, serviceName: service };
          const local = handlerKindInFile(model, target, handler);
          if (local) return local;
          // Only the files that can tell, about the calls that need it: those whose sketch may define the services called.
          const lookups = model.ingress.flatMap((c) => (c.service && c.handler && needsKey(c) ? [{ handler: c.handler, service: c.service, source: null }] : []));
          if (analysis === undefined) analysis = goProjectAnalysis(context, model, { targets: lookups });
          return analysis ? handlerKindInProject(analysis, context.filename, target, handler) : null;
        };
        const sdk = model.go.restate;
        const addKey = (call: GoNode): GoSuggestion[] => {
          const args = argsOf(call);
          const last = args[args.length - 1];
          if (!sdk || !last) return [];
          const fix: GoFixFunction = (fixer) => fixer.insertTextAfter(last, `, ${sdk}.WithIdempotencyKey(${PLACEHOLDER})`);
          return [{ messageId: "addIdempotencyKey", data: { keyOption: `${sdk}.WithIdempotencyKey(${PLACEHOLDER})` }, fix }];
        };

        for (const call of model.ingress) {
          if (!needsKey(call)) continue;
          const kind = call.service !== null && call.handler !== null ? targetKind(call.service, call.handler) : null;
          if (kind && NO_KEY_NEEDED.has(kind)) continue;
          const send = call.method === "Send";
          context.report({
            node: call.node,
            messageId: "missingIdempotencyKey",
            data: {
              target: `${call.service ?? "?"}/${call.handler ?? "?"}`,
              verb: send ? "sent" : "called",
              extra: send ? ", and the invocation cannot be looked up by its key later" : "",
              keyOption: `${sdk ?? "restate"}.WithIdempotencyKey(key)`,
            },
            suggest: call.inputNode ? addKey(call.node) : [],
          });
        }

        if (targets.length === 0) return;
        const reported = new Set<GoNode>();
        for (const call of model.calls) {
          if (!call.node || reported.has(call.node)) continue;
          const detail = model.details.get(call.node);
          if (!detail || !detail.optionsReadable || detail.idempotencyKeyNode || !detail.inputNode) continue;
          if (call.targetKind === "workflow" && call.handler === "Run") continue;
          const name = call.target.by === "name" ? call.target.serviceName : null;
          if (!name || !targets.some((t) => t.service === name && (t.handler === "*" || t.handler === call.handler))) continue;
          reported.add(call.node);
          context.report({
            node: call.node,
            messageId: "missingIdempotencyKeyInHandler",
            data: {
              from: describe(call),
              verb: call.mode === "send" ? "sends to" : "calls",
              target: `${name}/${call.handler ?? "?"}`,
              keyOption: `${sdk ?? "restate"}.WithIdempotencyKey(key)`,
            },
            suggest: addKey(call.node),
          });
        }
      },
    };
  },
});

function describe(call: CallSite<GoNode>): string {
  if (!call.from) return "This function";
  const base = `${call.from.service}.${call.from.handler}`;
  return call.via.length ? `${base} (through ${call.via.join(" → ")})` : base;
}
