import path from "node:path";
import type { DescriptorDef, FileModel, ImportRef, ServiceDef, ServiceKind, TargetRef } from "../model/types.js";
import { type PathMapping, resolveModule } from "./module-resolution.js";
import { own } from "../model/records.js";

export type Resolved =
  | { kind: "service"; def: ServiceDef; file: string }
  | { kind: "descriptor"; def: DescriptorDef; file: string };

export interface ResolverOptions {
  mapping: PathMapping | null;
  known: (file: string) => boolean;
  /** "folder\0specifier" → resolved file; valid while the set of files does not change. */
  resolutions?: Map<string, string | null>;
}

/**
 * Follows imports, re-exports and barrels to the definition a name denotes, across the
 * project's files. Unresolvable names give null: no guessing.
 */
export class Resolver {
  private readonly byFile = new Map<string, FileModel>();
  private readonly resolutions: Map<string, string | null>;

  constructor(
    models: FileModel[],
    private readonly options: ResolverOptions,
  ) {
    for (const m of models) this.byFile.set(path.resolve(m.file), m);
    this.resolutions = options.resolutions ?? new Map();
  }

  /** Many calls of a file import from the same few modules: resolve each specifier once. */
  private resolve(fromFile: string, specifier: string): string | null {
    const key = `${path.dirname(fromFile)}\u0000${specifier}`;
    let hit = this.resolutions.get(key);
    if (hit === undefined) {
      hit = resolveModule(fromFile, specifier, this.options.known, this.options.mapping);
      this.resolutions.set(key, hit);
    }
    return hit;
  }

  /** The service name a call's target denotes, with the kind its definition declares. */
  serviceOf(file: string, target: TargetRef): { name: string; kind?: ServiceKind } | null {
    switch (target.by) {
      case "name":
        return { name: target.serviceName };
      case "local":
        return this.nameOf(this.local(path.resolve(file), target.localName, 0));
      case "import":
        return this.nameOf(this.imported(path.resolve(file), target.ref, 0));
      case "declared":
        return this.nameOf(this.local(path.resolve(target.file), target.localName, 0));
      default:
        return null;
    }
  }

  /** The name and kind of an `implement(api, …)` whose descriptor lives in another file. */
  implemented(file: string, service: ServiceDef): DescriptorDef | null {
    if (!service.implementsImport) return null;
    const r = this.imported(path.resolve(file), service.implementsImport, 0);
    return r?.kind === "descriptor" ? r.def : null;
  }

  private nameOf(r: Resolved | null): { name: string; kind?: ServiceKind } | null {
    if (!r) return null;
    if (r.kind === "descriptor") return { name: r.def.name, kind: r.def.kind };
    if (r.def.name) return { name: r.def.name, kind: r.def.kind };
    const d = this.implemented(r.file, r.def);
    return d ? { name: d.name, kind: d.kind } : null;
  }

  private local(file: string, localName: string, depth: number): Resolved | null {
    const m = this.byFile.get(file);
    if (!m || depth > 12) return null;
    const service = m.services.find((s) => s.localNames.includes(localName));
    if (service) return { kind: "service", def: service, file };
    const descriptor = m.descriptors.find((d) => d.localNames.includes(localName));
    if (descriptor) return { kind: "descriptor", def: descriptor, file };
    const imported = own(m.imports, localName);
    return imported ? this.imported(file, imported, depth + 1) : null;
  }

  private imported(fromFile: string, ref: ImportRef, depth: number): Resolved | null {
    if (depth > 12 || ref.imported === "*") return null;
    const target = this.resolve(fromFile, ref.source);
    return target ? this.exported(target, ref.imported, depth + 1) : null;
  }

  private exported(file: string, name: string, depth: number): Resolved | null {
    const m = this.byFile.get(file);
    if (!m || depth > 12) return null;
    const local = own(m.exports, name);
    if (local !== undefined) return this.local(file, local, depth + 1);
    const re = own(m.reexports, name);
    if (re) return this.imported(file, re, depth + 1);
    if (name === "default") return null;
    for (const source of m.starExports) {
      const r = this.imported(file, { source, imported: name }, depth + 1);
      if (r) return r;
    }
    return null;
  }
}
