import type { GoNode } from "../src/go/ast.js";
import { stringValue, unparen } from "../src/go/ast.js";
import type { Bindings, GoFileModel } from "../src/go/extract.js";
import { type GoSuggestion, ctxNameAt, defineGoListeners, functionInfo, goModel } from "../src/go/rule-kit.js";
import { findSource, uuidReplacement } from "../src/go/sources.js";

interface KeySite {
  value: GoNode;
  inHandler: boolean;
  /** The target carries nothing that varies per request: a service, or a constant object key. */
  fixedTarget: boolean;
  noun: "call" | "send";
  bindings: Bindings | null;
}

export default defineGoListeners("valid-idempotency-key", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const sdk = model.go.restate ?? "restate";
        const seen = new Set<GoNode>();
        for (const site of keySites(model)) {
          if (seen.has(site.value)) continue;
          seen.add(site.value);
          const constant = constantText(site.value, site.bindings);
          if (constant !== null) {
            if (site.fixedTarget) context.report({ node: site.value, messageId: "constantKey", data: { key: constant, noun: site.noun } });
            continue;
          }
          if (!site.inHandler || !site.bindings) continue;
          const source = findSource(site.value, site.bindings, model.go);
          if (!source) continue;
          const ctx = ctxNameAt(model, source.node);
          const replacement = ctx && model.go.restate ? uuidReplacement(source, model.go.restate, ctx) : null;
          const suggest: GoSuggestion[] = replacement
            ? [
                {
                  messageId: "useCtxRandUuid",
                  data: { replaced: source.node.text, replacement },
                  fix: (fixer) => fixer.replaceText(source.node, replacement),
                },
              ]
            : [];
          context.report({
            node: site.value,
            messageId: "nondeterministicKey",
            data: { source: `${source.label}()`, noun: site.noun, stableKey: `${sdk}.UUID(${ctx ?? "ctx"})` },
            suggest,
          });
        }
      },
    };
  },
});

function bindingsAt(model: GoFileModel, node: GoNode): Bindings | null {
  for (let p = node.parent; p; p = p.parent) {
    const info = functionInfo(model, p);
    if (info) return info.bindings;
  }
  return null;
}

function keySites(model: GoFileModel): KeySite[] {
  const sites: KeySite[] = [];
  for (const detail of model.details.values()) {
    if (!detail.idempotencyKeyNode) continue;
    const bindings = bindingsAt(model, detail.methodCall);
    const keyConstant = detail.keyNode ? constantText(detail.keyNode, bindings) !== null : true;
    sites.push({
      value: detail.idempotencyKeyNode,
      inHandler: true,
      fixedTarget: keyConstant,
      noun: detail.method === "Send" ? "send" : "call",
      bindings,
    });
  }
  for (const call of model.ingress) {
    if (!call.idempotencyKeyNode) continue;
    const bindings = bindingsAt(model, call.node);
    sites.push({
      value: call.idempotencyKeyNode,
      inHandler: false,
      fixedTarget: call.keyNode ? constantText(call.keyNode, bindings) !== null : true,
      noun: call.method === "Send" ? "send" : "call",
      bindings,
    });
  }
  return sites;
}

/** The key as written when it is a constant string: a literal, or a name declared once with one. */
function constantText(node: GoNode, bindings: Bindings | null): string | null {
  const n = unparen(node);
  if (stringValue(n) !== null) return shorten(n.text);
  if (n.type === "identifier" && bindings) {
    const bound = bindings.valueOf(n);
    if (bound && stringValue(bound) !== null) return `${n.text} (${shorten(unparen(bound).text)})`;
  }
  return null;
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
