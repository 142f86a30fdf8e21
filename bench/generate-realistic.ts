import path from "node:path";
import {
  AREAS,
  CTX_TYPE,
  DOMAINS,
  type Def,
  FLAT,
  type HandlerSpec,
  Imports,
  type LibModule,
  NOUNS,
  type ProjectManifest,
  type Stats,
  callable,
  clamp,
  distributeHandlers,
  emitAreaBarrel,
  emitLib,
  makeDefs,
  makeLibModules,
  planDeadlocks,
  specifier,
  writeProject,
  writtenManifest,
} from "./generate.js";
import { Random } from "./random.js";

/**
 * A project shaped like the public Restate TypeScript repositories (the SDK's e2e services, the
 * examples): one package, `src/services/<domain>/` folders behind barrels, a constants file of
 * service names, e2e tests calling handlers through the ingress client, and a third of plain
 * utility code.
 *
 * What sets it apart from the flat shape is where its calls go: virtual objects call their own
 * key all the time (`ctx.objectClient(self, ctx.key)`), mostly shared reads awaited from
 * exclusive handlers, and sends; some go out to a service that calls back the same object on the
 * key it was given. None of that is a deadlock (a shared handler takes no lock), but a text
 * sketch cannot tell, so most object files lie on a candidate cycle and the deadlock rule has to
 * parse them. The planted deadlocks are self-calls to an exclusive handler on `ctx.key`, directly
 * or through a service.
 */

export interface RealisticOptions {
  /** Source files to write (at least 30). */
  files: number;
  seed?: number;
  /** Folder to write the project into; it is emptied first. */
  dir: string;
  /** Handlers per definition, on average (default 5). */
  handlersPerDefinition?: number;
}

export interface RealisticManifest extends ProjectManifest {
  shape: "realistic";
  /** `test/*.test.ts` files calling handlers through `@restatedev/restate-sdk-clients`. */
  testFiles: number;
  /** Request-response calls of an object to its own key (`ctx.key`), all to shared handlers. */
  selfCalls: number;
  /** Sends of an object to its own key. */
  selfSends: number;
  /** Object → service → the same object, the key passed as the service's input. */
  relayCalls: number;
  /** Calls naming their target `{ name: NAMES.x }`, from the constants file. */
  namedByConstant: number;
}

interface RealisticStats extends Stats {
  selfCalls: number;
  selfSends: number;
  relayCalls: number;
  namedByConstant: number;
}

/** A service handler an object awaits with its own key, which calls back one of its shared handlers. */
interface Relay {
  service: Def;
  handler: HandlerSpec;
  object: Def;
}

const CONSTANTS = "src/constants.ts";
const TYPES = FLAT.typesFile;

export function generateRealistic(options: RealisticOptions): RealisticManifest {
  const n = options.files;
  if (!Number.isInteger(n) || n < 30) throw new Error(`generateRealistic: files must be an integer >= 30 (got ${n})`);
  const seed = options.seed ?? 1;
  const r = new Random(seed);

  // A third plain code (utilities, their barrels, the services' barrels, the constants), a sixth
  // e2e tests, the rest definitions and the endpoint.
  const domainCount = clamp(Math.round(n / 60), 2, DOMAINS.length);
  const areaCount = clamp(Math.round(n / 80), 2, AREAS.length);
  const plainTarget = Math.round(n / 3);
  const libCount = plainTarget - areaCount - (domainCount + 1) - 1;
  const testCount = Math.max(2, Math.round(n / 6));
  const defCount = n - plainTarget - testCount - 1; // - src/app.ts
  const domains = DOMAINS.slice(0, domainCount);
  const areas = AREAS.slice(0, areaCount);

  const libs = makeLibModules(r, libCount, areas);
  const defs = makeDefs(r, defCount, domains);
  for (const def of defs) def.file = serviceFile(def);
  const planted = planDeadlocks(r, defs, Math.max(2, Math.round(n / 200)), {
    kinds: ["self-call", "through-service", "self-call"],
    typeOnlyBackCalls: false,
  });
  distributeHandlers(r, defs, defs.length * (options.handlersPerDefinition ?? 5), planted.minHandlers);
  planted.apply();
  giveSharedReads(r, defs);
  const relays = pairRelays(r, defs);

  const out = new Map<string, string>();
  const stats: RealisticStats = { calls: 0, sends: 0, sleeps: 0, ingressCalls: 0, selfCalls: 0, selfSends: 0, relayCalls: 0, namedByConstant: 0 };
  const helpers = libs.filter((l) => l.helpers.length > 0);
  for (const lib of libs) out.set(lib.file, emitLib(r, lib, libs, FLAT));
  for (const area of areas) out.set(`src/lib/${area}/index.ts`, emitAreaBarrel(area, libs));
  for (const def of defs) out.set(def.file, emitDefinition(r, def, defs, relays, helpers, stats));
  for (const domain of domains) out.set(domainBarrel(domain), emitDomainBarrel(domain, defs));
  out.set("src/services/index.ts", domains.map((d) => `export * from "./${d}/index.js";\n`).join(""));
  out.set(CONSTANTS, emitConstants(defs));
  out.set("src/app.ts", emitApp(defs));
  for (let i = 0; i < testCount; i++) {
    const subject = defs[i % defs.length]!;
    const file = `test/${path.posix.basename(subject.file, ".ts")}-${subject.domain}${i >= defs.length ? `-${i}` : ""}.test.ts`;
    out.set(file, emitTest(r, file, subject, defs, stats));
  }

  const meta = { "package.json": packageJson(n, seed), "tsconfig.json": TSCONFIG, ".gitignore": "node_modules/\ndist/\n*.log\n" };
  const written = writeProject(options.dir, meta, out, "@restatedev/", "// expect: ");
  if (out.size !== n) throw new Error(`generateRealistic: wrote ${out.size} files, meant ${n}`);

  return {
    ...writtenManifest(options.dir, out, written, defs, stats, planted),
    shape: "realistic",
    packages: 1,
    seed,
    ingressFiles: testCount,
    testFiles: testCount,
    barrelFiles: areaCount + domainCount + 1,
  };}

// ---------------------------------------------------------------------------------------------
// Layout

/** `src/services/orders/cart.ts` for the definition `orders-cart`. */
function serviceFile(def: Def): string {
  const base = path.posix.basename(def.file, ".ts").slice(def.domain.length + 1);
  return `src/services/${def.domain}/${base}.ts`;
}

function domainBarrel(domain: string): string {
  return `src/services/${domain}/index.ts`;
}

/**
 * Objects get as many shared reads as the e2e services have (two in five handlers, at least
 * one): those are what their exclusive handlers await on their own key.
 */
function giveSharedReads(r: Random, defs: readonly Def[]): void {
  for (const def of defs) {
    if (def.kind !== "object") continue;
    const open = callable(def);
    for (const h of open) if (h.kind === "exclusive" && r.chance(0.2)) h.kind = "shared";
    if (open.length >= 2 && !open.some((h) => h.kind === "shared")) open[open.length - 1]!.kind = "shared";
  }
}

/**
 * Pairs two objects in five with a service that calls them back on the key they pass it. The
 * service's relay handler is reserved: only its object calls it.
 */
function pairRelays(r: Random, defs: readonly Def[]): Map<Def, Relay> {
  const services = r.shuffle(defs.filter((d) => d.kind === "service" && !d.leaf && callable(d).length >= 2));
  const out = new Map<Def, Relay>();
  for (const object of defs) {
    if (object.kind !== "object" || object.leaf || !sharedOf(object).length || !r.chance(0.4)) continue;
    const service = services.pop();
    if (!service) break;
    const handler = r.pick(callable(service));
    handler.reserved = true;
    out.set(object, { service, handler, object });
  }
  return out;
}

function sharedOf(def: Def): HandlerSpec[] {
  return callable(def).filter((h) => h.kind === "shared");
}

// ---------------------------------------------------------------------------------------------
// Definitions

interface Env {
  r: Random;
  def: Def;
  h: HandlerSpec;
  imports: Imports;
  defs: readonly Def[];
  relay: Relay | undefined;
  helpers: LibModule[];
  stats: RealisticStats;
  counter: number;
}

/** How a definition names another one (or itself): the value, `{ name: "X" }` or `{ name: NAMES.x }`. */
function ref(env: Env, target: Def): { typeArg: string; ref: string } {
  const r = env.r;
  const how = r.weighted([["value", target === env.def ? 60 : 70], ["literal", target === env.def ? 25 : 20], ["constant", 10]] as const);
  if (how === "value") {
    // A third of the definitions are imported through their domain's barrel, as code next door
    // does (always the same way: one name imported twice would not compile).
    env.imports.value(target !== env.def && target.index % 3 === 0 ? domainBarrel(target.domain) : target.file, target.varName);
    return { typeArg: "", ref: target.varName };
  }
  env.imports.type(target.file, target.typeName);
  if (how === "literal") return { typeArg: `<${target.typeName}>`, ref: `{ name: "${target.name}" }` };
  env.imports.value(CONSTANTS, "NAMES");
  env.stats.namedByConstant++;
  return { typeArg: `<${target.typeName}>`, ref: `{ name: NAMES.${target.varName} }` };
}

function client(env: Env, target: Def, send: boolean, key: string): string {
  const { typeArg, ref: name } = ref(env, target);
  const suffix = send ? "SendClient" : "Client";
  return target.kind === "service" ? `ctx.service${suffix}${typeArg}(${name})` : `ctx.${target.kind}${suffix}${typeArg}(${name}, ${key})`;
}

function fresh(env: Env, base: string): string {
  return `${base}${++env.counter}`;
}

function args(env: Env, target: HandlerSpec): string {
  if (!target.hasInput) return "";
  return env.h.hasInput && env.r.chance(0.6) ? "input" : `{ id: ${env.def.kind === "service" ? "ctx.rand.uuidv4()" : "ctx.key"}, amount: ${env.r.int(1, 500)}, items: [] }`;
}

/** The shared handlers of its own object this handler may await: any from an exclusive one, later ones from a shared one (no wait loops). */
function ownReads(env: Env): HandlerSpec[] {
  const shared = sharedOf(env.def).filter((h) => h !== env.h);
  if (env.h.kind !== "shared") return shared;
  const at = env.def.handlers.indexOf(env.h);
  return shared.filter((h) => env.def.handlers.indexOf(h) > at);
}

function selfRead(env: Env): string[] {
  const target = env.r.pick(ownReads(env));
  env.stats.calls++;
  env.stats.selfCalls++;
  const v = fresh(env, "current");
  return [`const ${v} = await ${client(env, env.def, false, "ctx.key")}.${target.name}(${args(env, target)});`];
}

function selfSend(env: Env): string[] {
  const target = env.r.pick(callable(env.def));
  env.stats.sends++;
  env.stats.selfSends++;
  const delay = env.r.chance(0.3) && target.hasInput ? `, restate.rpc.sendOpts({ delay: { seconds: ${env.r.int(1, 60)} } })` : "";
  return [`${client(env, env.def, true, "ctx.key")}.${target.name}(${args(env, target)}${delay});`];
}

function relayCall(env: Env, relay: Relay): string[] {
  env.stats.calls++;
  env.stats.relayCalls++;
  const v = fresh(env, "echoed");
  return [`const ${v} = await ${client(env, relay.service, false, "")}.${relay.handler.name}(ctx.key);`];
}

/** Downstream only (later in the call order), as in the flat shape: no wait cycles but the planted ones. */
function request(env: Env): string[] {
  const later = env.defs.filter((d) => d.index > env.def.index && callable(d).some((h) => h.kind !== "run"));
  if (env.def.leaf || later.length === 0) return [];
  const target = env.r.pick(later);
  const handler = env.r.pick(callable(target).filter((h) => h.kind !== "run"));
  const key = env.r.pick(env.h.hasInput ? ["input.id", "`${input.id}-" + env.r.pick(NOUNS) + "`", `"global"`] : [`"global"`, "ctx.rand.uuidv4()"]);
  env.stats.calls++;
  const v = fresh(env, "result");
  return [`const ${v} = await ${client(env, target, false, key)}.${handler.name}(${args(env, handler)});`];
}

function sendOut(env: Env): string[] {
  const target = env.r.pick(env.defs);
  const handlers = callable(target).filter((h) => h.kind !== "run");
  if (handlers.length === 0) return [];
  const handler = env.r.pick(handlers);
  env.stats.sends++;
  return [`${client(env, target, true, env.h.hasInput ? "input.id" : `"${env.r.pick(NOUNS)}"`)}.${handler.name}(${args(env, handler)});`];
}

function runStep(env: Env): string[] {
  const mod = env.r.pick(env.helpers);
  const helper = env.r.pick(mod.helpers);
  // Through the area's barrel for a third of the modules, never both ways in one file.
  env.imports.value(mod.index % 3 === 0 ? `src/lib/${mod.area}/index.ts` : mod.file, helper);
  return [`const ${fresh(env, "step")} = await ctx.run("${helper.replace(/\d+$/, "")}", () => ${helper}(input));`];
}

/** One statement of an ordinary handler, weighted by what handlers of its kind do in e2e services. */
function statement(env: Env): string[] {
  const { r, def, h } = env;
  const object = def.kind === "object";
  const exclusive = h.kind === "exclusive" || h.kind === "run";
  const choice = r.weighted([
    ["read", def.kind === "service" ? 0 : h.kind === "shared" ? 3 : 2],
    ["write", exclusive ? 2 : 0],
    ["self-read", object && ownReads(env).length > 0 ? (exclusive ? 4 : 1.5) : 0],
    ["self-send", object ? (exclusive ? 2 : 1) : 0],
    ["relay", env.relay && exclusive ? 2 : 0],
    ["request", def.leaf ? 0 : def.kind === "service" ? 2.5 : 1.2],
    ["send", 1],
    ["run", env.helpers.length > 0 && h.hasInput ? 1.5 : 0],
    ["sleep", object ? 0.2 : 0.6],
    ["guard", h.hasInput ? 1 : 0],
  ] as const);
  switch (choice) {
    case "read":
      return [`const ${fresh(env, "seen")} = (await ctx.get<number>("${r.pick(NOUNS)}")) ?? 0;`];
    case "write":
      return [`ctx.set("${r.pick(NOUNS)}", ${h.hasInput ? "input.amount" : r.int(0, 100)});`];
    case "self-read":
      return selfRead(env);
    case "self-send":
      return selfSend(env);
    case "relay":
      return relayCall(env, env.relay!);
    case "request":
      return request(env);
    case "send":
      return sendOut(env);
    case "run":
      return runStep(env);
    case "sleep":
      env.stats.sleeps++;
      return [`await ctx.sleep({ ${r.pick(["seconds", "minutes"])}: ${r.int(1, 30)} });`];
    case "guard":
      return [`if (input.amount > ${r.int(100, 10_000)}) throw new restate.TerminalError("amount too large", { errorCode: 400 });`];
  }
}

/** The relay handler of a service: calls back a shared handler of its object on the key it was given. */
function relayBody(env: Env, object: Def): string[] {
  const target = env.r.pick(sharedOf(object));
  env.stats.calls++;
  env.stats.relayCalls++;
  const call = `${client(env, object, false, "key")}.${target.name}(${target.hasInput ? "{ id: key, amount: 0, items: [] }" : ""})`;
  return [`const echoed = await ${call};`, `ctx.console.info(\`${object.name}(\${key}) answered\`);`, `return { key, echoed };`];
}

function workflowBody(env: Env): string[] {
  const { r, h } = env;
  if (h.kind === "wf-shared") {
    return r.chance(0.5)
      ? [`return (await ctx.get<string>("status")) ?? "pending";`]
      : [`await ctx.promise<boolean>("approved").resolve(${h.hasInput ? "input.amount > 0" : "true"});`];
  }
  const body = [`ctx.set("status", "started");`];
  for (let k = r.int(2, 4); k > 0; k--) body.push(...statement(env));
  body.push(`const approved = await ctx.promise<boolean>("approved");`, `ctx.set("status", approved ? "done" : "rejected");`, `return approved;`);
  return body;
}

function handlerBody(env: Env, relayOf: Def | undefined): string[] {
  if (env.h.planted) return env.h.planted;
  if (relayOf) return relayBody(env, relayOf);
  if (env.def.kind === "workflow") return workflowBody(env);
  const body: string[] = [];
  for (let k = env.r.int(2, 5); k > 0; k--) body.push(...statement(env));
  if (env.r.chance(0.5)) body.push(`return { ok: true, handledBy: "${env.def.name}.${env.h.name}" };`);
  return body;
}

function handlerLines(env: Env, relayOf: Def | undefined): string[] {
  const { h } = env;
  // A relay, like the planted service hops, takes the caller's key as its input.
  const input = relayOf ? ", key: string" : h.hasInput ? `, input: ${h.planted && env.def.kind === "service" ? "string" : "Request"}` : "";
  const params = `ctx: ${CTX_TYPE[h.kind]}${input}`;
  const inner = handlerBody(env, relayOf).map((l) => `  ${l}`);
  if (h.kind === "shared") return [`${h.name}: restate.handlers.object.shared(async (${params}) => {`, ...inner, `}),`];
  if (env.r.chance(0.3)) return [`async ${h.name}(${params}) {`, ...inner, `},`];
  return [`${h.name}: async (${params}) => {`, ...inner, `},`];
}

function emitDefinition(r: Random, def: Def, defs: readonly Def[], relays: ReadonlyMap<Def, Relay>, helperModules: LibModule[], stats: RealisticStats): string {
  const imports = new Imports(def.file, FLAT);
  const helpers = helperModules.length > 0 ? r.shuffle([...helperModules]).slice(0, r.int(1, 2)) : [];
  const relayOf = new Map([...relays.values()].filter((x) => x.service === def).map((x) => [x.handler, x.object]));
  const blocks: string[] = [];
  for (const h of def.handlers) {
    for (const used of h.uses ?? []) imports.value(used.file, used.varName);
    for (const used of h.typeUses ?? []) imports.type(used.file, used.typeName);
    const env: Env = { r, def, h, imports, defs, relay: relays.get(def), helpers, stats, counter: 0 };
    blocks.push(...handlerLines(env, relayOf.get(h)).map((l) => `    ${l}`));
  }
  return [
    `import * as restate from "@restatedev/restate-sdk";`,
    `import type { Payload } from "${specifier(def.file, TYPES)}";`,
    ...imports.lines(),
    ``,
    `type Request = Payload & { attempt?: number };`,
    ``,
    `export const ${def.varName} = restate.${def.kind}({`,
    `  name: "${def.name}",`,
    `  handlers: {`,
    ...blocks,
    `  },`,
    `});`,
    ``,
    `export type ${def.typeName} = typeof ${def.varName};`,
    ``,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Other files

function emitDomainBarrel(domain: string, defs: readonly Def[]): string {
  const mine = defs.filter((d) => d.domain === domain).sort((a, b) => a.file.localeCompare(b.file));
  return mine.map((d) => `export * from "./${path.posix.basename(d.file, ".ts")}.js";\n`).join("");
}

function emitConstants(defs: readonly Def[]): string {
  const sorted = [...defs].sort((a, b) => a.varName.localeCompare(b.varName));
  return [
    `/** Service names, shared by the definitions' callers and the tests. */`,
    `export const NAMES = {`,
    ...sorted.map((d) => `  ${d.varName}: "${d.name}",`),
    `} as const;`,
    ``,
    `export type ServiceName = (typeof NAMES)[keyof typeof NAMES];`,
    ``,
  ].join("\n");
}

function emitApp(defs: readonly Def[]): string {
  const names = defs.map((d) => d.varName).sort();
  return [
    `import * as restate from "@restatedev/restate-sdk";`,
    `import { ${names.join(", ")} } from "./services/index.js";`,
    ``,
    `restate.serve({`,
    `  services: [${names.join(", ")}],`,
    `  port: Number(process.env.PORT ?? 9080),`,
    `});`,
    ``,
  ].join("\n");
}

/** What an e2e test does with one handler: call it, send to it, or start and await a workflow. */
function ingressStep(r: Random, target: Def, handler: HandlerSpec | undefined, name: string): string[] {
  if (target.kind === "workflow") {
    return [
      `await ingress.workflowClient(${name}, key).workflowSubmit({ id: key, amount: ${r.int(1, 99)}, items: [] });`,
      `expect(await ingress.workflowClient(${name}, key).workflowAttach()).toBeDefined();`,
    ];
  }
  const arg = handler!.hasInput ? `{ id: key, amount: ${r.int(1, 99)}, items: [] }` : "";
  const keyArg = target.kind === "object" ? ", key" : "";
  if (r.chance(0.3)) {
    const opts = `clients.rpc.sendOpts({ idempotencyKey: \`\${key}-${handler!.name}\` })`;
    return [`await ingress.${target.kind}SendClient(${name}${keyArg}).${handler!.name}(${arg ? `${arg}, ` : ""}${opts});`];
  }
  // Now and then a one-off connection, as short tests write it.
  const via = r.chance(0.2) ? `clients.connect({ url: INGRESS })` : "ingress";
  return [`const answer = await ${via}.${target.kind}Client(${name}${keyArg}).${handler!.name}(${arg});`, `expect(answer).toBeDefined();`];
}

function emitTest(r: Random, file: string, subject: Def, defs: readonly Def[], stats: RealisticStats): string {
  const imports = new Imports(file, FLAT);
  const cases: string[] = [];
  for (let k = r.int(2, 4); k > 0; k--) {
    const target = k === 1 ? r.pick(defs) : subject;
    const open = callable(target).filter((h) => h.kind !== "run");
    if (target.kind !== "workflow" && open.length === 0) continue;
    const handler = open.length > 0 ? r.pick(open) : undefined;
    let name = target.varName;
    if (r.chance(0.5)) imports.value(target.file, target.varName);
    else {
      imports.type(target.file, target.typeName);
      imports.value(CONSTANTS, "NAMES");
      stats.namedByConstant++;
      name = `{ name: NAMES.${target.varName} } as ${target.typeName}`;
    }
    stats.ingressCalls++;
    const steps = ingressStep(r, target, handler, name);
    if (target.kind === "workflow") stats.ingressCalls++;
    cases.push(
      `  it("${handler?.name ?? "runs"} on ${target.name}", async () => {`,
      `    const key = \`test-\${crypto.randomUUID()}\`;`,
      ...steps.map((l) => `    ${l}`),
      `  });`,
    );
  }
  return [
    `import * as clients from "@restatedev/restate-sdk-clients";`,
    `import { describe, expect, it } from "vitest";`,
    ...imports.lines(),
    ``,
    `const INGRESS = process.env.RESTATE_INGRESS_URL ?? "http://localhost:8080";`,
    `const ingress = clients.connect({ url: INGRESS });`,
    ``,
    `describe("${subject.name}", () => {`,
    // A blank line between the cases.
    ...cases.flatMap((l) => (l.startsWith("  it(") && l !== cases[0] ? ["", l] : [l])),
    `});`,
    ``,
  ].join("\n");
}

function packageJson(files: number, seed: number): string {
  return `${JSON.stringify(
    {
      name: `restate-bench-realistic-${files}-${seed}`,
      private: true,
      type: "module",
      scripts: { build: "tsc", start: "node dist/app.js", test: "vitest run" },
      dependencies: { "@restatedev/restate-sdk": "^1.17.2" },
      devDependencies: { "@restatedev/restate-sdk-clients": "^1.17.2", typescript: "^5.9.3", vitest: "^3.2.4" },
    },
    null,
    2,
  )}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", skipLibCheck: true },
    include: ["src", "test"],
  },
  null,
  2,
)}\n`;
