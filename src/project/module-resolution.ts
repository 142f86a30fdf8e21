import { readFileSync } from "node:fs";
import path from "node:path";

/** `compilerOptions.paths` and `baseUrl` of the project's tsconfig.json, when it has them. */
export interface PathMapping {
  baseUrl: string;
  paths: [pattern: string, targets: string[]][];
}

export function readPathMapping(root: string): PathMapping | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, "tsconfig.json"), "utf8");
  } catch {
    return null;
  }
  try {
    const json = JSON.parse(stripJsonComments(text)) as {
      compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> };
    };
    const co = json.compilerOptions ?? {};
    if (!co.paths && !co.baseUrl) return null;
    return { baseUrl: path.resolve(root, co.baseUrl ?? "."), paths: Object.entries(co.paths ?? {}) };
  } catch {
    return null;
  }
}

/** tsconfig files allow comments and trailing commas. */
function stripJsonComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const JS_TO_TS: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

/**
 * Resolves an import specifier to one of the project's files, the way TypeScript's bundler and
 * node16 resolution would for sources: extensions, `.js` written for a `.ts` file, `index` files,
 * tsconfig `paths`. Only files in `known` count: a package import is not part of the project.
 */
export function resolveModule(
  fromFile: string,
  specifier: string,
  known: (file: string) => boolean,
  mapping: PathMapping | null,
): string | null {
  const bases: string[] = [];
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    bases.push(path.resolve(path.dirname(fromFile), specifier));
  } else if (mapping) {
    for (const [pattern, targets] of mapping.paths) {
      const star = pattern.indexOf("*");
      if (star < 0) {
        if (pattern === specifier) for (const t of targets) bases.push(path.resolve(mapping.baseUrl, t));
        continue;
      }
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        const middle = specifier.slice(prefix.length, specifier.length - suffix.length);
        for (const t of targets) bases.push(path.resolve(mapping.baseUrl, t.replace("*", middle)));
      }
    }
    bases.push(path.resolve(mapping.baseUrl, specifier));
  }
  for (const base of bases) {
    const hit = resolveFile(base, known);
    if (hit) return hit;
  }
  return null;
}

function resolveFile(base: string, known: (file: string) => boolean): string | null {
  if (known(base)) return base;
  const ext = path.extname(base);
  for (const alt of JS_TO_TS[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + alt;
    if (known(candidate)) return candidate;
  }
  for (const e of EXTENSIONS) if (known(base + e)) return base + e;
  for (const e of EXTENSIONS) {
    const candidate = path.join(base, `index${e}`);
    if (known(candidate)) return candidate;
  }
  return null;
}
