import { hash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type GoNode, fieldOf, fieldsOf, stringValue, unparen, walkGo } from "./ast.js";
import { GENERATED_MARK, type GeneratedFacts, type ServerFacts, generatedFacts, isGenerated, receiverType } from "./codegen.js";
import { SDK_PATH, argsOf, methodCall, packageFunction, readImports } from "./imports.js";
import { goTreeOf } from "./linted-trees.js";
import { onConfigChange, readConfig } from "../project/config-files.js";
import { goModuleOf, goWorkspaceOf } from "../project/roots.js";
import type { HandlerKind, HandlerRef } from "../model/types.js";
import { type SourceFunction, sourceFunctions } from "./sources.js";

/**
 * What a Go file's model needs from other files: the other files of its package (service names
 * are often constants of their own file; `Reflect` is often called in `main.go`), the generated
 * clients and servers of the packages it imports, and how the module registers its types
 * (`restate.Reflect(x)`, `pkg.NewCounterServer(x)`, `x` often built by a constructor of another
 * package). Files are read from disk, each parsed once per change, and only those that can hold
 * what is asked for.
 */

/** What an expression evaluates to, as far as finding a registered type needs. `pkg` is an import path, null for the same package. */
export type ValueRef =
  | { kind: "type"; pkg: string | null; name: string }
  | { kind: "call"; pkg: string | null; name: string }
  | { kind: "method"; of: ValueRef; name: string }
  | { kind: "field"; of: ValueRef; name: string };

/** How far a handler's context is followed into helpers (functions it passes the context to). */
export const MAX_HELPER_DEPTH = 3;

/** A function a context is passed to, outside the file that passes it: `name` (`F` or `T.m`) in the package whose folder is `dir`. */
export interface Callee {
  dir: string;
  name: string;
  /** The argument positions of the context. */
  ctxArgs: number[];
}

/** A call by which a handler passes its context to a function of another file: `via` the helpers from the handler to it (its name last). */
export interface HelperReach extends Callee {
  from: HandlerRef;
  /** The handler's kind, as its own file declares it (the helper's file may not know the handler). */
  fromKind: HandlerKind;
  via: string[];
}

/**
 * What one file passes contexts on to, read from its own tree: from each of its handlers, and from
 * each of its functions taking a context (`F` or `T.m`, with the positions of those parameters),
 * the calls of functions the file does not declare, each with the helpers of the file on the way
 * (`via`, the called function last).
 */
export interface FileReach {
  handlers: HelperReach[];
  functions: Map<string, { ctxParams: number[]; calls: (Callee & { via: string[] })[] }>;
  /** Methods called with a context on a value whose type is not known (an interface, a function's result we cannot follow). */
  unknownMethods: string[];
}

/** Reads the reach of a file from its tree, with a view of its package that gives no reach itself. */
export type ReachReader = (root: GoNode, file: string, pkg: PackageView) => FileReach;

/** How a type is registered: passed to `restate.Reflect`, or to a generated server's constructor. */
export type Binding = { by: "reflect" } | { by: "server"; server: ServerFacts };

export interface Registrations {
  /** This package's registered types: type name → how. */
  types: ReadonlyMap<string, readonly Binding[]>;
  /** Generated services whose registration was followed to a type (in any package). */
  followed: ReadonlySet<string>;
  /** The module registers types, and every registration was followed to its type: a type none names is no service. */
  complete: boolean;
}

/** What the other files of a Go package and the module around it declare that a file's model can use. */
export interface PackageView {
  /** The package's folder ("" for a file on its own). */
  readonly dir: string;
  /** A string constant of another file of the package. */
  constant(name: string): string | null;
  /** A string constant of the package an import path names (`authservice.ServiceName`), when that package is code of the module or workspace. */
  importedConstant(importPath: string, name: string): string | null;
  /** The string a type's `ServiceName()` method returns, the type found by `resolve` (any package of the module). */
  serviceName(type: { dir: string; type: string }): string | null;
  /** A function of another file of the package that reads the clock or a random source itself (`DayBefore`). */
  sourceFunction(name: string): SourceFunction | null;
  /** The generated clients and servers of an imported package (by import path), or of this package's other files (null). */
  generated(importPath: string | null): GeneratedFacts | null;
  /** How the module registers this package's types. */
  registrations(): Registrations;
  /** The type a value denotes, followed through constructors into the module's packages. */
  resolve(value: ValueRef): { dir: string; type: string } | null;
  /** The folder of the package an import path names, when it is code of the module or workspace. */
  folder(importPath: string): string | null;
  /**
   * The functions of this package that handlers of the module (or workspace) reach through
   * helpers of other files, of this package or others: chains followed from file to file up to the
   * helper depth, each file's reach read by `read` once per version of the file.
   */
  helperReach(read: ReachReader): readonly HelperReach[];
  /**
   * Some code of the module passes a context to a method of type `type` of this package among
   * `methods`: to it by name from another file, or to a method of that name on a value whose
   * type is not known. True in a view read for a file's reach (which asks no reach itself).
   */
  calledWithContext(read: ReachReader, type: string, methods: readonly string[]): boolean;
}

/** The package a file declares (`package cart`). */
export function packageName(root: GoNode): string | null {
  const clause = root.children.find((c) => c.type === "package_clause");
  return clause?.children[0]?.text ?? null;
}

/** Top-level `const Name = "literal"` declarations of a file (typed or not, alone or in a block). */
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

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const MAX_FOLLOW = 6;

const TYPES = new Set(["type_identifier", "qualified_type", "pointer_type", "generic_type"]);

/**
 * What `expr` evaluates to: `T{}`, `&pkg.T{}`, `new(T)`, `F(…)`, `pkg.F(…)`, `x.M(…)`, `x.f`, or
 * a local name declared once with one of those. `locals` maps a function's names to their value
 * or type (see `localValues`); `imports` the file's package names to import paths.
 */
export function valueOf(expr: GoNode, locals: Map<string, GoNode | null>, imports: Map<string, string> | null, depth = 0): ValueRef | null {
  if (depth > MAX_FOLLOW) return null;
  let n = unparen(expr);
  if (n.type === "unary_expression" && n.operator === "&") n = unparen(n.children[0]!);
  if (n.type === "composite_literal") return typeRef(fieldOf(n, "type"), imports);
  if (TYPES.has(n.type)) return typeRef(n, imports);
  if (n.type === "identifier") {
    const bound = locals.get(n.text);
    return bound ? valueOf(bound, locals, imports, depth + 1) : null;
  }
  if (n.type === "selector_expression") {
    const operand = fieldOf(n, "operand");
    const name = fieldOf(n, "field")?.text;
    if (!operand || !name || (operand.type === "identifier" && !locals.has(operand.text))) return null;
    const of = valueOf(operand, locals, imports, depth + 1);
    return of ? { kind: "field", of, name } : null;
  }
  if (n.type !== "call_expression") return null;
  let fn = fieldOf(n, "function");
  if (fn?.type === "index_expression") fn = fieldOf(fn, "operand");
  if (fn?.type === "identifier") return fn.text === "new" ? typeRef(argsOf(n)[0], imports) : { kind: "call", pkg: null, name: fn.text };
  const m = methodCall(n);
  if (!m) return null;
  const pkg = m.receiver.type === "identifier" && !locals.has(m.receiver.text) ? imports?.get(m.receiver.text) : undefined;
  if (pkg) return { kind: "call", pkg, name: m.name };
  const of = valueOf(m.receiver, locals, imports, depth + 1);
  return of ? { kind: "method", of, name: m.name } : null;
}

function typeRef(type: GoNode | undefined, imports: Map<string, string> | null): ValueRef | null {
  let t = type;
  if (t?.type === "pointer_type") t = t.children[0];
  if (t?.type === "generic_type") t = fieldOf(t, "type");
  if (t?.type === "type_identifier" || t?.type === "identifier") return { kind: "type", pkg: null, name: t.text };
  if (t?.type === "qualified_type") {
    const pkg = imports?.get(fieldOf(t, "package")?.text ?? "");
    const name = fieldOf(t, "name")?.text;
    return pkg && name ? { kind: "type", pkg, name } : null;
  }
  return null;
}

/**
 * The value each name of a function is declared with, when it is declared once: `x := v`,
 * `var x = v`, and `x, err := f()` (x is `f()`'s first result); a method's receiver, its type.
 * Parameters and names declared more than once map to null.
 */
export function localValues(fn: GoNode): Map<string, GoNode | null> {
  const out = new Map<string, GoNode | null>();
  const declare = (name: string, value: GoNode | null) => out.set(name, out.has(name) ? null : value);
  for (const list of [fieldOf(fn, "receiver"), fieldOf(fn, "parameters")]) {
    for (const decl of list?.children ?? []) {
      for (const n of fieldsOf(decl, "name")) declare(n.text, list === fieldOf(fn, "receiver") ? (fieldOf(decl, "type") ?? null) : null);
    }
  }
  const body = fieldOf(fn, "body");
  if (!body) return out;
  walkGo(body, (n) => {
    if (n.type === "func_literal") return false;
    let names: GoNode[] = [];
    let values: GoNode[] = [];
    if (n.type === "short_var_declaration") {
      names = fieldOf(n, "left")?.children ?? [];
      values = fieldOf(n, "right")?.children ?? [];
    } else if (n.type === "var_spec") {
      names = fieldsOf(n, "name");
      values = fieldOf(n, "value")?.children ?? [];
    } else return true;
    names.forEach((name, i) => {
      if (name.type !== "identifier") return;
      const value = values.length === names.length ? values[i]! : values.length === 1 && i === 0 ? values[0]! : null;
      declare(name.text, value);
    });
    return true;
  });
  return out;
}

/** The fields of the struct types a `type` declaration declares, as `T.f` → the field's type. */
export function structFields(decl: GoNode, imports: Map<string, string>, into: Map<string, ValueRef | null>): void {
  for (const spec of decl.children) {
    const struct = fieldOf(spec, "type");
    const list = struct?.type === "struct_type" ? struct.children.find((c) => c.type === "field_declaration_list") : undefined;
    for (const f of list?.children ?? []) {
      for (const n of f.type === "field_declaration" ? fieldsOf(f, "name") : []) {
        into.set(`${fieldOf(spec, "name")?.text}.${n.text}`, typeRef(fieldOf(f, "type"), imports));
      }
    }
  }
}

/** What a function returns first: the value of its first `return` we can read, else its declared result type. */
function resultOf(fn: GoNode, imports: Map<string, string>): ValueRef | null {
  const locals = localValues(fn);
  let found: ValueRef | null = null;
  const body = fieldOf(fn, "body");
  if (body) {
    walkGo(body, (n) => {
      if (found || n.type === "func_literal") return false;
      if (n.type !== "return_statement") return true;
      const first = n.children[0]?.children[0];
      found = first ? valueOf(first, locals, imports) : null;
      return !found;
    });
  }
  if (found) return found;
  let result = fieldOf(fn, "result");
  if (result?.type === "parameter_list") result = fieldOf(result.children.find((c) => c.type === "parameter_declaration"), "type");
  return typeRef(result, imports);
}

/** The one value a function whose body is one `return v` returns (`ServiceName() string { return Name }`). */
export function onlyReturned(fn: GoNode): GoNode | null {
  const statements = fieldOf(fn, "body")?.children.find((c) => c.type === "statement_list")?.children ?? [];
  if (statements.length !== 1 || statements[0]!.type !== "return_statement") return null;
  const values = statements[0]!.children[0]?.children ?? [];
  return values.length === 1 ? values[0]! : null;
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

interface Parsed {
  pkg: string | null;
  consts: Map<string, string>;
  sources: Map<string, SourceFunction>;
  generated: GeneratedFacts | null;
  /** `F` and `T.M` → what they return. */
  results: Map<string, ValueRef | null>;
  /** `T.f` → the type of struct T's field f. */
  fields: Map<string, ValueRef | null>;
  /** Type → what its `ServiceName()` returns, when that is one literal or constant. */
  serviceNames: Map<string, NameRef>;
  /** `const A = B` / `const A = pkg.B`: constants that name another constant. */
  constRefs: Map<string, NameRef>;
  /** The tree of a hand-written file that imports the SDK, kept until its helper reach is read (then dropped). */
  root: GoNode | null;
  reach?: FileReach;
}

/** A string literal, or a constant named by another one: `pkg` an import path, null for the same package. */
type NameRef = { literal: string } | { pkg: string | null; name: string };

/** `"X"`, `Name` or `pkg.Name`, as read in a file with these imports. */
export function nameRef(expr: GoNode | undefined, imports: Map<string, string>): NameRef | null {
  const literal = stringValue(expr);
  if (literal !== null) return { literal };
  const n = expr ? unparen(expr) : null;
  if (n?.type === "identifier") return { pkg: null, name: n.text };
  const operand = n?.type === "selector_expression" ? fieldOf(n, "operand") : undefined;
  const pkg = operand?.type === "identifier" ? imports.get(operand.text) : undefined;
  const name = n ? fieldOf(n, "field")?.text : undefined;
  return pkg && name ? { pkg, name } : null;
}

interface FileEntry {
  mtimeMs: number;
  size: number;
  /** Names the text may declare a constant with (`Name = "…"`, `Name Type = …`, `A, B = …`): an over-approximation. */
  consts: Set<string>;
  /** From the text alone: the file imports the SDK, carries the generated-code mark, declares these functions and types. */
  sdk: boolean;
  marked: boolean;
  declares: Set<string>;
  types: Map<string, "struct" | "interface">;
  parsed?: Parsed | null;
}

/**
 * How long a look at the disk (a file's `stat`, a folder's listing, a module's files) is trusted.
 * One lint asks about the same files dozens of times (each sibling's entry for each name looked
 * up, each module file's stamp for the registrations, the helper reach and the kept reports'
 * dependencies): their answers are those of one moment. Shorter than `REFRESH_MS`, after which
 * the registrations and the helper reach look again, so the view is never staler than they are.
 */
const LOOK_MS = 250;

type Stamp = { mtimeMs: number; size: number };
type Looks<T> = Map<string, { at: number; value: T }>;
const stats: Looks<Stamp | null> = new Map();
const listings: Looks<string[]> = new Map();
const moduleLists: Looks<string[] | null> = new Map();
onConfigChange(() => {
  stats.clear();
  listings.clear();
  moduleLists.clear();
});

/** What `look` finds for `key`, looked for again once it is `LOOK_MS` old. */
function looked<T>(looks: Looks<T>, key: string, look: () => T): T {
  const now = Date.now();
  const known = looks.get(key);
  if (known && now - known.at < LOOK_MS) return known.value;
  const value = look();
  looks.set(key, { at: now, value });
  return value;
}

function statOf(file: string): Stamp | null {
  return looked(stats, file, () => {
    try {
      const s = statSync(file);
      return { mtimeMs: s.mtimeMs, size: s.size };
    } catch {
      return null;
    }
  });
}

/** The names in a folder (none when it cannot be read). */
function namesIn(dir: string): string[] {
  return looked(listings, dir, () => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  });
}

const files = new Map<string, FileEntry>();
const FUNC_DECL = /^func\s*(?:\(\s*(?:\w+\s+)?\*?\s*(\w+)[^)]*\)\s*)?(\w+)/gm;
const TYPE_DECL = /^(?:type\s+|\t)(\w+)(?:\[[^\]\n]*\])?\s+(struct|interface)\b/gm;
const CONST_DECL = /^\s*(?:const\s*\(?\s*)?(\w+(?:\s*,\s*\w+)*)(?:\s+[\w.]+)?\s*=[^=]/gm;

function fileEntry(file: string, text?: string): FileEntry | null {
  const stat = statOf(file);
  if (!stat) return null;
  const cached = files.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  const content = text ?? readText(file);
  if (content === null) return null;
  const declares = new Set<string>();
  for (const m of content.matchAll(FUNC_DECL)) declares.add(m[1] ? `${m[1]}.${m[2]}` : m[2]!);
  const types = new Map<string, "struct" | "interface">();
  for (const m of content.matchAll(TYPE_DECL)) types.set(m[1]!, m[2] as "struct" | "interface");
  const consts = new Set<string>();
  for (const m of content.matchAll(CONST_DECL)) for (const name of m[1]!.split(",")) consts.add(name.trim());
  const entry: FileEntry = { mtimeMs: stat.mtimeMs, size: stat.size, consts, sdk: content.includes(SDK_PATH), marked: GENERATED_MARK.test(content), declares, types };
  files.set(file, entry);
  return entry;
}

function parsed(file: string): Parsed | null {
  const entry = fileEntry(file);
  if (!entry) return null;
  if (entry.parsed !== undefined) return entry.parsed;
  entry.parsed = null;
  const text = readText(file);
  try {
    const root = text === null ? null : goTreeOf(file, text);
    if (root) {
      const imports = readImports(root).byName;
      const results = new Map<string, ValueRef | null>();
      const fields = new Map<string, ValueRef | null>();
      const serviceNames = new Map<string, NameRef>();
      const constRefs = new Map<string, NameRef>();
      for (const decl of root.children) {
        for (const spec of decl.type === "const_declaration" ? decl.children : []) {
          const names = fieldsOf(spec, "name");
          const values = fieldOf(spec, "value")?.children ?? [];
          if (spec.type !== "const_spec" || names.length !== values.length) continue;
          names.forEach((n, i) => {
            const ref = nameRef(values[i], imports);
            if (ref && !("literal" in ref)) constRefs.set(n.text, ref);
          });
        }
        if (decl.type === "type_declaration") structFields(decl, imports, fields);
        const name = fieldOf(decl, "name")?.text;
        if (!name || (decl.type !== "function_declaration" && decl.type !== "method_declaration")) continue;
        const owner = decl.type === "method_declaration" ? receiverType(decl) : null;
        results.set(owner ? `${owner}.${name}` : name, resultOf(decl, imports));
        const returned = owner && name === "ServiceName" ? onlyReturned(decl) : null;
        const ref = returned ? nameRef(returned, imports) : null;
        if (owner && ref) serviceNames.set(owner, ref);
      }
      entry.parsed = {
        pkg: packageName(root),
        consts: stringConstants(root),
        sources: sourceFunctions(root),
        generated: entry.sdk && isGenerated(root) ? generatedFacts(root) : null,
        results,
        fields,
        serviceNames,
        constRefs,
        root: entry.sdk && !entry.marked ? root : null,
      };
    }
  } catch {
    // An unreadable file contributes nothing.
  }
  return entry.parsed;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The non-test `.go` files of a folder (test files may use the package's declarations, never the other way round). */
function goFiles(dir: string, tests = false): string[] {
  return namesIn(dir)
    .filter((n) => n.endsWith(".go") && (tests || !n.endsWith("_test.go")))
    .sort()
    .map((n) => path.join(dir, n));
}

function mergeFacts(into: GeneratedFacts, from: GeneratedFacts): void {
  for (const [k, v] of from.clients) if (!into.clients.has(k)) into.clients.set(k, v);
  for (const [k, v] of from.servers) if (!into.servers.has(k)) into.servers.set(k, v);
}

/** The generated clients and servers of a folder's package (its generated files only). */
function folderFacts(dir: string, except?: string): GeneratedFacts | null {
  let out: GeneratedFacts | null = null;
  for (const f of goFiles(dir)) {
    const entry = fileEntry(f);
    if (f === except || !entry?.sdk || !entry.marked) continue;
    const g = parsed(f)?.generated;
    if (g) mergeFacts((out ??= { clients: new Map(), servers: new Map() }), g);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Modules
// ---------------------------------------------------------------------------------------------

/**
 * The Go code a file's imports reach on disk: its module, the other modules of a go.work
 * workspace that uses it, and modules its go.mod replaces with a folder. Registrations are looked
 * for in `roots` (the module, or every module of the workspace).
 */
interface Scope {
  roots: string[];
  /** Module path → folder. */
  modules: { path: string; root: string }[];
}

const scopes = new Map<string, Scope | null>();
onConfigChange(() => scopes.clear());

/** `module example.com/shop` and the `replace … => ./local` lines of a go.mod (targets as written). */
function parseGoMod(source: string): { path: string; replaces: { path: string; target: string }[] } | null {
  const text = source.replace(/\/\/.*$/gm, "");
  const declared = /^module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
  if (!declared) return null;
  const replaces: { path: string; target: string }[] = [];
  for (const m of text.matchAll(/^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(\.{1,2}\/\S*|\/\S+)\s*$/gm)) replaces.push({ path: m[1]!, target: m[2]! });
  return { path: declared, replaces };
}

/** A module's path and its local replacements, read through the configuration cache (an edit is seen). */
function readGoMod(root: string): { path: string; replaces: { path: string; root: string }[] } | null {
  const mod = readConfig(path.join(root, "go.mod"), parseGoMod);
  return mod ? { path: mod.path, replaces: mod.replaces.map((r) => ({ path: r.path, root: path.resolve(root, r.target) })) } : null;
}

function scopeOf(dir: string): Scope | null {
  const root = goModuleOf(dir);
  if (!root) return null;
  let scope = scopes.get(root);
  if (scope !== undefined) return scope;
  const mod = readGoMod(root);
  scope = null;
  if (mod) {
    scope = { roots: [root], modules: [{ path: mod.path, root }, ...mod.replaces] };
    const work = goWorkspaceOf(root);
    if (work) {
      scope.roots = work;
      for (const r of work) {
        const m = r === root ? null : readGoMod(r);
        if (m) scope.modules.push({ path: m.path, root: r });
      }
    }
  }
  scopes.set(root, scope);
  return scope;
}

/** The folder of the package an import path names, when it is code of the scope. */
function folderOf(scope: Scope | null, importPath: string): string | null {
  let best: { path: string; root: string } | null = null;
  for (const m of scope?.modules ?? []) {
    if ((importPath === m.path || importPath.startsWith(`${m.path}/`)) && (!best || m.path.length > best.path.length)) best = m;
  }
  return best ? path.join(best.root, ...importPath.slice(best.path.length).split("/").filter(Boolean)) : null;
}

/** The import path of a folder of the scope. */
function importPathOf(scope: Scope, dir: string): string {
  let best: { path: string; root: string } | null = null;
  for (const m of scope.modules) {
    const inside = dir === m.root || dir.startsWith(m.root + path.sep);
    if (inside && (!best || m.root.length > best.root.length)) best = m;
  }
  if (!best) return "";
  const rel = path.relative(best.root, dir).split(path.sep).join("/");
  return rel ? `${best.path}/${rel}` : best.path;
}

/** Folders Go itself leaves out of a module's packages. */
function skippedFolder(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_") || name === "vendor" || name === "testdata" || name === "node_modules";
}

const MAX_MODULE_FILES = 20_000;
/** How long a module's registrations are used before the files are looked at again. */
const REFRESH_MS = 1000;

interface Registry {
  checkedAt: number;
  /** Every file read, with its state when read: any change means reading again. */
  stamps: Map<string, string>;
  byDir: Map<string, Map<string, Binding[]>>;
  followed: Set<string>;
  complete: boolean;
}

const registries = new Map<string, Registry>();

/** The `.go` files (tests left out) of a module, or of one folder when there is no module. */
function moduleFiles(root: string, recursive: boolean): string[] | null {
  return looked(moduleLists, `${recursive ? "r" : "f"}\u0000${root}`, () => walkModule(root, recursive));
}

function walkModule(root: string, recursive: boolean): string[] | null {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    // A folder with its own go.mod is another module.
    if (dir !== root && entries.some((e) => e.isFile() && e.name === "go.mod")) continue;
    for (const e of entries) {
      if (e.isDirectory()) {
        if (recursive && !skippedFolder(e.name)) stack.push(path.join(dir, e.name));
      } else if (e.name.endsWith(".go") && !e.name.endsWith("_test.go")) out.push(path.join(dir, e.name));
    }
    if (out.length > MAX_MODULE_FILES) return null;
  }
  return out.sort();
}

function stampOf(file: string): string {
  const s = statOf(file);
  return s ? `${s.mtimeMs}:${s.size}` : "";
}

/** The non-test `.go` files of a scope's modules, or of the folder `dir` outside any module; null when too many. */
function scopeFiles(dir: string, scope: Scope | null): string[] | null {
  const lists = scope ? scope.roots.map((r) => moduleFiles(r, true)) : [moduleFiles(dir, false)];
  return lists.some((l) => l === null) ? null : lists.flatMap((l) => l!).sort();
}

const moduleStamps = new Map<string, { checkedAt: number; stamp: string | null }>();
onConfigChange(() => moduleStamps.clear());

/**
 * The state of every `.go` file a model of `file` may read: its folder's (tests included), and
 * every file of the modules of its scope (local replacements included); null when a module has
 * too many files to tell. The reports kept for a Go file hold while it is the same (see
 * `ReplayLanguage.dependencies`). A module is looked at again after `REFRESH_MS`, as its
 * registrations are; and when it is, the scope's registrations and helper reaches are looked at
 * again before their next use, so that a model built after this call never reads an older state of the
 * files than the one it returns (a report kept with a newer state would be made again later from
 * an older one).
 */
export function goDependencies(file: string): string | null {
  const dir = path.dirname(path.resolve(file));
  const scope = scopeOf(dir);
  const roots = scope ? [...new Set([...scope.roots, ...scope.modules.map((m) => m.root)])].sort() : [];
  const key = roots.join("\u0000");
  const now = Date.now();
  let known = moduleStamps.get(key);
  if (!known || now - known.checkedAt >= REFRESH_MS) {
    const lists = roots.map((r) => moduleFiles(r, true));
    const stamp = lists.some((l) => l === null) ? null : stampsOf([...new Set(lists.flatMap((l) => l!))]);
    moduleStamps.set(key, (known = { checkedAt: now, stamp }));
    const cached = scope ? scope.roots.join("\u0000") : dir;
    for (const c of [registries.get(cached), reaches.get(cached)]) if (c) c.checkedAt = -Infinity;
  }
  return known.stamp === null ? null : hash("sha1", `${known.stamp}\n${stampsOf(goFiles(dir, true))}`, "base64url");
}

function stampsOf(files: string[]): string {
  return hash("sha1", files.sort().map((f) => `${f}\u0000${stampOf(f)}`).join("\n"), "base64url");
}

/** The files are those that were read, each as it was. */
function unchanged(list: string[], stamps: Map<string, string>): boolean {
  return list.length === stamps.size && list.every((f) => stamps.get(f) === stampOf(f));
}

/** The registrations of a scope, or of the folder `dir` outside any module. */
function registryOf(dir: string, scope: Scope | null): Registry {
  const now = Date.now();
  const key = scope ? scope.roots.join("\u0000") : dir;
  const known = registries.get(key);
  if (known && now - known.checkedAt < REFRESH_MS) return known;
  const list = scopeFiles(dir, scope);
  if (known && list && unchanged(list, known.stamps)) {
    known.checkedAt = now;
    return known;
  }
  const registry = buildRegistry(list ?? [], scope);
  // A module that registers nothing (a library, snippets) may be served from anywhere.
  registry.complete &&= list !== null && scope !== null && registry.byDir.size > 0;
  registries.set(key, registry);
  return registry;
}

/**
 * Finds every registration of the module: `restate.Reflect(v)` and a generated server's
 * constructor called with `v`, in non-test files, and follows `v` to the type it is.
 */
function buildRegistry(list: string[], scope: Scope | null): Registry {
  const registry: Registry = { checkedAt: Date.now(), stamps: new Map(), byDir: new Map(), followed: new Set(), complete: true };
  const texts = new Map<string, string>();
  // Server constructors by the import path of their package ("" for a folder outside any module).
  const servers = new Map<string, Map<string, ServerFacts>>();
  for (const f of list) {
    registry.stamps.set(f, stampOf(f));
    const text = readText(f);
    if (text === null) continue;
    texts.set(f, text);
    const entry = fileEntry(f, text);
    if (!entry?.sdk || !entry.marked) continue;
    const g = parsed(f)?.generated;
    if (!g || g.servers.size === 0) continue;
    const importPath = scope ? importPathOf(scope, path.dirname(f)) : "";
    const map = servers.get(importPath) ?? new Map<string, ServerFacts>();
    for (const [k, v] of g.servers) map.set(k, v);
    servers.set(importPath, map);
  }
  const ctorNames = [...servers.values()].flatMap((m) => [...m.keys()]);
  const ctorCall = ctorNames.length > 0 ? new RegExp(`\\b(?:${ctorNames.join("|")})\\s*\\(`) : null;
  for (const [f, text] of texts) {
    const reflects = text.includes(SDK_PATH) && /\bReflect\s*\(/.test(text);
    if (!reflects && !ctorCall?.test(text)) continue;
    let root: GoNode | null = null;
    try {
      root = goTreeOf(f, text);
    } catch {
      root = null;
    }
    if (!root) {
      registry.complete = false;
      continue;
    }
    const dir = path.dirname(f);
    const own = scope ? importPathOf(scope, dir) : "";
    for (const reg of registrationsIn(root, (pkg) => servers.get(pkg ?? own) ?? null)) {
      const target = reg.value ? resolveValue(reg.value, dir, scope, 0) : null;
      if (!target) {
        registry.complete = false;
        continue;
      }
      let types = registry.byDir.get(target.dir);
      if (!types) registry.byDir.set(target.dir, (types = new Map()));
      const binding: Binding = reg.server ? { by: "server", server: reg.server } : { by: "reflect" };
      types.set(target.type, [...(types.get(target.type) ?? []), binding]);
      if (reg.server) registry.followed.add(reg.server.service);
    }
  }
  return registry;
}

/**
 * The registrations a file makes: `restate.Reflect(v)`, and `pkg.NewCounterServer(v)` (or
 * `NewCounterServer(v)` in the generated package itself) where `serversOf` knows the constructor.
 */
export function registrationsIn(
  root: GoNode,
  serversOf: (importPath: string | null) => Map<string, ServerFacts> | null,
): { value: ValueRef | null; server: ServerFacts | null }[] {
  const imports = readImports(root);
  const out: { value: ValueRef | null; server: ServerFacts | null }[] = [];
  const localsOf = new Map<GoNode, Map<string, GoNode | null>>();
  walkGo(root, (n) => {
    if (n.type !== "call_expression") return true;
    let server: ServerFacts | null = null;
    if (packageFunction(n, imports.restate) !== "Reflect") {
      const fn = fieldOf(n, "function");
      const m = methodCall(n);
      const pkg = m?.receiver.type === "identifier" ? imports.byName.get(m.receiver.text) : undefined;
      if (fn?.type === "identifier") server = serversOf(null)?.get(fn.text) ?? null;
      else if (m && pkg) server = serversOf(pkg)?.get(m.name) ?? null;
      if (!server) return true;
    }
    const arg = argsOf(n)[server?.param ?? 0];
    const top = topLevel(n);
    let locals = top ? localsOf.get(top) : undefined;
    if (top && !locals) localsOf.set(top, (locals = localValues(top)));
    out.push({ value: arg ? valueOf(arg, locals ?? new Map(), imports.byName) : null, server });
    return true;
  });
  return out;
}

function topLevel(node: GoNode): GoNode | null {
  let p: GoNode | null = node;
  while (p?.parent && p.parent.type !== "source_file") p = p.parent;
  return p && (p.type === "function_declaration" || p.type === "method_declaration") ? p : null;
}

/**
 * The folder and name of the type a value is, following functions, methods and struct fields of
 * the module's packages. An interface is no answer: what implements it is not known.
 */
function resolveValue(value: ValueRef, dir: string, scope: Scope | null, depth: number): { dir: string; type: string } | null {
  if (depth > MAX_FOLLOW) return null;
  if (value.kind === "type") {
    const d = value.pkg === null ? dir : folderOf(scope, value.pkg);
    if (!d || goFiles(d).some((f) => fileEntry(f)?.types.get(value.name) === "interface")) return null;
    return { dir: d, type: value.name };
  }
  let d: string | null;
  let key: string;
  if (value.kind === "call") {
    d = value.pkg === null ? dir : folderOf(scope, value.pkg);
    key = value.name;
  } else {
    const of = resolveValue(value.of, dir, scope, depth + 1);
    if (!of) return null;
    d = of.dir;
    key = `${of.type}.${value.name}`;
  }
  if (!d) return null;
  const owner = key.slice(0, key.indexOf("."));
  for (const f of goFiles(d)) {
    const entry = fileEntry(f);
    const declared = value.kind === "field" ? entry?.types.get(owner) === "struct" : entry?.declares.has(key);
    if (!declared) continue;
    const p = parsed(f);
    const result = value.kind === "field" ? p?.fields.get(key) : p?.results.get(key);
    // The value was read in that file: its package paths are import paths already.
    if (result) return resolveValue(result, d, scope, depth + 1);
  }
  return null;
}

/** The string a constant of the package in `dir` stands for, through constants naming constants (`const Name = api.Name`). */
function constantIn(dir: string, name: string, scope: Scope | null, depth: number): string | null {
  if (depth > MAX_FOLLOW) return null;
  for (const f of goFiles(dir)) {
    if (!fileEntry(f)?.consts.has(name)) continue;
    const p = parsed(f);
    const value = p?.consts.get(name);
    if (value !== undefined) return value;
    const ref = p?.constRefs.get(name);
    if (ref) return nameIn(ref, dir, scope, depth + 1);
  }
  return null;
}

function nameIn(ref: NameRef, dir: string, scope: Scope | null, depth: number): string | null {
  if ("literal" in ref) return ref.literal;
  const d = ref.pkg === null ? dir : folderOf(scope, ref.pkg);
  return d ? constantIn(d, ref.name, scope, depth) : null;
}

/** What the `ServiceName()` method of a type of the package in `dir` returns, when it is one constant. */
function serviceNameIn(dir: string, type: string, scope: Scope | null): string | null {
  for (const f of goFiles(dir)) {
    if (!fileEntry(f)?.declares.has(`${type}.ServiceName`)) continue;
    const ref = parsed(f)?.serviceNames.get(type);
    if (ref) return nameIn(ref, dir, scope, 0);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Helper reach
// ---------------------------------------------------------------------------------------------

interface ReachIndex {
  checkedAt: number;
  stamps: Map<string, string>;
  /** Package folder → the reach into its functions. */
  byDir: Map<string, HelperReach[]>;
  /** `dir\u0000name` of every function some code passes a context to from another file; `\u0000name` for a method on a value of a type not known. */
  called: Set<string>;
}

const reaches = new Map<string, ReachIndex>();

/** The reach of a hand-written file that imports the SDK, read once per version of the file (its tree is dropped then). */
function fileReach(file: string, read: ReachReader): FileReach | null {
  const entry = fileEntry(file);
  if (!entry?.sdk || entry.marked) return null;
  const p = parsed(file);
  if (!p) return null;
  if (!p.reach) {
    p.reach = { handlers: [], functions: new Map(), unknownMethods: [] };
    if (p.root) {
      try {
        p.reach = read(p.root, file, packageView(file, p.pkg, { helpers: false }));
      } catch {
        // An odd file reaches nothing.
      }
    }
    p.root = null;
  }
  return p.reach;
}

/**
 * Follows each handler's helper calls from file to file: a call reaching function `name` of the
 * package in `dir` goes on with what that function passes the context to, up to the helper depth.
 * Each file is read at most once; a function is looked for only in the files whose text declares it.
 */
function closeReach(seeds: readonly HelperReach[], read: ReachReader): Map<string, HelperReach[]> {
  const byDir = new Map<string, HelperReach[]>();
  const seen = new Set<string>();
  const queue = [...seeds];
  for (let i = 0; i < queue.length; i++) {
    const r = queue[i]!;
    const id = `${r.from.service}.${r.from.handler}\u0000${r.dir}\u0000${r.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const list = byDir.get(r.dir);
    if (list) list.push(r);
    else byDir.set(r.dir, [r]);
    if (r.via.length >= MAX_HELPER_DEPTH) continue;
    for (const f of goFiles(r.dir)) {
      if (!fileEntry(f)?.declares.has(r.name)) continue;
      const fn = fileReach(f, read)?.functions.get(r.name);
      if (!fn || !fn.ctxParams.some((p) => r.ctxArgs.includes(p))) continue;
      for (const c of fn.calls) {
        const via = [...r.via, ...c.via];
        if (via.length <= MAX_HELPER_DEPTH) queue.push({ from: r.from, fromKind: r.fromKind, via, dir: c.dir, name: c.name, ctxArgs: c.ctxArgs });
      }
      break;
    }
  }
  return byDir;
}

/** The helper reach of a scope's handlers (every non-test file of its modules, or of the folder `dir` outside any module). */
function reachIndexOf(dir: string, scope: Scope | null, read: ReachReader): ReachIndex {
  const now = Date.now();
  const key = scope ? scope.roots.join("\u0000") : dir;
  const known = reaches.get(key);
  if (known && now - known.checkedAt < REFRESH_MS) return known;
  const list = scopeFiles(dir, scope) ?? [];
  if (known && unchanged(list, known.stamps)) {
    known.checkedAt = now;
    return known;
  }
  const stamps = new Map(list.map((f) => [f, stampOf(f)]));
  const seeds: HelperReach[] = [];
  const called = new Set<string>();
  for (const f of list) {
    const r = fileReach(f, read);
    if (!r) continue;
    seeds.push(...r.handlers);
    for (const c of r.handlers) called.add(`${c.dir}\u0000${c.name}`);
    for (const fn of r.functions.values()) for (const c of fn.calls) called.add(`${c.dir}\u0000${c.name}`);
    for (const m of r.unknownMethods) called.add(`\u0000${m}`);
  }
  const index: ReachIndex = { checkedAt: now, stamps, byDir: closeReach(seeds, read), called };
  reaches.set(key, index);
  return index;
}

// ---------------------------------------------------------------------------------------------
// The view
// ---------------------------------------------------------------------------------------------

/** A package view of a file: its folder's other files with the same package clause, and its module. */
export function packageView(file: string, pkg: string | null, options: { helpers?: boolean } = {}): PackageView {
  const self = path.resolve(file);
  const dir = path.dirname(self);
  const test = self.endsWith("_test.go");
  const constants = new Map<string, string | null>();
  const imported = new Map<string, string | null>();
  const sources = new Map<string, SourceFunction | null>();
  const facts = new Map<string | null, GeneratedFacts | null>();
  let scope: Scope | null | undefined;
  const mod = () => (scope === undefined ? (scope = scopeOf(dir)) : scope);
  // The other files of the package whose text may declare what is looked for: only those are parsed.
  const siblings = (may: (entry: FileEntry | null) => boolean) =>
    pkg ? goFiles(dir, test).filter((f) => f !== self && may(fileEntry(f)) && parsed(f)?.pkg === pkg) : [];
  return {
    dir,
    constant(name) {
      let value = constants.get(name);
      if (value === undefined) {
        const declaring = siblings((e) => !!e?.consts.has(name)).map((f) => parsed(f)!);
        const literal = declaring.find((p) => p.consts.has(name))?.consts.get(name);
        const ref = literal === undefined ? declaring.find((p) => p.constRefs.has(name))?.constRefs.get(name) : undefined;
        value = literal ?? (ref ? nameIn(ref, dir, mod(), 1) : null);
        constants.set(name, value);
      }
      return value;
    },
    importedConstant(importPath, name) {
      const key = `${importPath}\u0000${name}`;
      let value = imported.get(key);
      if (value === undefined) {
        const folder = folderOf(mod(), importPath);
        value = folder && folder !== dir ? constantIn(folder, name, mod(), 0) : null;
        imported.set(key, value);
      }
      return value;
    },
    serviceName(type) {
      return serviceNameIn(type.dir, type.type, mod());
    },
    sourceFunction(name) {
      let source = sources.get(name);
      if (source === undefined) {
        source = siblings((e) => !!e?.declares.has(name)).map((f) => parsed(f)!.sources.get(name)).find((v) => v !== undefined) ?? null;
        sources.set(name, source);
      }
      return source;
    },
    generated(importPath) {
      let f = facts.get(importPath);
      if (f === undefined) {
        const folder = importPath === null ? dir : folderOf(mod(), importPath);
        f = folder ? folderFacts(folder, self) : null;
        facts.set(importPath, f);
      }
      return f;
    },
    registrations() {
      const registry = registryOf(dir, mod());
      return { types: registry.byDir.get(dir) ?? new Map(), followed: registry.followed, complete: registry.complete };
    },
    resolve(value) {
      return resolveValue(value, dir, mod(), 0);
    },
    folder(importPath) {
      return folderOf(mod(), importPath);
    },
    helperReach(read) {
      if (!pkg || options.helpers === false) return [];
      const out = reachIndexOf(dir, mod(), read).byDir.get(dir) ?? [];
      if (!test) return out;
      // A test file's handlers reach helpers too, when that test file is linted.
      // Only files that import the SDK have a reach (see `fileReach`): the others need no parse.
      const tests = goFiles(dir, true).filter((f) => f.endsWith("_test.go") && f !== self && fileEntry(f)?.sdk && parsed(f)?.pkg === pkg);
      const seeds = tests.flatMap((f) => fileReach(f, read)?.handlers ?? []);
      return seeds.length === 0 ? out : [...out, ...(closeReach(seeds, read).get(dir) ?? [])];
    },
    calledWithContext(read, type, methods) {
      // Read for a file's reach: a type that may be a helper seeds no handler's reach.
      if (options.helpers === false) return true;
      const { called } = reachIndexOf(dir, mod(), read);
      return methods.some((m) => called.has(`${dir}\u0000${type}.${m}`) || called.has(`\u0000${m}`));
    },
  };
}

/** A package view with nothing in it (a file on its own). */
export const EMPTY_PACKAGE: PackageView = {
  dir: "",
  constant: () => null,
  importedConstant: () => null,
  serviceName: () => null,
  sourceFunction: () => null,
  generated: () => null,
  registrations: () => ({ types: new Map(), followed: new Set(), complete: false }),
  resolve: (value) => (value.kind === "type" && value.pkg === null ? { dir: "", type: value.name } : null),
  folder: () => null,
  helperReach: () => [],
  calledWithContext: () => false,
};
