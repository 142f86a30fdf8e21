/**
 * A small Restate program as data: the random generator builds these, the shrinker cuts them
 * down, `emitProgram` writes them as TypeScript that the linter reads and the server runs.
 */
import type { Scenario } from "./protocol.js";

export type ComponentKind = "service" | "object" | "workflow";

/** Where a key (or the argument passed along) comes from. */
export type Source = { t: "ctx" } | { t: "lit"; v: string } | { t: "input" };

/**
 * request: `await client.h(x)`; stored: `const p = client.h(x); await p`; floating: the call's
 * promise is dropped; send: a one-way send; attach: a send whose invocation is then attached to.
 */
export type CallMode = "request" | "stored" | "floating" | "send" | "attach";

export interface CallSpec {
  comp: number;
  handler: number;
  mode: CallMode;
  key: Source;
  arg: Source;
  /** `.orTimeout(ms)` on the wait (request, stored, attach). */
  timeoutMs?: number;
  /** For attach: `ctx.invocation(id).attach()` instead of `ctx.attach(id)`. */
  viaInvocation?: boolean;
}

export interface HandlerSpec {
  name: string;
  /** Object: wrapped in `handlers.object.shared`. Workflow: every handler but `run`. */
  shared: boolean;
  calls: CallSpec[];
}

export interface ComponentSpec {
  /** Letter; the service name is the program's prefix plus this. */
  name: string;
  kind: ComponentKind;
  handlers: HandlerSpec[];
}

export interface ProgramSpec {
  id: string;
  components: ComponentSpec[];
  /** One file per component (imports between them) instead of one file. */
  multiFile: boolean;
}

export const WAITS: ReadonlySet<CallMode> = new Set(["request", "stored", "attach"]);

export function serviceName(prefix: string, c: ComponentSpec): string {
  return `${prefix}${c.name}`;
}

function sourceText(s: Source): string {
  if (s.t === "ctx") return "ctx.key";
  if (s.t === "lit") return JSON.stringify(s.v);
  return "k";
}

const CONTEXT: Record<ComponentKind, [exclusive: string, shared: string]> = {
  service: ["restate.Context", "restate.Context"],
  object: ["restate.ObjectContext", "restate.ObjectSharedContext"],
  workflow: ["restate.WorkflowContext", "restate.WorkflowSharedContext"],
};

const CLIENT: Record<ComponentKind, [call: string, send: string]> = {
  service: ["serviceClient", "serviceSendClient"],
  object: ["objectClient", "objectSendClient"],
  workflow: ["workflowClient", "workflowSendClient"],
};

const TRY_END = "} catch (e) {\n  if (!(e instanceof restate.TerminalError)) throw e;\n}";

/** Marks the line of a call so `emitWithSites` can say where each call ended up. */
const MARK = "\u0001";

function callText(p: ProgramSpec, prefix: string, call: CallSpec, n: number, tag: string): string {
  const target = p.components[call.comp]!;
  const handler = target.handlers[call.handler]!;
  const t = serviceName(prefix, target);
  const keyArg = target.kind === "service" ? "" : `, ${sourceText(call.key)}`;
  const [callClient, sendClient] = CLIENT[target.kind];
  const arg = sourceText(call.arg);
  const timeout = call.timeoutMs !== undefined ? `.orTimeout(${call.timeoutMs})` : "";
  const invoke = (client: string) => `${MARK}${tag}${MARK}ctx.${client}(${t}${keyArg}).${handler.name}(${arg})`;
  // Every wait swallows terminal errors (409 from a second workflow run, timeouts), so the
  // handler always goes on to its next call and the run shows what the code can reach.
  switch (call.mode) {
    case "request":
      return `try {\n  await ${invoke(callClient)}${timeout};\n${TRY_END}`;
    case "stored":
      return `${invoke(callClient).replace(/^(\u0001[^\u0001]*\u0001)/, `$1const p${n} = `)};\ntry {\n  await p${n}${timeout};\n${TRY_END}`;
    case "floating":
      return `${invoke(callClient)};`;
    case "send":
      return `${invoke(sendClient)};`;
    case "attach": {
      const id = `await h${n}.invocationId`;
      const attach = call.viaInvocation ? `ctx.invocation(${id}).attach()` : `ctx.attach(${id})`;
      return `${invoke(sendClient).replace(/^(\u0001[^\u0001]*\u0001)/, `$1const h${n} = `)};\ntry {\n  await ${attach}${timeout};\n${TRY_END}`;
    }
  }
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");
}

function handlerText(p: ProgramSpec, prefix: string, c: ComponentSpec, h: HandlerSpec): string {
  const [exclusiveCtx, sharedCtx] = CONTEXT[c.kind];
  const ci = p.components.indexOf(c);
  const hi = c.handlers.indexOf(h);
  const body = h.calls.map((call, i) => callText(p, prefix, call, i, `${ci}.${hi}.${i}`)).join("\n");
  const fn = `async (ctx: ${h.shared ? sharedCtx : exclusiveCtx}, k: string) => {\n${indent(body, "  ")}${body ? "\n" : ""}}`;
  if (c.kind === "object" && h.shared) return `${h.name}: restate.handlers.object.shared(${fn})`;
  return `${h.name}: ${fn}`;
}

function componentText(p: ProgramSpec, prefix: string, c: ComponentSpec): string {
  const name = serviceName(prefix, c);
  const handlers = c.handlers.map((h) => indent(handlerText(p, prefix, c, h), "    ") + ",").join("\n");
  return `export const ${name} = restate.${c.kind}({\n  name: "${name}",\n  handlers: {\n${handlers}\n  },\n});\n`;
}

export interface CallRef {
  comp: number;
  handler: number;
  call: number;
}

/** File name (under src/) → TypeScript source. */
export function emitProgram(p: ProgramSpec, prefix: string): Map<string, string> {
  return emitWithSites(p, prefix).files;
}

/** The sources, and which call each `file:line` holds (the line of the client call expression). */
export function emitWithSites(p: ProgramSpec, prefix: string): { files: Map<string, string>; sites: Map<string, CallRef> } {
  const marked = emitMarked(p, prefix);
  const files = new Map<string, string>();
  const sites = new Map<string, CallRef>();
  for (const [file, text] of marked) {
    const lines = text.split("\n").map((line, i) => {
      const m = /\u0001(\d+)\.(\d+)\.(\d+)\u0001/.exec(line);
      if (!m) return line;
      sites.set(`src/${file}:${i + 1}`, { comp: Number(m[1]), handler: Number(m[2]), call: Number(m[3]) });
      return line.replace(m[0], "");
    });
    files.set(file, lines.join("\n"));
  }
  return { files, sites };
}

function emitMarked(p: ProgramSpec, prefix: string): Map<string, string> {
  const header = 'import * as restate from "@restatedev/restate-sdk";\n';
  const files = new Map<string, string>();
  if (!p.multiFile) {
    files.set("program.ts", header + "\n" + p.components.map((c) => componentText(p, prefix, c)).join("\n"));
    return files;
  }
  p.components.forEach((c, i) => {
    const used = new Set<number>();
    for (const h of c.handlers) for (const call of h.calls) if (call.comp !== i) used.add(call.comp);
    const imports = [...used]
      .sort()
      .map((j) => {
        const other = serviceName(prefix, p.components[j]!);
        return `import { ${other} } from "./${other}.js";\n`;
      })
      .join("");
    files.set(`${serviceName(prefix, c)}.ts`, header + imports + "\n" + componentText(p, prefix, c));
  });
  return files;
}

/** Handler graph: `comp.handler` → the handlers its calls reach, with the call. */
function handlerEdges(p: ProgramSpec): Map<string, { to: string; call: CallSpec }[]> {
  const out = new Map<string, { to: string; call: CallSpec }[]>();
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) => {
      out.set(`${ci}.${hi}`, h.calls.map((call) => ({ to: `${call.comp}.${call.handler}`, call })));
    }),
  );
  return out;
}

function isLock(p: ProgramSpec, node: string): boolean {
  const [ci, hi] = node.split(".").map(Number) as [number, number];
  const c = p.components[ci]!;
  return c.kind === "object" && !c.handlers[hi]!.shared;
}

/**
 * Whether every run of every handler ends (completes or deadlocks) instead of recursing for
 * ever. A loop in the handler graph is allowed only when all its calls wait without a timeout
 * and it passes an exclusive handler: keys come from a finite set (entry keys and literals),
 * so the chain must come back to a key it holds and stop there. A loop through a send, a
 * dropped call, a timeout, or only services and shared handlers could run without end.
 */
export function isBounded(p: ProgramSpec): boolean {
  const edges = handlerEdges(p);
  const nodes = [...edges.keys()];
  // Reachability closure is fine at this size (a dozen handlers).
  const reach = new Map<string, Set<string>>();
  for (const n of nodes) {
    const seen = new Set<string>();
    const stack = [n];
    while (stack.length > 0) {
      const cur = stack.pop()!;
      for (const e of edges.get(cur) ?? []) {
        if (!seen.has(e.to)) {
          seen.add(e.to);
          stack.push(e.to);
        }
      }
    }
    reach.set(n, seen);
  }
  const sameScc = (a: string, b: string) => reach.get(a)!.has(b) && reach.get(b)!.has(a);
  for (const [from, list] of edges) {
    for (const e of list) {
      if (!sameScc(from, e.to)) continue;
      if (!WAITS.has(e.call.mode) || e.call.timeoutMs !== undefined) return false;
    }
  }
  // Inside each loop, the handlers that hold no lock must not form a loop of their own.
  for (const n of nodes) {
    if (isLock(p, n)) continue;
    const seen = new Set<string>();
    const stack = [n];
    while (stack.length > 0) {
      const cur = stack.pop()!;
      for (const e of edges.get(cur) ?? []) {
        if (isLock(p, e.to)) continue;
        if (e.to === n) return false;
        if (!seen.has(e.to)) {
          seen.add(e.to);
          stack.push(e.to);
        }
      }
    }
  }
  return true;
}

export interface ScenarioOptions {
  /** Also call every handler with each literal the program uses, as its key and as its input. */
  literalEntries?: boolean;
  /** Copies of each two-caller scenario (the interleaving that deadlocks is a race). */
  replicas?: number;
}

/**
 * The runs that exercise a program: every handler alone (key and input equal, so keys passed
 * through inputs meet again), and every pair of lock-holding handlers that wait on something,
 * started together on crossed keys (a waits for b while b waits for a) and on the same key.
 */
export function scenariosOf(p: ProgramSpec, prefix: string, options: ScenarioOptions = {}): Scenario[] {
  const replicas = options.replicas ?? 2;
  const out: Scenario[] = [];
  const inv = (ci: number, hi: number, key: string, input: string) => {
    const c = p.components[ci]!;
    return {
      service: serviceName(prefix, c),
      ...(c.kind === "service" ? {} : { key }),
      handler: c.handlers[hi]!.name,
      input,
    };
  };
  const literals = new Set<string>();
  for (const c of p.components) {
    for (const h of c.handlers) for (const call of h.calls) for (const s of [call.key, call.arg]) if (s.t === "lit") literals.add(s.v);
  }
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) => {
      const name = `${c.name}.${h.name}`;
      out.push({ name, calls: [inv(ci, hi, `e${out.length}`, `e${out.length}`)] });
      if (options.literalEntries) {
        for (const v of literals) {
          if (c.kind !== "service") out.push({ name: `${name}@${v}`, calls: [inv(ci, hi, v, v)] });
          out.push({ name: `${name}(${v})`, calls: [inv(ci, hi, `e${out.length}`, v)] });
        }
      }
    }),
  );
  const holders: [number, number][] = [];
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) => {
      if (c.kind === "object" && !h.shared && h.calls.some((call) => WAITS.has(call.mode))) holders.push([ci, hi]);
    }),
  );
  for (let i = 0; i < holders.length; i++) {
    for (let j = i; j < holders.length; j++) {
      const [a, b] = [holders[i]!, holders[j]!];
      const name = `${p.components[a[0]]!.name}.${p.components[a[0]]!.handlers[a[1]]!.name} ‖ ${p.components[b[0]]!.name}.${p.components[b[0]]!.handlers[b[1]]!.name}`;
      for (let r = 0; r < replicas; r++) {
        const n = out.length;
        out.push({ name: `${name} crossed`, calls: [inv(a[0], a[1], `c${n}a`, `c${n}b`), inv(b[0], b[1], `c${n}b`, `c${n}a`)] });
        if (i !== j) out.push({ name: `${name} same key`, calls: [inv(a[0], a[1], `c${n}s`, `c${n}s`), inv(b[0], b[1], `c${n}s`, `c${n}s`)] });
      }
    }
  }
  return out;
}

/**
 * Whether the program's scenarios must each run on a fresh server. They are otherwise isolated
 * by their keys, but a workflow's `run` executes only once per id: with a literal anywhere (a
 * workflow id may come from it), one scenario could use up the run another one needs.
 */
export function needsIsolation(p: ProgramSpec, options: ScenarioOptions = {}): boolean {
  if (!p.components.some((c) => c.kind === "workflow")) return false;
  if (options.literalEntries) return true;
  return p.components.some((c) => c.handlers.some((h) => h.calls.some((call) => call.key.t === "lit" || call.arg.t === "lit")));
}

/** Every program one removal or simplification away, smallest change first (for shrinking). */
export function shrinkCandidates(p: ProgramSpec): ProgramSpec[] {
  const out: ProgramSpec[] = [];
  const clone = (): ProgramSpec => structuredClone(p);
  // Drop a whole component, and every call to it.
  p.components.forEach((_, ci) => {
    if (p.components.length === 1) return;
    const q = clone();
    q.components.splice(ci, 1);
    for (const c of q.components) {
      for (const h of c.handlers) {
        h.calls = h.calls.filter((call) => call.comp !== ci).map((call) => ({ ...call, comp: call.comp > ci ? call.comp - 1 : call.comp }));
      }
    }
    out.push(q);
  });
  // Drop a handler (a workflow keeps its run), and every call to it.
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) => {
      if (c.handlers.length === 1 || (c.kind === "workflow" && h.name === "run")) return;
      const q = clone();
      q.components[ci]!.handlers.splice(hi, 1);
      for (const qc of q.components) {
        for (const qh of qc.handlers) {
          qh.calls = qh.calls
            .filter((call) => !(call.comp === ci && call.handler === hi))
            .map((call) => ({ ...call, handler: call.comp === ci && call.handler > hi ? call.handler - 1 : call.handler }));
        }
      }
      out.push(q);
    }),
  );
  // Drop one call.
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) =>
      h.calls.forEach((_, k) => {
        const q = clone();
        q.components[ci]!.handlers[hi]!.calls.splice(k, 1);
        out.push(q);
      }),
    ),
  );
  // Simplify one call: no timeout, a plain request, the caller's own key.
  p.components.forEach((c, ci) =>
    c.handlers.forEach((h, hi) =>
      h.calls.forEach((call, k) => {
        const variants: Partial<CallSpec>[] = [];
        if (call.timeoutMs !== undefined) variants.push({ timeoutMs: undefined });
        if (call.mode !== "request" && WAITS.has(call.mode)) variants.push({ mode: "request", viaInvocation: undefined });
        if (call.key.t !== "ctx" && c.kind !== "service") variants.push({ key: { t: "ctx" } });
        if (call.arg.t !== "input") variants.push({ arg: { t: "input" } });
        for (const v of variants) {
          const q = clone();
          const next: CallSpec = { ...call, ...v };
          if (next.timeoutMs === undefined) delete next.timeoutMs;
          if (next.viaInvocation === undefined) delete next.viaInvocation;
          q.components[ci]!.handlers[hi]!.calls[k] = next;
          out.push(q);
        }
      }),
    ),
  );
  if (p.multiFile) out.push({ ...clone(), multiFile: false });
  return out.map((q, i) => ({ ...q, id: `${p.id}-${i}` }));
}

/** Number of calls and handlers: what shrinking minimises. */
export function sizeOf(p: ProgramSpec): number {
  return p.components.reduce((n, c) => n + 1 + c.handlers.reduce((m, h) => m + 1 + h.calls.length, 0), 0);
}
