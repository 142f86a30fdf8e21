import type { TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { type HandlerContexts, JOURNALED, functionName, handlerContexts } from "../src/eslint/handler-context.js";
import { type FunctionNode, type Node, memberName, paramName, parentOf, propertyName, unwrap } from "../src/ts/ast.js";

export default createRule<[], "contextInRun">({
  name: "no-context-in-run",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow using the Restate context (state, calls, timers, `ctx.rand`, nested `ctx.run`) inside a `ctx.run` closure",
      config: "recommended",
    },
    messages: {
      contextInRun:
        "{{use}} inside a `{{run}}` closure: the closure runs only until its result is journaled and is skipped on replay, so Restate operations made from it are missing or out of order on the next attempt (journal mismatch, RT0016), and awaiting them from inside the run can hang. Do this before or after the `{{run}}` and pass the values in or out.",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const hc = handlerContexts(context);
        if (hc.runClosures.length === 0) return;
        const reported = new Set<Node>();
        for (const variable of [...hc.bindings.map((b) => b.variable), ...hc.runContexts]) {
          const ctx = variable.name;
          for (const ref of variable.references) {
            if (!ref.isValueReference) continue;
            const id = ref.identifier as TSESTree.Identifier;
            if (!hc.enclosingRun(id)) continue;
            const use = misuse(hc, id, ctx);
            if (!use || reported.has(use.node)) continue;
            reported.add(use.node);
            context.report({ node: use.node, messageId: "contextInRun", data: { use: use.text, run: "ctx.run" } });
          }
        }
      },
    };
  },
});

/** What the closure does with one reference to `ctx`, when that touches the journal. */
function misuse(hc: HandlerContexts, id: TSESTree.Identifier, ctx: string): { node: Node; text: string } | null {
  let child: Node = id;
  let parent = parentOf(child);
  while (parent && (parent.type === "TSNonNullExpression" || parent.type === "TSAsExpression")) {
    child = parent;
    parent = parentOf(child);
  }
  if (!parent) return null;
  if (parent.type === "MemberExpression" && parent.object === child) {
    const member = memberName(parent);
    return member && JOURNALED.has(member) ? { node: parent, text: `\`${ctx}.${member}\`` } : null;
  }
  // const { get, set } = ctx
  if (parent.type === "VariableDeclarator" && parent.init === child && parent.id.type === "ObjectPattern") {
    for (const p of parent.id.properties) {
      const name = p.type === "Property" ? propertyName(p.key, p.computed) : null;
      if (name && JOURNALED.has(name)) return { node: parent.id, text: `\`${ctx}.${name}\`` };
    }
    return null;
  }
  // helper(ctx), helper({ ctx }): a helper declared in this file when it uses the context
  // itself; code the rule cannot see into (`opts.run({ ctx, input })`) is handed the context to use.
  const passed = passedTo(child);
  if (!passed) return null;
  const callee = unwrap(passed.call.callee);
  const fn = callee.type === "Identifier" ? hc.localFunction(callee) : null;
  if (fn) {
    const member = helperUse(hc, fn, passed.index, passed.key);
    if (!member) return null;
    const name = functionName(fn) ?? (callee as TSESTree.Identifier).name;
    return { node: child, text: `Passing \`${ctx}\` to \`${name}\`, which uses \`.${member}\`,` };
  }
  const root = rootIdentifier(callee);
  // A global (`console.log(ctx)`) does not run Restate operations; a local callee that is no
  // function we can read (a parameter, an imported helper, a method) may.
  if (!root || hc.isGlobal(root)) return null;
  const text = hc.model.context.text.slice(callee.range[0], callee.range[1]);
  const shown = text.length <= 40 ? `\`${text}\`` : "a function";
  return { node: child, text: `Passing \`${ctx}\` to ${shown}, code this rule cannot see into,` };
}

/** `f(ctx)` or `f({ ctx })` / `f({ context: ctx })`: the call, the argument position and the property name. */
function passedTo(child: Node): { call: TSESTree.CallExpression; index: number; key: string | null } | null {
  let arg: Node = child;
  let key: string | null = null;
  let parent = parentOf(arg);
  if (parent?.type === "Property" && parent.value === arg && parent.kind === "init") {
    key = propertyName(parent.key, parent.computed);
    const obj = parentOf(parent);
    if (!key || obj?.type !== "ObjectExpression") return null;
    arg = obj;
    parent = parentOf(obj);
  }
  if (parent?.type !== "CallExpression") return null;
  const index = parent.arguments.indexOf(arg as TSESTree.CallExpressionArgument);
  return index < 0 ? null : { call: parent, index, key };
}

function rootIdentifier(node: Node): TSESTree.Identifier | null {
  let n = unwrap(node);
  while (n.type === "MemberExpression") n = unwrap(n.object);
  return n.type === "Identifier" ? n : null;
}

/**
 * The first journaled context member a helper uses through its parameter at `index` (or, with
 * `key`, through that property of an object parameter: `({ ctx }) => …`).
 */
function helperUse(hc: HandlerContexts, fn: FunctionNode, index: number, key: string | null): string | null {
  const param = fn.params[index] as Node | undefined;
  if (!param || param.type === "RestElement") return null;
  let name: string | null = null;
  if (key === null) name = paramName(param);
  else {
    const pattern = param.type === "AssignmentPattern" ? param.left : param;
    if (pattern.type !== "ObjectPattern") return null;
    for (const p of pattern.properties) {
      if (p.type === "Property" && propertyName(p.key, p.computed) === key) name = paramName(p.value as Node);
    }
  }
  if (!name) return null;
  const variable = hc.declaredVariables(fn).find((v) => v.name === name);
  if (!variable) return null;
  for (const ref of variable.references) {
    const parent = parentOf(ref.identifier);
    if (parent?.type === "MemberExpression" && parent.object === ref.identifier) {
      const member = memberName(parent);
      if (member && JOURNALED.has(member)) return member;
    }
  }
  return null;
}
