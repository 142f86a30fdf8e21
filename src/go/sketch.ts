import { ID, PUNCT, STR, type Token, closingBracket, isIdentPart, isIdentStart, isOperatorBefore } from "../model/sketch-tokens.js";
import type { FileSketch } from "../model/types.js";
import { INGRESS_PATH, SDK_PATH } from "./imports.js";

/**
 * The text-level sketch of a Go file for the project index (see `src/ts/sketch.ts` for the
 * contract: over-approximate the model). Go names services by strings and type names, so the
 * sketch needs no imports: handles are the receiver types of the file's methods (`Reflect`
 * names a service after its type), `ServiceName()` results and builder names; waits are the
 * words of every `restate.Service/Object/Workflow[…](…)` client (and of the `*Send` ones when
 * the file attaches to invocations); aliases are `Name = "literal"` constants and variables.
 *
 * A generated client names its target in another file, and its server is registered in yet
 * another: what links a call to the handler is the method's name, which the generated client and
 * the server's implementation share. A method taking a Restate context is the handle `.Add`; a
 * request made on the result of a method call, `….Add().Request(in)` (or on a variable holding
 * it), waits on `.Add`. The dot keeps these words apart from identifiers and service names.
 */

const CLIENTS = new Set(["Service", "Object", "Workflow"]);
const SEND_CLIENTS = new Set(["ServiceSend", "ObjectSend", "WorkflowSend"]);
const BUILDERS = new Set(["NewService", "NewObject", "NewWorkflow"]);
const CONTEXTS = new Set(["Context", "ObjectContext", "ObjectSharedContext", "WorkflowContext", "WorkflowSharedContext"]);
const REQUESTS = new Set(["Request", "RequestFuture"]);
const MAX_ARGUMENT_TOKENS = 400;

export function sketchGo(text: string): FileSketch {
  const toks = tokenizeGo(text);
  const handles = new Set<string>();
  const handleRefs = new Set<string>();
  const waits = new Set<string>();
  const sendWords = new Set<string>();
  const aliases: [string, string][] = [];
  /** `add := client.Add()`: the variable and the method whose result it holds. */
  const results: [string, string][] = [];
  let attaches = false;
  const contextNames = contextParams(toks);
  // Helpers of the same package link by words carrying the package's name; a call of another
  // package's function, or of a method on a value of a type the text does not tell, by the
  // name alone (`*:Name()`), which every exported function of that name taking a context has
  // too (only exported names are seen from other packages).
  const pkgAt = toks.findIndex((t) => t.k === ID && t.v === "package");
  const helperWord = (name: string) => `${pkgAt >= 0 ? toks[pkgAt + 1]?.v : ""}:${name}()`;
  const anyHelperWord = (name: string) => `*:${name}()`;
  const typedHelperWord = (type: string, name: string) => `${type}.${name}()`;
  const exported = (name: string) => /^[A-Z]/.test(name);
  const imported = importNames(toks);
  const sdk = sdkNames(toks);
  // A call through the ingress package is made by a client outside Restate, which holds no lock:
  // never a wait on a cycle (the model keeps it apart from the calls of handlers).
  const ingress = ingressNames(toks);
  const throughIngress = (at: number) => toks[at - 1]?.v === "." && ingress.has(toks[at - 2]?.v ?? "");
  const functions = goFunctions(toks);
  const typed = typedOperands(toks, functions);
  /** Each wait, one call at a time: where it is written, its words, and the handler it names. */
  const sites: { at: number; words: string[]; calls: string }[] = [];
  const wait = (at: number, words: string[], calls = "") => {
    for (const w of words) waits.add(w);
    if (words.length > 0) sites.push({ at, words, calls });
  };

  for (let j = 0; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.k !== ID) continue;
    const next = toks[j + 1];
    if (t.v === "func" && next?.v === "(") {
      // `func (c *Cart) Add(ctx …)`: the receiver's type (with type parameters: a word too many is
      // harmless; not the receiver's own name, which names no service and would link the file to
      // every wait written with a variable of that name); `ServiceName() string { return "X" }`
      // names the service.
      const close = closingParen(toks, j + 1);
      if (toks[close + 1]?.k !== ID || toks[close + 2]?.v !== "(") continue;
      const named = toks[j + 2]?.k === ID && (toks[j + 3]?.k === ID || toks[j + 3]?.v === "*");
      for (let m = named ? j + 3 : j + 2; m < close; m++) if (toks[m]!.k === ID) handles.add(toks[m]!.v);
      const method = toks[close + 1]!.v;
      const receiver = receiverType(toks, j + 1, close);
      if (takesContextAnywhere(toks, close + 2)) {
        handles.add(helperWord(method));
        if (exported(method)) {
          handles.add(anyHelperWord(method));
          if (receiver) handles.add(typedHelperWord(receiver, method));
        }
      }
      if (/^[A-Z]/.test(method) && takesContext(toks, close + 2)) handles.add(`.${method}`);
      if (method === "ServiceName") {
        // `x.ServiceName()` in another file (or package) waits on the word `ServiceName`: it
        // stands for every name a `ServiceName()` returns.
        for (let m = close + 2; m < toks.length && m < close + 12; m++) {
          if (toks[m]!.v !== "return") continue;
          const value = toks[m + 1]?.k === ID && toks[m + 2]?.v === "." ? toks[m + 3] : toks[m + 1];
          if (value?.k === STR) handles.add(value.v);
          else if (value?.k === ID) handleRefs.add(value.v);
          if (value?.k === STR || value?.k === ID) {
            aliases.push(["ServiceName", value.v]);
            if (receiver) aliases.push([serviceNameOfType(receiver), value.v]);
          }
          break;
        }
      }
    } else if (t.v === "func" && next?.k === ID && takesContextAnywhere(toks, j + 2)) {
      // `func notify(ctx restate.Context, …)`: a helper a handler of another file may run.
      handles.add(helperWord(next.v));
      if (exported(next.v)) handles.add(anyHelperWord(next.v));
    } else if (BUILDERS.has(t.v) && next?.v === "(") {
      const value = toks[j + 2];
      if (value?.k === STR) handles.add(value.v);
      else if (value?.k === ID) handleRefs.add(value.v);
    } else if (CLIENTS.has(t.v) && toks[j - 1]?.v === ".") {
      if (!throughIngress(j)) wait(j, argumentWords(toks, j + 1, typed), handlerArgument(toks, j + 1, t.v));
    } else if (SEND_CLIENTS.has(t.v) && toks[j - 1]?.v === ".") {
      if (!throughIngress(j)) for (const w of argumentWords(toks, j + 1, typed)) sendWords.add(w);
    } else if (t.v === "AttachInvocation") {
      attaches = true;
    } else if ((REQUESTS.has(t.v) || t.v === "Send") && toks[j - 1]?.v === "." && next?.v === "(") {
      const word = calledOn(toks, j - 2);
      // `ingress.Object[O](c, "X", key, "h").Request(…)`: the client made above, no wait either.
      const client = word?.startsWith(".") && CLIENTS.has(word.slice(1)) || SEND_CLIENTS.has(word?.slice(1) ?? "");
      if (word && !(client && throughIngress(openingParen(toks, j - 2) - 1))) {
        if (t.v === "Send") sendWords.add(word);
        // `….Add().Request(in)`: the generated client's method names the handler.
        else wait(j, [word], word.startsWith(".") && !client ? word.slice(1) : "");
      }
    } else if (next?.v === "=" || next?.v === ":=") {
      // `CounterName = "Counter"`, `name := "Counter"`; `Name = other` and `Name = api.Name`
      // (a constant naming one, maybe of another package); `add := client.Add()`
      const named = constantNamed(toks, j + 2);
      if (toks[j + 2]?.k === STR) aliases.push([t.v, toks[j + 2]!.v]);
      else if (named) aliases.push([t.v, named]);
      else {
        const method = lastMethodCalled(toks, j + 2);
        if (method) results.push([t.v, `.${method}`]);
      }
    } else if (next?.k === ID && toks[j + 2]?.v === "=" && toks[j + 3]?.k === STR) {
      // `const CounterName string = "Counter"`
      aliases.push([t.v, toks[j + 3]!.v]);
    } else if (next?.k === ID && toks[j + 2]?.v === "." && toks[j + 3]?.k === ID && toks[j + 4]?.v === "=" && toks[j + 5]?.k === STR) {
      // `const Name restate.ServiceName = "Counter"`
      aliases.push([t.v, toks[j + 5]!.v]);
    } else if (next?.v === "(" && toks[j - 1]?.v !== "func" && passesContext(toks, j + 1, contextNames)) {
      // `notify(ctx, x)`, `w.waitForBuildSlot(ctx)`, `s.deploy.Run(ctx)`, `pkg.F(ctx)`: the helper's waits are the caller's.
      // The SDK's own functions (`restate.Set(ctx, …)`) are no helpers.
      const dotted = toks[j - 1]?.v === ".";
      const operand = dotted ? (toks[j - 2]?.v ?? "") : "";
      const words: string[] = [];
      if (!dotted || !imported.has(operand)) words.push(helperWord(t.v));
      // On a receiver or parameter of a known type, the method of that type (see `typedOperands`).
      const type = dotted ? typed.get(j - 2) : undefined;
      if (dotted && exported(t.v) && !sdk.has(operand)) words.push(type ? typedHelperWord(type, t.v) : anyHelperWord(t.v));
      wait(j, words);
    }
  }
  if (attaches) for (const w of sendWords) waits.add(w);
  // Only a variable a request is made on links through the method that gave it.
  for (const pair of results) if (waits.has(pair[0])) aliases.push(pair);
  const sketch: FileSketch = { handles: [...handles], handleRefs: [...handleRefs], waits: [...waits], aliases, imports: [], passThrough: false };
  if (!attaches) Object.assign(sketch, handlerSites(toks, functions, sites, pkgAt >= 0 ? (toks[pkgAt + 1]?.v ?? "") : ""));
  return sketch;
}

/** Contexts whose handlers take no lock: a service's, and the shared handlers of objects and workflows. */
const LOCKLESS = new Set(["Context", "ObjectSharedContext", "WorkflowSharedContext"]);

/**
 * The file's handlers (exported methods whose first parameter is a Restate context: what
 * `restate.Reflect` registers) and the handler each wait is written in, so that the index links
 * handlers rather than files (see `cycleCandidates`). A type's handlers that take its lock are one
 * node with those of the same type in the package's other files (`lock`: the package clause and
 * the type; every file of a package has the same clause). A top-level function
 * is a helper (the rest of the file): the model runs one as a handler only when a builder of
 * the same file registers it, and then the file is one node, as are files that attach to
 * invocations (their sends may wait).
 */
function handlerSites(
  toks: Token[],
  functions: readonly GoFunction[],
  sites: readonly { at: number; words: string[]; calls: string }[],
  pkg: string,
): Pick<FileSketch, "handlers" | "sites"> {
  if (toks.some((t, j) => t.k === ID && /^New\w*Handler$/.test(t.v) && toks[j - 1]?.v === ".")) return {};
  const handlers: NonNullable<FileSketch["handlers"]> = [];
  const maps: string[] = [];
  const handlerOf = new Map<GoFunction, number>();
  for (const f of functions) {
    if (!f.method || !f.context || !/^[A-Z]/.test(f.name)) continue;
    if (!f.receiver) return {};
    let map = maps.indexOf(f.receiver);
    if (map < 0) map = maps.push(f.receiver) - 1;
    handlerOf.set(f, handlers.length);
    handlers.push(LOCKLESS.has(f.context) ? { name: f.name, map, lockless: true } : { name: f.name, map, lock: `${pkg}.${f.receiver}` });
  }
  const inHandler = (at: number): number => {
    for (const [f, i] of handlerOf) if (at > f.open && at < f.end) return i;
    return -1;
  };
  return { handlers, sites: sites.map((s) => ({ in: inHandler(s.at), words: s.words, calls: s.calls })) };
}

/** The handler a client call names with a string: `Object[O](ctx, svc, key, "Add")`, `Service[O](ctx, svc, "Add")`; "" otherwise. */
function handlerArgument(toks: Token[], at: number, client: string): string {
  let m = at;
  if (toks[m]?.v === "[") m = closingParen(toks, m) + 1;
  if (toks[m]?.v !== "(") return "";
  const groups = paramGroups(toks, m, closingParen(toks, m));
  const arg = groups[client === "Service" ? 2 : 3];
  return arg?.length === 1 && arg[0]!.k === STR ? arg[0]!.v : "";
}

/** `other` or `pkg.Other` at `at`, not called nor followed by more: the name of the constant it may be. */
function constantNamed(toks: Token[], at: number): string | null {
  const first = toks[at];
  if (first?.k !== ID) return null;
  const qualified = toks[at + 1]?.v === "." && toks[at + 2]?.k === ID;
  const end = qualified ? at + 3 : at + 1;
  const after = toks[end]?.v;
  if (after === "(" || after === "." || after === "[" || after === "{") return null;
  return qualified ? toks[at + 2]!.v : first.v;
}

/** The names a file's imports may be used by: aliases, the last element of each path, and `restate`. */
function importNames(toks: Token[]): Set<string> {
  const out = new Set(["restate"]);
  for (let m = 0; m < toks.length; m++) {
    if (toks[m]!.v !== "import") continue;
    const end = toks[m + 1]?.v === "(" ? closingParen(toks, m + 1) : m + 3;
    for (let i = m + 1; i < end && i < toks.length; i++) {
      const t = toks[i]!;
      if (t.k !== STR) continue;
      if (toks[i - 1]?.k === ID && toks[i - 1]!.v !== "import") out.add(toks[i - 1]!.v);
      out.add(t.v.slice(t.v.lastIndexOf("/") + 1));
    }
  }
  return out;
}

/** The names the file imports the SDK's packages under (`restate`, or an alias). */
function sdkNames(toks: Token[]): Set<string> {
  const out = new Set(["restate"]);
  for (let m = 1; m < toks.length; m++) {
    const t = toks[m]!;
    if (t.k === STR && t.v.startsWith(SDK_PATH) && toks[m - 1]?.k === ID && toks[m - 1]!.v !== "import") out.add(toks[m - 1]!.v);
  }
  return out;
}

/** The names the file imports the SDK's ingress package under, when they name no other SDK package. */
function ingressNames(toks: Token[]): Set<string> {
  const out = new Set<string>();
  for (let m = 1; m < toks.length; m++) {
    const t = toks[m]!;
    if (t.k !== STR || t.v !== INGRESS_PATH) continue;
    const alias = toks[m - 1]?.k === ID && toks[m - 1]!.v !== "import" ? toks[m - 1]!.v : "ingress";
    out.add(alias);
  }
  // `restate` is always counted as the SDK's name: a file that imports ingress under it is read as before.
  for (const name of out) if (name === "restate") out.delete(name);
  return out;
}

/** Names declared with a Restate context type anywhere in the file (`ctx restate.ObjectContext`). */
function contextParams(toks: Token[]): Set<string> {
  const out = new Set<string>();
  for (let m = 0; m + 3 < toks.length; m++) {
    if (toks[m]!.k === ID && toks[m + 1]!.k === ID && toks[m + 2]!.v === "." && CONTEXTS.has(toks[m + 3]!.v)) out.add(toks[m]!.v);
  }
  return out;
}

/** Some parameter of the list opening at `open` is typed `pkg.<a Restate context>`. */
function takesContextAnywhere(toks: Token[], open: number): boolean {
  if (toks[open]?.v !== "(") return false;
  const close = closingParen(toks, open);
  for (let m = open + 1; m < close; m++) if (CONTEXTS.has(toks[m]!.v) && toks[m - 1]?.v === ".") return true;
  return false;
}

/** The call whose arguments open at `open` passes one of `names` as an argument of its own. */
function passesContext(toks: Token[], open: number, names: Set<string>): boolean {
  if (names.size === 0) return false;
  const close = closingParen(toks, open);
  let depth = 0;
  for (let m = open + 1; m < close && m < open + MAX_ARGUMENT_TOKENS; m++) {
    const v = toks[m]!.v;
    if (v === "(" || v === "[" || v === "{") depth++;
    else if (v === ")" || v === "]" || v === "}") depth--;
    else if (depth === 0 && toks[m]!.k === ID && names.has(v) && (toks[m - 1]!.v === "(" || toks[m - 1]!.v === ",") && (toks[m + 1]?.v === "," || toks[m + 1]?.v === ")")) return true;
  }
  return false;
}

/** The first parameter of the list opening at `open` is typed `pkg.<a Restate context>`. */
function takesContext(toks: Token[], open: number): boolean {
  return firstContext(toks, open) !== null;
}

/** The Restate context (`ObjectContext`…) the first parameter of the list opening at `open` is typed with; null for none. */
function firstContext(toks: Token[], open: number): string | null {
  if (toks[open]?.v !== "(") return null;
  let last = -1;
  for (let m = open + 1; m < toks.length && m < open + 8; m++) {
    const v = toks[m]!.v;
    if (v === "," || v === ")") break;
    last = m;
  }
  return last > open + 1 && toks[last]!.k === ID && CONTEXTS.has(toks[last]!.v) && toks[last - 1]?.v === "." ? toks[last]!.v : null;
}

/** What `.Request(` at `end + 2` is called on: `.Add` for `….Add(…).Request(`, the name for `x.Request(`. */
function calledOn(toks: Token[], end: number): string | null {
  const t = toks[end];
  if (t?.k === ID) return t.v;
  if (t?.v !== ")") return null;
  const open = openingParen(toks, end);
  const name = toks[open - 1];
  return open > 0 && name?.k === ID && toks[open - 2]?.v === "." ? `.${name.v}` : null;
}

/** `a.b(…).M(…)` starting at `at`, ending with a call of a method: `M`. */
function lastMethodCalled(toks: Token[], at: number): string | null {
  let m = at;
  let method: string | null = null;
  if (toks[m]?.k !== ID) return null;
  m++;
  for (let steps = 0; steps < 32; steps++) {
    const v = toks[m]?.v;
    if (v === "." && toks[m + 1]?.k === ID) {
      method = toks[m + 1]!.v;
      m += 2;
      if (toks[m]?.v !== "(") method = null;
    } else if (v === "(" || v === "[") {
      m = closingParen(toks, m) + 1;
    } else break;
  }
  return toks[m - 1]?.v === ")" ? method : null;
}

/** The index of the bracket opening the one closing at `close`; 0 when none is found close by. */
function openingParen(toks: Token[], close: number): number {
  let depth = 0;
  for (let m = close; m >= 0 && m > close - MAX_ARGUMENT_TOKENS; m--) {
    const v = toks[m]!.v;
    if (toks[m]!.k !== PUNCT) continue;
    if (v === ")" || v === "]" || v === "}") depth++;
    else if (v === "(" || v === "[" || v === "{") {
      depth--;
      if (depth === 0) return m;
    }
  }
  return 0;
}

/**
 * The words of a client's type arguments and arguments: `Object[model.Result](ctx, "Cart", key,
 * "Add")`. `a.ServiceName()` on a receiver or parameter of a known type is that type's
 * `ServiceName()` (see `typedOperands`); on any other value, every `ServiceName()` of the project.
 */
function argumentWords(toks: Token[], at: number, typed: ReadonlyMap<number, string>): string[] {
  let m = at;
  if (toks[m]?.v === "[") m = closingParen(toks, m) + 1;
  if (toks[m]?.v !== "(") return [];
  const end = closingParen(toks, m);
  const out = new Set<string>();
  for (let n = m + 1; n < end; n++) {
    const tok = toks[n]!;
    if (tok.k === PUNCT) continue;
    const type = tok.v === "ServiceName" && toks[n - 1]?.v === "." && toks[n + 1]?.v === "(" && toks[n + 2]?.v === ")" ? typed.get(n - 2) : undefined;
    out.add(type ? serviceNameOfType(type) : tok.v);
  }
  return [...out];
}

/** The word a type's `ServiceName()` result goes by: an alias of what its method returns. */
function serviceNameOfType(type: string): string {
  return `ServiceName@${type}`;
}

/** A function declared at the top level of a Go file, as the sketch reads it. */
interface GoFunction {
  name: string;
  /** The receiver's type name (`T` of `(x *T[K])`) for a method, null for a function. */
  receiver: string | null;
  method: boolean;
  /** The Restate context its first parameter is typed with (`ObjectContext`…), null for none. */
  context: string | null;
  /** Receiver and parameter names, with their simple type's name (null when not simple). */
  types: Map<string, string | null>;
  /** The body's braces. */
  open: number;
  end: number;
}

/** The functions and methods declared at the top level, with their bodies; a function without a body is left out. */
function goFunctions(toks: Token[]): GoFunction[] {
  const out: GoFunction[] = [];
  let depth = 0;
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.k === PUNCT) {
      if (t.v === "{") depth++;
      else if (t.v === "}") depth--;
      continue;
    }
    if (depth !== 0 || t.k !== ID || t.v !== "func") continue;
    const types = new Map<string, string | null>();
    let m = j + 1;
    let receiver: string | null = null;
    const method = toks[m]?.v === "(";
    if (method) {
      const close = closingBracketAll(toks, m);
      declareParams(toks, m, close, types);
      receiver = receiverType(toks, m, close);
      m = close + 1;
    }
    const name = toks[m];
    if (name?.k !== ID) continue;
    m++;
    if (toks[m]?.v === "[") m = closingBracketAll(toks, m) + 1;
    if (toks[m]?.v !== "(") continue;
    const close = closingBracketAll(toks, m);
    declareParams(toks, m, close, types);
    const context = firstContext(toks, m);
    let open = close + 1;
    while (open < toks.length && toks[open]!.v !== "{") open = (toks[open]!.v === "(" || toks[open]!.v === "[" ? closingBracketAll(toks, open) : open) + 1;
    if (open >= toks.length) continue;
    const end = closingBracketAll(toks, open);
    out.push({ name: name.v, receiver, method, context, types, open, end });
    j = end;
  }
  return out;
}

/**
 * The identifiers (by token index) that are a function's receiver or parameter, used as
 * `x.…`, mapped to the name of their declared type (`a *T`, `a pkg.T`, `a T[X]`). The model
 * follows such an `x` to that type's own `ServiceName()` and methods (not to those of a type it
 * embeds, nor through an interface); a name the function also uses otherwise
 * (assigned, passed, declared again, a closure's parameter) may hold another value, and is left out.
 */
function typedOperands(toks: Token[], functions: readonly GoFunction[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const { types, open, end } of functions) {
    if (types.size === 0) continue;
    const uses: number[] = [];
    const otherwise = new Set<string>();
    for (let n = open + 1; n < end; n++) {
      const u = toks[n]!;
      if (u.k !== ID || !types.has(u.v) || toks[n - 1]?.v === ".") continue;
      if (toks[n + 1]?.v === ".") uses.push(n);
      else otherwise.add(u.v);
    }
    for (const n of uses) {
      const type = types.get(toks[n]!.v);
      if (type && !otherwise.has(toks[n]!.v)) out.set(n, type);
    }
  }
  return out;
}

/** The names of a parameter list (`(a, b T, c *pkg.U)`) with their simple type's name, null when not simple or declared twice. */
function declareParams(toks: Token[], open: number, close: number, types: Map<string, string | null>): void {
  const groups = paramGroups(toks, open, close);
  // Either every parameter is named or none is (`func(int, string)`).
  if (!groups.some((g) => g.length >= 2 && g[0]!.k === ID && g[1]!.v !== ".")) return;
  let pending: string[] = [];
  for (const g of groups) {
    if (g[0]?.k !== ID) return;
    pending.push(g[0].v);
    if (g.length === 1) continue;
    const type = simpleType(g.slice(1));
    for (const name of pending) types.set(name, types.has(name) ? null : type);
    pending = [];
  }
}

/** The receiver's type name of the method whose receiver list spans `open`…`close`. */
function receiverType(toks: Token[], open: number, close: number): string | null {
  const [group] = paramGroups(toks, open, close);
  if (!group) return null;
  return simpleType(group) ?? (group[0]?.k === ID ? simpleType(group.slice(1)) : null);
}

/** The comma-separated groups of tokens of a bracketed list, brackets within kept whole. */
function paramGroups(toks: Token[], open: number, close: number): Token[][] {
  const groups: Token[][] = [[]];
  let depth = 0;
  for (let n = open + 1; n < close; n++) {
    const v = toks[n]!.v;
    if (toks[n]!.k === PUNCT && (v === "(" || v === "[" || v === "{")) depth++;
    else if (toks[n]!.k === PUNCT && (v === ")" || v === "]" || v === "}")) depth--;
    if (depth === 0 && v === "," && toks[n]!.k === PUNCT) groups.push([]);
    else groups[groups.length - 1]!.push(toks[n]!);
  }
  return groups.filter((g) => g.length > 0);
}

/** `T`, `*T`, `pkg.T`, `*pkg.T`, each maybe with type arguments: `T`; null for any other type. */
function simpleType(tt: Token[]): string | null {
  let i = tt[0]?.v === "*" ? 1 : 0;
  if (tt[i]?.k !== ID) return null;
  let name = tt[i]!.v;
  i++;
  if (tt[i]?.v === "." && tt[i + 1]?.k === ID) {
    name = tt[i + 1]!.v;
    i += 2;
  }
  if (tt[i]?.v === "[" && tt[tt.length - 1]?.v === "]") return name;
  return i === tt.length ? name : null;
}

/** The bracket closing the one at `open`, however far. */
function closingBracketAll(toks: Token[], open: number): number {
  return closingBracket(toks, open, toks.length);
}

function closingParen(toks: Token[], open: number): number {
  return closingBracket(toks, open, MAX_ARGUMENT_TOKENS);
}

/** Identifiers, string contents (interpreted and raw) and punctuation; comments, numbers and runes dropped. */
export function tokenizeGo(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      i++;
    } else if (isIdentStart(c, false)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j), false)) j++;
      out.push({ k: ID, v: text.slice(i, j) });
      i = j;
    } else if (c === 34) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 34 || d === 10) break;
        j += d === 92 ? 2 : 1;
      }
      out.push({ k: STR, v: text.slice(i + 1, Math.min(j, n)) });
      i = j + 1;
    } else if (c === 96) {
      const end = text.indexOf("`", i + 1);
      const stop = end < 0 ? n : end;
      out.push({ k: STR, v: text.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === 39) {
      // A rune: '\'' or 'x'
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 39 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      i = j + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j), false) || text.charCodeAt(j) === 46)) j++;
      out.push({ k: PUNCT, v: "0" });
      i = j;
    } else if (c === 58 && text.charCodeAt(i + 1) === 61) {
      out.push({ k: PUNCT, v: ":=" });
      i += 2;
    } else if (c === 61 && text.charCodeAt(i + 1) === 61) {
      out.push({ k: PUNCT, v: "==" });
      i += 2;
    } else if (c === 61 && isOperatorBefore(text.charCodeAt(i - 1))) {
      // `!=`, `<=`, `+=`…: no assignment of a name.
      out.push({ k: PUNCT, v: "==" });
      i++;
    } else {
      out.push({ k: PUNCT, v: text[i]! });
      i++;
    }
  }
  return out;
}
