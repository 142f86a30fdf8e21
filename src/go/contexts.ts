import { type GoNode, fieldOf, fieldsOf, isAncestorOf, isFunction, unparen, walkGo } from "./ast.js";
import { type GoFileModel, RUN_FUNCTIONS, argsOf, contextType, packageFunction } from "./extract.js";
import { latestOnly } from "../model/latest.js";

/** What the file says about where the handler's context is and which code runs inside a run. */
export interface ContextFacts {
  /** Function literals that run inside `restate.Run/RunVoid/RunAsync`, with the function that runs them (for messages). */
  runClosures: Map<GoNode, string>;
  /** Struct fields typed with a Restate context (never with anything else): `s.ctx` is the handler's context. */
  contextFields: Set<string>;
  /** Struct types holding such a field: their methods act with the context. */
  holders: Set<string>;
  /** The names of those methods. */
  holderMethods: Set<string>;
  /** Top-level functions of the file that use the SDK: a value given to one may reach the journal. */
  sdkFunctions: Set<string>;
  /** Names of the parameters typed with a Restate context, anywhere in the file. */
  paramNames: Set<string>;
  /** The names each block declares (filled as scopes are resolved). */
  blockNames: Map<GoNode, Map<string, GoNode>>;
}

const MAX_WRAPPER_DEPTH = 3;
const cache = latestOnly<GoFileModel, ContextFacts>();

/** A handler's context type: any Restate context but the one a run closure gets. */
export function isHandlerContextType(type: GoNode | null | undefined, sdk: string | null): boolean {
  const t = contextType(type, sdk);
  return t !== null && t !== "RunContext";
}

/** `(name, type)` of each parameter (and receiver, and named result) a function declares. */
export function declaredParams(fn: GoNode): { name: GoNode | null; type: GoNode | null }[] {
  const out: { name: GoNode | null; type: GoNode | null }[] = [];
  for (const list of [fieldOf(fn, "receiver"), fieldOf(fn, "parameters"), fieldOf(fn, "result")]) {
    if (list?.type !== "parameter_list") continue;
    for (const decl of list.children) {
      if (decl.type !== "parameter_declaration" && decl.type !== "variadic_parameter_declaration") continue;
      const type = fieldOf(decl, "type") ?? null;
      const names = fieldsOf(decl, "name");
      if (names.length === 0) out.push({ name: null, type });
      for (const n of names) out.push({ name: n, type });
    }
  }
  return out;
}

/** The parameters only, in call order. */
function callParams(fn: GoNode): { name: GoNode | null; type: GoNode | null }[] {
  const receiver = fieldOf(fn, "receiver");
  const result = fieldOf(fn, "result");
  return declaredParams(fn).filter((p) => !p.name || !((receiver && isAncestorOf(receiver, p.name)) || (result && isAncestorOf(result, p.name))));
}

export function contextFacts(model: GoFileModel): ContextFacts {
  const cached = cache.get(model);
  if (cached) return cached;
  const sdk = model.go.restate;
  const facts: ContextFacts = {
    runClosures: new Map(),
    contextFields: new Set(),
    holders: new Set(),
    holderMethods: new Set(),
    sdkFunctions: new Set(),
    paramNames: new Set(),
    blockNames: new Map(),
  };
  cache.set(model, facts);
  if (!sdk) return facts;
  const otherFields = new Set<string>();
  const literals: GoNode[] = [];
  const calls: GoNode[] = [];
  walkGo(model.root, (n) => {
    if (n.type === "function_declaration" && usesSdk(n, sdk)) facts.sdkFunctions.add(fieldOf(n, "name")?.text ?? "");
    if (n.type === "call_expression") calls.push(n);
    else if (n.type === "func_literal") literals.push(n);
    else if (n.type === "parameter_declaration" && isHandlerContextType(fieldOf(n, "type"), sdk)) {
      for (const name of fieldsOf(n, "name")) facts.paramNames.add(name.text);
    } else if (n.type === "type_spec") {
      const struct = fieldOf(n, "type");
      if (struct?.type !== "struct_type") return true;
      for (const field of struct.children.find((c) => c.type === "field_declaration_list")?.children ?? []) {
        if (field.type !== "field_declaration") continue;
        const type = fieldOf(field, "type");
        const isContext = isHandlerContextType(type, sdk);
        const names = fieldsOf(field, "name").map((f) => f.text);
        // An embedded `restate.Context` is the field `Context`.
        if (names.length === 0 && isContext) names.push(fieldOf(type, "name")!.text);
        for (const name of names) (isContext ? facts.contextFields : otherFields).add(name);
        if (isContext) facts.holders.add(fieldOf(n, "name")?.text ?? "");
      }
    }
    return true;
  });
  // A field name also used for something else cannot tell which one `x.name` reads.
  for (const f of otherFields) facts.contextFields.delete(f);
  for (const f of model.functions) {
    const name = f.receiverType && facts.holders.has(f.receiverType) ? fieldOf(f.fn, "name")?.text : undefined;
    if (name) facts.holderMethods.add(name);
  }
  for (const c of model.runClosures) facts.runClosures.set(c, runName(c, sdk));
  // Only a run hands out a RunContext: a literal taking one runs inside a run, wherever it is passed (a compensation stack).
  for (const l of literals) {
    if (!facts.runClosures.has(l) && callParams(l).some((p) => contextType(p.type, sdk) === "RunContext")) {
      facts.runClosures.set(l, runName(l, sdk));
    }
  }
  addWrapperActions(model, facts, calls, sdk);
  return facts;
}

function usesSdk(fn: GoNode, sdk: string): boolean {
  let found = false;
  walkGo(fn, (n) => {
    if (n.type === "identifier" && n.text === sdk && fieldOf(n.parent, "operand") === n) found = true;
    return !found;
  });
  return found;
}

/** How the message names the run a literal is given to: the SDK function, else `restate.Run` (a wrapper renames it). */
function runName(literal: GoNode, sdk: string): string {
  const list = literal.parent;
  const call = list?.type === "argument_list" ? list.parent : null;
  const sdkFn = call ? packageFunction(call, sdk) : null;
  return sdkFn && RUN_FUNCTIONS.has(sdkFn) ? `${sdk}.${sdkFn}` : `${sdk}.Run`;
}

/**
 * Functions of this file that run a function they are given inside a run (`func retry(ctx
 * restate.Context, fn func() error) error { return restate.RunVoid(ctx, func(restate.RunContext)
 * error { return fn() }) }`), and those that hand theirs on to one, three levels deep: the literal
 * a call passes in that place is a run closure too.
 */
function addWrapperActions(model: GoFileModel, facts: ContextFacts, calls: GoNode[], sdk: string): void {
  const tops = new Map<string, GoNode>();
  for (const f of model.root.children) {
    const name = f.type === "function_declaration" ? fieldOf(f, "name")?.text : undefined;
    if (name) tops.set(name, f);
  }
  if (tops.size === 0) return;
  const wrappers = new Map<GoNode, Set<number>>();
  const enclosingTop = (n: GoNode): GoNode | null => {
    let p: GoNode | null = n.parent;
    while (p && p.parent !== model.root) p = p.parent;
    return p?.type === "function_declaration" ? p : null;
  };
  const paramIndex = (fn: GoNode, name: string): number =>
    callParams(fn).findIndex((p) => p.name?.text === name && p.type?.type === "function_type");
  const mark = (fn: GoNode, index: number): boolean => {
    if (index < 0) return false;
    const set = wrappers.get(fn) ?? new Set<number>();
    if (set.has(index)) return false;
    set.add(index);
    wrappers.set(fn, set);
    return true;
  };
  // Level one: the run's action calls a parameter, or is one (`restate.Run(ctx, fn)`).
  for (const call of calls) {
    const fn = fieldOf(call, "function");
    const top = enclosingTop(call);
    if (!top || !fn) continue;
    if (fn.type === "identifier" && insideRun(call, facts, top)) mark(top, paramIndex(top, fn.text));
    const sdkFn = packageFunction(call, sdk);
    if (sdkFn && RUN_FUNCTIONS.has(sdkFn)) {
      for (const a of argsOf(call)) if (unparen(a).type === "identifier") mark(top, paramIndex(top, unparen(a).text));
    }
  }
  for (let level = 1; level < MAX_WRAPPER_DEPTH; level++) {
    let grew = false;
    for (const call of calls) {
      const target = wrapperOf(call, tops, wrappers);
      const top = enclosingTop(call);
      if (!target || !top) continue;
      argsOf(call).forEach((a, i) => {
        if (target.has(i) && unparen(a).type === "identifier" && mark(top, paramIndex(top, unparen(a).text))) grew = true;
      });
    }
    if (!grew) break;
  }
  for (const call of calls) {
    const target = wrapperOf(call, tops, wrappers);
    if (!target) continue;
    argsOf(call).forEach((a, i) => {
      const l = unparen(a);
      if (target.has(i) && l.type === "func_literal") facts.runClosures.set(l, fieldOf(call, "function")!.text);
    });
  }
}

function wrapperOf(call: GoNode, tops: Map<string, GoNode>, wrappers: Map<GoNode, Set<number>>): Set<number> | null {
  let fn = fieldOf(call, "function");
  // `runDo[T](ctx, …)`
  if (fn?.type === "index_expression") fn = fieldOf(fn, "operand");
  const top = fn?.type === "identifier" ? tops.get(fn.text) : undefined;
  return top ? (wrappers.get(top) ?? null) : null;
}

/** The node runs inside a run closure of the function `fn` (or of the file, without `fn`). */
export function insideRun(node: GoNode, facts: ContextFacts, fn?: GoNode): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) if (isFunction(p) && facts.runClosures.has(p)) return true;
  return false;
}

/**
 * Whether `node` reads the handler's context: a parameter typed with a Restate context (not a
 * run's) that no declaration between here and there shadows, or a context field (`s.ctx`).
 * Returns what the message calls it.
 */
export function handlerContextRef(node: GoNode, facts: ContextFacts, sdk: string): string | null {
  const n = unparen(node);
  if (n.type === "selector_expression") {
    const field = fieldOf(n, "field")?.text;
    return field && facts.contextFields.has(field) ? n.text : null;
  }
  if (n.type !== "identifier" || !facts.paramNames.has(n.text)) return null;
  const decl = declarationOf(n, facts);
  const param = decl?.parent;
  return param?.type === "parameter_declaration" && isHandlerContextType(fieldOf(param, "type"), sdk) ? n.text : null;
}

/**
 * The identifier that declares the name `id` reads, by Go's scopes: a parameter of an enclosing
 * function, or a local declared before it in an enclosing block or statement header. Null for
 * names of the package.
 */
export function declarationOf(id: GoNode, facts: ContextFacts): GoNode | null {
  const name = id.text;
  let child = id;
  for (let p = id.parent; p; child = p, p = p.parent) {
    if (isFunction(p)) {
      const param = declaredParams(p).find((d) => d.name?.text === name);
      if (param) return param.name;
      if (p.type !== "func_literal") return null;
    } else if (p.type === "statement_list") {
      const decl = blockNames(p, facts).get(name);
      if (decl && decl.range[0] < child.range[0]) return decl;
    } else if (HEADERS.has(p.type)) {
      // `if x := …; …`, `for x := range …`, `switch x := v.(type)`, `case x := <-ch:` declare for what follows.
      const headers = p.children.filter((c) => c !== child && c.type !== "block" && c.type !== "statement_list");
      const decl = firstDeclarations(headers).get(name);
      if (decl) return decl;
    }
  }
  return null;
}

/** `x` of `x, err := …` is declared there, not assigned (declared before in the same block). */
export function declaresFirst(id: GoNode, facts: ContextFacts): boolean {
  const statement = id.parent?.parent;
  const list = statement?.parent;
  if (statement?.type !== "short_var_declaration" || list?.type !== "statement_list") return true;
  return blockNames(list, facts).get(id.text) === id;
}

function blockNames(list: GoNode, facts: ContextFacts): Map<string, GoNode> {
  let index = facts.blockNames.get(list);
  if (!index) facts.blockNames.set(list, (index = firstDeclarations(list.children)));
  return index;
}

const HEADERS = new Set(["if_statement", "for_statement", "expression_switch_statement", "type_switch_statement", "communication_case"]);

/** Each name the statements declare, with its first declaring identifier. */
function firstDeclarations(statements: GoNode[]): Map<string, GoNode> {
  const out = new Map<string, GoNode>();
  for (const s of statements) for (const id of declaredIds(s)) if (!out.has(id.text)) out.set(id.text, id);
  return out;
}

function declaredIds(node: GoNode): GoNode[] {
  const left = () => (fieldOf(node, "left")?.children ?? []).filter((l) => l.type === "identifier");
  switch (node.type) {
    case "short_var_declaration":
      return left();
    case "range_clause":
    case "receive_statement":
      // `for k := range m` declares, `for k = range m` assigns.
      return node.text.slice(0, (fieldOf(node, "right") ?? node).range[0] - node.range[0]).includes(":=") ? left() : [];
    case "for_clause": {
      const init = fieldOf(node, "initializer");
      return init ? declaredIds(init) : [];
    }
    case "expression_list":
      // A type switch's alias.
      return node.field === "alias" ? node.children.filter((c) => c.type === "identifier") : [];
    case "var_declaration":
    case "const_declaration":
    case "var_spec_list":
      return node.children.flatMap(declaredIds);
    case "var_spec":
    case "const_spec":
      return fieldsOf(node, "name");
    default:
      return [];
  }
}
