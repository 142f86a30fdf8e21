import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FrameTime {
  /** `function (file:line)`, file relative to the repository or `node_modules/<package>`. */
  frame: string;
  ms: number;
  /** Share of the whole profile. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Samples with a frame of the plugin (dist/bundle, dist/src, dist/rules) anywhere on the stack. */
  pluginMs: number;
  /** Plugin samples under the rule visitors ESLint calls for the file being linted. */
  pluginByArea: Record<string, number>;
  /** Per plugin function: time with it on the stack (counted once per sample). */
  pluginInclusive: FrameTime[];
  /** Where the CPU actually is while plugin code is on the stack (self time, any code). */
  pluginSelf: FrameTime[];
  /** Self time over the whole profile. */
  topSelf: FrameTime[];
}

/** Plugin code as built into dist/ (what the benchmark loads); other packages' dist/rules are not. */
function isPlugin(url: string): boolean {
  return /\/dist\/(bundle|src|rules)\//.test(url) && !url.includes("/node_modules/");
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) return file.slice(nm + 1);
  const dist = file.indexOf("/dist/");
  if (dist >= 0) return `dist/${file.slice(dist + "/dist/".length)}`;
  return file || "(native)";
}

const sourceMaps = new Map<string, SourceMap | null>();

/** `file.ts:line` of the plugin's TypeScript source for a frame in dist/, through its source map. */
function originalPosition(url: string, line: number, column: number): string | null {
  if (!isPlugin(url)) return null;
  let map = sourceMaps.get(url);
  if (map === undefined) {
    map = null;
    try {
      const file = url.startsWith("file:") ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null;
    }
    sourceMaps.set(url, map);
  }
  const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
  if (!entry?.originalSource || entry.originalLine === undefined) return null;
  const source = entry.originalSource.replace(/^file:\/\//, "");
  const m = /(?:^|\/)((?:src|rules)\/.*)$/.exec(source);
  return `${m ? m[1] : path.basename(source)}:${entry.originalLine + 1}`;
}

/** Which part of the plugin a stack is in: the project index (whole program) or per-file work. */
function areaOf(url: string): string {
  const m = /\/dist\/(src\/[a-z]+|rules)\//.exec(url);
  return m ? m[1]! : "other";
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameName = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    const where = originalPosition(f.url, f.lineNumber, f.columnNumber) ?? `${shortUrl(f.url)}:${f.lineNumber + 1}`;
    return `${f.functionName || "(anonymous)"} (${where})`;
  };

  const self = new Map<string, number>();
  const pluginSelf = new Map<string, number>();
  const pluginInclusive = new Map<string, number>();
  const areas: Record<string, number> = {};
  let total = 0;
  let plugin = 0;
  // Stacks repeat a lot: cache, per leaf node, the plugin frames on its stack.
  const stackCache = new Map<number, { frames: string[]; outermostArea: string | null }>();
  const stackOf = (leaf: number) => {
    let hit = stackCache.get(leaf);
    if (hit) return hit;
    const frames = new Set<string>();
    let outermostArea: string | null = null;
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const url = byId.get(id)!.callFrame.url;
      if (isPlugin(url)) {
        frames.add(frameName(id));
        outermostArea = areaOf(url);
      }
    }
    hit = { frames: [...frames], outermostArea };
    stackCache.set(leaf, hit);
    return hit;
  };

  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = profile.samples[i]!;
    total += ms;
    const name = frameName(leaf);
    self.set(name, (self.get(name) ?? 0) + ms);
    const stack = stackOf(leaf);
    if (stack.frames.length === 0) continue;
    plugin += ms;
    pluginSelf.set(name, (pluginSelf.get(name) ?? 0) + ms);
    for (const f of stack.frames) pluginInclusive.set(f, (pluginInclusive.get(f) ?? 0) + ms);
    const area = stack.outermostArea ?? "other";
    areas[area] = (areas[area] ?? 0) + ms;
  }
  const list = (m: Map<string, number>): FrameTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, ms]) => ({ frame, ms: round(ms), share: round(ms / total, 4) }));
  return {
    totalMs: round(total),
    pluginMs: round(plugin),
    pluginByArea: Object.fromEntries(Object.entries(areas).map(([k, v]) => [k, round(v)])),
    pluginInclusive: list(pluginInclusive),
    pluginSelf: list(pluginSelf),
    topSelf: list(self),
  };
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function formatProfile(label: string, s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)}%`;
  const rows = (xs: FrameTime[]) => xs.map((x) => `    ${x.ms.toFixed(0).padStart(7)} ms ${pct(x.ms).padStart(6)}  ${x.frame}`).join("\n");
  return [
    `Profile ${label}: ${s.totalMs.toFixed(0)} ms sampled, plugin on the stack ${s.pluginMs.toFixed(0)} ms (${pct(s.pluginMs)})`,
    `  by outermost plugin frame: ${Object.entries(s.pluginByArea)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join(", ")}`,
    `  plugin functions, inclusive:`,
    rows(s.pluginInclusive),
    `  self time while the plugin is on the stack:`,
    rows(s.pluginSelf),
    `  self time, whole run:`,
    rows(s.topSelf),
  ].join("\n");
}

// `tsx bench/profile.ts <file.cpuprofile>`
if (process.argv[1] && /profile\.ts$/.test(process.argv[1]) && process.argv[2]) {
  console.log(formatProfile(process.argv[2], summariseProfile(process.argv[2], Number(process.argv[3] ?? 20))));
}
