/** Seeded random Restate programs for the oracle (see program.ts for what they can contain). */
import { type CallMode, type CallSpec, type ComponentKind, type ComponentSpec, type ProgramSpec, type Source, isBounded } from "./program.js";

/** mulberry32: small, fast, and the same sequence on every platform. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of weighted) {
    if ((x -= w) < 0) return v;
  }
  return weighted[weighted.length - 1]![0];
}

const LITERALS = ["x", "y"];
const TIMEOUTS = [150, 250, 400];

function source(r: () => number, keyed: boolean, forKey: boolean): Source {
  const t = pick<Source["t"]>(r, forKey ? [["ctx", keyed ? 45 : 0], ["input", 30], ["lit", 25]] : [["ctx", keyed ? 40 : 0], ["input", 40], ["lit", 20]]);
  return t === "lit" ? { t, v: LITERALS[Math.floor(r() * LITERALS.length)]! } : { t };
}

function draft(r: () => number, id: string): ProgramSpec {
  const count = pick(r, [[1, 10], [2, 35], [3, 35], [4, 20]]);
  const components: ComponentSpec[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pick<ComponentKind>(r, [["object", 60], ["service", 20], ["workflow", 20]]);
    const name = String.fromCharCode(65 + i);
    if (kind === "workflow") {
      const extra = pick(r, [[0, 50], [1, 50]]);
      components.push({
        name,
        kind,
        handlers: [{ name: "run", shared: false, calls: [] }, ...Array.from({ length: extra }, (_, j) => ({ name: `q${j + 1}`, shared: true, calls: [] }))],
      });
    } else if (kind === "object") {
      const n = pick(r, [[1, 30], [2, 45], [3, 25]]);
      components.push({ name, kind, handlers: Array.from({ length: n }, (_, j) => ({ name: `h${j}`, shared: r() < 0.25, calls: [] })) });
    } else {
      const n = pick(r, [[1, 60], [2, 40]]);
      components.push({ name, kind, handlers: Array.from({ length: n }, (_, j) => ({ name: `s${j}`, shared: false, calls: [] })) });
    }
  }
  const targets: [number, number][] = components.flatMap((c, ci) => c.handlers.map((_, hi) => [ci, hi] as [number, number]));
  for (const c of components) {
    const keyed = c.kind !== "service";
    for (const h of c.handlers) {
      const n = pick(r, [[0, 15], [1, 40], [2, 30], [3, 15]]);
      for (let i = 0; i < n; i++) {
        const [comp, handler] = targets[Math.floor(r() * targets.length)]!;
        const mode = pick<CallMode>(r, [["request", 50], ["stored", 12], ["attach", 10], ["floating", 10], ["send", 18]]);
        const call: CallSpec = { comp, handler, mode, key: source(r, keyed, true), arg: source(r, keyed, false) };
        if ((mode === "request" || mode === "stored" || mode === "attach") && r() < 0.2) {
          call.timeoutMs = TIMEOUTS[Math.floor(r() * TIMEOUTS.length)]!;
        }
        if (mode === "attach" && r() < 0.5) call.viaInvocation = true;
        h.calls.push(call);
      }
    }
  }
  return { id, components, multiFile: r() < 0.3 };
}

/**
 * The program of one seed: drafts are drawn from the seed's sequence until one is bounded
 * (every run ends), so a seed always names the same program.
 */
export function generateProgram(seed: number): ProgramSpec {
  const r = rng(seed);
  for (let attempt = 0; ; attempt++) {
    const p = draft(r, `p${seed}`);
    if (isBounded(p) || attempt > 1000) return p;
  }
}
