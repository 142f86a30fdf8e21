import { hash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Set by the bundle step (scripts/bundle.js) to the id of the code it bundled; absent elsewhere. */
declare const ESLINT_PLUGIN_RESTATE_BUILD_ID: string | undefined;

let cached: string | null | undefined = typeof ESLINT_PLUGIN_RESTATE_BUILD_ID === "string" ? ESLINT_PLUGIN_RESTATE_BUILD_ID : undefined;

/**
 * A hash of the plugin's own code (its `src/` and `rules/` folders as loaded: the build, or the
 * sources under a TypeScript loader). What the plugin kept on disk is only trusted by the code
 * that wrote it: a version number does not change with every build of a checkout, and a cached
 * report must not outlive the rule that made it. The bundle carries the id of tsc's output it was
 * made from, so it reads no files for it, and it shares what it keeps with tsc's output. Null when
 * the code cannot be read: then nothing is kept.
 */
export function buildId(): string | null {
  if (cached === undefined) {
    try {
      const here = path.dirname(fileURLToPath(import.meta.url));
      const files = [...codeFiles(here), ...codeFiles(path.join(here, "..", "rules"))].sort();
      if (files.length === 0) cached = null;
      else {
        const parts = files.map((f) => `${path.relative(here, f)}\u0000${readFileSync(f, "utf8")}`);
        cached = hash("sha1", parts.join("\u0001"), "base64url").slice(0, 16);
      }
    } catch {
      cached = null;
    }
  }
  return cached;
}

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...codeFiles(p));
    else if (/\.[cm]?[jt]s$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(p);
  }
  return out;
}
