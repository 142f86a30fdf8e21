import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { visitorKeys } from "@typescript-eslint/visitor-keys";
import type { SourceLoc } from "../model/types.js";

export type Node = TSESTree.Node;

type Parented = Node & { parent?: Node };

/** Visits every node depth-first in source order, setting `parent` where a parser did not. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const keys = visitorKeys[node.type] ?? [];
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) pushChild(stack, child[i], node);
      } else {
        pushChild(stack, child, node);
      }
    }
  }
}

function pushChild(stack: Node[], child: unknown, parent: Node): void {
  if (child && typeof child === "object" && typeof (child as Node).type === "string") {
    const c = child as Parented;
    if (!c.parent) (c as { parent?: Node }).parent = parent;
    stack.push(c);
  }
}

export function parentOf(node: Node): Node | undefined {
  return (node as Parented).parent;
}

export function toLoc(node: Node): SourceLoc {
  return {
    line: node.loc.start.line,
    column: node.loc.start.column,
    endLine: node.loc.end.line,
    endColumn: node.loc.end.column,
  };
}

/** Strips wrappers that do not change a value: `x as T`, `x!`, `<T>x`, `x satisfies T`, `a?.b`. */
export function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    switch (n.type) {
      case "TSAsExpression":
      case "TSNonNullExpression":
      case "TSTypeAssertion":
      case "TSSatisfiesExpression":
      case "TSInstantiationExpression":
        n = n.expression;
        continue;
      case "ChainExpression":
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
}

/** The parent, skipping the same value-preserving wrappers `unwrap` strips. */
export function valueParent(node: Node): { parent: Node | undefined; child: Node } {
  let child = node;
  let parent = parentOf(child);
  while (
    parent &&
    (parent.type === "TSAsExpression" ||
      parent.type === "TSNonNullExpression" ||
      parent.type === "TSTypeAssertion" ||
      parent.type === "TSSatisfiesExpression" ||
      parent.type === "ChainExpression")
  ) {
    child = parent;
    parent = parentOf(child);
  }
  return { parent, child };
}

/** A string known at compile time: a string literal or a template without expressions. */
export function staticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return n.value;
  if (n.type === "TemplateLiteral" && n.expressions.length === 0) {
    return n.quasis.map((q) => q.value.cooked ?? q.value.raw).join("");
  }
  return null;
}

/** The static name of a property key (`a`, `"a"`, `["a"]`), or null when computed. */
export function propertyName(key: Node, computed: boolean): string | null {
  if (!computed && key.type === "Identifier") return key.name;
  if (key.type === "Literal" && (typeof key.value === "string" || typeof key.value === "number")) {
    return String(key.value);
  }
  if (computed) return staticString(key);
  if (key.type === "PrivateIdentifier") return null;
  return null;
}

/** `obj.name` or `obj["name"]` → "name". */
export function memberName(node: Node): string | null {
  if (node.type !== "MemberExpression") return null;
  return propertyName(node.property, node.computed);
}

/** Finds a non-computed property `name` in an object literal. */
export function objectProperty(obj: Node, name: string): TSESTree.Property | null {
  if (obj.type !== "ObjectExpression") return null;
  for (const p of obj.properties) {
    if (p.type === "Property" && propertyName(p.key, p.computed) === name) return p;
  }
  return null;
}

export function isFunction(
  node: Node | null | undefined,
): node is TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration {
  return (
    !!node &&
    (node.type === "ArrowFunctionExpression" ||
      node.type === "FunctionExpression" ||
      node.type === "FunctionDeclaration")
  );
}

export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionExpression
  | TSESTree.FunctionDeclaration;

/** The nearest enclosing function of a node, or undefined at module level. */
export function enclosingFunction(node: Node): FunctionNode | undefined {
  let p = parentOf(node);
  while (p) {
    if (isFunction(p)) return p;
    p = parentOf(p);
  }
  return undefined;
}

export function isAncestor(ancestor: Node, node: Node): boolean {
  return ancestor.range[0] <= node.range[0] && node.range[1] <= ancestor.range[1];
}

/** The name of a simple identifier parameter (`ctx`, `ctx: T`, `ctx = d`). */
export function paramName(param: Node | undefined): string | null {
  if (!param) return null;
  if (param.type === "Identifier") return param.name;
  if (param.type === "AssignmentPattern" && param.left.type === "Identifier") return param.left.name;
  if (param.type === "TSParameterProperty") return paramName(param.parameter);
  return null;
}

/**
 * Caches keyed by nodes of the file being analysed, emptied when the next file starts. (A
 * WeakMap keyed by every block of every file linted keeps growing until a full GC, and makes
 * each young-generation GC of the run slower.)
 */
const fileCaches: Map<Node, unknown>[] = [];
let currentProgram: Node | null = null;

export function fileCache<V>(): Map<Node, V> {
  const cache = new Map<Node, V>();
  fileCaches.push(cache);
  return cache;
}

/** Whether the file being analysed may declare a `var` (its text has the word somewhere). */
let currentMayDeclareVar = true;

/** Called when the analysis of a file starts; a cache miss afterwards only recomputes. */
export function startFile(program: Node, text: string): void {
  if (program === currentProgram) return;
  currentProgram = program;
  currentMayDeclareVar = text === "" || /\bvar\b/.test(text);
  for (const cache of fileCaches) cache.clear();
}

/** False when `node` is in the file being analysed and no `var` can be hoisted there. */
export function fileMayDeclareVar(node: Node): boolean {
  if (currentMayDeclareVar) return true;
  let root = node;
  for (let p = parentOf(root); p; p = parentOf(p)) root = p;
  return root !== currentProgram;
}

const referenceIndex = fileCache<Map<string, TSESTree.Identifier[]>>();

/**
 * All identifier references named `name` inside `root` (excluding property keys and declared
 * names). The references of a root are indexed once, so asking about many names costs one walk.
 */
export function referencesTo(root: Node, name: string): TSESTree.Identifier[] {
  let index = referenceIndex.get(root);
  if (!index) {
    const built = new Map<string, TSESTree.Identifier[]>();
    walk(root, (n) => {
      if (n.type !== "Identifier") return;
      const p = parentOf(n);
      if (p?.type === "MemberExpression" && p.property === n && !p.computed) return;
      if (p?.type === "Property" && p.key === n && !p.computed && !p.shorthand) return;
      if (p?.type === "VariableDeclarator" && p.id === n) return;
      const list = built.get(n.name);
      if (list) list.push(n);
      else built.set(n.name, [n]);
    });
    referenceIndex.set(root, built);
    index = built;
  }
  return [...(index.get(name) ?? [])];
}

/** The index of the first node of `sorted` (in source order) that starts at or after `offset`. */
function firstFrom(sorted: readonly Node[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.range[0] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Visits, in the order `walk` would, the nodes of some lists (each in source order, as a
 * traversal collected them) that lie inside `root`. `visit` returning false skips what lies
 * inside the node it was given, as with `walk`. At one start offset, nodes of an earlier list
 * come first: list the kinds that can enclose the others first.
 */
export function visitListed(root: Node, lists: readonly (readonly Node[])[], visit: (node: Node) => boolean | void): void {
  const [start, end] = root.range;
  const at = lists.map((list) => firstFrom(list, start));
  let skipUntil = -1;
  for (;;) {
    let pick = -1;
    let pickStart = end;
    for (let l = 0; l < lists.length; l++) {
      const node = lists[l]![at[l]!];
      if (node && node.range[0] < pickStart) {
        pick = l;
        pickStart = node.range[0];
      }
    }
    if (pick < 0) return;
    const node = lists[pick]![at[pick]!++]!;
    if (pickStart < skipUntil) continue;
    if (visit(node) === false) skipUntil = node.range[1];
  }
}
