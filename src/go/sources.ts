import { type GoNode, fieldOf, isFunction, selectorParts, unparen, walkGo } from "./ast.js";
import type { Bindings } from "./extract.js";
import { type GoImports, readImports } from "./imports.js";
import { own } from "../model/records.js";

/** "id": returns a fresh identifier; "value": a clock reading or random number. */
export type SourceKind = "id" | "value";

const GOOGLE_UUID = "github.com/google/uuid";
const GOFRS = { NewV1: "id", NewV4: "id", NewV6: "id", NewV7: "id" } as const;
const MATH_RAND_CONSTRUCTORS = new Set(["New", "NewSource", "NewPCG", "NewChaCha8", "NewZipf"]);
const ULID = { Make: "id", MustNew: "id" } as const;

/** Package functions that give a new value on every call, by import path. */
const SOURCES: Record<string, Record<string, SourceKind>> = {
  [GOOGLE_UUID]: { New: "id", NewString: "id", NewRandom: "id", NewV7: "id", NewUUID: "id" },
  "github.com/gofrs/uuid": GOFRS,
  "github.com/gofrs/uuid/v5": GOFRS,
  "github.com/satori/go.uuid": { NewV1: "id", NewV4: "id" },
  "github.com/rs/xid": { New: "id" },
  "github.com/oklog/ulid": ULID,
  "github.com/oklog/ulid/v2": ULID,
  "github.com/segmentio/ksuid": { New: "id", NewRandom: "id" },
  "github.com/lithammer/shortuuid/v4": { New: "id" },
  "github.com/lithammer/shortuuid/v3": { New: "id" },
  time: { Now: "value", Since: "value", Until: "value" },
  "crypto/rand": { Read: "value", Int: "value", Prime: "value", Text: "value" },
};

export interface Source {
  node: GoNode;
  kind: SourceKind;
  /** `pkg.Fn` as imported (for messages). */
  label: string;
  importPath: string;
  fn: string;
}

/** The call, if it is one of the non-deterministic package functions (`uuid.New()`, `time.Now()`, `rand.Intn(n)`). */
export function sourceOf(call: GoNode, imports: GoImports): Source | null {
  if (call.type !== "call_expression") return null;
  // No runtime import of the extractor: the package view reads siblings' sources with this module.
  const parts = selectorParts(fieldOf(call, "function"));
  if (!parts) return null;
  const [pkg, fn] = parts;
  const importPath = imports.byName.get(pkg);
  if (!importPath) return null;
  let kind: SourceKind | undefined = own(own(SOURCES, importPath), fn);
  if (!kind && (importPath === "math/rand" || importPath === "math/rand/v2") && !MATH_RAND_CONSTRUCTORS.has(fn) && /^[A-Z]/.test(fn)) {
    kind = "value";
  }
  return kind ? { node: call, kind, label: `${pkg}.${fn}`, importPath, fn } : null;
}

/** google/uuid's `New()` and `NewString()` have drop-in journaled replacements. */
export function uuidReplacement(source: Source, sdk: string, ctx: string): string | null {
  if (source.importPath !== GOOGLE_UUID) return null;
  if (source.fn === "New") return `${sdk}.UUID(${ctx})`;
  if (source.fn === "NewString") return `${sdk}.UUID(${ctx}).String()`;
  return null;
}

/**
 * The first non-deterministic call in `expr`, looking through local names it uses (declared
 * once, never reassigned) but not into function literals: `restate.Run(ctx, func…)` is journaled.
 */
export function findSource(expr: GoNode, bindings: Bindings, imports: GoImports, depth = 0, visited = new Set<GoNode>()): Source | null {
  let found: Source | null = null;
  walkGo(expr, (n) => {
    if (found) return false;
    if (n !== expr && isFunction(n)) return false;
    if (n.type === "identifier") {
      // A package name or a field is no local value.
      if (n.parent?.type === "selector_expression" && fieldOf(n.parent, "operand") === n && imports.byName.has(n.text)) return false;
      if (depth >= 3) return false;
      const bound = bindings.valueOf(n);
      if (!bound || visited.has(bound)) return false;
      visited.add(bound);
      found = findSource(unparen(bound), bindings, imports, depth + 1, visited);
      return false;
    }
    const s = sourceOf(n, imports);
    if (s) found = s;
    return true;
  });
  return found;
}

/** A function of a file that reads a non-deterministic source itself (what another file of the package needs to know). */
export interface SourceFunction {
  kind: SourceKind;
  /** `pkg.Fn` as that file imports it (for messages). */
  label: string;
  importPath: string;
  fn: string;
}

/**
 * The top-level functions of a file that take no Restate context and call a non-deterministic
 * source in their own body (not in a function literal: a run closure is journaled), with the
 * first such call. A handler of another file of the package that calls one gets a different
 * value on replay, as it would from the source itself.
 */
export function sourceFunctions(root: GoNode): Map<string, SourceFunction> {
  const out = new Map<string, SourceFunction>();
  const imports = readImports(root);
  if (![...imports.byName.values()].some((p) => own(SOURCES, p) || p === "math/rand" || p === "math/rand/v2")) return out;
  for (const decl of root.children) {
    const name = decl.type === "function_declaration" ? fieldOf(decl, "name")?.text : undefined;
    const body = fieldOf(decl, "body");
    if (!name || !body || takesContext(decl, imports.restate)) continue;
    let found: Source | null = null;
    walkGo(body, (n) => {
      if (found || isFunction(n)) return false;
      found = sourceOf(n, imports);
      return !found;
    });
    const s = found as Source | null;
    if (s) out.set(name, { kind: s.kind, label: s.label, importPath: s.importPath, fn: s.fn });
  }
  return out;
}

/** A parameter typed `restate.X` (any context): the function is a scope of its own, not a plain helper. */
function takesContext(fn: GoNode, sdk: string | null): boolean {
  if (!sdk) return false;
  for (const decl of fieldOf(fn, "parameters")?.children ?? []) {
    const type = fieldOf(decl, "type");
    if (type?.type === "qualified_type" && fieldOf(type, "package")?.text === sdk && /Context$/.test(fieldOf(type, "name")?.text ?? "")) return true;
  }
  return false;
}
