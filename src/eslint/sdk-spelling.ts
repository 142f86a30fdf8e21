import type { FileContext } from "../ts/file-context.js";

/**
 * How this file can refer to an SDK export without adding imports: `restate.rpc.sendOpts`
 * through a namespace import, `rpc.sendOpts` through a named one, `sendOpts` through an
 * `import sendOpts = rpc.sendOpts` alias. Tries each candidate path in order; null when the
 * file has no binding that reaches any of them.
 */
export function sdkSpelling(fc: FileContext, ...paths: string[]): string | null {
  for (const path of paths) {
    let best: { text: string; depth: number } | null = null;
    for (const [local, binding] of fc.restate) {
      if (binding.module !== "sdk") continue;
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
