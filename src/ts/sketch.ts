import { ID, PUNCT, STR, type Token, closingBracket, isIdentPart, isIdentStart, isOperatorBefore } from "../model/sketch-tokens.js";
import type { FileSketch, HandlerKind, ServiceKind } from "../model/types.js";
import { own } from "../model/records.js";
import { restateModuleOf } from "./imports.js";
import { FACTORIES, WRAPPERS, runtimeKind } from "./sdk-definitions.js";

/**
 * A text-level sketch of a TypeScript/JavaScript file for the project index: which words name
 * what it defines and which words it may wait on, read off a token stream without parsing.
 * It must over-approximate what the parser-based frontend finds (a missed wait could hide a
 * deadlock); a word too many only makes the index parse a file more.
 */

const REQUEST_FACTORIES = new Set(["serviceClient", "objectClient", "workflowClient", "client", "genericCall"]);
const SEND_FACTORIES = new Set(["serviceSendClient", "objectSendClient", "workflowSendClient", "sendClient", "genericSend"]);
const DECLARATIONS = new Set(["const", "let", "var", "function", "class", "enum", "namespace", "module", "type", "interface"]);
const VARIABLES = new Set(["const", "let", "var"]);
const DEFINITION_CALLS = new Set(["service", "object", "workflow"]);
/** Words of an expression that never name a definition. */
const NOT_NAMES = new Set(["typeof", "keyof", "as", "satisfies", "const", "await", "void", "readonly", "unique", "this", "null", "undefined", "true", "false"]);
/** After these, a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORDS = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await", "instanceof"]);
const REGEX_AFTER_PUNCT = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^", "=>"]);
const MAX_EXPRESSION_TOKENS = 400;
/** Every word the sketch acts on. */
const KEYWORDS = new Set([
  "as", "export", "import", "require", "from", "name", "iface", "attach", "implement", "handlers",
  ...DECLARATIONS, ...DEFINITION_CALLS, ...REQUEST_FACTORIES, ...SEND_FACTORIES,
]);

/**
 * Whether a file may export a constant that names a service (`export const COUNTER_OBJECT =
 * { name: "Counter" }`, or `{ name: COUNTER_NAME }`), which a definition elsewhere may spread or
 * a call name as its target. A name in lower case after `name:` is more often a type (`name:
 * string`) than a constant: such files are left out, and so are their names.
 */
export function mayExportNames(text: string): boolean {
  return /\bname["']?\s*:\s*(?:["'`]|[A-Z])/.test(text) && /\bexport\b/.test(text);
}

export function sketchTypeScript(text: string): FileSketch {
  const toks = tokenize(text);
  const handles = new Set<string>();
  const handleRefs = new Set<string>();
  const waits = new Set<string>();
  const sendWords = new Set<string>();
  const aliases: [string, string][] = [];
  const imports = new Set<string>();
  /** Names the file declares (at any depth), and those of them bound to a required module. */
  const declared = new Set<string>();
  const required = new Set<string>();
  const waitSites: WaitSite[] = [];
  const sendSites: WaitSite[] = [];
  let attaches = false;
  let passThrough = false;
  let definitionCall = false;
  // A descriptor (`iface.object("Wallet", …)`) or its `implement(…)`: a definition no handler map shows.
  let describedApart = false;
  /** Where `object(`, `service(` or `workflow(` is written with no string first: maybe a definition. */
  const definitionCalls: number[] = [];
  // A call's `{ name: "X" }` names its target, not a definition of this file.
  let targetUntil = -1;
  // Declarations at the top level never nest: reading their whole initializers stays linear.
  let braces = 0;
  /** The brace depths inside the specs of the definition calls being read (`object({ … })`), the innermost apart. */
  const outerSpecs: number[] = [];
  let spec = -1;
  // For the passes after this one, which then read only these tokens: where the `import`
  // declarations start, and where a handler map may be written (`handlers` outside an import,
  // not a member); a string "handlers" means a map the sketch does not read.
  const importsAt: number[] = [];
  const mapsAt: number[] = [];
  let inImport = false;
  let handlersString = false;

  for (let j = 0; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.k === PUNCT) {
      if (t.v === "{") braces++;
      else if (t.v === "}") {
        braces--;
        // A `}` too many (odd text, a file being typed) leaves no spec to close.
        while (spec >= 0 && spec > braces) spec = outerSpecs.pop() ?? -1;
      } else if (t.v === "." && braces === spec && toks[j + 1]?.v === "." && toks[j + 2]?.v === ".") {
        // `object({ ...COUNTER_OBJECT, handlers })`: the definition's name may be another constant's.
        for (const w of chainWords(toks, j + 3)) handleRefs.add(w);
        j += 2;
      }
      continue;
    }
    if (t.k === STR) {
      if (t.v === "handlers") handlersString = true;
      // `ctx["objectClient"](…)`: a factory called as a computed member is one too.
      if (toks[j - 1]?.v === "[" && toks[j + 1]?.v === "]") {
        if (REQUEST_FACTORIES.has(t.v)) targetUntil = factoryTargetWords(toks, j + 2, waits, waitSites);
        else if (SEND_FACTORIES.has(t.v)) targetUntil = factoryTargetWords(toks, j + 2, sendWords, sendSites);
      }
      continue;
    }
    // Most words are none of those below: one lookup sends them on.
    if (!KEYWORDS.has(t.v)) continue;
    const next = toks[j + 1];
    switch (t.v) {
      case "as": {
        const prev = toks[j - 1];
        if (prev?.k === ID && next?.k === ID) aliases.push([next.v, prev.v]);
        continue;
      }
      case "export":
        if (next?.v === "default") {
          handles.add("default");
          // `export default { name: "Counter" }` or `export default COUNTER`: what an import of the default stands for.
          const value = toks[j + 2];
          if (value?.v === "{") for (const w of objectWords(toks, j + 2, scanLimit(braces))) aliases.push(["default", w]);
          else if (value?.k === ID) for (const w of chainWords(toks, j + 2)) aliases.push(["default", w]);
        } else if (next?.v === "*" || (next?.v === "{" && toks[closing(toks, j + 1) + 1]?.v === "from")) passThrough = true;
        continue;
      case "import": {
        const declaration = toks[j - 1]?.v !== ".";
        if (declaration) importsAt.push(j);
        // `import { handlers } from "@restatedev/restate-sdk"` (or `* as handlers`) names no map; `import(…)` and `import.meta` import nothing.
        inImport = declaration && next?.v !== "(" && next?.v !== ".";
        if (next?.k === STR) imports.add(next.v);
        else if (next?.v === "(" && toks[j + 2]?.k === STR) imports.add(toks[j + 2]!.v);
        else {
          // `import X from` / `import X, { … } from` / `import type X from`: X is the default export.
          let at = j + 1;
          if (toks[at]?.v === "type" && toks[at + 1]?.k === ID && toks[at + 1]!.v !== "from") at++;
          const name = toks[at];
          const after = toks[at + 1]?.v;
          if (name?.k === ID && (after === "from" || after === ",")) aliases.push([name.v, "default"]);
        }
        continue;
      }
      case "require":
        if (next?.v === "(" && toks[j + 2]?.k === STR) imports.add(toks[j + 2]!.v);
        continue;
      case "from":
        inImport = false;
        if (next?.k === STR) imports.add(next.v);
        continue;
      case "handlers":
        if (!inImport && toks[j - 1]?.v !== "." && next?.v !== ".") mapsAt.push(j);
        continue;
      case "name":
        // `name: "Counter"` or `name: COUNTER_NAME` in a definition.
        if (next?.v === ":" && toks[j - 1]?.v !== "." && j > targetUntil) {
          const value = toks[j + 2];
          if (value?.k === STR) handles.add(value.v);
          else if (value?.k === ID) for (const w of chainWords(toks, j + 2)) handleRefs.add(w);
        }
        continue;
      case "iface":
        passThrough = true;
        continue;
      case "attach":
        attaches = true;
        continue;
    }
    if (VARIABLES.has(t.v) && next?.v === "{") {
      // `const { counter: c } = require("./counter")`: c stands for counter.
      const end = closing(toks, j + 1);
      for (let m = j + 2; m < end; m++) {
        const key = toks[m]!;
        const value = toks[m + 2];
        if (key.k !== ID || toks[m + 1]?.v !== ":" || value?.k !== ID) continue;
        aliases.push([value.v, key.v]);
        handles.add(value.v);
        declared.add(value.v);
      }
    } else if (DECLARATIONS.has(t.v) && toks[j - 1]?.v !== ".") {
      const nameAt = next?.v === "*" ? j + 2 : j + 1;
      const name = toks[nameAt];
      if (name?.k !== ID) continue;
      handles.add(name.v);
      declared.add(name.v);
      // `const x = require(…)` or `const x = await import(…)`: a module, like an import.
      const init = toks[nameAt + 1]?.v === "=" ? toks[nameAt + (toks[nameAt + 2]?.v === "await" ? 3 : 2)]?.v : undefined;
      if (init === "require" || init === "import") required.add(name.v);
      if (VARIABLES.has(t.v)) for (const w of simpleInitializer(toks, nameAt + 1, scanLimit(braces))) aliases.push([name.v, w]);
    } else if (DEFINITION_CALLS.has(t.v) && next?.v === "(" && toks[j + 2]?.k === STR) {
      definitionCall = true;
      describedApart = true;
      // `const api = iface.object("Wallet", …)`: "Wallet" is defined here, and `api` names it.
      const name = toks[j + 2]!.v;
      handles.add(name);
      const declared = declaredBefore(toks, j);
      if (declared) aliases.push([declared, name]);
    } else if (DEFINITION_CALLS.has(t.v) && next?.v === "(") {
      definitionCall = true;
      definitionCalls.push(j);
      // `object(spec)`: the definition's name may be another constant's; the spreads of
      // `object({ … })` are read as the loop goes through it.
      const arg = toks[j + 2];
      if (arg?.k === ID) for (const w of chainWords(toks, j + 2)) handleRefs.add(w);
      else if (arg?.v === "{") {
        if (spec >= 0) outerSpecs.push(spec);
        spec = braces + 1;
      }
    } else if (t.v === "implement") {
      definitionCall = true;
      describedApart = true;
      // `implement(api, …)` defines, in this file, the service the descriptor `api` names.
      targetUntil = factoryTargetWords(toks, j + 1, handleRefs);
    } else if (REQUEST_FACTORIES.has(t.v) || SEND_FACTORIES.has(t.v)) {
      // Only a method is a client's factory (`ctx.objectClient(…)`): a function or a parameter of
      // that name (the SDK's own `genericCall(…)` in its client proxies) makes no call; its
      // argument is still no definition's name.
      const member = toks[j - 1]?.v === ".";
      const send = SEND_FACTORIES.has(t.v);
      targetUntil = factoryTargetWords(toks, j + 1, member ? (send ? sendWords : waits) : new Set(), member ? (send ? sendSites : waitSites) : undefined);
    }
  }
  // A send waited for through `attach` is a wait.
  if (attaches) for (const w of sendWords) waits.add(w);
  const sketch: FileSketch = {
    handles: [...handles],
    handleRefs: [...handleRefs],
    waits: [...waits],
    aliases,
    imports: [...imports],
    passThrough,
    // `z.object({ name: z.string() })` is no definition: a Restate one has handlers (`handlers: {…}`,
    // or a variable of that name written shorthand).
    defines: definitionCall && /\bhandlers\b/.test(text),
  };
  // Without a handler map to read (tests, clients, barrels, constants), neither the maps nor the
  // SDK's imports for them are read.
  const readsMaps = mapsAt.length > 0 && !handlersString;
  const imported = readsMaps ? importBindings(toks, importsAt) : new Map<string, ImportBinding>();
  const sdk = sdkBindings(imported);
  const bodies = handlersString ? null : readsMaps ? handlerBodies(toks, sdk, mapsAt) : [];
  if (bodies) addHandlerFacts(sketch, toks, bodies, sdk, imported, { declared, required, describedApart, definitionCalls, attaches, waitSites, sendSites });
  return sketch;
}

/** What the main loop read that the facts of the handler maps need. */
interface LoopFacts {
  declared: ReadonlySet<string>;
  required: ReadonlySet<string>;
  describedApart: boolean;
  /** Where `object(`, `service(` or `workflow(` is written with no string first. */
  definitionCalls: readonly number[];
  attaches: boolean;
  waitSites: readonly WaitSite[];
  sendSites: readonly WaitSite[];
}

/**
 * Adds to `sketch` what the handler maps read (`bodies`) tell: the handlers, the kinds of the
 * named definitions, whether those are all of the file's, and the handler each wait is written in.
 * A function apart from the main loop: the optimizing compiler compiles that loop while it runs
 * (a cold lint sketches each file once), and a smaller function is less to compile.
 */
function addHandlerFacts(
  sketch: FileSketch,
  toks: Token[],
  bodies: readonly HandlerBody[],
  sdk: ReadonlyMap<string, string>,
  imported: ReadonlyMap<string, ImportBinding>,
  { declared, required, describedApart, definitionCalls, attaches, waitSites, sendSites }: LoopFacts,
): void {
  const entries = new Map<string, number>();
  const handlers: NonNullable<FileSketch["handlers"]> = [];
  const slot = bodies.map((b) => {
    const key = `${b.map}\u0000${b.name}\u0000${b.lockless}`;
    let i = entries.get(key);
    if (i === undefined) {
      entries.set(key, (i = handlers.length));
      handlers.push(b.lockless ? { name: b.name, map: b.map, lockless: true } : { name: b.name, map: b.map });
    }
    return i;
  });
  sketch.handlers = handlers;
  // A name written twice in one map is registered once: which one, the text does not say.
  const written = new Map<string, number>();
  const keyOf = (b: HandlerBody) => `${b.map}\u0000${b.name}`;
  for (const b of bodies) written.set(keyOf(b), (written.get(keyOf(b)) ?? 0) + 1);
  // Each named definition, with the handlers whose kind the text tells (by its handler map).
  const kinds = new Map<number, NonNullable<FileSketch["kinds"]>[number]>();
  for (const b of bodies) {
    if (b.named === null) continue;
    let d = kinds.get(b.map);
    if (!d) kinds.set(b.map, (d = { name: b.named, export: b.exported, handlers: [] }));
    if (b.kind !== null && written.get(keyOf(b)) === 1) d.handlers.push([b.name, b.kind]);
  }
  if (kinds.size > 0) sketch.kinds = [...kinds.values()];
  // Every definition call of the file holds one of the maps read, named by a string: none is
  // named by a constant or a spread, built from a variable, written with a map elsewhere (then
  // `bodies` is null) or an empty one, or made by a descriptor's `implement`.
  if (
    kinds.size > 0 &&
    !describedApart &&
    bodies.every((b) => b.named !== null) &&
    definitionCalls.filter((j) => sdkFactoryAt(toks, j, sdk)).length === kinds.size
  ) {
    sketch.definitionsKnown = true;
  }
  // A variable the file declares and does not import can only be one of the file's own (or a
  // parameter, or a global): what it stands for is this file, and what the file's aliases of it stand for.
  const own = (w: string): boolean => declared.has(w) && !required.has(w) && !imported.has(w);
  const sites = attaches ? [...waitSites, ...sendSites].sort((a, b) => a.at - b.at) : waitSites;
  sketch.sites = bodies.length === 0 ? [] : sitesByHandler(sites, bodies, slot, own);
}

/** The tokens of one handler written inline in a handler map: its name, then its value up to the comma. */
interface HandlerBody {
  name: string;
  /** Which handler map of the file (a definition's lock is its map's handlers'). */
  map: number;
  start: number;
  end: number;
  /** Surely takes no lock: a service's, a workflow's other than `run`, or wrapped shared. */
  lockless: boolean;
  /** Its definition's name, when the SDK's definition writes it as one string (`name: "Counter"`). */
  named: string | null;
  /** The name its definition is exported by (`export const counter = restate.object({ name: "Counter", … })`). */
  exported: string | null;
  /** How the runtime surely registers it (as the frontend's `runtimeKind` has it); null when the text does not say. */
  kind: HandlerKind | null;
}

/**
 * The handlers written inline in the file's handler maps (`handlers: { add: async (ctx) => …,
 * async get(ctx) { … }, reset }`), each with the tokens of its value; null when a handler map is
 * written any other way (a variable, a spread, a computed name, a map inside a handler), since
 * the waits of a handler could then lie anywhere in the file. `mapsAt`: the tokens `handlers` that
 * may start a map, in order (the file has no string "handlers", which would be a map not read
 * here: `"handlers": …`, or `[HANDLERS]: …` with `const HANDLERS = "handlers"`).
 */
function handlerBodies(toks: Token[], sdk: ReadonlyMap<string, string>, mapsAt: readonly number[]): HandlerBody[] | null {
  const bodies: HandlerBody[] = [];
  let mapEnd = -1;
  let maps = -1;
  for (const j of mapsAt) {
    if (j < mapEnd || toks[j + 1]?.v !== ":" || toks[j + 2]?.v !== "{") return null;
    const open = j + 2;
    mapEnd = closingBracket(toks, open, toks.length);
    if (toks[mapEnd]?.v !== "}") return null;
    maps++;
    const definition = definitionAt(toks, j, sdk);
    const kind = definition?.kind ?? null;
    const named = definition?.name ?? null;
    const sure = definition?.exported && named !== null ? definition.exported : null;
    for (let p = open + 1; p < mapEnd; ) {
      let k = p;
      if (toks[k]!.v === "async" && (toks[k + 1]?.k !== PUNCT || toks[k + 1]?.v === "*")) k++;
      // A generator method, `*run(…) { … }` or `async *run(…) { … }`.
      if (toks[k]!.v === "*" && toks[k + 1]?.k !== PUNCT) k++;
      const key = toks[k]!;
      const after = toks[k + 1]?.v;
      if (key.k === PUNCT || (after !== ":" && after !== "(" && after !== "," && k + 1 !== mapEnd)) return null;
      let m = k + 1;
      for (let depth = 0; m < mapEnd && (depth > 0 || toks[m]!.v !== ","); m++) {
        const v = toks[m]!.v;
        if (toks[m]!.k !== PUNCT) continue;
        if (v === "(" || v === "[" || v === "{") depth++;
        else if (v === ")" || v === "]" || v === "}") depth--;
      }
      const wrapper = after === ":" ? sdkPathAt(toks, k + 2, sdk) : null;
      const wrapped = wrapper !== null && toks[k + 2 + 2 * wrapper.words - 1]?.v === "(" ? own(WRAPPERS, wrapper.path) : undefined;
      const lockless =
        key.v !== "run" && (kind === "service" || kind === "workflow" || (wrapped !== undefined && wrapped !== "exclusive"));
      // A service's and a workflow's handlers are registered by their map; an object's by its
      // wrapper, and as exclusive when written as a function (the frontend follows a variable to a
      // wrapper, which the text cannot).
      const isFunction = after === "(" || (after === ":" && isFunctionAt(toks, k + 2));
      // `shared(fn).bind(x)` or `shared(fn) as H` is no call of the wrapper to the frontend's eye.
      const wrapperCall = wrapper === null ? -1 : k + 2 + 2 * wrapper.words - 1;
      const wholeWrapped = wrapped !== undefined && closingBracket(toks, wrapperCall, toks.length) === m - 1;
      const sureKind =
        kind !== null && (kind !== "object" || wholeWrapped || (wrapped === undefined && isFunction)) ? runtimeKind(kind, key.v, wrapped ?? "plain") : null;
      bodies.push({ name: key.v, map: maps, start: k, end: m, lockless, named, exported: sure, kind: sureKind });
      p = m + 1;
    }
  }
  return bodies;
}

/**
 * Whether a function expression starts at `at`: `function …`, `async function …`, `(…) => …`,
 * `async (…) => …`, `x => …`, `async x => …` (a parenthesised expression or a call of a function
 * named `async` is none: what follows its `)` is no `=>` or return type).
 */
function isFunctionAt(toks: readonly Token[], at: number): boolean {
  if (toks[at]?.k === ID && toks[at]!.v === "async" && (toks[at + 1]?.k === ID || toks[at + 1]?.v === "(")) at++;
  const t = toks[at];
  if (!t) return false;
  if (t.k === ID) return t.v === "function" || toks[at + 1]?.v === "=>";
  if (t.v !== "(") return false;
  const close = closingBracket(toks, at, MAX_EXPRESSION_TOKENS);
  const after = toks[close + 1]?.v;
  return toks[close]?.v === ")" && (after === "=>" || after === ":");
}

interface DefinitionAt {
  kind: ServiceKind;
  /** `export const <binding> = restate.object({ … })`: the exported name it is bound to. */
  exported: string | null;
  /** Its one `name:`, when a string literal. */
  name: string | null;
}

/**
 * The definition whose argument holds the handler map named at `at` (`restate.object({ name,
 * handlers: … })`), when the callee is the SDK's; null otherwise.
 */
function definitionAt(toks: Token[], at: number, sdk: ReadonlyMap<string, string>): DefinitionAt | null {
  let depth = 0;
  let m = at - 1;
  for (; m >= 0; m--) {
    const v = toks[m]!;
    if (v.k !== PUNCT) continue;
    if (v.v === ")" || v.v === "]" || v.v === "}") depth++;
    else if (v.v === "(" || v.v === "[" || v.v === "{") {
      if (depth === 0) break;
      depth--;
    }
  }
  if (toks[m]?.v !== "{" || toks[m - 1]?.v !== "(") return null;
  const factory = sdkFactoryAt(toks, m - 2, sdk);
  if (!factory) return null;
  const { kind, first } = factory;
  const exported =
    toks[first - 1]?.v === "=" && toks[first - 2]?.k === ID && toks[first - 3]?.v === "const" && toks[first - 4]?.v === "export" ? toks[first - 2]!.v : null;
  return { kind, exported, name: specName(toks, m) };
}

/** The definition an SDK factory makes when the chain ending at `last` names one (`restate.object`), and where the chain starts. */
function sdkFactoryAt(toks: Token[], last: number, sdk: ReadonlyMap<string, string>): { kind: ServiceKind; first: number } | null {
  let first = last;
  while (toks[first - 1]?.v === "." && toks[first - 2]?.k === ID) first -= 2;
  const callee = sdkPathAt(toks, first, sdk);
  const kind = callee && first + 2 * callee.words - 2 === last ? own(FACTORIES, callee.path) : undefined;
  return kind ? { kind, first } : null;
}

/** The local names bound to the SDK's exports, and the export path each stands for. */
function sdkBindings(imported: ReadonlyMap<string, ImportBinding>): Map<string, string> {
  return new Map([...imported].filter(([, b]) => b.source !== null && restateModuleOf(b.source) === "sdk").map(([local, b]) => [local, b.path]));
}

/** The string of the one `name: "…"` property of the object literal at `open`; null for none, several, or another value. */
function specName(toks: Token[], open: number): string | null {
  const end = closingBracket(toks, open, toks.length);
  let name: string | null = null;
  let names = 0;
  for (let m = open + 1, depth = 0; m < end; m++) {
    const t = toks[m]!;
    // A spread may bring a `name` of its own: the frontend reads those, this does not.
    if (depth === 0 && t.v === "." && toks[m + 1]?.v === "." && toks[m + 2]?.v === ".") return null;
    if (t.k === PUNCT) {
      if (t.v === "(" || t.v === "[" || t.v === "{") depth++;
      else if (t.v === ")" || t.v === "]" || t.v === "}") depth--;
      continue;
    }
    if (depth !== 0 || t.v !== "name" || toks[m + 1]?.v !== ":" || (toks[m - 1]?.v !== "{" && toks[m - 1]?.v !== ",")) continue;
    names++;
    const value = toks[m + 2];
    const after = toks[m + 3]?.v;
    name = value?.k === STR && (after === "," || after === "}") && !value.v.includes("\\") ? value.v : null;
  }
  return names === 1 ? name : null;
}

/** The SDK export path a chain `a.b.c` at `at` names (its head bound by an import of the SDK), and its number of words. */
function sdkPathAt(toks: Token[], at: number, sdk: ReadonlyMap<string, string>): { path: string; words: number } | null {
  const head = toks[at];
  const base = head?.k === ID ? sdk.get(head.v) : undefined;
  if (base === undefined) return null;
  const words = chainWords(toks, at);
  return { path: [base, ...words.slice(1)].filter((w) => w !== "").join("."), words: words.length };
}

interface ImportBinding {
  /** The export path it stands for ("" for a namespace or a default export). */
  path: string;
  /** The module, null for `import x = require(…)` and the like. */
  source: string | null;
}

/** The local names the file's `import` declarations (starting at `importsAt`) bind, as the frontend binds them. */
function importBindings(toks: Token[], importsAt: readonly number[]): Map<string, ImportBinding> {
  const out = new Map<string, ImportBinding>();
  for (const j of importsAt) {
    const bound: [string, string][] = [];
    let m = j + 1;
    if (toks[m]?.v === "type" && toks[m + 1]?.k === ID && toks[m + 1]!.v !== "from") m++;
    if (toks[m]?.k === ID && toks[m]!.v !== "from") {
      bound.push([toks[m]!.v, ""]);
      m++;
      if (toks[m]?.v === ",") m++;
    }
    if (toks[m]?.v === "*" && toks[m + 1]?.v === "as" && toks[m + 2]?.k === ID) {
      bound.push([toks[m + 2]!.v, ""]);
      m += 3;
    } else if (toks[m]?.v === "{") {
      const end = closingBracket(toks, m, MAX_EXPRESSION_TOKENS);
      for (let n = m + 1; n < end; ) {
        if (toks[n]!.v === "type" && toks[n + 1]?.k === ID && toks[n + 1]!.v !== "as") n++;
        const name = toks[n]!;
        if (name.k === PUNCT) {
          n++;
          continue;
        }
        if (toks[n + 1]?.v === "as" && toks[n + 2]?.k === ID) {
          bound.push([toks[n + 2]!.v, name.v]);
          n += 3;
        } else {
          bound.push([name.v, name.v]);
          n++;
        }
      }
      m = end + 1;
    }
    const from = toks[m]?.v === "from" && toks[m + 1]?.k === STR ? toks[m + 1]!.v : null;
    for (const [local, path] of bound) out.set(local, { path, source: from });
  }
  return out;
}

/** Each wait with the handler it is written in (-1 outside every handler: a helper any of the file's handlers may run). */
function sitesByHandler(
  sites: readonly WaitSite[],
  bodies: readonly HandlerBody[],
  slot: readonly number[],
  own: (word: string) => boolean,
): NonNullable<FileSketch["sites"]> {
  const out: NonNullable<FileSketch["sites"]> = [];
  const seen = new Set<string>();
  let b = 0;
  for (const site of sites) {
    while (b < bodies.length && bodies[b]!.end < site.at) b++;
    const body = bodies[b];
    const within = body && body.start <= site.at ? slot[b]! : -1;
    const local = [...site.refs].filter(own);
    const key = `${within}\u0000${site.calls}\u0000${site.words.join("\u0000")}\u0000${local.join("\u0000")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(local.length > 0 ? { in: within, words: site.words, calls: site.calls, local } : { in: within, words: site.words, calls: site.calls });
  }
  return out;
}

function scanLimit(braces: number): number {
  return braces <= 0 ? Number.MAX_SAFE_INTEGER : 4 * MAX_EXPRESSION_TOKENS;
}

/** The words of `a.b.c` starting at `at`. */
function chainWords(toks: Token[], at: number): string[] {
  const words: string[] = [];
  for (let m = at; toks[m]?.k === ID && !NOT_NAMES.has(toks[m]!.v); m += 2) {
    words.push(toks[m]!.v);
    if (toks[m + 1]?.v !== ".") break;
  }
  return words;
}

function spreadWords(toks: Token[], from: number, to: number): string[] {
  const words: string[] = [];
  for (let m = from; m + 3 < to; m++) {
    if (toks[m]!.v === "." && toks[m + 1]!.v === "." && toks[m + 2]!.v === ".") {
      words.push(...chainWords(toks, m + 3));
      m += 2;
    }
  }
  return words;
}

/**
 * The words an object literal at `open` may give a name read off it (`{ name: "Counter" }`,
 * `{ counter: { name: COUNTER } }`, `{ ...BASE }`, `{ name }`): values that are strings or plain
 * references, at any depth, and spreads. Keys and calls are left out.
 */
function objectWords(toks: Token[], open: number, limit: number): string[] {
  const end = closingBracket(toks, open, limit);
  const words = spreadWords(toks, open, end);
  for (let m = open + 1; m < end; m++) {
    const tok = toks[m]!;
    const prev = toks[m - 1]!.v;
    if (tok.k === STR && prev === ":") words.push(tok.v);
    else if (tok.k === ID && (prev === ":" || ((prev === "{" || prev === ",") && (toks[m + 1]?.v === "," || toks[m + 1]?.v === "}")))) {
      const chain = chainWords(toks, m);
      const after = toks[m + 2 * chain.length - 1]?.v;
      // `a: f(x)` is a call's result, `a: () => …` a function: no name we follow.
      if (chain.length > 0 && after !== "(" && after !== "=>") words.push(...chain);
    }
  }
  return words;
}

/** `X` in `const X = a.b.f(` where `f` is at `at`. */
function declaredBefore(toks: Token[], at: number): string | null {
  let m = at - 1;
  while (m > 1 && toks[m]!.v === "." && toks[m - 1]!.k === ID) m -= 2;
  return toks[m]?.v === "=" && toks[m - 1]?.k === ID ? toks[m - 1]!.v : null;
}

/** The index of the token closing the bracket at `open`. */
function closing(toks: Token[], open: number): number {
  return closingBracket(toks, open, 4 * MAX_EXPRESSION_TOKENS);
}

/**
 * The words of a client factory's type arguments and first argument: `objectClient(Counter, k)`,
 * `objectClient<typeof api>({ name: "counter" }, k)`, `genericCall({ service: "X", … })`.
 * Returns the index where the first argument ends. A declaration of a method of that name (an
 * SDK's own `objectClient<D>(opts: …): Client<D>;` or `objectClient(opts, key) { … }`) is no
 * call: its words are left out.
 */
function factoryTargetWords(toks: Token[], at: number, out: Set<string>, sites?: WaitSite[]): number {
  const call = factoryCall(toks, at);
  for (const w of call.words) out.add(w);
  if (sites && call.words.size > 0) sites.push({ at, words: [...call.words], refs: call.refs, calls: call.calls });
  return call.end;
}

interface WaitSite {
  /** The factory's token. */
  at: number;
  words: string[];
  /** The words that read a variable. */
  refs: ReadonlySet<string>;
  calls: string;
}

/**
 * A client factory's call at `at` (see `factoryTargetWords`): its target words (none for a
 * declaration), where its first argument ends, and the handler called on the client right away
 * (`objectClient(a, k).add(…)`), "" when it is not written there (a client kept in a variable).
 */
function factoryCall(toks: Token[], at: number): { words: Set<string>; refs: Set<string>; end: number; calls: string } {
  const words = new Set<string>();
  const refs = new Set<string>();
  const plain = new Set<string>();
  let m = at;
  if (toks[m]?.v === "<") {
    let depth = 0;
    for (; m < toks.length && m < at + MAX_EXPRESSION_TOKENS; m++) {
      const v = toks[m]!.v;
      if (v === "<") depth++;
      else if (v === ">") {
        depth--;
        if (depth === 0) break;
      } else addWord(toks, m, words, refs, plain);
    }
    m++;
  }
  if (toks[m]?.v !== "(") return { words: new Set(), refs: new Set(), end: m, calls: "" };
  let depth = 0;
  let n = m + 1;
  let firstEnd = -1;
  for (; n < toks.length && n < m + MAX_EXPRESSION_TOKENS; n++) {
    const tok = toks[n]!;
    if (tok.k === PUNCT) {
      if (tok.v === "(" || tok.v === "[" || tok.v === "{") depth++;
      else if (tok.v === ")" || tok.v === "]" || tok.v === "}") {
        if (depth === 0) break;
        depth--;
      } else if (tok.v === "," && depth === 0 && firstEnd < 0) firstEnd = n;
      continue;
    }
    if (firstEnd < 0) addWord(toks, n, words, refs, plain);
  }
  // `name(…): T` and `name(…) {` declare, unless reached as a member (`x ? ctx.objectClient(…) : y`
  // is a call); a call goes on with `.`, `;`, `)` and the like.
  const before = toks[at - 2]?.v;
  const after = toks[n + 1]?.v;
  const declared = before === "function" || (before !== "." && toks[n]?.v === ")" && (after === ":" || after === "{"));
  const called = toks[n]?.v === ")" && after === "." && toks[n + 2]?.k === ID && toks[n + 3]?.v === "(" ? toks[n + 2]!.v : "";
  for (const w of plain) refs.delete(w);
  return { words: declared ? new Set() : words, refs: declared ? new Set() : refs, end: firstEnd >= 0 ? firstEnd : n, calls: called };
}

/** Adds a target word to `out`, and to `refs` when it reads a variable (not a string, not a property), else to `plain`. */
function addWord(toks: Token[], m: number, out: Set<string>, refs: Set<string>, plain: Set<string>): void {
  const tok = toks[m]!;
  if (tok.k === STR) {
    out.add(tok.v);
    plain.add(tok.v);
    return;
  }
  if (tok.k !== ID || NOT_NAMES.has(tok.v)) return;
  // A property key of an object literal (`{ name: … }`) names nothing.
  const prev = toks[m - 1]?.v;
  if (toks[m + 1]?.v === ":" && (prev === "{" || prev === ",")) return;
  out.add(tok.v);
  (prev === "." ? plain : refs).add(tok.v);
}

/**
 * The words of a variable's initializer when it only renames (`const api = Counter`,
 * `const NAME = "counter"`, `const t = flag ? A : B`) or is an object literal a name may be read
 * off (see `objectWords`); nothing for calls and functions, which the frontend does not follow
 * either.
 */
function simpleInitializer(toks: Token[], at: number, limit: number): string[] {
  let m = at;
  if (toks[m]?.v === ":") {
    // Skip a type annotation up to its `=`.
    let depth = 0;
    for (m++; m < toks.length && m < at + MAX_EXPRESSION_TOKENS; m++) {
      const v = toks[m]!.v;
      if (v === "(" || v === "[" || v === "{" || v === "<") depth++;
      else if (v === ")" || v === "]" || v === "}" || v === ">") depth--;
      else if (depth === 0 && (v === "=" || v === ";" || v === ",")) break;
    }
  }
  if (toks[m]?.v !== "=") return [];
  if (toks[m + 1]?.v === "{") return objectWords(toks, m + 1, limit);
  const words: string[] = [];
  let parens = 0;
  for (let n = m + 1; n < toks.length && n < m + 32; n++) {
    const tok = toks[n]!;
    if (tok.k === PUNCT) {
      if (tok.v === "(") {
        // Grouping, `(Counter as typeof api)`, is followed; a call is not.
        const prev = toks[n - 1]!;
        if ((prev.k === ID && !NOT_NAMES.has(prev.v)) || prev.v === ")" || prev.v === "]") return [];
        parens++;
      } else if (tok.v === ")" && parens > 0) parens--;
      else if (tok.v === ";" || tok.v === "," || tok.v === ")" || tok.v === "]" || tok.v === "}") return words;
      else if (tok.v === "{" || tok.v === "[" || tok.v === "=>" || tok.v === "=") return [];
      continue;
    }
    if (tok.k === ID && (tok.v === "function" || tok.v === "class" || tok.v === "new")) return [];
    if (tok.k === ID && DECLARATIONS.has(tok.v)) return words;
    if (tok.k === STR || !NOT_NAMES.has(tok.v)) words.push(tok.v);
  }
  return words;
}

/**
 * One token per punctuator, shared by every file: about half of a file's tokens are punctuation,
 * which then allocate nothing. No token is ever changed; they are not frozen, so that every token
 * keeps one shape.
 */
const PUNCTUATION = new Map<string, Token>();
function punct(v: string): Token {
  let t = PUNCTUATION.get(v);
  if (t === undefined) PUNCTUATION.set(v, (t = { k: PUNCT, v }));
  return t;
}
/** The single-character punctuators by character code (those below 128). */
const ASCII_PUNCTUATION: Token[] = Array.from({ length: 128 }, (_, c) => punct(String.fromCharCode(c)));
const OPEN_BRACE = punct("{");
const CLOSE_BRACE = punct("}");
const OPEN_SUBSTITUTION = punct("(");
const CLOSE_SUBSTITUTION = punct(")");
const ARROW = punct("=>");
const COMPARISON = punct("==");
const NUMBER = punct("0");
const REGEX = punct("/re/");
const DIVISION = punct("/");

/*
 * The runs of characters the tokenizer skips over, as sticky regular expressions: V8 compiles a
 * regular expression to machine code once it has run it (its regexp tier-up), where a loop over
 * the characters runs in the interpreter until the optimizing compiler, busy with everything else
 * in a cold lint, gets to it.
 */
const SPACE = /[ \n\r\t]*/y;
/** What `isIdentPart(c, true)` accepts: ASCII letters and digits, `_`, `$`, any code unit past ASCII. */
const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]*/y;
/** A string's text up to its closing quote or the end of the line (a `\` escapes any one character). */
const DOUBLE_QUOTED = /(?:[^"\\\n]|\\[\s\S]?)*/y;
const SINGLE_QUOTED = /(?:[^'\\\n]|\\[\s\S]?)*/y;
/** A template's text up to its closing backtick or its next `${`. */
const TEMPLATE_TEXT = /(?:[^`\\$]|\\[\s\S]?|\$(?!\{))*/y;

/** Where the run `pattern` matches from `at` ends (each may match nothing: only past the end does none match). */
function scanned(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : at;
}

/**
 * Identifiers, string contents (template parts included) and punctuation; comments, numbers and
 * regular expressions dropped. Linear, and never throws: odd text only gives odd tokens.
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  // Brace depths at which `${` of an enclosing template literal was opened.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;

  const regexAllowed = (): boolean => {
    const last = out[out.length - 1];
    if (!last) return true;
    if (last.k === PUNCT) return REGEX_AFTER_PUNCT.has(last.v);
    return last.k === ID && REGEX_AFTER_WORDS.has(last.v);
  };
  /** Scans template text from `start` (after "`" or a substitution's "}"); returns where to go on. */
  const template = (start: number): number => {
    const j = scanned(TEMPLATE_TEXT, text, start);
    out.push({ k: STR, v: text.slice(start, j) });
    if (j >= n) return n;
    if (text.charCodeAt(j) === 96) return j + 1;
    out.push(OPEN_SUBSTITUTION);
    templates.push(braces);
    braces++;
    return j + 2;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i = scanned(SPACE, text, i + 1);
    } else if (isIdentStart(c, true)) {
      const j = scanned(IDENTIFIER_PART, text, i + 1);
      out.push({ k: ID, v: text.slice(i, j) });
      i = j;
    } else if (c === 34 || c === 39) {
      // "…" or '…' (escapes kept as written)
      const j = scanned(c === 34 ? DOUBLE_QUOTED : SINGLE_QUOTED, text, i + 1);
      out.push({ k: STR, v: text.slice(i + 1, j) });
      i = j + 1;
    } else if (c === 96) {
      i = template(i + 1);
    } else if (c === 47) {
      // "/"
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end + 1;
      } else if (d === 42) {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (regexAllowed()) {
        let j = i + 1;
        let inClass = false;
        while (j < n) {
          const e = text.charCodeAt(j);
          if (e === 10) break;
          if (e === 92) j++;
          else if (e === 91) inClass = true;
          else if (e === 93) inClass = false;
          else if (e === 47 && !inClass) break;
          j++;
        }
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j), true)) j++;
        out.push(REGEX);
        i = j;
      } else {
        out.push(DIVISION);
        i++;
      }
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j), true) || text.charCodeAt(j) === 46)) j++;
      out.push(NUMBER);
      i = j;
    } else if (c === 123) {
      braces++;
      out.push(OPEN_BRACE);
      i++;
    } else if (c === 125) {
      if (templates.length > 0 && templates[templates.length - 1] === braces - 1) {
        templates.pop();
        braces--;
        out.push(CLOSE_SUBSTITUTION);
        i = template(i + 1);
      } else {
        braces--;
        out.push(CLOSE_BRACE);
        i++;
      }
    } else if (c === 61 && text.charCodeAt(i + 1) === 62) {
      out.push(ARROW);
      i += 2;
    } else if (c === 61 && (text.charCodeAt(i + 1) === 61 || text.charCodeAt(i - 1) === 61 || isOperatorBefore(text.charCodeAt(i - 1)))) {
      // `==`, `===`, `<=`, `!=`, `+=`…: no assignment of a name.
      out.push(COMPARISON);
      i++;
    } else {
      // Every code unit past ASCII starts an identifier: what is left here is ASCII.
      out.push(ASCII_PUNCTUATION[c]!);
      i++;
    }
  }
  return out;
}

