import path from "node:path";
import type { ConstValue, DescriptorDef, FileModel, ImportRef, NameRef, ServiceDef, ServiceKind, TargetRef } from "../model/types.js";
import { resolveModule } from "./module-resolution.js";
import { nameRecord, own } from "../model/records.js";

export type Resolved =
  | { kind: "service"; def: ServiceDef; file: string }
  | { kind: "descriptor"; def: DescriptorDef; file: string }
  /** A constant such as `{ name: "Counter" }`: a call naming it targets "Counter". */
  | { kind: "constant"; value: ConstValue; file: string };

/** What a call's target resolves to: a service name, and the file of the definition when the code leads to one. */
export interface ServiceTarget {
  name: string;
  kind?: ServiceKind;
  file?: string;
}

export interface ResolverOptions {
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
      hit = resolveModule(fromFile, specifier, this.options.known);
      this.resolutions.set(key, hit);
    }
    return hit;
  }

  /**
   * The service name a call's target denotes, with the kind its definition declares and, when
   * the target leads to one definition, the file that holds it (a project may define one name
   * several times: copies of a tutorial step, a stub module beside the real one).
   */
  serviceOf(file: string, target: TargetRef): ServiceTarget | null {
    switch (target.by) {
      case "name": {
        // `objectClient<typeof cart>({ name: "Cart" })`: the definition the type names, when it has that name.
        const pinned = target.pin ? this.serviceOf(file, target.pin) : null;
        return pinned?.file && pinned.name === target.serviceName ? pinned : { name: target.serviceName };
      }
      case "local":
        return this.nameOf(this.local(path.resolve(file), target.localName, 0));
      case "import":
        return this.nameOf(this.imported(path.resolve(file), target.ref, 0));
      case "declared":
        return this.nameOf(this.local(path.resolve(target.file), target.localName, 0));
      case "nameRef": {
        const name = this.nameFrom(path.resolve(file), target.ref, 0);
        return name ? { name } : null;
      }
      default:
        return null;
    }
  }

  /**
   * For a definition whose name another file holds: the name and kind it is registered with, and
   * which handlers are shared. `implement(api, …)` takes all three from the descriptor `api`; a
   * definition written `{ ...COUNTER_OBJECT, handlers }` only its name from the constant (the kind
   * is its factory's, the handler kinds its own wrappers').
   */
  implemented(file: string, service: ServiceDef, depth = 0): DescriptorDef | null {
    if (service.implementsImport) {
      const r = this.imported(path.resolve(file), service.implementsImport, depth);
      return r?.kind === "descriptor" ? r.def : null;
    }
    if (!service.nameFrom) return null;
    const name = this.nameFrom(path.resolve(file), service.nameFrom, depth);
    if (!name) return null;
    const handlers = nameRecord<boolean>();
    for (const h of service.handlers) handlers[h.name] = h.kind === "shared";
    return { name, kind: service.kind, handlers, localNames: service.localNames };
  }

  private nameOf(r: Resolved | null, depth = 0): ServiceTarget | null {
    if (!r) return null;
    if (r.kind === "descriptor") return { name: r.def.name, kind: r.def.kind };
    if (r.kind === "constant") {
      // A client takes the `name` of whatever it is given.
      const name = this.read(r.file, r.value, ["name"], depth);
      if (!name) return null;
      // `export const CartObject: typeof cartObject = { name: "CartObject" }` beside its definition names that one.
      return this.byFile.get(r.file)?.services.some((s) => s.name === name) ? { name, file: r.file } : { name };
    }
    if (r.def.name) return { name: r.def.name, kind: r.def.kind, file: r.file };
    const d = this.implemented(r.file, r.def, depth + 1);
    return d ? { name: d.name, kind: d.kind, file: r.file } : null;
  }

  /** The string another file's constant holds at `ref.path`; null when it is not one we can read. */
  private nameFrom(file: string, ref: NameRef, depth: number): string | null {
    if (depth > 12) return null;
    let { imported } = ref.ref;
    let rest = ref.path;
    // `...ns.name` of `import * as ns`: the module's export `name`.
    if (imported === "*") {
      if (rest.length === 0) return null;
      imported = rest[0]!;
      rest = rest.slice(1);
    }
    const r = this.imported(file, { source: ref.ref.source, imported }, depth + 1);
    if (!r) return null;
    if (r.kind === "constant") return this.read(r.file, r.value, rest, depth + 1);
    // `{ ...counter }` with `counter` a definition: its name.
    return rest.length === 1 && rest[0] === "name" ? (this.nameOf(r, depth + 1)?.name ?? null) : null;
  }

  private read(file: string, value: ConstValue, keys: string[], depth: number): string | null {
    let v = value;
    for (let i = 0; i < keys.length; i++) {
      if (v.kind === "ref") return this.nameFrom(file, { ref: v.ref.ref, path: [...v.ref.path, ...keys.slice(i)] }, depth + 1);
      if (v.kind !== "object") return null;
      const next = own(v.props, keys[i]!);
      if (!next) return null;
      v = next;
    }
    if (v.kind === "ref") return this.nameFrom(file, v.ref, depth + 1);
    return v.kind === "string" && v.value ? v.value : null;
  }

  private local(file: string, localName: string, depth: number): Resolved | null {
    const m = this.byFile.get(file);
    if (!m || depth > 12) return null;
    const service = m.services.find((s) => s.localNames.includes(localName));
    if (service) return { kind: "service", def: service, file };
    const descriptor = m.descriptors.find((d) => d.localNames.includes(localName));
    if (descriptor) return { kind: "descriptor", def: descriptor, file };
    const constant = own(m.constants, localName);
    if (constant) return { kind: "constant", value: constant, file };
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
