import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { findVariable } from "../src/eslint/scopes.js";
import { createRule } from "../src/eslint/create-rule.js";
import { type ContextBinding, type HandlerContexts, describeScope, functionName, handlerContexts } from "../src/eslint/handler-context.js";
import { randomKeyParts } from "../src/eslint/idempotency-keys.js";
import { type ResultOnlyContext, onlyShapesResult } from "../src/eslint/result-only.js";
import { type FunctionNode, type Node, isAncestor, isFunction, memberName, parentOf, staticString, unwrap, visitListed, walk } from "../src/ts/ast.js";

type MessageIds = "nondeterministicCall" | "useDeterministic";

type Kind = "Date.now" | "Date" | "new Date" | "Math.random" | "randomUUID" | "performance.now" | "timer";

interface Found {
  kind: Kind;
  /** How the call reads in the message. */
  label: string;
}

const VALUE_PROBLEM =
  "returns a different value on every replay of this invocation, so code that depends on it can take a path the journal does not match (RT0016)";
const TIMER_PROBLEM =
  "is not durable: the timer is lost when the invocation suspends or moves to another process, and is armed again on every replay";

const ADVICE: Record<Kind, string> = {
  "Date.now": "Use `await ctx.date.now()` (journaled), or read the clock inside `ctx.run`.",
  Date: "Use `await ctx.date.toJSON()` (journaled), or read the clock inside `ctx.run`.",
  "new Date": "Use `new Date(await ctx.date.now())` (journaled), or create it inside `ctx.run`.",
  "Math.random": "Use `ctx.rand.random()`: seeded by the invocation, it repeats the same sequence on replay.",
  randomUUID:
    "Use `ctx.rand.uuidv4()` (deterministic per invocation, not for secrets), or generate it inside `ctx.run`.",
  "performance.now": "Measure inside `ctx.run`, or use `await ctx.date.now()`.",
  timer: "Use `await ctx.sleep(ms)` (a durable timer), or a delayed send for work that should happen later.",
};

const CRYPTO_MODULES = new Set(["crypto", "node:crypto"]);
const PERF_MODULES = new Set(["perf_hooks", "node:perf_hooks"]);
const TIMER_MODULES = new Set(["timers", "node:timers", "timers/promises", "node:timers/promises"]);
const TIMERS = new Set(["setTimeout", "setInterval"]);
const MAX_HELPER_DEPTH = 3;

export default createRule<[], MessageIds>({
  name: "no-nondeterministic-call",
  meta: {
    type: "problem",
    docs: {
      description:
        "Disallow `Date.now()`, `new Date()`, `Math.random()`, `randomUUID()`, `performance.now()` and timers in handlers outside `ctx.run`",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      nondeterministicCall: "`{{call}}` in {{where}} {{problem}}. {{advice}}",
      useDeterministic: "Replace with `{{replacement}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const hc = handlerContexts(context);
        if (hc.bindings.length === 0) return;
        const sourceCode = context.sourceCode;
        const reported = new Set<Node>();
        /** Helper → whether it was walked only for calls whose result reaches nothing but the handler's result. */
        const walkedHelpers = new Map<Node, boolean>();
        const cx: ResultOnlyContext = {
          isCtx: hc.isCtx,
          localFunction: hc.localFunction,
          readsOf: (decl) => readsOf(sourceCode, decl),
          isGlobal: hc.isGlobal,
          declarationOf: (id) => (hc.variableOf(id)?.defs[0]?.name as Node | undefined) ?? null,
        };
        /**
         * A value that only shapes what the handler returns, or is only logged, decides nothing the
         * journal records. `root` is the function walked (the handler, or a helper on `path`).
         */
        const harmless = (node: Node, binding: ContextBinding, root: FunctionNode, path: string[]): boolean =>
          onlyShapesResult(node, root, cx, { result: path.length === 0 && !!binding.scope.from && binding.scope.via.length === 0 });
        const ordered = [...hc.bindings.filter((b) => b.scope.from), ...hc.bindings.filter((b) => !b.scope.from)];

        let keyParts: Node[] | null = null;
        const inRandomKey = (node: Node) => {
          keyParts ??= randomKeyParts(hc.model, (decl) => readsOf(sourceCode, decl));
          return keyParts.some((part) => isAncestor(part, node));
        };

        const report = (node: Node, found: Found, binding: ContextBinding, root: FunctionNode, path: string[], forResult: boolean) => {
          // A key that changes on retry is restate/valid-idempotency-key's finding, with its own fix.
          if (reported.has(node) || inRandomKey(node)) return;
          if (found.kind !== "timer" && (forResult || harmless(node, binding, root, path))) return;
          reported.add(node);
          const suggestion = path.length === 0 ? suggestionFor(sourceCode, node, found, binding) : null;
          context.report({
            node,
            messageId: "nondeterministicCall",
            data: {
              call: found.label,
              where: describeScope(binding.scope, path),
              problem: found.kind === "timer" ? TIMER_PROBLEM : VALUE_PROBLEM,
              advice: ADVICE[found.kind],
            },
            suggest: suggestion
              ? [
                  {
                    messageId: "useDeterministic",
                    data: { replacement: suggestion.replacement },
                    fix: (fixer) => fixer.replaceText(node, suggestion.text),
                  },
                ]
              : [],
          });
        };

        // The calls of a body as the traversal collected them, in the order a walk meets them.
        const nodes = hc.model.context.nodes;
        const eachNode = (root: Node, visit: (n: Node) => boolean) =>
          nodes ? visitListed(root, [nodes.calls, nodes.news, nodes.functions], visit) : walk(root, visit);

        /**
         * Walks one function body; local helpers it calls without `ctx` are walked too, each once
         * (twice when first met only where their result reaches nothing but the handler's result).
         */
        const visit = (root: FunctionNode, binding: ContextBinding, path: string[], forResult: boolean) => {
          eachNode(root.body, (n) => {
            if (hc.runClosureFns.has(n)) return false;
            if (n.type === "CallExpression" || n.type === "NewExpression") {
              const found = classify(hc, n);
              if (found) report(n, found, binding, root, path, forResult);
              if (n.type === "CallExpression" && path.length < MAX_HELPER_DEPTH) {
                const helper = helperOf(hc, n, root);
                // A helper without the context does no Restate work: its values go where its result goes.
                const helperForResult = helper ? forResult || harmless(n, binding, root, path) : false;
                const walked = helper ? walkedHelpers.get(helper.fn) : undefined;
                if (helper && (walked === undefined || (walked && !helperForResult))) {
                  walkedHelpers.set(helper.fn, helperForResult);
                  visit(helper.fn, binding, [...path, helper.name], helperForResult);
                }
              }
            }
            return true;
          });
        };

        for (const binding of ordered) visit(binding.fn, binding, [], false);
      },
    };
  },
});

/** What non-deterministic thing a call is, if any. Shadowed globals and other imports are not. */
function classify(hc: HandlerContexts, node: TSESTree.CallExpression | TSESTree.NewExpression): Found | null {
  const callee = unwrap(node.callee);
  if (node.type === "NewExpression") {
    if (callee.type === "Identifier" && callee.name === "Date" && node.arguments.length === 0 && hc.isGlobal(callee)) {
      return { kind: "new Date", label: "new Date()" };
    }
    return null;
  }
  if (callee.type === "Identifier") {
    if (callee.name === "Date" && hc.isGlobal(callee)) return { kind: "Date", label: "Date()" };
    if ((TIMERS.has(callee.name) && hc.isGlobal(callee)) || importedFrom(hc, callee, TIMER_MODULES, TIMERS)) {
      return { kind: "timer", label: callee.name };
    }
    if (importedFrom(hc, callee, CRYPTO_MODULES, new Set(["randomUUID"]))) return { kind: "randomUUID", label: `${callee.name}()` };
    return null;
  }
  if (callee.type !== "MemberExpression") return null;
  const method = memberName(callee);
  if (!method) return null;
  const obj = unwrap(callee.object);
  // `globalThis.crypto.randomUUID()`, `globalThis.Date.now()`
  if (obj.type === "MemberExpression") {
    const inner = unwrap(obj.object);
    const name = memberName(obj);
    if (inner.type !== "Identifier" || inner.name !== "globalThis" || !hc.isGlobal(inner) || !name) return null;
    if (name === "crypto" && method === "randomUUID") return { kind: "randomUUID", label: "globalThis.crypto.randomUUID()" };
    return byObject(name, method, "globalThis.", true);
  }
  if (obj.type === "Identifier" && obj.name === "globalThis" && TIMERS.has(method) && hc.isGlobal(obj)) {
    return { kind: "timer", label: `globalThis.${method}` };
  }
  if (obj.type !== "Identifier") return null;
  const global = hc.isGlobal(obj);
  if (method === "randomUUID" && ((obj.name === "crypto" && global) || importedFrom(hc, obj, CRYPTO_MODULES, null))) {
    return { kind: "randomUUID", label: `${obj.name}.randomUUID()` };
  }
  if (method === "now" && importedFrom(hc, obj, PERF_MODULES, new Set(["performance"]))) {
    return { kind: "performance.now", label: `${obj.name}.now()` };
  }
  return byObject(obj.name, method, "", global);
}

function byObject(object: string, method: string, prefix: string, global: boolean): Found | null {
  if (!global) return null;
  if (object === "Date" && method === "now") return { kind: "Date.now", label: `${prefix}Date.now()` };
  if (object === "Math" && method === "random") return { kind: "Math.random", label: `${prefix}Math.random()` };
  if (object === "performance" && method === "now") return { kind: "performance.now", label: `${prefix}performance.now()` };
  return null;
}

/**
 * Whether `id` is bound by an import (or `require`) from one of `modules`: a namespace/default
 * import when `names` is null, else a named import of one of `names` (renames allowed).
 */
function importedFrom(hc: HandlerContexts, id: TSESTree.Identifier, modules: Set<string>, names: Set<string> | null): boolean {
  const v = hc.variableOf(id);
  const def = v?.defs.length === 1 ? v.defs[0]! : null;
  if (!def) return false;
  if (def.type === "ImportBinding") {
    const decl = def.parent as TSESTree.ImportDeclaration | TSESTree.TSImportEqualsDeclaration | null;
    if (decl?.type !== "ImportDeclaration" || !modules.has(decl.source.value)) return false;
    const spec = def.node as TSESTree.ImportClause;
    if (spec.type === "ImportSpecifier") {
      const imported = spec.imported.type === "Identifier" ? spec.imported.name : String(spec.imported.value);
      return names !== null && names.has(imported);
    }
    return names === null;
  }
  if (def.type !== "Variable") return false;
  // const { randomUUID } = require("node:crypto"); const crypto = require("crypto")
  const decl = def.node as TSESTree.VariableDeclarator;
  const init = decl.init ? unwrap(decl.init) : null;
  if (init?.type !== "CallExpression" || init.callee.type !== "Identifier" || init.callee.name !== "require") return false;
  const source = staticString(init.arguments[0] as Node | undefined);
  if (!source || !modules.has(source)) return false;
  if (decl.id.type === "Identifier") return names === null;
  const prop = parentOf(def.name);
  if (prop?.type !== "Property" || prop.computed || prop.key.type !== "Identifier") return false;
  return names !== null && names.has(prop.key.name);
}

/** A function declared in this file that the code calls without passing the context. */
function helperOf(hc: HandlerContexts, call: TSESTree.CallExpression, current: FunctionNode): { fn: FunctionNode; name: string } | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "Identifier") return null;
  // Helpers that receive ctx are scopes of their own (with the right path in the message).
  if (call.arguments.some((a) => hc.isCtx(a as Node))) return null;
  const fn = hc.localFunction(callee);
  if (!fn || fn === current || isInside(current, fn)) return null;
  return { fn, name: functionName(fn) ?? callee.name };
}

function isInside(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/**
 * The deterministic replacement, where `ctx` is in scope as the handler's context; `await` also
 * needs the nearest function to be async.
 */
function suggestionFor(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: Node,
  found: Found,
  binding: ContextBinding,
): { replacement: string; text: string } | null {
  const ctx = binding.variable.name;
  let scope: TSESLint.Scope.Scope;
  try {
    scope = sourceCode.getScope(node);
  } catch {
    return null;
  }
  if (findVariable(scope, ctx) !== binding.variable) return null;
  const asyncFn = nearestFunction(node)?.async === true;
  switch (found.kind) {
    case "Date.now": {
      if (!asyncFn) return null;
      const text = `await ${ctx}.date.now()`;
      return { replacement: text, text: needsParens(node) ? `(${text})` : text };
    }
    case "new Date": {
      if (!asyncFn) return null;
      const text = `new Date(await ${ctx}.date.now())`;
      return { replacement: text, text };
    }
    case "Math.random":
      return { replacement: `${ctx}.rand.random()`, text: `${ctx}.rand.random()` };
    case "randomUUID":
      return { replacement: `${ctx}.rand.uuidv4()`, text: `${ctx}.rand.uuidv4()` };
    default:
      return null;
  }
}

function nearestFunction(node: Node): FunctionNode | null {
  for (let p = parentOf(node); p; p = parentOf(p)) if (isFunction(p)) return p;
  return null;
}

/** `await x` binds looser than member access, calls and `**`: keep the value where it was. */
function needsParens(node: Node): boolean {
  const p = parentOf(node);
  if (!p) return false;
  if (p.type === "MemberExpression" && p.object === node) return true;
  if ((p.type === "CallExpression" || p.type === "NewExpression") && p.callee === node) return true;
  if (p.type === "TaggedTemplateExpression") return true;
  if (p.type === "BinaryExpression" && p.operator === "**" && p.left === node) return true;
  return false;
}

/** The places a declaration's variables are read. */
function readsOf(sourceCode: Readonly<TSESLint.SourceCode>, decl: TSESTree.VariableDeclarator): Node[] | null {
  try {
    return sourceCode.getDeclaredVariables(decl).flatMap((v) => v.references.filter((r) => r.isRead()).map((r) => r.identifier));
  } catch {
    return null;
  }
}
