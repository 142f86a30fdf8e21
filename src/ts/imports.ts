import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { ImportRef } from "../model/types.js";
import { type Node, propertyName, staticString, unwrap } from "./ast.js";
import { nameRecord } from "../model/records.js";

export type RestateModule = "sdk" | "clients";

/**
 * False when a file's text cannot import Restate: every package `restateModuleOf` knows is
 * `@restatedev/…`. A text search, so that most files of a project need no look at their tree.
 */
export function mayImportRestate(text: string): boolean {
  // Every rule asks about the file being linted: the same string, searched once.
  if (text !== lastSearched.text) lastSearched = { text, found: text.includes("@restatedev/") };
  return lastSearched.found;
}

let lastSearched = { text: "", found: false };

/** Which Restate package a module specifier names, if any. */
export function restateModuleOf(source: string): RestateModule | null {
  if (source === "@restatedev/restate-sdk-clients") return "clients";
  if (
    source === "@restatedev/restate-sdk" ||
    source.startsWith("@restatedev/restate-sdk/") ||
    source === "@restatedev/restate-sdk-core" ||
    source === "@restatedev/restate-sdk-cloudflare-workers"
  ) {
    return "sdk";
  }
  return null;
}

/** A local name bound to the SDK: the namespace itself (path "") or an export path ("rpc.sendOpts"). */
export interface SdkBinding {
  module: RestateModule;
  path: string;
}

export interface ImportFacts {
  /** Local names bound to Restate packages. */
  restate: Map<string, SdkBinding>;
  /** Every import binding (Restate or not), for cross-file resolution. */
  all: Record<string, ImportRef>;
  /** Type-only import bindings: what a `typeof` in a type argument may name. */
  types: Record<string, ImportRef>;
}

export function collectImports(program: TSESTree.Program): ImportFacts {
  const restate = new Map<string, SdkBinding>();
  const all = nameRecord<ImportRef>();
  const types = nameRecord<ImportRef>();

  const bindModule = (local: string, source: string, imported: string, typeOnly = false) => {
    // A type-only import never names a value, so it cannot be a call's target.
    if (!typeOnly) all[local] = { source, imported };
    else types[local] = { source, imported };
    const module = restateModuleOf(source);
    if (!module) return;
    restate.set(local, { module, path: imported === "*" || imported === "default" ? "" : imported });
  };

  for (const stmt of program.body) {
    if (stmt.type === "ImportDeclaration") {
      const source = stmt.source.value;
      const typeOnly = stmt.importKind === "type";
      for (const spec of stmt.specifiers) {
        if (spec.type === "ImportNamespaceSpecifier") bindModule(spec.local.name, source, "*", typeOnly);
        else if (spec.type === "ImportDefaultSpecifier") bindModule(spec.local.name, source, "default", typeOnly);
        else {
          const imported = spec.imported.type === "Identifier" ? spec.imported.name : String(spec.imported.value);
          bindModule(spec.local.name, source, imported, typeOnly || spec.importKind === "type");
        }
      }
    } else if (stmt.type === "TSImportEqualsDeclaration") {
      const ref = stmt.moduleReference;
      if (ref.type === "TSExternalModuleReference") {
        const source = staticString(ref.expression);
        if (source) bindModule(stmt.id.name, source, "*");
      } else {
        // `import sendOpts = rpc.sendOpts;` aliases an SDK member.
        const path = qualifiedPath(ref);
        if (path) {
          const [head, ...rest] = path;
          const base = restate.get(head!);
          if (base) {
            restate.set(stmt.id.name, { module: base.module, path: joinPath(base.path, rest.join(".")) });
          }
        }
      }
    } else if (stmt.type === "VariableDeclaration") {
      for (const decl of stmt.declarations) collectRequire(decl, bindModule, restate);
    }
  }
  return { restate, all, types };
}

function collectRequire(
  decl: TSESTree.VariableDeclarator,
  bindModule: (local: string, source: string, imported: string) => void,
  restate: Map<string, SdkBinding>,
): void {
  if (!decl.init) return;
  const init = unwrap(decl.init);
  // const restate = require("@restatedev/restate-sdk")
  if (init.type === "CallExpression" && init.callee.type === "Identifier" && init.callee.name === "require") {
    const source = staticString(init.arguments[0] as Node | undefined);
    if (!source) return;
    if (decl.id.type === "Identifier") bindModule(decl.id.name, source, "*");
    else if (decl.id.type === "ObjectPattern") {
      for (const p of decl.id.properties) {
        if (p.type !== "Property") continue;
        const imported = propertyName(p.key, p.computed);
        const local = p.value.type === "Identifier" ? p.value.name : null;
        if (imported && local) bindModule(local, source, imported);
      }
    }
    return;
  }
  // const { rpc, handlers } = restate;  const sendOpts = restate.rpc.sendOpts;  const r = restate;
  if (decl.id.type === "ObjectPattern") {
    const base = sdkPathOf(init, restate);
    if (!base) return;
    for (const p of decl.id.properties) {
      if (p.type !== "Property") continue;
      const name = propertyName(p.key, p.computed);
      if (name && p.value.type === "Identifier") {
        restate.set(p.value.name, { module: base.module, path: joinPath(base.path, name) });
      }
    }
  } else if (decl.id.type === "Identifier" && (init.type === "MemberExpression" || init.type === "Identifier")) {
    const base = sdkPathOf(init, restate);
    if (base) restate.set(decl.id.name, base);
  }
}

function qualifiedPath(ref: TSESTree.EntityName): string[] | null {
  if (ref.type === "Identifier") return [ref.name];
  if (ref.type === "TSQualifiedName") {
    const left = qualifiedPath(ref.left);
    return left ? [...left, ref.right.name] : null;
  }
  return null;
}

function joinPath(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a}.${b}`;
}

/**
 * The SDK export path an expression denotes: `restate.handlers.object.shared` → "handlers.object.shared",
 * a renamed import `exclusive` → "handlers.object.exclusive", the namespace itself → "".
 */
export function sdkPathOf(node: Node, restate: Map<string, SdkBinding>): SdkBinding | null {
  const n = unwrap(node);
  if (n.type === "Identifier") return restate.get(n.name) ?? null;
  if (n.type === "MemberExpression") {
    const name = propertyName(n.property, n.computed);
    if (!name) return null;
    const base = sdkPathOf(n.object, restate);
    return base ? { module: base.module, path: joinPath(base.path, name) } : null;
  }
  return null;
}
