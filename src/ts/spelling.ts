import type { FileContext } from "./file-context.js";
import type { RestateModule } from "./imports.js";

/**
 * How this file can refer to an export of a Restate package without adding imports:
 * `restate.rpc.sendOpts` through a namespace import, `rpc.sendOpts` through a named one,
 * `sendOpts` through an `import sendOpts = rpc.sendOpts` alias. Tries each candidate path in
 * order; null when the file has no binding that reaches any of them.
 */
export function exportSpelling(fc: FileContext, module: RestateModule, ...paths: string[]): string | null {
  for (const path of paths) {
    let best: { text: string; depth: number } | null = null;
    for (const [local, binding] of fc.restate) {
      if (binding.module !== module) continue;
      const base = binding.path;
      if (base === path) return local;
      if (base === "" || path.startsWith(`${base}.`)) {
        const rest = base === "" ? path : path.slice(base.length + 1);
        const depth = base === "" ? 0 : base.split(".").length;
        if (!best || depth > best.depth) best = { text: `${local}.${rest}`, depth };
      }
    }
    if (best) return best.text;
  }
  return null;
}

/** The spelling of an export of `@restatedev/restate-sdk` (see `exportSpelling`). */
export function sdkSpelling(fc: FileContext, ...paths: string[]): string | null {
  return exportSpelling(fc, "sdk", ...paths);
}

/** The spelling of an export of the ingress package `@restatedev/restate-sdk-clients`. */
export function clientsSpelling(fc: FileContext, ...paths: string[]): string | null {
  return exportSpelling(fc, "clients", ...paths);
}
