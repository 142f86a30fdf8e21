import { type GoNode, fieldOf, stringValue } from "./ast.js";
import { own } from "../model/records.js";

export const SDK_PATH = "github.com/restatedev/sdk-go";
export const INGRESS_PATH = "github.com/restatedev/sdk-go/ingress";

/** Package names that differ from the last element of their import path. */
const KNOWN_NAMES: Record<string, string> = {
  [SDK_PATH]: "restate",
  [INGRESS_PATH]: "ingress",
  "github.com/satori/go.uuid": "uuid",
};

export interface GoImports {
  /** Local name of the SDK package (`restate` unless renamed); null when not imported by name. */
  restate: string | null;
  /** Local name of the SDK's ingress package. */
  ingress: string | null;
  /** Local package name → import path, for every import with a usable name. */
  byName: Map<string, string>;
}

/**
 * The name a package is referred to by when imported without an alias: the last path element,
 * skipping a major-version suffix (`math/rand/v2` → `rand`, `gopkg.in/yaml.v3` → `yaml`).
 * Null when that element is not an identifier (the package name then cannot be known from
 * the path alone).
 */
export function defaultPackageName(importPath: string): string | null {
  const known = own(KNOWN_NAMES, importPath);
  if (known) return known;
  const parts = importPath.split("/");
  let last = parts[parts.length - 1] ?? "";
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? "";
  last = last.replace(/\.v\d+$/, "");
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(last) ? last : null;
}

/** Reads the file's imports. Dot and blank imports give no name (their members are not matched). */
export function readImports(root: GoNode): GoImports {
  const out: GoImports = { restate: null, ingress: null, byName: new Map() };
  for (const decl of root.children) {
    if (decl.type !== "import_declaration") continue;
    const specs = decl.children.flatMap((c) => (c.type === "import_spec_list" ? c.children : [c]));
    for (const spec of specs) {
      if (spec.type !== "import_spec") continue;
      const importPath = stringValue(fieldOf(spec, "path"));
      if (importPath === null) continue;
      const alias = fieldOf(spec, "name");
      const local = alias ? (alias.type === "package_identifier" ? alias.text : null) : defaultPackageName(importPath);
      if (!local) continue;
      out.byName.set(local, importPath);
      if (importPath === SDK_PATH) out.restate = local;
      else if (importPath === INGRESS_PATH) out.ingress = local;
    }
  }
  return out;
}

/** Whether the file imports the SDK or its ingress package at all (also dot or blank imports). */
export function importsRestate(root: GoNode): boolean {
  for (const decl of root.children) {
    if (decl.type !== "import_declaration") continue;
    const specs = decl.children.flatMap((c) => (c.type === "import_spec_list" ? c.children : [c]));
    for (const spec of specs) {
      const p = spec.type === "import_spec" ? stringValue(fieldOf(spec, "path")) : null;
      if (p === SDK_PATH || p === INGRESS_PATH) return true;
    }
  }
  return false;
}
