import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Random } from "./random.js";

/**
 * Writes a synthetic but realistic Restate code base: services, virtual objects and workflows
 * that import and call one another, ingress clients, an endpoint, and about as many files that
 * have nothing to do with Restate (helpers, types, repositories, barrels). The same options
 * always give the same tree, byte for byte.
 *
 * Request-response calls only go "downstream" (to definitions later in a fixed order), so the
 * wait graph has no cycles except the deadlocks planted on purpose; sends go anywhere, which
 * gives the import cycles real projects have.
 */

export interface GenerateOptions {
  /** Source files to write (at least 20). */
  files: number;
  seed?: number;
  /** Folder to write the project into; it is emptied first. */
  dir: string;
  /** Handlers per source file, over the whole tree (default 5: 1,000 files ⇒ 5,000 handlers). */
  handlersPerFile?: number;
}

/** "cross-package": a cross-file cycle whose two objects live in different packages of a workspace. */
export type DeadlockKind = "cross-file" | "cross-package" | "self-call" | "through-service" | "bank-transfer" | "inversion";

/** The project's layout: one package (`src/...`), an npm workspace of packages (bench/generate-workspace.ts), or one package shaped like public Restate repositories (bench/generate-realistic.ts). */
export type ProjectShape = "flat" | "workspace" | "realistic";

export interface PlantedDeadlock {
  kind: DeadlockKind;
  certainty: "certain" | "possible";
  /** Project-relative files holding the call sites of the cycle. */
  files: string[];
}

export interface ProjectManifest {
  root: string;
  shape: ProjectShape;
  /** npm packages the sources are spread over (1 for the flat shape). */
  packages: number;
  seed: number;
  /** Source files written (package.json, tsconfig.json and .gitignore not counted). */
  files: number;
  /** Files that import `@restatedev/...`. */
  restateFiles: number;
  plainFiles: number;
  definitionFiles: number;
  ingressFiles: number;
  barrelFiles: number;
  services: number;
  objects: number;
  workflows: number;
  handlers: number;
  /** Request-response calls inside handlers (awaited or combined). */
  calls: number;
  sends: number;
  sleeps: number;
  /** Calls and sends made through `@restatedev/restate-sdk-clients`. */
  ingressCalls: number;
  deadlocks: PlantedDeadlock[];
  /** Call sites marked `// expect: certainDeadlock | possibleDeadlock`. */
  expectedDeadlockReports: number;
  /** A definition file on a planted cycle: the file the editor scenario edits. */
  editorFile: string;
  /** Total size of the source files. */
  bytes: number;
  lines: number;
}

export type Kind = "service" | "object" | "workflow";
export type HKind = "exclusive" | "shared" | "service" | "run" | "wf-shared";

export interface HandlerSpec {
  name: string;
  kind: HKind;
  hasInput: boolean;
  /** Written by the deadlock planter: a fixed body, never a target of ordinary calls. */
  planted?: string[];
  /** The planted call waits here; ordinary calls must not target it either. */
  reserved?: boolean;
  /** Definitions a planted body names (imported by value). */
  uses?: Def[];
  /** Definitions a planted body names by type only (`import type { XApi }` and `{ name: "X" }`). */
  typeUses?: Def[];
}

export interface Def {
  index: number;
  name: string;
  varName: string;
  typeName: string;
  kind: Kind;
  domain: string;
  file: string;
  handlers: HandlerSpec[];
  /** No request-response calls from its ordinary handlers (cycle participants live here). */
  leaf: boolean;
}

export interface LibModule {
  index: number;
  area: string;
  file: string;
  kind: "types" | "functions" | "class" | "config";
  /** `(input: Payload) => ...` helpers handlers may call in `ctx.run`. */
  helpers: string[];
}

export const DOMAINS = [
  "orders", "payments", "inventory", "shipping", "users", "billing", "notifications", "catalog",
  "pricing", "reviews", "loyalty", "fraud", "support", "analytics", "accounts", "subscriptions",
  "returns", "warehouse", "checkout", "promotions", "tax", "invoices", "ledger", "onboarding",
];
export const NOUNS = [
  "cart", "ledger", "session", "profile", "queue", "batch", "ticket", "account", "wallet", "order",
  "shipment", "parcel", "route", "quote", "offer", "coupon", "invoice", "refund", "review", "report",
  "job", "export", "import", "sync", "audit", "stock", "slot", "booking", "reminder", "digest",
];
export const VERBS = [
  "create", "update", "get", "cancel", "reserve", "release", "confirm", "refund", "notify", "sync",
  "close", "open", "approve", "reject", "archive", "restore", "assign", "transfer", "deposit",
  "withdraw", "schedule", "complete", "fail", "retry", "expire", "renew", "charge", "capture",
  "verify", "register", "lookup", "list", "count", "reset", "merge", "split", "lock", "unlock",
  "publish", "validate", "enrich", "resolve", "escalate", "track", "bill", "settle", "rebalance",
  "snapshot", "ping", "claim", "redeem", "quote", "apply", "rollback", "prepare", "finalize",
];
export const AREAS = [
  "shared", "money", "dates", "validation", "formatting", "http", "db", "cache", "auth", "logging",
  "metrics", "config", "errors", "geo", "text", "ids", "queue", "rules", "tax", "email", "pdf",
  "search", "storage", "crypto", "flags", "i18n", "paging", "retry", "schema", "events",
];
export const MODULE_NAMES = [
  "core", "helpers", "utils", "model", "client", "mapper", "store", "format", "parse", "policy",
  "limits", "registry", "defaults", "builder", "codec", "filters", "summary", "math", "guards", "views",
];

const CERTAIN = "// expect: certainDeadlock";
const POSSIBLE = "// expect: possibleDeadlock";

export function generateProject(options: GenerateOptions): ProjectManifest {
  const n = options.files;
  if (!Number.isInteger(n) || n < 20) throw new Error(`generateProject: files must be an integer >= 20 (got ${n})`);
  const seed = options.seed ?? 1;
  const r = new Random(seed);
  const perFile = options.handlersPerFile ?? 5;

  // How the tree is made up (see the numbers in bench/README.md).
  const domainCount = clamp(Math.round(n / 80), 2, DOMAINS.length);
  const areaCount = clamp(Math.round(n / 60), 2, AREAS.length);
  const ingressCount = Math.max(1, Math.round(n * 0.04));
  const plainTarget = Math.round(n * 0.5);
  const libCount = plainTarget - areaCount - domainCount; // barrels and endpoint lists are plain too
  const defCount = n - plainTarget - ingressCount - 1; // - main.ts
  const domains = DOMAINS.slice(0, domainCount);
  const areas = AREAS.slice(0, areaCount);

  const libs = makeLibModules(r, libCount, areas);
  const defs = makeDefs(r, defCount, domains);
  const cycleCount = Math.max(1, Math.round(n / 200));
  const planted = planDeadlocks(r, defs, cycleCount);
  distributeHandlers(r, defs, n * perFile, planted.minHandlers);
  planted.apply();

  const out = new Map<string, string>();
  const stats = { calls: 0, sends: 0, sleeps: 0, ingressCalls: 0 };
  const helperModules = libs.filter((l) => l.helpers.length > 0);

  for (const lib of libs) out.set(lib.file, emitLib(r, lib, libs, FLAT));
  for (const area of areas) out.set(`src/lib/${area}/index.ts`, emitAreaBarrel(area, libs));
  for (const def of defs) out.set(def.file, emitDef(r, def, defs, helperModules, stats, FLAT));
  for (let i = 0; i < ingressCount; i++) {
    const file = `src/clients/${DOMAINS[i % domains.length]}-${NOUNS[i % NOUNS.length]}-${i}.ts`;
    out.set(file, emitIngress(r, file, defs, stats, FLAT));
  }
  for (const domain of domains) out.set(`src/endpoints/${domain}.ts`, emitEndpointList(domain, defs));
  out.set("src/main.ts", emitMain(domains));

  const meta = { "package.json": packageJson(n, seed), "tsconfig.json": TSCONFIG, ".gitignore": "node_modules/\ndist/\n*.log\n" };
  const written = writeProject(options.dir, meta, out, "@restatedev/", "// expect: ");
  if (out.size !== n) throw new Error(`generateProject: wrote ${out.size} files, meant ${n}`);

  return {
    ...writtenManifest(options.dir, out, written, defs, stats, planted),
    shape: "flat",
    packages: 1,
    seed,
    ingressFiles: ingressCount,
    barrelFiles: areaCount,
  };
}

/** `src/lib/<area>/index.ts`: re-exports the area's modules. */
export function emitAreaBarrel(area: string, libs: readonly LibModule[]): string {
  const members = libs.filter((l) => l.area === area);
  return members.map((m) => `export * from "./${path.posix.basename(m.file, ".ts")}.js";\n`).join("");
}

export function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, v));
}

/**
 * Writes a generated project into `dir` (emptied first): its metadata files, then its sources,
 * counting the sources that contain `restateMarker` and the occurrences of `expectMarker`.
 */
export function writeProject(
  dir: string,
  meta: Record<string, string>,
  sources: Map<string, string>,
  restateMarker: string,
  expectMarker: string,
): { restateFiles: number; bytes: number; lines: number; expected: number } {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(meta)) {
    // A workspace has metadata in its packages' folders too.
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const counts = { restateFiles: 0, bytes: 0, lines: 0, expected: 0 };
  for (const [file, text] of sources) {
    const abs = path.join(dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    if (text.includes(restateMarker)) counts.restateFiles++;
    counts.bytes += Buffer.byteLength(text);
    counts.lines += text.split("\n").length - 1;
    counts.expected += countOf(text, expectMarker);
  }
  return counts;
}

/**
 * The manifest fields every TypeScript shape reports the same way: what was written, what the
 * definitions make, the statistics, and the planted deadlocks.
 */
export function writtenManifest<S extends Stats>(
  dir: string,
  sources: Map<string, string>,
  written: ReturnType<typeof writeProject>,
  defs: Def[],
  stats: S,
  planted: { list: PlantedDeadlock[] },
) {
  return {
    root: path.resolve(dir),
    files: sources.size,
    restateFiles: written.restateFiles,
    plainFiles: sources.size - written.restateFiles,
    definitionFiles: defs.length,
    ...definitionCounts(defs),
    ...stats,
    deadlocks: planted.list,
    expectedDeadlockReports: written.expected,
    editorFile: planted.list[0]!.files[0]!,
    bytes: written.bytes,
    lines: written.lines,
  };
}

/** How many services, objects, workflows and handlers the definitions make. */
export function definitionCounts(defs: readonly { kind: Kind; handlers: readonly unknown[] }[]): {
  services: number;
  objects: number;
  workflows: number;
  handlers: number;
} {
  return {
    services: defs.filter((d) => d.kind === "service").length,
    objects: defs.filter((d) => d.kind === "object").length,
    workflows: defs.filter((d) => d.kind === "workflow").length,
    handlers: defs.reduce((s, d) => s + d.handlers.length, 0),
  };
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) count++;
  return count;
}

export function pascal(s: string): string {
  return s.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

export function camel(s: string): string {
  const p = pascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
}

/** `import ... from` specifier from one project file to another, NodeNext style (`.js`). */
export function specifier(from: string, to: string): string {
  let rel = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, ".js");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

/**
 * How generated modules name one another. The emitters only know project-relative files; the
 * layout turns them into specifiers (relative paths, or package names in a workspace).
 */
export interface Layout {
  specifier(from: string, to: string): string;
  /** The module declaring `Payload` and `LineItem`, which every handler file imports. */
  typesFile: string;
  /** The module a handler imports `lib`'s helper from when it goes through a barrel. */
  barrel(lib: LibModule): string;
  /** The definitions `def`'s handlers may call or send to (in the call order of `defs`). */
  callees(def: Def, defs: readonly Def[]): readonly Def[];
}

export const FLAT: Layout = {
  specifier,
  typesFile: "src/lib/shared/types.ts",
  barrel: (lib) => `src/lib/${lib.area}/index.ts`,
  callees: (_def, defs) => defs,
};

// ---------------------------------------------------------------------------------------------
// Layout

export function makeLibModules(r: Random, count: number, areas: string[]): LibModule[] {
  const libs: LibModule[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    // The first module holds the payload types every handler file uses.
    const area = i === 0 ? "shared" : areas[i % areas.length]!;
    const base = i === 0 ? "types" : r.pick(MODULE_NAMES);
    let file = `src/lib/${area}/${base}.ts`;
    for (let k = 2; used.has(file); k++) file = `src/lib/${area}/${base}-${k}.ts`;
    used.add(file);
    const kind: LibModule["kind"] = i === 0 ? "types" : r.weighted([["functions", 5], ["class", 2], ["types", 2], ["config", 1]] as const);
    libs.push({ index: i, area, file, kind, helpers: kind === "functions" ? [`validate${i}`, `price${i}`, `summarize${i}`] : [] });
  }
  return libs;
}

export function makeDefs(r: Random, count: number, domains: string[]): Def[] {
  const defs: Def[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    const domain = domains[i % domains.length]!;
    let slug = `${domain}-${r.pick(NOUNS)}`;
    for (let k = 2; names.has(slug); k++) slug = `${domain}-${r.pick(NOUNS)}-${k}`;
    names.add(slug);
    const kind: Kind = r.weighted([["object", 45], ["service", 40], ["workflow", 15]] as const);
    defs.push({
      index: 0,
      name: pascal(slug),
      varName: camel(slug),
      typeName: `${pascal(slug)}Api`,
      kind,
      domain,
      file: `src/domains/${domain}/${slug}.ts`,
      handlers: [],
      leaf: false,
    });
  }
  // The call order (downstream = later) cuts across domains, as real dependencies do.
  r.shuffle(defs);
  defs.forEach((d, i) => (d.index = i));
  return defs;
}

/**
 * Gives the definitions `total` handlers in all (at least `min` for the planted ones, 2 to 4 per
 * workflow, the rest weighted at random), named after verbs written by `spell`.
 */
export function distributeHandlers<D extends { kind: Kind; handlers: { name: string; kind: HKind; hasInput: boolean }[] }>(
  r: Random,
  defs: D[],
  total: number,
  min: Map<D, number>,
  spell: (verb: string) => string = (verb) => verb,
): void {
  const counts = defs.map((d) => (d.kind === "workflow" ? r.int(2, 4) : 0));
  let left = total - counts.reduce((s, c) => s + c, 0);
  const open = defs.map((d, i) => (d.kind === "workflow" ? -1 : i)).filter((i) => i >= 0);
  const weights = open.map(() => 0.4 + r.next() * 1.2);
  const sum = weights.reduce((s, w) => s + w, 0);
  open.forEach((i, k) => (counts[i] = Math.max(2, min.get(defs[i]!) ?? 0, Math.floor((left * weights[k]!) / sum))));
  left = total - counts.reduce((s, c) => s + c, 0);
  // Hand out (or take back) the rounding remainder one handler at a time.
  for (let k = 0; left !== 0; k++) {
    const i = open[k % open.length]!;
    if (left > 0) {
      counts[i]!++;
      left--;
    } else if (counts[i]! > Math.max(2, min.get(defs[i]!) ?? 0)) {
      counts[i]!--;
      left++;
    }
  }
  defs.forEach((d, i) => {
    const verbs = r.shuffle([...VERBS]);
    const c = counts[i]!;
    for (let h = 0; h < c; h++) {
      const verb = spell(verbs[h % verbs.length]!);
      const name = h < verbs.length ? verb : `${verb}${Math.floor(h / verbs.length) + 1}`;
      let kind: HKind;
      if (d.kind === "service") kind = "service";
      else if (d.kind === "workflow") kind = h === 0 ? "run" : "wf-shared";
      else kind = r.chance(0.25) ? "shared" : "exclusive";
      d.handlers.push({ name: d.kind === "workflow" && h === 0 ? spell("run") : name, kind, hasInput: kind === "run" || r.chance(0.8) });
    }
  });
}

export interface DeadlockPlan {
  /** Planted in turn, one cycle each. */
  kinds: readonly DeadlockKind[];
  /** Every second cross-file cycle calls back through a type-only import and `{ name }`. */
  typeOnlyBackCalls: boolean;
}

const ALL_DEADLOCKS: DeadlockPlan = {
  kinds: ["cross-file", "self-call", "through-service", "bank-transfer", "inversion"],
  typeOnlyBackCalls: false,
};

/**
 * Reserves definitions at the downstream end for the planted cycles (they make no ordinary
 * request-response calls, so the cycles stay exactly the planted ones) and, once handlers are
 * distributed, turns some of their handlers into the cycle's hops.
 */
export function planDeadlocks(r: Random, defs: Def[], count: number, plan: DeadlockPlan = ALL_DEADLOCKS) {
  const kinds = plan.kinds;
  let crossFile = 0;
  const list: PlantedDeadlock[] = [];
  const minHandlers = new Map<Def, number>();
  const steps: (() => void)[] = [];
  let next = defs.length - 1;
  const take = (kind: Kind): Def => {
    const d = defs[next--];
    if (!d) throw new Error("generateProject: too few definitions for the planted deadlocks");
    d.kind = kind;
    d.leaf = true;
    minHandlers.set(d, 4);
    return d;
  };
  // Slot k of a definition's handlers, made exclusive (or a plain service handler).
  const slot = (d: Def, k: number, hasInput: boolean): HandlerSpec => {
    const h = d.handlers[k]!;
    h.kind = d.kind === "service" ? "service" : "exclusive";
    h.hasInput = hasInput;
    h.reserved = true;
    return h;
  };
  for (let c = 0; c < count; c++) {
    const kind = kinds[c % kinds.length]!;
    if (kind === "cross-file" || kind === "cross-package") {
      const x = take("object");
      const y = take("object");
      list.push({ kind, certainty: "certain", files: [x.file, y.file] });
      const typed = plan.typeOnlyBackCalls && crossFile++ % 2 === 1;
      steps.push(() => {
        const [a, close, b] = [slot(x, 0, true), slot(x, 1, false), slot(y, 0, true)];
        a.planted = [
          `const balance = (await ctx.get<number>("balance")) ?? 0;`,
          `const confirmed = await ctx.objectClient(${y.varName}, ctx.key).${b.name}({ ...input, amount: balance }); ${CERTAIN}`,
          `ctx.set("confirmed", confirmed);`,
          `return confirmed;`,
        ];
        const back = typed ? `ctx.objectClient<${x.typeName}>({ name: "${x.name}" }, ctx.key)` : `ctx.objectClient(${x.varName}, ctx.key)`;
        b.planted = [
          `const current = await ${back}.${close.name}(); ${CERTAIN}`,
          `ctx.set("last", { id: input.id, current });`,
          `return current >= input.amount;`,
        ];
        close.planted = [`return (await ctx.get<number>("balance")) ?? 0;`];
        a.uses = [y];
        if (typed) b.typeUses = [x];
        else b.uses = [x];
      });
    } else if (kind === "self-call") {
      const x = take("object");
      list.push({ kind, certainty: "certain", files: [x.file] });
      steps.push(() => {
        const [a, close] = [slot(x, 0, true), slot(x, 1, false)];
        a.planted = [
          `const snapshot = await ctx.objectClient(${x.varName}, ctx.key).${close.name}(); ${CERTAIN}`,
          `ctx.set("snapshot", { ...snapshot, updatedBy: input.id });`,
        ];
        close.planted = [
          `const count = (await ctx.get<number>("count")) ?? 0;`,
          `return { count, key: ctx.key };`,
        ];
      });
    } else if (kind === "through-service") {
      const x = take("object");
      const s = take("service");
      list.push({ kind, certainty: "certain", files: [x.file, s.file] });
      steps.push(() => {
        const [a, close, relay] = [slot(x, 0, true), slot(x, 1, false), slot(s, 0, true)];
        a.planted = [
          `const quote = await ctx.serviceClient(${s.varName}).${relay.name}(ctx.key); ${CERTAIN}`,
          `ctx.set("quote", quote + input.amount);`,
        ];
        relay.planted = [
          `const level = await ctx.objectClient(${x.varName}, input).${close.name}(); ${CERTAIN}`,
          `return level > 10 ? 5 : 8;`,
        ];
        relay.hasInput = true;
        close.planted = [`return (await ctx.get<number>("level")) ?? 0;`];
        a.uses = [s];
        relay.uses = [x];
      });
    } else if (kind === "bank-transfer") {
      const x = take("object");
      list.push({ kind, certainty: "possible", files: [x.file] });
      steps.push(() => {
        const [a, close] = [slot(x, 0, true), slot(x, 1, true)];
        a.planted = [
          `const balance = (await ctx.get<number>("balance")) ?? 0;`,
          `if (balance < input.amount) throw new restate.TerminalError("insufficient funds");`,
          `ctx.set("balance", balance - input.amount);`,
          `await ctx.objectClient(${x.varName}, input.customer ?? input.id).${close.name}(input); ${POSSIBLE}`,
        ];
        close.planted = [`ctx.set("balance", ((await ctx.get<number>("balance")) ?? 0) + input.amount);`];
      });
    } else {
      const x = take("object");
      const y = take("object");
      list.push({ kind, certainty: "possible", files: [x.file, y.file] });
      steps.push(() => {
        const [xa, xd, ya, yd] = [slot(x, 0, true), slot(x, 1, true), slot(y, 0, true), slot(y, 1, true)];
        xa.planted = [
          `ctx.set("pending", input);`,
          `await ctx.objectClient(${y.varName}, input.customer ?? "").${yd.name}(input); ${POSSIBLE}`,
        ];
        ya.planted = [
          `ctx.set("pending", input);`,
          `await ctx.objectClient(${x.varName}, input.customer ?? "").${xd.name}(input); ${POSSIBLE}`,
        ];
        xd.planted = [`ctx.set("accepted", input.id);`];
        yd.planted = [`ctx.set("accepted", input.id);`];
        xa.uses = [y];
        ya.uses = [x];
      });
    }
  }
  // A little slack: a few more downstream leaves that only send.
  for (let k = 0; k < 2 && next >= 0; k++) defs[next--]!.leaf = true;
  return { list, minHandlers, apply: () => steps.forEach((s) => s()) };
}

// ---------------------------------------------------------------------------------------------
// Files that have nothing to do with Restate

const PIECES: ((id: string, r: Random) => string)[] = [
  (id) => `export function sum${id}(items: readonly LineItem[]): number {
  let total = 0;
  for (const item of items) {
    total += item.qty * item.price;
  }
  return Math.round(total * 100) / 100;
}
`,
  (id, r) => `export function format${id}(value: number, currency = "${r.pick(["EUR", "USD", "GBP", "CHF"])}"): string {
  const fixed = value.toFixed(2);
  const [whole, cents] = fixed.split(".");
  const grouped = (whole ?? "0").replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",");
  return \`\${currency} \${grouped}.\${cents ?? "00"}\`;
}
`,
  (id) => `export function groupBy${id}<T, K extends string>(rows: readonly T[], key: (row: T) => K): Record<K, T[]> {
  const out = {} as Record<K, T[]>;
  for (const row of rows) {
    const k = key(row);
    (out[k] ??= []).push(row);
  }
  return out;
}
`,
  (id, r) => `export async function withRetry${id}<T>(fn: () => Promise<T>, attempts = ${r.int(2, 6)}): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, ${r.int(50, 500)} * 2 ** i));
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}
`,
  (id) => `export function slug${id}(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
`,
  (id, r) => `export function addDays${id}(date: Date, days: number): Date {
  const d = new Date(date.getTime());
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

export function isBusinessDay${id}(date: Date, holidays: ReadonlySet<string> = new Set(["${r.int(1, 12)}-${r.int(1, 28)}"])): boolean {
  const day = date.getUTCDay();
  if (day === 0 || day === 6) return false;
  return !holidays.has(\`\${date.getUTCMonth() + 1}-\${date.getUTCDate()}\`);
}
`,
  (id, r) => `export function describe${id}(status: string): string {
  switch (status) {
    case "new":
      return "Waiting for review";
    case "active":
      return "In progress since ${r.int(1, 30)} days at most";
    case "done":
      return "Completed";
    case "failed":
      return "Failed, will be retried";
    default:
      return \`Unknown status \${status}\`;
  }
}
`,
  (id) => `export async function fetchJson${id}<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  if (!response.ok) {
    throw new Error(\`HTTP \${response.status} for \${url}\`);
  }
  return (await response.json()) as T;
}
`,
  (id, r) => `export function chunk${id}<T>(items: readonly T[], size = ${r.int(10, 100)}): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function unique${id}<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
`,
  (id) => `export function parseQuery${id}(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of query.replace(/^\\?/, "").split("&")) {
    if (!part) continue;
    const [rawKey, rawValue = ""] = part.split("=");
    const key = decodeURIComponent(rawKey ?? "");
    const list = out.get(key) ?? [];
    list.push(decodeURIComponent(rawValue));
    out.set(key, list);
  }
  return out;
}
`,
];

/** A module of helpers or types; `libs` are the modules it may import helpers from. */
export function emitLib(r: Random, lib: LibModule, libs: LibModule[], layout: Layout): string {
  const id = String(lib.index);
  const lines: string[] = [];
  const usesTypes = lib.index !== 0;
  // Modules lean on earlier ones (and now and then on a later one: the odd import cycle).
  const deps: LibModule[] = [];
  const candidates = libs.filter((l) => l.helpers.length > 0 && l !== lib);
  for (let k = r.int(0, 3); k > 0 && candidates.length > 0; k--) {
    const backward = candidates.filter((l) => l.index < lib.index);
    const pool = backward.length > 0 && !r.chance(0.1) ? backward : candidates;
    const dep = r.pick(pool);
    if (!deps.includes(dep)) deps.push(dep);
  }
  if (usesTypes) lines.push(`import type { LineItem, Payload } from "${layout.specifier(lib.file, layout.typesFile)}";`);
  for (const dep of deps) lines.push(`import { price${dep.index} } from "${layout.specifier(lib.file, dep.file)}";`);
  if (lines.length > 0) lines.push("");

  if (lib.kind === "types" && lib.index === 0) {
    lines.push(
      `export interface LineItem {`,
      `  sku: string;`,
      `  qty: number;`,
      `  price: number;`,
      `}`,
      ``,
      `export interface Payload {`,
      `  id: string;`,
      `  amount: number;`,
      `  items: LineItem[];`,
      `  customer?: string;`,
      `  note?: string;`,
      `}`,
      ``,
      `export type Status = "new" | "active" | "done" | "failed";`,
      ``,
      `export interface Page<T> {`,
      `  items: T[];`,
      `  next?: string;`,
      `}`,
      ``,
    );
    return lines.join("\n");
  }
  if (lib.kind === "types") {
    for (let k = r.int(3, 7); k > 0; k--) {
      const name = `${pascal(r.pick(NOUNS))}${pascal(r.pick(MODULE_NAMES))}${id}${k}`;
      lines.push(`export interface ${name} {`, `  id: string;`, `  createdAt: string;`);
      for (let f = r.int(2, 6); f > 0; f--) lines.push(`  ${r.pick(VERBS)}${f}${r.chance(0.3) ? "?" : ""}: ${r.pick(["string", "number", "boolean", "string[]", "LineItem[]", "Payload"])};`);
      lines.push(`}`, ``);
    }
    lines.push(`export type ${pascal(r.pick(NOUNS))}Event${id} =`);
    for (const v of r.shuffle([...VERBS]).slice(0, r.int(3, 6))) lines.push(`  | { type: "${v}"; at: number; payload: Payload }`);
    lines.push(`  | { type: "noop" };`, ``);
    if (deps.length > 0) lines.push(`export const weights${id} = (input: Payload) => [${deps.map((d) => `price${d.index}(input)`).join(", ")}];`, ``);
    return lines.join("\n");
  }
  if (lib.kind === "config") {
    lines.push(`export const defaults${id} = {`);
    for (let k = r.int(8, 20); k > 0; k--) {
      const key = `${r.pick(VERBS)}${pascal(r.pick(NOUNS))}${k}`;
      lines.push(`  ${key}: ${r.pick([`${r.int(1, 10_000)}`, `"${r.pick(NOUNS)}"`, `${r.chance(0.5)}`, `[${r.int(1, 9)}, ${r.int(10, 99)}]`, `{ enabled: ${r.chance(0.5)}, limit: ${r.int(1, 500)} }`])},`);
    }
    lines.push(`} as const;`, ``);
    lines.push(
      `export function setting${id}<K extends keyof typeof defaults${id}>(key: K): (typeof defaults${id})[K] {`,
      `  const fromEnv = process.env[\`APP_\${String(key).toUpperCase()}\`];`,
      `  return (fromEnv === undefined ? defaults${id}[key] : JSON.parse(fromEnv)) as (typeof defaults${id})[K];`,
      `}`,
      ``,
    );
    if (deps.length > 0) lines.push(`export const baseline${id} = (input: Payload): number => ${deps.map((d) => `price${d.index}(input)`).join(" + ")};`, ``);
    return lines.join("\n");
  }
  if (lib.kind === "class") {
    const entity = `${pascal(r.pick(NOUNS))}${id}`;
    lines.push(
      `export interface ${entity}Row {`,
      `  id: string;`,
      `  owner: string;`,
      `  items: LineItem[];`,
      `  updatedAt: number;`,
      `}`,
      ``,
      `export class ${entity}Repository {`,
      `  private readonly rows = new Map<string, ${entity}Row>();`,
      `  private version = 0;`,
      ``,
      `  constructor(private readonly table = "${r.pick(NOUNS)}_${id}") {}`,
      ``,
      `  get size(): number {`,
      `    return this.rows.size;`,
      `  }`,
      ``,
      `  upsert(row: ${entity}Row): void {`,
      `    this.rows.set(row.id, { ...row, updatedAt: Date.now() });`,
      `    this.version++;`,
      `  }`,
      ``,
      `  find(id: string): ${entity}Row | undefined {`,
      `    return this.rows.get(id);`,
      `  }`,
      ``,
      `  list(filter: (row: ${entity}Row) => boolean = () => true): ${entity}Row[] {`,
      `    return [...this.rows.values()].filter(filter).sort((a, b) => a.updatedAt - b.updatedAt);`,
      `  }`,
      ``,
      `  remove(id: string): boolean {`,
      `    const removed = this.rows.delete(id);`,
      `    if (removed) this.version++;`,
      `    return removed;`,
      `  }`,
      ``,
      `  fromPayload(input: Payload): ${entity}Row {`,
      `    const row = { id: input.id, owner: input.customer ?? "anonymous", items: input.items, updatedAt: 0 };`,
      `    this.upsert(row);`,
      `    return row;`,
      `  }`,
      ``,
      `  toJSON(): { table: string; version: number; rows: number } {`,
      `    return { table: this.table, version: this.version, rows: this.rows.size };`,
      `  }`,
      `}`,
      ``,
    );
    if (deps.length > 0) {
      lines.push(`export function score${id}(input: Payload): number {`, `  return ${deps.map((d) => `price${d.index}(input)`).join(" * 0.5 + ")};`, `}`, ``);
    }
    return lines.join("\n");
  }

  // functions: the payload helpers handlers call, plus a few general utilities
  lines.push(
    `const LIMIT_${id} = ${r.int(100, 100_000)};`,
    ``,
    `export function validate${id}(input: Payload): { ok: boolean; reason?: string } {`,
    `  if (!input.id) return { ok: false, reason: "missing id" };`,
    `  if (input.amount < 0 || input.amount > LIMIT_${id}) return { ok: false, reason: "amount out of range" };`,
    `  for (const item of input.items) {`,
    `    if (item.qty <= 0) return { ok: false, reason: \`bad quantity for \${item.sku}\` };`,
    `  }`,
    `  return { ok: true };`,
    `}`,
    ``,
    `export function price${id}(input: Payload): number {`,
    `  const subtotal = input.items.reduce((s, i) => s + i.qty * i.price, 0);`,
    `  const discount = subtotal > ${r.int(50, 500)} ? subtotal * 0.${r.int(1, 9)} : 0;`,
    deps.length > 0 ? `  const extra = ${deps.map((d) => `price${d.index}({ ...input, items: [] })`).join(" + ")};` : `  const extra = 0;`,
    `  return Math.max(0, subtotal - discount + extra + ${r.int(0, 20)});`,
    `}`,
    ``,
    `export function summarize${id}(input: Payload): string {`,
    `  const count = input.items.reduce((s, i) => s + i.qty, 0);`,
    `  return \`\${input.id}: \${count} item(s), \${price${id}(input).toFixed(2)}\`;`,
    `}`,
    ``,
  );
  const pieces = r.shuffle([...PIECES.keys()]).slice(0, r.int(2, 5));
  for (const p of pieces) lines.push(PIECES[p]!(id, r));
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Restate definitions

export interface Stats {
  calls: number;
  sends: number;
  sleeps: number;
  ingressCalls: number;
}

export class Imports {
  private readonly values = new Map<string, Set<string>>();
  private readonly types = new Map<string, Set<string>>();

  constructor(
    private readonly from: string,
    private readonly layout: Layout,
  ) {}

  value(file: string, name: string): void {
    if (file === this.from) return;
    const spec = this.layout.specifier(this.from, file);
    let s = this.values.get(spec);
    if (!s) this.values.set(spec, (s = new Set()));
    s.add(name);
  }

  type(file: string, name: string): void {
    if (file === this.from) return;
    const spec = this.layout.specifier(this.from, file);
    let s = this.types.get(spec);
    if (!s) this.types.set(spec, (s = new Set()));
    s.add(name);
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [spec, names] of this.values) out.push(`import { ${[...names].sort().join(", ")} } from "${spec}";`);
    for (const [spec, names] of this.types) {
      if (this.values.has(spec)) continue;
      out.push(`import type { ${[...names].sort().join(", ")} } from "${spec}";`);
    }
    for (const [spec, names] of this.types) {
      if (this.values.has(spec)) out.push(`import type { ${[...names].sort().join(", ")} } from "${spec}";`);
    }
    return out;
  }
}

export const CTX_TYPE: Record<HKind, string> = {
  exclusive: "restate.ObjectContext",
  shared: "restate.ObjectSharedContext",
  service: "restate.Context",
  run: "restate.WorkflowContext",
  "wf-shared": "restate.WorkflowSharedContext",
};

interface Env {
  r: Random;
  layout: Layout;
  def: Def;
  h: HandlerSpec;
  imports: Imports;
  /** What its handlers may send to. */
  callees: readonly Def[];
  /** What they may call: the callees after it in the call order, so that calls never wait in a cycle. */
  downstream: readonly Def[];
  helpers: LibModule[];
  stats: Stats;
  keyed: boolean;
  canWrite: boolean;
  counter: number;
}

export function callable(d: Def): HandlerSpec[] {
  return d.handlers.filter((h) => !h.planted && !h.reserved);
}

/** How a handler file names another definition: the imported value, or a type and `{ name }`. */
function targetArgs(env: Env, target: Def): { typeArg: string; ref: string } {
  if (target === env.def) return { typeArg: "", ref: target.varName };
  if (env.r.chance(0.25)) {
    env.imports.type(target.file, target.typeName);
    return { typeArg: `<${target.typeName}>`, ref: `{ name: "${target.name}" }` };
  }
  env.imports.value(target.file, target.varName);
  return { typeArg: "", ref: target.varName };
}

function keyExpr(env: Env): string {
  const r = env.r;
  return r.weighted([
    [env.h.hasInput ? "input.id" : `"${r.pick(NOUNS)}"`, 50],
    [env.keyed ? "ctx.key" : "input.id", env.h.hasInput || env.keyed ? 20 : 0],
    [`"global"`, 10],
    ["ctx.rand.uuidv4()", 10],
    [env.h.hasInput ? "`${input.id}-" + r.pick(NOUNS) + "`" : `"default"`, 10],
  ] as const);
}

function payload(env: Env, target: HandlerSpec): string {
  if (!target.hasInput) return "";
  if (env.h.hasInput && env.r.chance(0.5)) return "input";
  return env.h.hasInput ? `{ ...input, note: "${env.r.pick(VERBS)}" }` : `{ id: ctx.rand.uuidv4(), amount: ${env.r.int(1, 500)}, items: [] }`;
}

function clientExpr(env: Env, target: Def, mode: "request" | "send", key: string): string {
  const { typeArg, ref } = targetArgs(env, target);
  const suffix = mode === "send" ? "SendClient" : "Client";
  if (target.kind === "service") return `ctx.service${suffix}${typeArg}(${ref})`;
  return `ctx.${target.kind}${suffix}${typeArg}(${ref}, ${key})`;
}

/** A request-response call to a handler downstream of the current definition. */
function requestTo(env: Env): { target: Def; handler: HandlerSpec; expr: string } | null {
  const downstream = env.downstream.length;
  if (env.def.leaf || downstream <= 0) return null;
  for (let attempt = 0; attempt < 4; attempt++) {
    const target = env.downstream[Math.floor(env.r.next() * downstream)]!;
    let handlers = callable(target);
    // A workflow's `run` is started once per id; most callers talk to its shared handlers.
    if (target.kind === "workflow" && !env.r.chance(0.1)) handlers = handlers.filter((h) => h.kind !== "run");
    if (handlers.length === 0) continue;
    const handler = env.r.pick(handlers);
    const key = target.kind === "workflow" ? (env.h.hasInput ? "input.id" : "ctx.rand.uuidv4()") : keyExpr(env);
    return { target, handler, expr: `${clientExpr(env, target, "request", key)}.${handler.name}(${payload(env, handler)})` };
  }
  return null;
}

function sendTo(env: Env, delayed: boolean): string | null {
  for (let attempt = 0; attempt < 4; attempt++) {
    const target = env.r.chance(0.1) ? env.def : env.r.pick(env.callees);
    const handlers = callable(target);
    if (handlers.length === 0) continue;
    const handler = env.r.pick(handlers);
    const key = target.kind === "workflow" ? (env.h.hasInput ? "input.id" : "ctx.rand.uuidv4()") : target === env.def && env.keyed ? "ctx.key" : keyExpr(env);
    const input = payload(env, handler);
    const opts = delayed ? `restate.rpc.sendOpts({ delay: { ${env.r.pick(["seconds", "minutes", "hours"])}: ${env.r.int(1, 60)} } })` : "";
    const args = [input, opts].filter(Boolean).join(", ");
    if (!handler.hasInput && opts) continue;
    return `${clientExpr(env, target, "send", key)}.${handler.name}(${args});`;
  }
  return null;
}

function fresh(env: Env, base: string): string {
  env.counter++;
  return `${base}${env.counter}`;
}

/** One statement (possibly several lines) of an ordinary handler body. */
function statement(env: Env): string[] {
  const r = env.r;
  const stateful = env.def.kind !== "service";
  const choice = r.weighted([
    ["read", stateful ? 3 : 0],
    ["write", stateful && env.canWrite ? 2 : 0],
    ["run", env.helpers.length > 0 && env.h.hasInput ? 3 : 0],
    ["request", env.def.leaf ? 0 : 3],
    ["combined", env.def.leaf ? 0 : 0.4],
    ["timeout", env.def.leaf ? 0 : 0.4],
    ["send", 2.5],
    ["delayed", 0.7],
    ["sleep", env.def.kind === "object" ? 0.3 : 1],
    ["guard", env.h.hasInput ? 1.5 : 0],
    ["loop", env.h.hasInput ? 1 : 0],
    ["try", env.def.leaf ? 0 : 0.8],
    ["date", 0.6],
    ["compute", env.h.hasInput ? 1 : 0],
  ] as const);
  switch (choice) {
    case "read": {
      const v = fresh(env, r.pick(["count", "state", "seen", "total", "status"]));
      return [`const ${v} = (await ctx.get<number>("${r.pick(NOUNS)}")) ?? 0;`];
    }
    case "write":
      return [`ctx.set("${r.pick(NOUNS)}", ${env.h.hasInput ? "input.amount" : r.int(0, 100)});`];
    case "run": {
      const mod = r.pick(env.helpers);
      const helper = r.pick(mod.helpers);
      env.imports.value(r.chance(0.3) ? env.layout.barrel(mod) : mod.file, helper);
      const v = fresh(env, "step");
      return [`const ${v} = await ctx.run("${helper.replace(/\d+$/, "")}", () => ${helper}(input));`];
    }
    case "request": {
      const call = requestTo(env);
      if (!call) return [];
      env.stats.calls++;
      if (r.chance(0.4)) return [`await ${call.expr};`];
      const v = fresh(env, "result");
      return [`const ${v} = await ${call.expr};`];
    }
    case "combined": {
      const a = requestTo(env);
      const b = requestTo(env);
      if (!a || !b) return [];
      env.stats.calls += 2;
      const v = fresh(env, "both");
      return [`const ${v} = await restate.RestatePromise.all([`, `  ${a.expr},`, `  ${b.expr},`, `]);`];
    }
    case "timeout": {
      const call = requestTo(env);
      if (!call) return [];
      env.stats.calls++;
      const v = fresh(env, "bounded");
      return [`const ${v} = await ${call.expr}.orTimeout({ seconds: ${r.int(1, 30)} });`];
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
      return [`await ctx.sleep({ ${r.pick(["seconds", "minutes"])}: ${r.int(1, 30)} });`];
    case "guard":
      return [`if (input.amount > ${r.int(100, 10_000)}) {`, `  throw new restate.TerminalError("amount too large", { errorCode: 400 });`, `}`];
    case "loop": {
      const s = sendTo(env, false);
      const body = s ? [`  ${s}`] : [`  ctx.console.info(\`item \${item.sku}\`);`];
      if (s) env.stats.sends++;
      return [`for (const item of input.items) {`, `  if (item.qty === 0) continue;`, ...body, `}`];
    }
    case "try": {
      const call = requestTo(env);
      if (!call) return [];
      env.stats.calls++;
      return [
        `try {`,
        `  await ${call.expr};`,
        `} catch (error) {`,
        `  if (error instanceof restate.TerminalError) {`,
        `    ctx.console.warn(\`${call.target.name}.${call.handler.name} failed: \${error.message}\`);`,
        `  }`,
        `  throw error;`,
        `}`,
      ];
    }
    case "date": {
      const v = fresh(env, "now");
      return [`const ${v} = await ctx.date.now();`];
    }
    case "compute": {
      const v = fresh(env, "subtotal");
      return [`const ${v} = input.items.reduce((sum, item) => sum + item.qty * item.price, 0);`];
    }
  }
}

function handlerLines(env: Env): string[] {
  const { h, r } = env;
  const body: string[] = [];
  if (h.planted) body.push(...h.planted);
  else if (h.kind === "run") {
    body.push(`ctx.set("status", "started");`);
    for (let k = r.int(2, 5); k > 0; k--) body.push(...statement(env));
    body.push(`const approved = await ctx.promise<boolean>("approved");`, `ctx.set("status", approved ? "done" : "rejected");`, `return approved;`);
  } else if (h.kind === "wf-shared" && r.chance(0.5)) {
    if (r.chance(0.5)) body.push(`return (await ctx.get<string>("status")) ?? "pending";`);
    else body.push(`await ctx.promise<boolean>("approved").resolve(${h.hasInput ? "input.amount > 0" : "true"});`);
  } else {
    for (let k = r.int(2, 6); k > 0; k--) body.push(...statement(env));
    if (r.chance(0.5)) body.push(`return { ok: true, handledBy: "${env.def.name}.${h.name}" };`);
  }
  const params = `ctx: ${CTX_TYPE[h.kind]}${h.hasInput ? `, input: ${h.planted && env.def.kind === "service" ? "string" : "Request"}` : ""}`;
  const inner = body.map((l) => `  ${l}`);
  const out: string[] = [];
  if (h.kind === "shared") {
    out.push(`${h.name}: restate.handlers.object.shared(async (${params}) => {`, ...inner, `}),`);
  } else if (h.kind === "service" && !h.planted && r.chance(0.1)) {
    out.push(`${h.name}: restate.handlers.handler({ description: "${h.name} for ${env.def.name}" }, async (${params}) => {`, ...inner, `}),`);
  } else if (r.chance(0.2)) {
    out.push(`async ${h.name}(${params}) {`, ...inner, `},`);
  } else {
    out.push(`${h.name}: async (${params}) => {`, ...inner, `},`);
  }
  return out;
}

export function emitDef(r: Random, def: Def, defs: Def[], helperModules: LibModule[], stats: Stats, layout: Layout): string {
  const imports = new Imports(def.file, layout);
  const helpers = helperModules.length > 0 ? r.shuffle([...helperModules]).slice(0, r.int(1, 3)) : [];
  const callees = layout.callees(def, defs);
  const downstream = callees.filter((d) => d.index > def.index);
  const handlerBlocks: string[] = [];
  for (const h of def.handlers) {
    for (const used of h.uses ?? []) imports.value(used.file, used.varName);
    for (const used of h.typeUses ?? []) imports.type(used.file, used.typeName);
    const env: Env = {
      r,
      layout,
      def,
      h,
      imports,
      callees,
      downstream,
      helpers,
      stats,
      keyed: def.kind !== "service",
      canWrite: h.kind === "exclusive" || h.kind === "run",
      counter: 0,
    };
    handlerBlocks.push(...handlerLines(env).map((l) => `    ${l}`));
  }
  const factory = def.kind === "service" ? "service" : def.kind;
  const head = [`import * as restate from "@restatedev/restate-sdk";`, `import type { Payload } from "${layout.specifier(def.file, layout.typesFile)}";`, ...imports.lines(), ``];
  const options =
    r.chance(0.3) && def.kind !== "workflow"
      ? [`  options: {`, `    inactivityTimeout: { minutes: ${r.int(1, 15)} },`, `    retryPolicy: { maxAttempts: ${r.int(3, 20)}, onMaxAttempts: "pause" },`, `  },`]
      : [];
  return [
    ...head,
    `type Request = Payload & { attempt?: number };`,
    ``,
    `/** ${def.name}: ${def.kind} of the ${def.domain} domain. */`,
    `export const ${def.varName} = restate.${factory}({`,
    `  name: "${def.name}",`,
    `  handlers: {`,
    ...handlerBlocks,
    `  },`,
    ...options,
    `});`,
    ``,
    `export type ${def.typeName} = typeof ${def.varName};`,
    ``,
  ].join("\n");
}

export function emitIngress(r: Random, file: string, defs: Def[], stats: Stats, layout: Layout): string {
  const imports = new Imports(file, layout);
  const fns: string[] = [];
  for (let k = r.int(2, 5); k > 0; k--) {
    const body: string[] = [];
    for (let c = r.int(1, 3); c > 0; c--) {
      const target = r.pick(defs);
      // The ingress workflow client has no `run`: a workflow is started with workflowSubmit.
      const handlers = callable(target).filter((h) => h.kind !== "run");
      const handler = handlers.length > 0 ? r.pick(handlers) : null;
      if (!handler && target.kind !== "workflow") continue;
      let ref = target.varName;
      let typeArg = "";
      if (r.chance(0.3)) {
        imports.type(target.file, target.typeName);
        ref = `{ name: "${target.name}" }`;
        typeArg = `<${target.typeName}>`;
      } else imports.value(target.file, target.varName);
      stats.ingressCalls++;
      // (no handler left to call means a workflow, checked above)
      if (!handler || (target.kind === "workflow" && r.chance(0.5))) {
        body.push(`await rs.workflowClient${typeArg}(${ref}, input.id).workflowSubmit(input);`);
      } else if (r.chance(0.35) && target.kind !== "workflow") {
        const arg = handler.hasInput ? "input" : "";
        const client = target.kind === "service" ? `rs.serviceSendClient${typeArg}(${ref})` : `rs.objectSendClient${typeArg}(${ref}, input.id)`;
        const opts = `clients.rpc.sendOpts({ idempotencyKey: \`\${input.id}-${handler.name}\` })`;
        body.push(`await ${client}.${handler.name}(${arg ? `${arg}, ${opts}` : opts});`);
      } else {
        const arg = handler.hasInput ? "input" : "";
        const client =
          target.kind === "service" ? `rs.serviceClient${typeArg}(${ref})` : `rs.${target.kind}Client${typeArg}(${ref}, input.id)`;
        body.push(`results.push(await ${client}.${handler.name}(${arg}));`);
      }
    }
    fns.push(
      `export async function ${r.pick(VERBS)}${pascal(r.pick(NOUNS))}${k}(input: Payload): Promise<unknown[]> {`,
      `  const results: unknown[] = [];`,
      ...body.map((l) => `  ${l}`),
      `  return results;`,
      `}`,
      ``,
    );
  }
  return [
    `import * as clients from "@restatedev/restate-sdk-clients";`,
    `import type { Payload } from "${layout.specifier(file, layout.typesFile)}";`,
    ...imports.lines(),
    ``,
    `const rs = clients.connect({ url: process.env.RESTATE_INGRESS_URL ?? "http://localhost:8080" });`,
    ``,
    ...fns,
  ].join("\n");
}

function emitEndpointList(domain: string, defs: Def[]): string {
  const mine = defs.filter((d) => d.domain === domain).sort((a, b) => a.file.localeCompare(b.file));
  const file = `src/endpoints/${domain}.ts`;
  return [
    ...mine.map((d) => `import { ${d.varName} } from "${specifier(file, d.file)}";`),
    ``,
    `/** Everything the ${domain} deployment serves. */`,
    `export const ${camel(domain)}Services = [`,
    ...mine.map((d) => `  ${d.varName},`),
    `];`,
    ``,
  ].join("\n");
}

function emitMain(domains: string[]): string {
  return [
    `import * as restate from "@restatedev/restate-sdk";`,
    ...domains.map((d) => `import { ${camel(d)}Services } from "./endpoints/${d}.js";`),
    ``,
    `restate.serve({`,
    `  services: [${domains.map((d) => `...${camel(d)}Services`).join(", ")}],`,
    `  port: Number(process.env.PORT ?? 9080),`,
    `});`,
    ``,
  ].join("\n");
}

function packageJson(files: number, seed: number): string {
  return `${JSON.stringify(
    {
      name: `restate-bench-${files}-${seed}`,
      private: true,
      type: "module",
      scripts: { build: "tsc", start: "node dist/main.js" },
      dependencies: { "@restatedev/restate-sdk": "^1.17.2", "@restatedev/restate-sdk-clients": "^1.17.2" },
      devDependencies: { typescript: "^5.9.3" },
    },
    null,
    2,
  )}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", skipLibCheck: true },
    include: ["src"],
  },
  null,
  2,
)}\n`;
