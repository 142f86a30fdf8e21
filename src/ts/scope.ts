import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { type Node, fileCache, fileMayDeclareVar, isFunction, parentOf, walk } from "./ast.js";

/**
 * Block scoping without a scope manager: enough to tell a handler's `const k = ctx.key` from a
 * callback parameter also named `k`. Each block's declarations are indexed once, so a lookup
 * costs the nesting depth.
 */

/** Marks a name that is declared but has no initializer we can read. */
const OPAQUE = null;
const blockBindings = fileCache<Map<string, Node | null>>();

/** Where a name is declared (a block, the program, a function for its parameters, a loop…) and its initializer. */
export interface Binding {
  scope: Node;
  /** The initializer or function declaration; null for parameters, loop variables, destructuring, `let x;`. */
  init: Node | null;
}

/** The declaration an identifier refers to; null for imports, globals and nodes without parents. */
export function declaringScope(id: TSESTree.Identifier): Binding | null {
  const name = id.name;
  for (let p = parentOf(id); p; p = parentOf(p)) {
    switch (p.type) {
      case "Program":
      case "BlockStatement":
      case "StaticBlock": {
        const local = declarationsOf(p);
        if (local.has(name)) return { scope: p, init: local.get(name) ?? OPAQUE };
        if (p.type === "Program") return null;
        break;
      }
      case "ArrowFunctionExpression":
      case "FunctionExpression":
      case "FunctionDeclaration":
        if (p.params.some((param) => patternNames(param).includes(name))) return { scope: p, init: OPAQUE };
        break;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const decl = p.type === "ForStatement" ? p.init : p.left;
        // A loop's `var` belongs to the function (see `declarationsOf`).
        if (
          decl?.type === "VariableDeclaration" &&
          decl.kind !== "var" &&
          decl.declarations.some((d) => patternNames(d.id).includes(name))
        ) {
          return { scope: p, init: OPAQUE };
        }
        break;
      }
      case "CatchClause":
        if (p.param && patternNames(p.param).includes(name)) return { scope: p, init: OPAQUE };
        break;
      default:
        break;
    }
  }
  return null;
}

/** The scope a variable declarator's names live in, matching what `declaringScope` reports. */
export function declarationScope(decl: TSESTree.VariableDeclarator): Node | null {
  const list = parentOf(decl);
  if (list?.type === "VariableDeclaration" && list.kind === "var") return varScope(list);
  let scope = list ? parentOf(list) : undefined;
  if (scope?.type === "ExportNamedDeclaration") scope = parentOf(scope);
  return scope ?? null;
}

/** `var` is hoisted to the function body (or the program, or a class static block). */
function varScope(node: Node): Node | null {
  for (let p = parentOf(node); p; p = parentOf(p)) {
    if (isVarScope(p)) return p;
  }
  return null;
}

function isVarScope(node: Node): boolean {
  if (node.type === "Program" || node.type === "StaticBlock") return true;
  const parent = parentOf(node);
  return node.type === "BlockStatement" && !!parent && isFunction(parent) && parent.body === node;
}

/** Whether `ref` names the same variable as the one declared in `scope` (null: undeclared). */
export function refersToScope(ref: TSESTree.Identifier, scope: Node | null): boolean {
  return (declaringScope(ref)?.scope ?? null) === scope;
}

function declarationsOf(block: TSESTree.BlockStatement | TSESTree.StaticBlock | TSESTree.Program): Map<string, Node | null> {
  let map = blockBindings.get(block);
  if (map) return map;
  map = new Map();
  const hoists = isVarScope(block);
  if (hoists && fileMayDeclareVar(block)) {
    // `var`s of nested blocks and loops live here; their value is not tracked.
    walk(block, (n) => {
      if (n !== block && (isFunction(n) || n.type === "StaticBlock" || n.type === "ClassBody")) return false;
      if (n.type === "VariableDeclaration" && n.kind === "var" && parentOf(n) !== block) {
        for (const d of n.declarations) for (const name of patternNames(d.id)) map!.set(name, OPAQUE);
      }
      return true;
    });
  }
  for (const statement of block.body) {
    const stmt = statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
    if (stmt.type === "VariableDeclaration") {
      // A block's own `var`s belong to the enclosing function.
      if (stmt.kind === "var" && !hoists) continue;
      for (const d of stmt.declarations) {
        if (d.id.type === "Identifier") map.set(d.id.name, d.init ?? OPAQUE);
        else for (const n of patternNames(d.id)) map.set(n, OPAQUE);
      }
    } else if (stmt.type === "FunctionDeclaration" && stmt.id) map.set(stmt.id.name, stmt);
    else if (stmt.type === "ClassDeclaration" && stmt.id) map.set(stmt.id.name, OPAQUE);
  }
  blockBindings.set(block, map);
  return map;
}

/** The names a binding pattern (parameter, destructuring) introduces. */
export function patternNames(pattern: Node, depth = 0): string[] {
  if (depth > 20) return [];
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "AssignmentPattern":
      return patternNames(pattern.left, depth + 1);
    case "RestElement":
      return patternNames(pattern.argument, depth + 1);
    case "TSParameterProperty":
      return patternNames(pattern.parameter, depth + 1);
    case "ArrayPattern":
      return pattern.elements.flatMap((e) => (e ? patternNames(e, depth + 1) : []));
    case "ObjectPattern":
      return pattern.properties.flatMap((p) =>
        p.type === "RestElement" ? patternNames(p, depth + 1) : patternNames(p.value as Node, depth + 1),
      );
    default:
      return [];
  }
}
