import path from "node:path";
import { configExists, onConfigChange, readJsonConfig } from "./config-files.js";

/** What resolution and the folder walk read of a tsconfig, its `extends` chain followed. */
export interface TsConfig {
  /** The tsconfig file itself. */
  file: string;
  /** `compilerOptions.paths`, with the folder its targets are relative to (`baseUrl`, else the declaring file's). */
  paths: { base: string; entries: [pattern: string, targets: string[]][] } | null;
  baseUrl: string | null;
  outDir: string | null;
  rootDir: string | null;
  /** The files read, the tsconfig first, then what it extends (`graph --explain`). */
  chain: string[];
}

const byFile = new Map<string, TsConfig | null>();
const nearest = new Map<string, TsConfig | null>();
onConfigChange(() => {
  byFile.clear();
  nearest.clear();
});

/** The tsconfig.json that governs the files of `dir`: the nearest one at or above it. */
export function tsconfigFor(dir: string): TsConfig | null {
  let hit = nearest.get(dir);
  if (hit === undefined) {
    const own = path.join(dir, "tsconfig.json");
    const parent = path.dirname(dir);
    hit = readJsonConfig(own) ? readTsconfig(own) : parent === dir ? null : tsconfigFor(parent);
    nearest.set(dir, hit);
  }
  return hit;
}

/** A tsconfig file, merged with the configs it extends (later settings win, paths relative to their own file). */
export function readTsconfig(file: string): TsConfig | null {
  let hit = byFile.get(file);
  if (hit === undefined) {
    hit = merge(file, path.dirname(file), new Set());
    byFile.set(file, hit);
  }
  return hit;
}

function merge(file: string, configDir: string, seen: Set<string>): TsConfig | null {
  const json = readJsonConfig(file);
  if (!json || seen.has(file) || seen.size > 16) return null;
  seen.add(file);
  const out: TsConfig = { file, paths: null, baseUrl: null, outDir: null, rootDir: null, chain: [file] };
  const extended = typeof json.extends === "string" ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
  for (const e of extended) {
    if (typeof e !== "string") continue;
    const baseFile = extendedFile(file, e);
    const base = baseFile ? merge(baseFile, configDir, seen) : null;
    if (!base) continue;
    out.chain.push(...base.chain);
    out.paths = base.paths ?? out.paths;
    out.baseUrl = base.baseUrl ?? out.baseUrl;
    out.outDir = base.outDir ?? out.outDir;
    out.rootDir = base.rootDir ?? out.rootDir;
  }
  const co = json.compilerOptions;
  if (co && typeof co === "object" && !Array.isArray(co)) {
    const options = co as Record<string, unknown>;
    const here = path.dirname(file);
    // `${configDir}` stands for the folder of the tsconfig that is used, not of the one that says it.
    const at = (value: unknown): string | null =>
      typeof value === "string" ? (value.startsWith("${configDir}") ? path.join(configDir, value.slice(12)) : path.resolve(here, value)) : null;
    out.baseUrl = at(options.baseUrl) ?? out.baseUrl;
    out.outDir = at(options.outDir) ?? out.outDir;
    out.rootDir = at(options.rootDir) ?? out.rootDir;
    const paths = options.paths;
    if (paths && typeof paths === "object" && !Array.isArray(paths)) {
      const entries: [string, string[]][] = [];
      for (const [pattern, targets] of Object.entries(paths)) {
        if (Array.isArray(targets)) entries.push([pattern, targets.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^\$\{configDir\}/, configDir))]);
      }
      out.paths = { base: here, entries };
    }
  }
  // Targets of `paths` are relative to `baseUrl` when one is set, wherever it was set.
  if (out.paths && out.baseUrl) out.paths = { ...out.paths, base: out.baseUrl };
  return out;
}

/** The file an `extends` entry names: a path, or a config shipped in a package. */
function extendedFile(from: string, spec: string): string | null {
  const dir = path.dirname(from);
  if (spec.startsWith(".") || path.isAbsolute(spec)) {
    const file = path.resolve(dir, spec);
    return readJsonConfig(file) ? file : readJsonConfig(`${file}.json`) ? `${file}.json` : null;
  }
  for (let d = dir; ; ) {
    const base = path.join(d, "node_modules", spec);
    for (const candidate of [base, `${base}.json`, path.join(base, "tsconfig.json")]) {
      if (configExists(candidate)) return candidate;
    }
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}
