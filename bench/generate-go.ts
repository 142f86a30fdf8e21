import path from "node:path";
import { AREAS, DOMAINS, type HKind, type Kind, MODULE_NAMES, NOUNS, VERBS, definitionCounts, distributeHandlers, pascal, writeProject } from "./generate.js";
import { Random } from "./random.js";

/**
 * Writes a Go Restate project of the same shape as the TypeScript one of bench/generate.ts:
 * services, virtual objects and workflows (structs passed to `restate.Reflect`, their methods
 * taking a Restate context), calls and sends by string name between them, sleeps, ingress
 * clients, a server binding every definition, and as many files that have nothing to do with
 * Restate (helpers, types, constants). The same options always give the same tree, byte for byte.
 *
 * As in the TypeScript project, request-response calls only go downstream (to definitions later
 * in a fixed order), so the only wait cycles are the planted ones, whose call sites carry
 * `// expect: certainDeadlock`.
 */

export interface GoGenerateOptions {
  /** Source files to write (at least 20). */
  files: number;
  seed?: number;
  /** Folder to write the project into; it is emptied first. */
  dir: string;
  /** Handlers per source file, over the whole tree (default 5, as for TypeScript). */
  handlersPerFile?: number;
}

export interface GoProjectManifest {
  root: string;
  seed: number;
  /** `.go` files written (package.json and go.mod not counted). */
  files: number;
  /** Files that import `github.com/restatedev/sdk-go` (or its ingress package). */
  restateFiles: number;
  plainFiles: number;
  definitionFiles: number;
  ingressFiles: number;
  services: number;
  objects: number;
  workflows: number;
  handlers: number;
  calls: number;
  sends: number;
  sleeps: number;
  ingressCalls: number;
  deadlocks: number;
  /** Call sites marked `// expect: certainDeadlock`. */
  expectedDeadlockReports: number;
  /** A definition file (it imports the SDK): the one the benchmark edits before a warm run. */
  editFile: string;
  bytes: number;
  lines: number;
}

interface Handler {
  name: string;
  kind: HKind;
  hasInput: boolean;
  /** A fixed body written by the deadlock planter; never the target of ordinary calls. */
  planted?: string[];
  reserved?: boolean;
}

interface Def {
  index: number;
  name: string;
  domain: string;
  file: string;
  kind: Kind;
  handlers: Handler[];
  /** Makes no ordinary request-response calls (the planted cycles live here). */
  leaf: boolean;
}

interface Lib {
  area: string;
  file: string;
  /** `func(model.Payload) int` helpers handlers call inside `restate.Run`. */
  helpers: string[];
}

const MODULE = "example.com/restate-bench";
const CERTAIN = "// expect: certainDeadlock";
const CTX: Record<HKind, string> = {
  exclusive: "restate.ObjectContext",
  shared: "restate.ObjectSharedContext",
  service: "restate.Context",
  run: "restate.WorkflowContext",
  "wf-shared": "restate.WorkflowSharedContext",
};

export function generateGoProject(options: GoGenerateOptions): GoProjectManifest {
  const n = options.files;
  if (!Number.isInteger(n) || n < 20) throw new Error(`generateGoProject: files must be an integer >= 20 (got ${n})`);
  const seed = options.seed ?? 1;
  const r = new Random(seed);
  const perFile = options.handlersPerFile ?? 5;

  const domainCount = Math.max(2, Math.min(DOMAINS.length, Math.round(n / 80)));
  const areaCount = Math.max(2, Math.min(AREAS.length, Math.round(n / 60)));
  const ingressCount = Math.max(1, Math.round(n * 0.04));
  const plainCount = Math.round(n * 0.5);
  const defCount = n - plainCount - ingressCount - 1; // - the server's main.go
  const domains = DOMAINS.slice(0, domainCount);
  const areas = AREAS.slice(0, areaCount);

  // Plain files: the shared model first, then helper, type and constant modules.
  const libs: Lib[] = [];
  const plain = new Map<string, string>();
  plain.set("internal/model/types.go", MODEL);
  const usedLib = new Set<string>();
  for (let i = 1; i < plainCount; i++) {
    const area = areas[i % areas.length]!;
    let file = `internal/${area}/${r.pick(MODULE_NAMES)}.go`;
    for (let k = 2; usedLib.has(file); k++) file = `internal/${area}/${r.pick(MODULE_NAMES)}_${k}.go`;
    usedLib.add(file);
    const kind = r.weighted([["functions", 5], ["types", 3], ["consts", 2]] as const);
    const lib: Lib = { area, file, helpers: kind === "functions" ? [`Validate${i}`, `Price${i}`, `Summarize${i}`] : [] };
    libs.push(lib);
    plain.set(file, emitLib(r, lib, kind, i));
  }
  const helperLibs = libs.filter((l) => l.helpers.length > 0);

  // Definitions, in a shuffled "downstream" order that cuts across domains.
  const defs: Def[] = [];
  const names = new Set<string>();
  for (let i = 0; i < defCount; i++) {
    const domain = domains[i % domains.length]!;
    let slug = `${domain}-${r.pick(NOUNS)}`;
    for (let k = 2; names.has(slug); k++) slug = `${domain}-${r.pick(NOUNS)}-${k}`;
    names.add(slug);
    const kind: Kind = r.weighted([["object", 45], ["service", 40], ["workflow", 15]] as const);
    defs.push({ index: 0, name: pascal(slug), domain, file: `services/${domain}/${slug.replace(/-/g, "_")}.go`, kind, handlers: [], leaf: false });
  }
  r.shuffle(defs);
  defs.forEach((d, i) => (d.index = i));

  // Planted cycles at the downstream end, alternating a cross-file cycle between two objects
  // and an object calling itself with its own key: both certain deadlocks.
  const cycleCount = Math.max(1, Math.round(n / 200));
  const plantSteps: (() => void)[] = [];
  const minHandlers = new Map<Def, number>();
  let next = defs.length - 1;
  const take = (): Def => {
    const d = defs[next--];
    if (!d) throw new Error("generateGoProject: too few definitions for the planted deadlocks");
    d.kind = "object";
    d.leaf = true;
    minHandlers.set(d, 3);
    return d;
  };
  const slot = (d: Def, k: number, hasInput: boolean): Handler => {
    const h = d.handlers[k]!;
    h.kind = "exclusive";
    h.hasInput = hasInput;
    h.reserved = true;
    return h;
  };
  for (let c = 0; c < cycleCount; c++) {
    if (c % 2 === 0) {
      const x = take();
      const y = take();
      plantSteps.push(() => {
        const [a, close, b] = [slot(x, 0, true), slot(x, 1, false), slot(y, 0, true)];
        a.planted = [
          `confirmed, err := restate.Object[model.Result](ctx, "${y.name}", restate.Key(ctx), "${b.name}").Request(input) ${CERTAIN}`,
          `if err != nil {`,
          `\treturn model.Result{}, err`,
          `}`,
          `restate.Set(ctx, "confirmed", confirmed.OK)`,
          `return confirmed, nil`,
        ];
        b.planted = [
          `current, err := restate.Object[model.Result](ctx, "${x.name}", restate.Key(ctx), "${close.name}").Request(restate.Void{}) ${CERTAIN}`,
          `if err != nil {`,
          `\treturn model.Result{}, err`,
          `}`,
          `restate.Set(ctx, "last", input.ID)`,
          `return current, nil`,
        ];
        close.planted = [`total, err := restate.Get[int](ctx, "balance")`, `return model.Result{OK: total >= 0}, err`];
      });
    } else {
      const x = take();
      plantSteps.push(() => {
        const [a, b] = [slot(x, 0, true), slot(x, 1, true)];
        a.planted = [
          `res, err := restate.Object[model.Result](ctx, "${x.name}", restate.Key(ctx), "${b.name}").Request(input) ${CERTAIN}`,
          `if err != nil {`,
          `\treturn model.Result{}, err`,
          `}`,
          `return res, nil`,
        ];
        b.planted = [`restate.Set(ctx, "seen", input.ID)`, `return model.Result{OK: true, HandledBy: "${x.name}"}, nil`];
      });
    }
  }

  distributeHandlers(r, defs, n * perFile, minHandlers, pascal);
  for (const step of plantSteps) step();

  const stats = { calls: 0, sends: 0, sleeps: 0, ingressCalls: 0 };
  const out = new Map<string, string>(plain);
  for (const def of defs) out.set(def.file, emitDef(r, def, defs, helperLibs, stats));
  for (let i = 0; i < ingressCount; i++) out.set(`clients/${DOMAINS[i % domains.length]}_${NOUNS[i % NOUNS.length]}_${i}.go`, emitIngress(r, i, defs, stats));
  out.set("cmd/server/main.go", emitMain(defs, domains));

  const meta = {
    "package.json": `${JSON.stringify({ name: `restate-go-bench-${n}-${seed}`, private: true, description: "Generated Go Restate project for the benchmark" }, null, 2)}\n`,
    "go.mod": `module ${MODULE}\n\ngo 1.22\n\nrequire github.com/restatedev/sdk-go v0.16.0\n`,
  };
  const written = writeProject(options.dir, meta, out, `"github.com/restatedev/sdk-go`, CERTAIN);
  if (out.size !== n) throw new Error(`generateGoProject: wrote ${out.size} files, meant ${n}`);
  return {
    root: path.resolve(options.dir),
    seed,
    files: out.size,
    restateFiles: written.restateFiles,
    plainFiles: out.size - written.restateFiles,
    definitionFiles: defs.length,
    ingressFiles: ingressCount,
    ...definitionCounts(defs),
    ...stats,
    deadlocks: cycleCount,
    expectedDeadlockReports: written.expected,
    editFile: path.resolve(options.dir, defs[0]!.file),
    bytes: written.bytes,
    lines: written.lines,
  };
}

interface Env {
  r: Random;
  def: Def;
  h: Handler;
  defs: Def[];
  helpers: Lib[];
  imports: Set<string>;
  stats: { calls: number; sends: number; sleeps: number; ingressCalls: number };
  counter: number;
}

const FAIL = [`if err != nil {`, `\treturn model.Result{}, err`, `}`];

function callable(d: Def): Handler[] {
  return d.handlers.filter((h) => !h.planted && !h.reserved);
}

function fresh(env: Env, base: string): string {
  env.counter++;
  return `${base}${env.counter}`;
}

function keyExpr(env: Env): string {
  const { r, h, def } = env;
  return r.weighted([
    [h.hasInput ? "input.ID" : `"${r.pick(NOUNS)}"`, 50],
    [def.kind !== "service" ? "restate.Key(ctx)" : "input.ID", h.hasInput || def.kind !== "service" ? 20 : 0],
    [`"global"`, 10],
    ["restate.UUID(ctx).String()", 10],
    [h.hasInput ? `input.ID + "-${r.pick(NOUNS)}"` : `"default"`, 10],
  ] as const);
}

function payload(env: Env, target: Handler): string {
  if (!target.hasInput) return "restate.Void{}";
  if (env.h.hasInput && env.r.chance(0.5)) return "input";
  return env.h.hasInput ? `model.Payload{ID: input.ID, Note: "${env.r.pick(VERBS)}"}` : `model.Payload{ID: restate.UUID(ctx).String(), Amount: ${env.r.int(1, 500)}}`;
}

/** The client of a call: `restate.Object[model.Result](ctx, "Name", key, "Handler")` and its kin. */
function client(env: Env, target: Def, handler: Handler, send: boolean): string {
  const key = target.kind === "workflow" ? (env.h.hasInput ? "input.ID" : "restate.UUID(ctx).String()") : keyExpr(env);
  const fn = pascal(target.kind) + (send ? "Send" : "[model.Result]");
  return target.kind === "service" ? `restate.${fn}(ctx, "${target.name}", "${handler.name}")` : `restate.${fn}(ctx, "${target.name}", ${key}, "${handler.name}")`;
}

function requestTo(env: Env): { target: Def; handler: Handler; expr: string } | null {
  const downstream = env.defs.length - env.def.index - 1;
  if (env.def.leaf || downstream <= 0) return null;
  for (let attempt = 0; attempt < 4; attempt++) {
    const target = env.defs[env.def.index + 1 + Math.floor(env.r.next() * downstream)]!;
    let handlers = callable(target);
    if (target.kind === "workflow" && !env.r.chance(0.1)) handlers = handlers.filter((h) => h.kind !== "run");
    if (handlers.length === 0) continue;
    const handler = env.r.pick(handlers);
    return { target, handler, expr: client(env, target, handler, false) };
  }
  return null;
}

function sendTo(env: Env, delayed: boolean): string | null {
  for (let attempt = 0; attempt < 4; attempt++) {
    const target = env.r.chance(0.1) ? env.def : env.r.pick(env.defs);
    const handlers = callable(target);
    if (handlers.length === 0) continue;
    const handler = env.r.pick(handlers);
    let opts = "";
    if (delayed) {
      env.imports.add(`"time"`);
      opts = `, restate.WithDelay(${env.r.int(1, 60)}*time.${env.r.pick(["Second", "Minute", "Hour"])})`;
    }
    return `${client(env, target, handler, true)}.Send(${payload(env, handler)}${opts})`;
  }
  return null;
}

function statement(env: Env): string[] {
  const { r, def, h } = env;
  const stateful = def.kind !== "service";
  const canWrite = h.kind === "exclusive" || h.kind === "run";
  const choice = r.weighted([
    ["read", stateful ? 3 : 0],
    ["write", stateful && canWrite ? 2 : 0],
    ["run", env.helpers.length > 0 && h.hasInput ? 3 : 0],
    ["request", def.leaf ? 0 : 3],
    ["future", def.leaf ? 0 : 0.8],
    ["send", 2.5],
    ["delayed", 0.7],
    ["sleep", def.kind === "object" ? 0.3 : 1],
    ["guard", h.hasInput ? 1.5 : 0],
    ["loop", h.hasInput ? 1 : 0],
    ["compute", h.hasInput ? 1 : 0],
  ] as const);
  switch (choice) {
    case "read": {
      const v = fresh(env, r.pick(["count", "state", "seen", "total"]));
      return [`${v}, err := restate.Get[int](ctx, "${r.pick(NOUNS)}")`, ...FAIL, `_ = ${v}`];
    }
    case "write":
      return [`restate.Set(ctx, "${r.pick(NOUNS)}", ${h.hasInput ? "input.Amount" : r.int(0, 100)})`];
    case "run": {
      const lib = r.pick(env.helpers);
      const helper = r.pick(lib.helpers);
      env.imports.add(`"${MODULE}/internal/${lib.area}"`);
      const v = fresh(env, "step");
      return [
        `${v}, err := restate.Run(ctx, func(rc restate.RunContext) (int, error) {`,
        `\treturn ${lib.area}.${helper}(input), nil`,
        `})`,
        ...FAIL,
        `_ = ${v}`,
      ];
    }
    case "request": {
      const call = requestTo(env);
      if (!call) return [];
      env.stats.calls++;
      const v = fresh(env, "result");
      return [`${v}, err := ${call.expr}.Request(${payload(env, call.handler)})`, ...FAIL, `_ = ${v}`];
    }
    case "future": {
      const call = requestTo(env);
      if (!call) return [];
      env.stats.calls++;
      const f = fresh(env, "fut");
      const v = fresh(env, "result");
      return [`${f} := ${call.expr}.RequestFuture(${payload(env, call.handler)})`, `${v}, err := ${f}.Response()`, ...FAIL, `_ = ${v}`];
    }
    case "send":
    case "delayed": {
      const s = sendTo(env, choice === "delayed");
      if (!s) return [];
      env.stats.sends++;
      return [s];
    }
    case "sleep":
      env.stats.sleeps++;
      env.imports.add(`"time"`);
      return [`if err := restate.Sleep(ctx, ${r.int(1, 30)}*time.${r.pick(["Second", "Minute"])}); err != nil {`, `\treturn model.Result{}, err`, `}`];
    case "guard":
      env.imports.add(`"fmt"`);
      return [`if input.Amount > ${r.int(100, 10_000)} {`, `\treturn model.Result{}, restate.TerminalError(fmt.Errorf("amount too large: %d", input.Amount), 400)`, `}`];
    case "loop": {
      const s = sendTo(env, false);
      if (s) env.stats.sends++;
      return [`for _, item := range input.Items {`, `\tif item.Qty == 0 {`, `\t\tcontinue`, `\t}`, `\t${s ?? `restate.Set(ctx, "sku", item.SKU)`}`, `}`];
    }
    case "compute": {
      const v = fresh(env, "subtotal");
      return [`${v} := 0`, `for _, item := range input.Items {`, `\t${v} += item.Qty * item.Price`, `}`, `_ = ${v}`];
    }
  }
}

function handlerLines(env: Env): string[] {
  const { h, r, def } = env;
  const body: string[] = [];
  if (h.planted) body.push(...h.planted);
  else if (h.kind === "run") {
    body.push(`restate.Set(ctx, "status", "started")`);
    for (let k = r.int(2, 5); k > 0; k--) body.push(...statement(env));
    body.push(
      `approved, err := restate.Promise[bool](ctx, "approved").Result()`,
      ...FAIL,
      `restate.Set(ctx, "status", "done")`,
      `return model.Result{OK: approved, HandledBy: "${def.name}.Run"}, nil`,
    );
  } else if (h.kind === "wf-shared" && r.chance(0.5)) {
    body.push(`if err := restate.Promise[bool](ctx, "approved").Resolve(true); err != nil {`, `\treturn model.Result{}, err`, `}`, `return model.Result{OK: true}, nil`);
  } else {
    for (let k = r.int(2, 6); k > 0; k--) body.push(...statement(env));
    body.push(`return model.Result{OK: true, HandledBy: "${def.name}.${h.name}"}, nil`);
  }
  const params = `ctx ${CTX[h.kind]}${h.hasInput ? ", input model.Payload" : ""}`;
  return [`func (${def.name}) ${h.name}(${params}) (model.Result, error) {`, ...body.map((l) => `\t${l}`), `}`, ``];
}

function emitDef(r: Random, def: Def, defs: Def[], helperLibs: Lib[], stats: Env["stats"]): string {
  const imports = new Set<string>();
  const helpers = helperLibs.length > 0 ? r.shuffle([...helperLibs]).slice(0, r.int(1, 3)) : [];
  const blocks: string[] = [];
  for (const h of def.handlers) blocks.push(...handlerLines({ r, def, h, defs, helpers, imports, stats, counter: 0 }));
  const std = [...imports].filter((i) => !i.includes(".")).sort();
  const ours = [...imports].filter((i) => i.includes(".")).sort();
  return [
    `package ${def.domain}`,
    ``,
    `import (`,
    ...std.map((i) => `\t${i}`),
    ...(std.length > 0 ? [``] : []),
    `\trestate "github.com/restatedev/sdk-go"`,
    `\t"${MODULE}/internal/model"`,
    ...ours.map((i) => `\t${i}`),
    `)`,
    ``,
    `// ${def.name} is ${def.kind === "object" ? "an" : "a"} ${def.kind} of the ${def.domain} domain.`,
    `type ${def.name} struct{}`,
    ``,
    `// ${def.name}Definition is bound by the server.`,
    `var ${def.name}Definition = restate.Reflect(${def.name}{})`,
    ``,
    ...blocks,
  ].join("\n");
}

function emitIngress(r: Random, i: number, defs: Def[], stats: Env["stats"]): string {
  const fns: string[] = [];
  for (let k = r.int(2, 5); k > 0; k--) {
    const body: string[] = [];
    for (let c = r.int(1, 3); c > 0; c--) {
      const target = r.pick(defs);
      const handlers = callable(target).filter((h) => h.kind !== "run");
      if (handlers.length === 0) continue;
      const handler = r.pick(handlers);
      const arg = handler.hasInput ? "input" : "restate.Void{}";
      const inType = handler.hasInput ? "model.Payload" : "restate.Void";
      const key = target.kind === "service" ? "" : ", input.ID";
      const opts = r.chance(0.6) ? `, restate.WithIdempotencyKey(input.ID + "-${handler.name}")` : "";
      stats.ingressCalls++;
      if (r.chance(0.35) && target.kind !== "workflow") {
        body.push(`if _, err := ingress.${pascal(target.kind)}Send[${inType}](c, "${target.name}"${key}, "${handler.name}").Send(goCtx, ${arg}${opts}); err != nil {`);
      } else {
        body.push(`if _, err := ingress.${pascal(target.kind)}[${inType}, model.Result](c, "${target.name}"${key}, "${handler.name}").Request(goCtx, ${arg}${opts}); err != nil {`);
      }
      body.push(`\treturn err`, `}`);
    }
    fns.push(
      `// ${pascal(r.pick(VERBS))}${pascal(r.pick(NOUNS))}${k} calls the services from outside Restate.`,
      `func ${pascal(r.pick(VERBS))}${pascal(r.pick(NOUNS))}${k}(goCtx context.Context, input model.Payload) error {`,
      `\tc := ingress.NewClient(os.Getenv("RESTATE_INGRESS_URL"))`,
      ...body.map((l) => `\t${l}`),
      `\treturn nil`,
      `}`,
      ``,
    );
  }
  return [
    `package clients`,
    ``,
    `import (`,
    `\t"context"`,
    `\t"os"`,
    ``,
    `\trestate "github.com/restatedev/sdk-go"`,
    `\t"github.com/restatedev/sdk-go/ingress"`,
    `\t"${MODULE}/internal/model"`,
    `)`,
    ``,
    `// Client ${i}.`,
    ...fns,
  ].join("\n");
}

function emitMain(defs: Def[], domains: string[]): string {
  return [
    `package main`,
    ``,
    `import (`,
    `\t"context"`,
    `\t"log"`,
    ``,
    `\t"github.com/restatedev/sdk-go/server"`,
    ...domains.map((d) => `\t"${MODULE}/services/${d}"`),
    `)`,
    ``,
    `func main() {`,
    `\tsrv := server.NewRestate()`,
    ...defs.map((d) => `\tsrv = srv.Bind(${d.domain}.${d.name}Definition)`),
    `\tif err := srv.Start(context.Background(), ":9080"); err != nil {`,
    `\t\tlog.Fatal(err)`,
    `\t}`,
    `}`,
    ``,
  ].join("\n");
}

function emitLib(r: Random, lib: Lib, kind: "functions" | "types" | "consts", i: number): string {
  const head = [`package ${lib.area}`, ``];
  if (kind === "functions") {
    const [validate, price, summarize] = lib.helpers as [string, string, string];
    return [
      ...head,
      `import (`,
      `\t"strings"`,
      ``,
      `\t"${MODULE}/internal/model"`,
      `)`,
      ``,
      `// ${validate} counts what is wrong with a payload.`,
      `func ${validate}(p model.Payload) int {`,
      `\tproblems := 0`,
      `\tif strings.TrimSpace(p.ID) == "" {`,
      `\t\tproblems++`,
      `\t}`,
      `\tif p.Amount < 0 || p.Amount > ${r.int(1000, 100_000)} {`,
      `\t\tproblems++`,
      `\t}`,
      `\tfor _, item := range p.Items {`,
      `\t\tif item.Qty <= 0 || item.Price < 0 {`,
      `\t\t\tproblems++`,
      `\t\t}`,
      `\t}`,
      `\treturn problems`,
      `}`,
      ``,
      `// ${price} is the payload's total with a ${r.int(1, 30)}% margin.`,
      `func ${price}(p model.Payload) int {`,
      `\ttotal := 0`,
      `\tfor _, item := range p.Items {`,
      `\t\ttotal += item.Qty * item.Price`,
      `\t}`,
      `\treturn total + total*${r.int(1, 30)}/100`,
      `}`,
      ``,
      `// ${summarize} describes a payload in one line.`,
      `func ${summarize}(p model.Payload) int {`,
      `\tvar b strings.Builder`,
      `\tb.WriteString(p.ID)`,
      `\tfor _, item := range p.Items {`,
      `\t\tb.WriteString(" ")`,
      `\t\tb.WriteString(item.SKU)`,
      `\t}`,
      `\treturn b.Len()`,
      `}`,
      ``,
    ].join("\n");
  }
  if (kind === "types") {
    const noun = pascal(r.pick(NOUNS));
    return [
      ...head,
      `// ${noun}${i} is a record of the ${lib.area} area.`,
      `type ${noun}${i} struct {`,
      `\tID      string`,
      `\tOwner   string`,
      `\tAmount  int`,
      `\tTags    []string`,
      `\tVersion int`,
      `}`,
      ``,
      `// Valid reports whether the record can be stored.`,
      `func (x ${noun}${i}) Valid() bool {`,
      `\treturn x.ID != "" && x.Amount >= 0 && len(x.Tags) < ${r.int(5, 50)}`,
      `}`,
      ``,
      `// Bump returns the record one version later.`,
      `func (x ${noun}${i}) Bump() ${noun}${i} {`,
      `\tx.Version++`,
      `\treturn x`,
      `}`,
      ``,
    ].join("\n");
  }
  return [
    ...head,
    `const (`,
    `\tMaxItems${i}     = ${r.int(10, 500)}`,
    `\tTimeoutSecs${i}  = ${r.int(1, 120)}`,
    `\tDefaultRegion${i} = "${r.pick(["eu-west-1", "us-east-1", "ap-south-1"])}"`,
    `)`,
    ``,
    `// Limits${i} are the ${lib.area} limits by tier.`,
    `var Limits${i} = map[string]int{`,
    `\t"free":       ${r.int(1, 10)},`,
    `\t"pro":        ${r.int(10, 100)},`,
    `\t"enterprise": ${r.int(100, 1000)},`,
    `}`,
    ``,
  ].join("\n");
}

const MODEL = `package model

// Item is one line of a payload.
type Item struct {
\tSKU   string
\tQty   int
\tPrice int
}

// Payload is what handlers take.
type Payload struct {
\tID     string
\tAmount int
\tNote   string
\tItems  []Item
}

// Result is what handlers return.
type Result struct {
\tOK        bool
\tHandledBy string
}
`;
