import type { HandlerKind, ServiceKind } from "../model/types.js";
import { type GoNode, fieldOf, stringValue, unparen } from "./ast.js";
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

export interface Factory {
  kind: ServiceKind;
  keyed: boolean;
}

/** `restate.Service[O](ctx, svc, h)` and friends (the ingress package has the same); the `*Send` ones only have `Send`. */
export const FACTORIES: Record<string, Factory> = {
  Service: { kind: "service", keyed: false },
  Object: { kind: "object", keyed: true },
  Workflow: { kind: "workflow", keyed: true },
  ServiceSend: { kind: "service", keyed: false },
  ObjectSend: { kind: "object", keyed: true },
  WorkflowSend: { kind: "workflow", keyed: true },
};

export const BUILDERS: Record<string, ServiceKind> = { NewService: "service", NewObject: "object", NewWorkflow: "workflow" };

export const HANDLER_WRAPPERS: Record<string, HandlerKind> = {
  NewServiceHandler: "service",
  NewObjectHandler: "exclusive",
  NewObjectSharedHandler: "shared",
  NewWorkflowHandler: "workflow-run",
  NewWorkflowSharedHandler: "workflow-shared",
};

/** `restate.Fn`, `restate.Fn[T]` or `restate.Fn[A, B]` called: `Fn`, when `pkg` is the alias given. */
export function packageFunction(call: GoNode, pkg: string | null): string | null {
  if (!pkg || call.type !== "call_expression") return null;
  let fn = fieldOf(call, "function");
  if (!fn) return null;
  fn = unparen(fn);
  if (fn.type === "index_expression") fn = fieldOf(fn, "operand");
  if (fn?.type !== "selector_expression") return null;
  const operand = fieldOf(fn, "operand");
  const field = fieldOf(fn, "field");
  if (operand?.type !== "identifier" || operand.text !== pkg || !field) return null;
  return field.text;
}

export function argsOf(call: GoNode): GoNode[] {
  return fieldOf(call, "arguments")?.children ?? [];
}

/** `x.M(...)`: the method name and the receiver expression. */
export function methodCall(call: GoNode): { name: string; receiver: GoNode } | null {
  if (call.type !== "call_expression") return null;
  const fn = fieldOf(call, "function");
  if (!fn || unparen(fn).type !== "selector_expression") return null;
  const sel = unparen(fn);
  const operand = fieldOf(sel, "operand");
  const field = fieldOf(sel, "field");
  return operand && field ? { name: field.text, receiver: unparen(operand) } : null;
}
