import { type GoNode, fieldOf, isFunction, unparen, walkGo } from "../src/go/ast.js";
import { type ContextFacts, contextFacts, declaredParams, handlerContextRef, isHandlerContextType } from "../src/go/contexts.js";
import { type FnInfo, type GoFileModel, argsOf, methodCall, packageFunction } from "../src/go/extract.js";
import { defineGoListeners, goModel } from "../src/go/rule-kit.js";

/** SDK functions given the context that touch no journal: the key is fixed for the invocation. */
const PLAIN_SDK = new Set(["Key"]);
/** Context methods of SDK versions before v0.11 that journal (`ctx.Sleep(d)`, `ctx.Object(…)`). */
const JOURNALED_METHODS = new Set([
  "Sleep",
  "After",
  "Service",
  "ServiceSend",
  "Object",
  "ObjectSend",
  "Workflow",
  "WorkflowSend",
  "Run",
  "RunAsync",
  "Rand",
  "Get",
  "Set",
  "Clear",
  "ClearAll",
  "Keys",
  "Awakeable",
  "ResolveAwakeable",
  "RejectAwakeable",
  "Promise",
  "Select",
  "Selector",
]);

export default defineGoListeners("no-context-in-run", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const sdk = model.go.restate;
        if (!sdk) return;
        const facts = contextFacts(model);
        const reported = new Set<GoNode>();
        for (const [closure, run] of facts.runClosures) {
          const body = fieldOf(closure, "body");
          if (!body) continue;
          walkGo(body, (n) => {
            // A run inside the run is walked on its own, named by its own function.
            if (n !== closure && facts.runClosures.has(n)) return false;
            const name = handlerContextRef(n, facts, sdk);
            if (name === null) return true;
            const use = misuse(model, facts, sdk, n, name);
            if (use && !reported.has(use.node)) {
              reported.add(use.node);
              context.report({ node: use.node, messageId: "contextInRun", data: { use: use.text, run } });
            }
            return false;
          });
        }
      },
    };
  },
});

/** What the closure does with the handler's context `ref`, when that touches the journal. */
function misuse(model: GoFileModel, facts: ContextFacts, sdk: string, ref: GoNode, name: string): { node: GoNode; text: string } | null {
  let child = ref;
  while (child.parent?.type === "parenthesized_expression") child = child.parent;
  const parent = child.parent;
  // ctx.Sleep(d): the context's own methods, before v0.11.
  if (parent?.type === "selector_expression" && fieldOf(parent, "operand") === child) {
    const method = fieldOf(parent, "field")?.text ?? "";
    return parent.parent?.type === "call_expression" && JOURNALED_METHODS.has(method) ? { node: parent.parent, text: `\`${name}.${method}\`` } : null;
  }
  const call = parent?.type === "argument_list" ? parent.parent : null;
  if (call?.type !== "call_expression") return null;
  const index = argsOf(call).indexOf(child);
  const fn = packageFunction(call, sdk);
  if (fn) {
    if (PLAIN_SDK.has(fn)) return null;
    const rest = argsOf(call).length > 1 ? ", …" : "";
    return { node: call, text: `\`${sdk}.${fn}(${name}${rest})\`` };
  }
  const helper = localFunction(model, call);
  if (helper) {
    const journaled = helperUse(helper, index, sdk);
    return journaled ? { node: child, text: `Passing \`${name}\` to \`${helper.name}\`, which uses \`${journaled}\`,` } : null;
  }
  // A parameter or local declared as taking a Restate context is code given the context to use.
  // Anything else (`http.NewRequestWithContext(ctx, …)`) takes it as a plain `context.Context`.
  const callee = fieldOf(call, "function");
  if (callee?.type === "identifier" && takesRestateContext(callee, index, sdk)) {
    return { node: child, text: `Passing \`${name}\` to \`${callee.text}\`, code this rule cannot see into,` };
  }
  return null;
}

/** A function of this file called by name, or a method called on the enclosing method's receiver. */
function localFunction(model: GoFileModel, call: GoNode): FnInfo | null {
  const fn = fieldOf(call, "function");
  if (fn?.type === "identifier") {
    return model.functions.find((f) => f.fn.type === "function_declaration" && fieldOf(f.fn, "name")?.text === fn.text) ?? null;
  }
  const m = methodCall(call);
  if (m?.receiver.type !== "identifier") return null;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type !== "method_declaration") continue;
    const owner = model.functions.find((f) => f.fn === p);
    if (!owner?.receiverType || owner.receiverName !== m.receiver.text) return null;
    return model.functions.find((f) => f.receiverType === owner.receiverType && fieldOf(f.fn, "name")?.text === m.name) ?? null;
  }
  return null;
}

/** The first journaled use a helper makes of its context parameter at `index`. */
function helperUse(helper: FnInfo, index: number, sdk: string): string | null {
  const param = helper.params[index];
  if (!param?.name || !isHandlerContextType(param.type, sdk) || !helper.body) return null;
  let found: string | null = null;
  walkGo(helper.body, (n) => {
    if (found) return false;
    if (n.type !== "identifier" || n.text !== param.name) return true;
    const parent = n.parent;
    if (parent?.type === "selector_expression" && fieldOf(parent, "operand") === n) {
      const method = fieldOf(parent, "field")?.text ?? "";
      if (JOURNALED_METHODS.has(method)) found = `${n.text}.${method}`;
    } else if (parent?.type === "argument_list" && parent.parent) {
      const fn = packageFunction(parent.parent, sdk);
      if (fn && !PLAIN_SDK.has(fn)) found = `${sdk}.${fn}`;
    }
    return false;
  });
  return found;
}

/** `fn` is declared (as a parameter of an enclosing function) with a Restate context at `index`: `fn func(restate.Context) error`. */
function takesRestateContext(callee: GoNode, index: number, sdk: string): boolean {
  for (let p = callee.parent; p; p = p.parent) {
    if (!isFunction(p)) continue;
    const param = declaredParams(p).find((d) => d.name?.text === callee.text);
    if (!param) continue;
    const type = param.type ? unparen(param.type) : null;
    if (type?.type !== "function_type") return false;
    return isHandlerContextType(declaredParams(type)[index]?.type, sdk);
  }
  return false;
}
