import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { ImportRef } from "../model/types.js";
import { type FunctionNode, type Node, isFunction, startFile, unwrap, walk } from "./ast.js";
import { type SdkBinding, collectImports, sdkPathOf } from "./imports.js";
import { type Binding, declaringScope } from "./scope.js";
import { nameRecord } from "../model/records.js";

export { type Binding, declarationScope } from "./scope.js";

/** What the frontend knows about one file after a single walk over its AST. */
export interface FileContext {
  program: TSESTree.Program;
  file: string;
  text: string;
  restate: Map<string, SdkBinding>;
  imports: Record<string, ImportRef>;
  /** Type-only imports (`import type { cart }`): what `typeof cart` in a type argument names. */
  typeImports: Record<string, ImportRef>;
  /** Module-level bindings: name → initializer expression or function declaration. */
  topLevel: Map<string, Node>;
  exports: Record<string, string>;
  reexports: Record<string, ImportRef>;
  starExports: string[];
  calls: TSESTree.CallExpression[];
  /** Functions with a parameter typed as a Restate context (`restate.ObjectContext`, …). */
  contextFunctions: { fn: FunctionNode; ctxIndex: number }[];
  /** The program's calls, functions and declarators in source order, when a traversal gave them. */
  nodes?: ProgramNodes;
}

const CONTEXT_TYPES = new Set([
  "Context",
  "ObjectContext",
  "ObjectSharedContext",
  "WorkflowContext",
  "WorkflowSharedContext",
]);

/**
 * The calls and functions of a program in source order, when a traversal that already visits
 * every node (ESLint's) has collected them: the model then needs no walk of its own.
 */
export interface ProgramNodes {
  calls: TSESTree.CallExpression[];
  functions: FunctionNode[];
  declarators: TSESTree.VariableDeclarator[];
  news: TSESTree.NewExpression[];
}

export function createFileContext(program: TSESTree.Program, file: string, text: string, nodes?: ProgramNodes): FileContext {
  startFile(program, text);
  const { restate, all, types } = collectImports(program);
  const fc: FileContext = {
    program,
    file,
    text,
    restate,
    imports: all,
    typeImports: types,
    topLevel: new Map(),
    exports: nameRecord(),
    reexports: nameRecord(),
    starExports: [],
    calls: [],
    contextFunctions: [],
  };
  for (const stmt of program.body) collectTopLevel(fc, stmt);
  // Without a Restate import nothing below can matter (the top level still gives a barrel's exports).
  if (restate.size === 0) return fc;
  const onFunction = (fn: FunctionNode) => {
    const ctxIndex = fn.params.findIndex((p) => isContextTyped(p, restate));
    if (ctxIndex >= 0) fc.contextFunctions.push({ fn, ctxIndex });
  };
  if (nodes) {
    fc.nodes = nodes;
    fc.calls = nodes.calls;
    for (const fn of nodes.functions) onFunction(fn);
    return fc;
  }
  walk(program, (node) => {
    if (node.type === "CallExpression") fc.calls.push(node);
    else if (isFunction(node)) onFunction(node);
  });
  return fc;
}

function collectTopLevel(fc: FileContext, stmt: TSESTree.ProgramStatement): void {
  switch (stmt.type) {
    case "VariableDeclaration":
      for (const d of stmt.declarations) {
        if (d.id.type === "Identifier" && d.init) fc.topLevel.set(d.id.name, d.init);
      }
      return;
    case "FunctionDeclaration":
      if (stmt.id) fc.topLevel.set(stmt.id.name, stmt);
      return;
    case "ExportNamedDeclaration":
      if (stmt.declaration) {
        collectTopLevel(fc, stmt.declaration as TSESTree.ProgramStatement);
        for (const name of declaredNames(stmt.declaration)) fc.exports[name] = name;
      }
      for (const spec of stmt.specifiers) {
        const local = spec.local.type === "Identifier" ? spec.local.name : String(spec.local.value);
        const exported = spec.exported.type === "Identifier" ? spec.exported.name : String(spec.exported.value);
        if (stmt.source) fc.reexports[exported] = { source: stmt.source.value, imported: local };
        else fc.exports[exported] = local;
      }
      return;
    case "ExportDefaultDeclaration": {
      const d = stmt.declaration;
      if (d.type === "Identifier") fc.exports.default = d.name;
      else if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id) {
        fc.topLevel.set(d.id.name, d);
        fc.exports.default = d.id.name;
      } else {
        fc.topLevel.set("default", d as Node);
        fc.exports.default = "default";
      }
      return;
    }
    case "ExportAllDeclaration":
      if (stmt.exported) {
        const exp = stmt.exported as TSESTree.Identifier | TSESTree.StringLiteral;
        const name = exp.type === "Identifier" ? exp.name : String(exp.value);
        fc.reexports[name] = { source: stmt.source.value, imported: "*" };
      } else fc.starExports.push(stmt.source.value);
      return;
    default:
      return;
  }
}

function declaredNames(decl: Node): string[] {
  if (decl.type === "VariableDeclaration") {
    return decl.declarations.flatMap((d) => (d.id.type === "Identifier" ? [d.id.name] : []));
  }
  if ((decl.type === "FunctionDeclaration" || decl.type === "ClassDeclaration") && decl.id) return [decl.id.name];
  return [];
}

/** Follows `const a = b` chains to the expression a name is bound to (block scopes, then the module). */
export function resolveLocal(fc: FileContext, node: Node | null | undefined, hops = 0): Node | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type !== "Identifier") return n;
  if (hops > 5) return null;
  const bound = bindingOf(fc, n);
  return bound ? resolveLocal(fc, bound, hops + 1) : null;
}

/**
 * One hop of name resolution: the initializer (or function declaration) `id` refers to, found in
 * the nearest enclosing block that declares it, else among the module's bindings. Null when the
 * name is a parameter, a loop or catch variable, or declared without an initializer.
 */
export function bindingOf(fc: FileContext, id: TSESTree.Identifier): Node | null {
  return lookupBinding(fc, id)?.init ?? null;
}

/** The declaration `id` refers to, by the usual block scoping; null for imports and globals. */
export function lookupBinding(fc: FileContext, id: TSESTree.Identifier): Binding | null {
  const found = declaringScope(id);
  if (found && found.scope.type !== "Program") return found;
  // Module scope (also for nodes the file walk never reached): `topLevel` knows `export default` too.
  const init = fc.topLevel.get(id.name);
  if (init) return { scope: fc.program, init };
  return found;
}

function isContextTyped(param: Node, restate: Map<string, SdkBinding>): boolean {
  const p = param.type === "AssignmentPattern" ? param.left : param;
  if (p.type !== "Identifier" || !p.typeAnnotation) return false;
  const t = p.typeAnnotation.typeAnnotation;
  if (t.type !== "TSTypeReference") return false;
  const name = entityPath(t.typeName);
  if (!name) return false;
  const binding = sdkTypePath(name, restate);
  return binding !== null && CONTEXT_TYPES.has(binding);
}

/** The SDK type a type reference names (`restate.ObjectContext` → "ObjectContext"), or null. */
export function sdkTypePath(path: string[], restate: Map<string, SdkBinding>): string | null {
  const [head, ...rest] = path;
  const base = restate.get(head!);
  if (!base || base.module !== "sdk") return null;
  return [base.path, ...rest].filter(Boolean).join(".");
}

export function entityPath(name: TSESTree.EntityName): string[] | null {
  if (name.type === "Identifier") return [name.name];
  if (name.type === "TSQualifiedName") {
    const left = entityPath(name.left);
    return left ? [...left, name.right.name] : null;
  }
  return null;
}

export function sdkPath(fc: FileContext, node: Node): string | null {
  const b = sdkPathOf(node, fc.restate);
  return b && b.module === "sdk" ? b.path : null;
}
