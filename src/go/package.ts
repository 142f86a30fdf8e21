import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type GoNode, fieldOf, fieldsOf, stringValue, unparen, walkGo } from "./ast.js";
import { readImports } from "./imports.js";
import { parseGo } from "./parser.js";

interface Entry {
  mtimeMs: number;
  size: number;
  pkg: string | null;
  consts: Map<string, string>;
  reflected: Set<string>;
}

const files = new Map<string, Entry>();

/** The package a file declares (`package cart`). */
export function packageName(root: GoNode): string | null {
  const clause = root.children.find((c) => c.type === "package_clause");
  return clause?.children[0]?.text ?? null;
}

/** Top-level `const Name = "literal"` declarations of a file. */
export function stringConstants(root: GoNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const decl of root.children) {
    if (decl.type !== "const_declaration") continue;
    for (const spec of decl.children) {
      if (spec.type !== "const_spec") continue;
      const names = fieldsOf(spec, "name");
      const values = fieldOf(spec, "value")?.children ?? [];
      if (names.length !== values.length) continue;
      names.forEach((n, i) => {
        const v = stringValue(values[i]);
        if (v !== null) out.set(n.text, v);
      });
    }
  }
  return out;
}

/** Local type names passed to `restate.Reflect`: `T{}`, `&T{}`, `new(T)`. */
export function reflectedTypes(root: GoNode, sdk: string | null = readImports(root).restate): Set<string> {
  const out = new Set<string>();
  if (!sdk) return out;
  walkGo(root, (n) => {
    if (n.type !== "call_expression") return true;
    const fn = fieldOf(n, "function");
    const pkg = fn?.type === "selector_expression" ? fieldOf(fn, "operand") : null;
    if (pkg?.text !== sdk || fieldOf(fn!, "field")?.text !== "Reflect") return true;
    const arg = fieldOf(n, "arguments")?.children[0];
    const name = arg ? typeNameOf(unparen(arg)) : null;
    if (name) out.add(name);
    return true;
  });
  return out;
}

function typeNameOf(n: GoNode): string | null {
  if (n.type === "unary_expression" && n.operator === "&") return typeNameOf(unparen(n.children[0]!));
  if (n.type === "composite_literal") {
    const type = fieldOf(n, "type");
    return type?.type === "type_identifier" ? type.text : null;
  }
  if (n.type === "call_expression" && fieldOf(n, "function")?.text === "new") {
    const arg = fieldOf(n, "arguments")?.children[0];
    return arg?.type === "type_identifier" || arg?.type === "identifier" ? arg.text : null;
  }
  return null;
}

function load(file: string): Entry | null {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return null;
  }
  const cached = files.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  let entry: Entry = { mtimeMs: stat.mtimeMs, size: stat.size, pkg: null, consts: new Map(), reflected: new Set() };
  try {
    const { root, error } = parseGo(readFileSync(file, "utf8"));
    if (!error) entry = { ...entry, pkg: packageName(root), consts: stringConstants(root), reflected: reflectedTypes(root) };
  } catch {
    // An unreadable sibling contributes nothing.
  }
  files.set(file, entry);
  return entry;
}

/** What the other files of a Go package declare that a file's model can use. */
export interface PackageView {
  /** A string constant of another file of the package. */
  constant(name: string): string | null;
  /** Types the other files pass to `restate.Reflect`. */
  reflected(): ReadonlySet<string>;
}

/**
 * The other files of a Go package: the `.go` files of the same folder with the same package
 * clause (service names are often constants of their own file, used from another; `Reflect`
 * is often called in `main.go`). The folder is read on first use only; each sibling is parsed
 * once per change on disk.
 */
export function packageView(file: string, pkg: string | null): PackageView {
  let consts: Map<string, string> | null = null;
  let reflected: Set<string> | null = null;
  const read = () => {
    consts = new Map();
    reflected = new Set();
    if (!pkg) return;
    const dir = path.dirname(path.resolve(file));
    const self = path.resolve(file);
    const test = self.endsWith("_test.go");
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    for (const n of names.sort()) {
      const sibling = path.join(dir, n);
      // Test files may use the package's declarations, never the other way round.
      if (!n.endsWith(".go") || sibling === self || (!test && n.endsWith("_test.go"))) continue;
      const entry = load(sibling);
      if (entry?.pkg !== pkg) continue;
      for (const [k, v] of entry.consts) if (!consts.has(k)) consts.set(k, v);
      for (const t of entry.reflected) reflected.add(t);
    }
  };
  return {
    constant(name) {
      if (!consts) read();
      return consts!.get(name) ?? null;
    },
    reflected() {
      if (!reflected) read();
      return reflected!;
    },
  };
}

/** A package view with nothing in it (a file on its own). */
export const EMPTY_PACKAGE: PackageView = { constant: () => null, reflected: () => new Set() };
