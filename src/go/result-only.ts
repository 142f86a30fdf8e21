import { type GoNode, enclosingFunction, fieldOf, isAncestorOf, isFunction, unparen, walkGo } from "./ast.js";
import { type ContextFacts, declarationOf, declaresFirst, handlerContextRef, insideRun } from "./contexts.js";
import { type FnInfo, type GoFileModel, argsOf } from "./extract.js";

/** Where a value is computed. */
export interface ValueScope {
  model: GoFileModel;
  facts: ContextFacts;
  /** The function whose body holds the value. */
  info: FnInfo;
  /** `info` is the handler itself: its result is written once, when the invocation ends. */
  handler: boolean;
}

/** How many locals a value may pass through on its way. */
const MAX_LOCALS = 3;

/** Syntax a value passes through unchanged in what it decides. */
const CARRIERS = new Set([
  "parenthesized_expression",
  "selector_expression",
  "composite_literal",
  "literal_value",
  "literal_element",
  "keyed_element",
  "type_conversion_expression",
  "type_assertion_expression",
  "index_expression",
  "slice_expression",
]);

/**
 * Whether the value of `node` cannot make a replay diverge: every way it goes ends inside a run
 * closure (whose result is journaled), in a log line (see `logStatement`) or, in a handler, in the
 * handler's result (returned directly, through locals, composite literals, operators and calls
 * that get no context). It stops being
 * harmless as soon as it goes into a Restate operation, decides whether one happens (an `if`, the
 * left of `&&`/`||` before one), or is assigned to anything but a local that is itself harmless.
 */
export function harmlessValue(node: GoNode, scope: ValueScope, depth = 0): boolean {
  if (insideRun(node, scope.facts, scope.info.fn)) return true;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (isFunction(p)) return false;
    if (CARRIERS.has(p.type)) continue;
    switch (p.type) {
      case "return_statement":
        // A return of a closure inside the handler is no result of the handler.
        return scope.handler && enclosingFunction(p) === scope.info.fn;
      case "expression_list":
        if (p.parent?.type === "return_statement") continue;
        // `status.ExpiresAt = x` writes into the value and takes nothing out of it.
        if (p.field === "left" && p.parent?.type === "assignment_statement") return child !== node && rootOperand(child) === node;
        return throughLocal(p, child, scope, depth);
      case "call_expression":
        // `now.UTC()`, or a call its `argument_list` let through.
        continue;
      case "argument_list":
        // A log line: the value ends there (the call's own result is dropped).
        if (p.parent && logStatement(p.parent, scope)) return true;
        if (!p.parent || !harmlessCall(p.parent, scope)) return false;
        continue;
      case "binary_expression":
        if ((p.operator === "&&" || p.operator === "||") && child.field === "left" && !inert(fieldOf(p, "right"), scope)) return false;
        continue;
      case "unary_expression":
        if (p.operator === "<-") return false;
        continue;
      default:
        return false;
    }
  }
  return false;
}

/**
 * Whether the value of `node` reaches the journal within its own function: an argument of a call
 * Restate may see (the SDK's, one given the context, one that could journal it), or the condition
 * of an `if`, `switch` or `for` around such a call; through operators, composite literals and
 * locals. What it becomes once returned or stored in a struct is not followed: for a method of a
 * type that holds the context, reached from no handler in particular, only a hazard it shows itself
 * is one (a clock read for a span's start time is not).
 */
export function reachesJournal(node: GoNode, scope: ValueScope, depth = 0): boolean {
  if (insideRun(node, scope.facts, scope.info.fn)) return false;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (isFunction(p)) return false;
    if (CARRIERS.has(p.type) || p.type === "call_expression" || p.type === "binary_expression" || p.type === "unary_expression") continue;
    switch (p.type) {
      case "argument_list":
        if (p.parent && !harmlessCall(p.parent, scope)) return true;
        continue;
      case "if_statement":
      case "expression_switch_statement":
      case "for_statement":
      case "for_clause":
        // A condition: what it decides matters when Restate work depends on it.
        if (p.type === "for_clause") return !inert(p.parent ?? p, scope);
        return child.field === "condition" || child.field === "value" ? !inert(p, scope) : false;
      case "expression_list":
        return viaLocal(p, child, scope, depth);
      default:
        return false;
    }
  }
  return false;
}

/** `x := value` / `x = value` into a local: whether a read of `x` reaches the journal. */
function viaLocal(list: GoNode, child: GoNode, scope: ValueScope, depth: number): boolean {
  const assigned = assignedName(list, child);
  if (!assigned || depth >= MAX_LOCALS || assigned.name.type !== "identifier" || assigned.name.text === "_") return false;
  // A parameter written here (`update.UpdatedAt = now`) and read later is followed like a local;
  // of a value written into one field, a read of another field (`t.ctx`) reads nothing written.
  const decl = localDeclaration(assigned.name, assigned.holder, scope, true);
  const field = writtenField(list, child);
  const reads = decl ? readsOf(assigned.name, decl, scope) : [];
  return reads.some((r) => !otherField(r, field) && reachesJournal(r, scope, depth + 1));
}

/** `f` of `x.f… = value`, the field of a local a value is written into; null for `x = value`. */
function writtenField(list: GoNode, child: GoNode): string | null {
  const holder = list.parent;
  if (holder?.type !== "assignment_statement") return null;
  let target: GoNode | undefined = fieldOf(holder, "left")?.children[list.children.indexOf(child)];
  let field: string | null = null;
  while (target && (target.type === "selector_expression" || target.type === "index_expression")) {
    if (target.type === "selector_expression") field = fieldOf(target, "field")?.text ?? null;
    target = fieldOf(target, "operand");
  }
  return field;
}

/** A read `x.g` of a field other than `field`. */
function otherField(read: GoNode, field: string | null): boolean {
  const p = read.parent;
  return field !== null && p?.type === "selector_expression" && fieldOf(p, "operand") === read && fieldOf(p, "field")?.text !== field;
}

/** `a` of `a.b[i].c`. */
function rootOperand(expr: GoNode): GoNode {
  let n = unparen(expr);
  while ((n.type === "selector_expression" || n.type === "index_expression") && fieldOf(n, "operand")) n = unparen(fieldOf(n, "operand")!);
  return n;
}

/**
 * The name a value at `child` of an `expression_list` is given (`x := value`, `var x = value`,
 * `x = value`, or `x.f = value` read as `x`), with the statement that gives it; null when the list
 * is no such right-hand side.
 */
function assignedName(list: GoNode, child: GoNode): { name: GoNode; holder: GoNode } | null {
  const holder = list.parent;
  let names: GoNode[] = [];
  if (holder?.type === "short_var_declaration" && list.field === "right") names = fieldOf(holder, "left")?.children ?? [];
  else if (holder?.type === "var_spec" && list.field === "value") names = holder.children.filter((c) => c.field === "name");
  else if (holder?.type === "assignment_statement" && holder.operator === "=" && list.field === "right") {
    names = (fieldOf(holder, "left")?.children ?? []).map((l) => (unparen(l).type === "identifier" ? l : rootOperand(l)));
  }
  const name = names.length === list.children.length ? names[list.children.indexOf(child)] : undefined;
  return name && holder ? { name, holder } : null;
}

/** The declaration in `scope`'s function of the local (or, with `params`, the parameter) an assignment names, or null. */
function localDeclaration(name: GoNode, holder: GoNode, scope: ValueScope, params = false): GoNode | null {
  const decl = holder.type === "assignment_statement" ? declarationOf(name, scope.facts) : declaresFirst(name, scope.facts) ? name : null;
  return decl && (params || decl.parent?.type !== "parameter_declaration") && isAncestorOf(scope.info.fn, decl) ? decl : null;
}

/** The reads of the local `decl` declares (other than where it is written). */
function readsOf(name: GoNode, decl: GoNode, scope: ValueScope): GoNode[] {
  return (scope.info.bindings.refs.get(name.text) ?? []).filter((r) => r !== decl && r !== name && declarationOf(r, scope.facts) === decl);
}

/**
 * `x := value`, `var x = value`, or `x.f = value` into a local: harmless when every read of `x`
 * is (writing into `x` reads nothing out of it; assigning `x` itself is no harmless read).
 */
function throughLocal(list: GoNode, child: GoNode, scope: ValueScope, depth: number): boolean {
  const assigned = assignedName(list, child);
  if (!assigned || depth >= MAX_LOCALS) return false;
  const { name, holder } = assigned;
  // `_ = value` drops it.
  if (name.text === "_") return holder.type === "assignment_statement";
  if (name.type !== "identifier") return false;
  // Into a field of a local: the local's own declaration.
  const decl = localDeclaration(name, holder, scope);
  return !!decl && readsOf(name, decl, scope).every((r) => harmlessValue(r, scope, depth + 1));
}

/** A call that carries the value into its result without Restate seeing it. */
function harmlessCall(call: GoNode, scope: ValueScope, depth = 0): boolean {
  const sdk = scope.model.go.restate;
  if (argsOf(call).some((a) => handlerContextRef(a, scope.facts, sdk ?? ""))) return false;
  let fn = fieldOf(call, "function");
  if (fn?.type === "index_expression") fn = fieldOf(fn, "operand");
  if (!fn) return false;
  fn = unparen(fn);
  const b = scope.info.bindings;
  // A function value declared in the handler may close over the context; a function of this file
  // that uses the SDK may journal the value (given a struct holding the context, say).
  if (fn.type === "identifier") return !b.isLocal(fn.text) && !scope.facts.sdkFunctions.has(fn.text);
  if (fn.type !== "selector_expression") return false;
  const operand = fieldOf(fn, "operand");
  const method = fieldOf(fn, "field")?.text ?? "";
  if (!operand) return false;
  if (operand.type === "identifier" && scope.model.go.byName.has(operand.text) && !b.isLocal(operand.text)) {
    return operand.text !== sdk && operand.text !== scope.model.go.ingress;
  }
  // A method of a value: not of a type holding the context, nor of a client or future of the SDK.
  if (scope.facts.holderMethods.has(method) || !inert(operand, scope, depth)) return false;
  const bound = operand.type === "identifier" ? b.valueOf(operand) : null;
  // Odd code can bind names in a circle: follow a few.
  return !bound || (depth < MAX_LOCALS && inert(bound, scope, depth + 1));
}

/** Nothing in `root` sees the context or the SDK, waits on a channel, or calls anything that could. */
function inert(root: GoNode | undefined, scope: ValueScope, depth = 0): boolean {
  if (!root) return true;
  const sdk = scope.model.go.restate ?? "";
  let ok = true;
  walkGo(root, (n) => {
    if (!ok) return false;
    if (isFunction(n) || handlerContextRef(n, scope.facts, sdk) !== null) ok = false;
    else if (n.type === "identifier" && (n.text === sdk || n.text === scope.model.go.ingress)) ok = false;
    else if (n.type === "unary_expression" && n.operator === "<-") ok = false;
    else if (n.type === "call_expression" && !harmlessCall(n, scope, depth)) ok = false;
    return ok;
  });
  return ok;
}

/** The level methods of the common loggers: `Info`, `Infof`, `Infow`, `Infoln`, `InfoContext`, … */
const LEVEL_METHOD = /^(?:(?:Debug|Info|Warn|Warning|Error|Trace)(?:f|w|ln|Context)?|Print(?:f|ln)?|Log|LogAttrs)$/;
/** Packages whose functions of those names write a log line. */
const LOG_PACKAGES = new Set(["log/slog", "github.com/sirupsen/logrus"]);
/** A project's own logging package (`…/pkg/logger`): its level functions write a log line. */
const LOG_PACKAGE_NAME = /(?:^|\/)(?:log|logger|logging)$/;
/** Functions that hand out a logger. */
const LOGGER_FACTORIES: Record<string, Set<string>> = {
  "log/slog": new Set(["Default", "New", "With"]),
  log: new Set(["Default", "New"]),
  "go.uber.org/zap": new Set(["L", "S", "NewProduction", "NewDevelopment", "NewExample", "NewNop"]),
  "github.com/sirupsen/logrus": new Set(["StandardLogger", "New", "WithField", "WithFields", "WithError", "WithContext"]),
};
/** Methods of a logger that hand out a logger. */
const LOGGER_DERIVED = new Set(["With", "WithGroup", "Named", "Sugar", "Desugar", "WithField", "WithFields", "WithError", "WithOptions"]);
/** Logger types, by package. */
const LOGGER_TYPES: Record<string, Set<string>> = {
  "log/slog": new Set(["Logger"]),
  log: new Set(["Logger"]),
  "go.uber.org/zap": new Set(["Logger", "SugaredLogger"]),
  "github.com/sirupsen/logrus": new Set(["Logger", "Entry", "FieldLogger"]),
};

/**
 * A call that writes a log line and nothing else, as a statement of its own: `log.Printf`,
 * `slog.Info`, `fmt.Println`, `fmt.Fprintf(os.Stderr, …)`, a project's `logger.Debug`, or a level
 * method of a logger value (`ctx.Log().Info`, a `*slog.Logger`/`*zap.Logger`/`*logrus.Entry`
 * parameter, local or struct field). A log line is no journal entry.
 */
function logStatement(call: GoNode, scope: ValueScope): boolean {
  const statement = call.parent;
  if (statement?.type !== "expression_statement" && statement?.type !== "defer_statement") return false;
  const args = argsOf(call);
  if (args.some((a) => handlerContextRef(a, scope.facts, scope.model.go.restate ?? ""))) return false;
  const fn = fieldOf(call, "function");
  if (fn?.type !== "selector_expression") return false;
  const operand = fieldOf(fn, "operand");
  const method = fieldOf(fn, "field")?.text ?? "";
  if (!operand) return false;
  const pkg = packageOf(operand, scope);
  if (pkg !== null) {
    if (pkg === "fmt") {
      if (/^Print(?:f|ln)?$/.test(method)) return true;
      return /^Fprint(?:f|ln)?$/.test(method) && !!args[0] && standardStream(args[0], scope);
    }
    if (pkg === "log") return /^Print(?:f|ln)?$/.test(method);
    return LEVEL_METHOD.test(method) && (LOG_PACKAGES.has(pkg) || LOG_PACKAGE_NAME.test(pkg));
  }
  return LEVEL_METHOD.test(method) && isLogger(operand, scope, 0);
}

/** The import path of a package name not shadowed by a local. */
function packageOf(node: GoNode, scope: ValueScope): string | null {
  const n = unparen(node);
  if (n.type !== "identifier" || scope.info.bindings.isLocal(n.text)) return null;
  return scope.model.go.byName.get(n.text) ?? null;
}

/** `os.Stdout`, `os.Stderr`. */
function standardStream(node: GoNode, scope: ValueScope): boolean {
  const n = unparen(node);
  if (n.type !== "selector_expression") return false;
  const field = fieldOf(n, "field")?.text;
  const operand = fieldOf(n, "operand");
  return !!operand && packageOf(operand, scope) === "os" && (field === "Stdout" || field === "Stderr");
}

/** A value that is a logger: made by a logging package, `ctx.Log()`, or typed as one. */
function isLogger(node: GoNode, scope: ValueScope, depth: number): boolean {
  if (depth > MAX_LOCALS) return false;
  const n = unparen(node);
  switch (n.type) {
    case "call_expression": {
      const fn = fieldOf(n, "function");
      if (fn?.type !== "selector_expression") return false;
      const operand = fieldOf(fn, "operand");
      const method = fieldOf(fn, "field")?.text ?? "";
      if (!operand) return false;
      const pkg = packageOf(operand, scope);
      if (pkg !== null) return !!LOGGER_FACTORIES[pkg]?.has(method);
      // `ctx.Log()`: the SDK's logger for the invocation.
      if (method === "Log" && argsOf(n).length === 0 && handlerContextRef(operand, scope.facts, scope.model.go.restate ?? "")) return true;
      return LOGGER_DERIVED.has(method) && isLogger(operand, scope, depth + 1);
    }
    case "identifier": {
      const decl = declarationOf(n, scope.facts);
      const param = decl?.parent;
      if (param?.type === "parameter_declaration") return loggerType(fieldOf(param, "type"), scope);
      const bound = scope.info.bindings.valueOf(n);
      return !!bound && isLogger(bound, scope, depth + 1);
    }
    case "selector_expression": {
      // `h.logger`: a struct field that every struct of the file declaring it types as a logger.
      const field = fieldOf(n, "field")?.text;
      return !!field && loggerFields(scope).has(field);
    }
    default:
      return false;
  }
}

/** `*slog.Logger`, `*zap.Logger`, `logrus.FieldLogger`, … */
function loggerType(type: GoNode | undefined, scope: ValueScope): boolean {
  let t = type;
  if (t?.type === "pointer_type") t = t.children.find((c) => c.type !== "*");
  if (t?.type !== "qualified_type") return false;
  const pkg = fieldOf(t, "package");
  const name = fieldOf(t, "name")?.text ?? "";
  const path = pkg ? scope.model.go.byName.get(pkg.text) : undefined;
  return !!path && !!LOGGER_TYPES[path]?.has(name);
}

const fieldCache = new WeakMap<GoNode, Set<string>>();

/** Struct field names the file declares only with a logger type. */
function loggerFields(scope: ValueScope): Set<string> {
  const root = scope.model.root;
  let out = fieldCache.get(root);
  if (out) return out;
  const loggers = new Set<string>();
  const others = new Set<string>();
  walkGo(root, (n) => {
    if (n.type !== "field_declaration") return true;
    const isLog = loggerType(fieldOf(n, "type"), scope);
    for (const name of n.children.filter((c) => c.field === "name")) (isLog ? loggers : others).add(name.text);
    return false;
  });
  out = new Set([...loggers].filter((f) => !others.has(f)));
  fieldCache.set(root, out);
  return out;
}
