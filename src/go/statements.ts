import { type GoNode, fieldOf, isFunction, unparen, walkGo } from "./ast.js";
import { methodCall, packageFunction } from "./extract.js";
import type { GoImports } from "./imports.js";

/**
 * A statement that performs one operation and, optionally, checks its error right away:
 * `op(...)`, `_ = op(...)`, `err := op(...)` followed by `if err != nil { return … }`, or
 * `if err := op(...); err != nil { return … }`. `first`..`last` are the statements it spans.
 */
export interface OpUnit {
  call: GoNode;
  first: GoNode;
  last: GoNode;
  /** The error variable, when the unit declares or assigns one. */
  errName: string | null;
  /** `err := op(...)` as a statement of its own (removing it removes the declaration). */
  declaresErr: boolean;
}

/** The statements of a block, or null for an empty one. */
export function statementsOf(block: GoNode | null | undefined): GoNode[] {
  if (!block) return [];
  return block.children.find((c) => c.type === "statement_list")?.children ?? [];
}

/** `err != nil` (either way round). */
export function isErrCheck(cond: GoNode | undefined, name: string): boolean {
  if (!cond || cond.type !== "binary_expression" || cond.operator !== "!=") return false;
  const l = fieldOf(cond, "left");
  const r = fieldOf(cond, "right");
  const is = (a?: GoNode, b?: GoNode) => a?.type === "identifier" && a.text === name && b?.type === "nil";
  return is(l, r) || is(r, l);
}

/** `if <check> { return … }` with nothing else and no else branch. */
function isReturnOnly(ifStatement: GoNode): boolean {
  if (fieldOf(ifStatement, "alternative")) return false;
  const body = statementsOf(fieldOf(ifStatement, "consequence"));
  return body.length === 1 && body[0]!.type === "return_statement";
}

/** The single call a statement runs, with the name its first (or error) result is given. */
function callOf(statement: GoNode): { call: GoNode; names: GoNode[]; declares: boolean } | null {
  if (statement.type === "expression_statement") {
    const e = statement.children[0] ? unparen(statement.children[0]) : null;
    return e?.type === "call_expression" ? { call: e, names: [], declares: false } : null;
  }
  if (statement.type === "short_var_declaration" || statement.type === "assignment_statement") {
    if (statement.type === "assignment_statement" && statement.operator !== "=") return null;
    const right = fieldOf(statement, "right")?.children ?? [];
    const left = fieldOf(statement, "left")?.children ?? [];
    const e = right.length === 1 ? unparen(right[0]!) : null;
    return e?.type === "call_expression" ? { call: e, names: left, declares: statement.type === "short_var_declaration" } : null;
  }
  return null;
}

/** The operation unit starting at `statements[i]`, when it is one. */
export function opUnit(statements: GoNode[], i: number): OpUnit | null {
  const statement = statements[i];
  if (!statement) return null;
  if (statement.type === "if_statement") {
    const init = fieldOf(statement, "initializer");
    const c = init ? callOf(init) : null;
    const err = c?.names[c.names.length - 1];
    if (!c || err?.type !== "identifier" || !isErrCheck(fieldOf(statement, "condition"), err.text) || !isReturnOnly(statement)) return null;
    // Other results declared in the initializer would vanish with the statement.
    if (c.names.some((n) => n !== err && n.text !== "_")) return null;
    return { call: c.call, first: statement, last: statement, errName: err.text, declaresErr: false };
  }
  const c = callOf(statement);
  if (!c) return null;
  if (c.names.length === 0) return { call: c.call, first: statement, last: statement, errName: null, declaresErr: false };
  if (c.names.some((n, k) => k < c.names.length - 1 && n.text !== "_")) return null;
  const err = c.names[c.names.length - 1]!;
  if (err.text === "_") return { call: c.call, first: statement, last: statement, errName: null, declaresErr: false };
  const check = statements[i + 1];
  if (check?.type !== "if_statement" || fieldOf(check, "initializer") || !isErrCheck(fieldOf(check, "condition"), err.text) || !isReturnOnly(check)) {
    return null;
  }
  return { call: c.call, first: statement, last: check, errName: err.text, declaresErr: c.declares };
}

/** Calls that compute a value and neither wait, journal, nor read the clock. */
const PURE_BUILTINS = new Set(["len", "cap", "string", "int", "int32", "int64", "uint", "uint64", "float64", "bool", "byte", "rune", "min", "max"]);
const PURE_PACKAGES = new Set(["fmt", "strconv", "strings", "errors", "math"]);
const PURE_FMT = new Set(["Sprint", "Sprintf", "Sprintln", "Errorf"]);
const PURE_SDK = new Set(["Key", "UUID", "WithDelay", "WithIdempotencyKey", "WithHeaders", "WithLimitKey", "TerminalError", "TerminalErrorf", "ToTerminalError", "WithErrorCode"]);
const WORK_STATEMENTS = new Set(["go_statement", "defer_statement", "send_statement", "inc_statement", "dec_statement", "assignment_statement", "select_statement"]);

/**
 * Finds work whose effect could depend on when it runs: calling anything but pure helpers,
 * channel operations, goroutines, assignments. `allowed` calls (the operation itself) do not count.
 */
export function hasWork(root: GoNode, imports: GoImports, allowed: Set<GoNode> = new Set()): boolean {
  let found = false;
  walkGo(root, (n) => {
    if (found) return false;
    if (n !== root && isFunction(n)) return false;
    if (WORK_STATEMENTS.has(n.type) || (n.type === "unary_expression" && n.operator === "<-")) {
      found = true;
      return false;
    }
    if (n.type === "call_expression" && !allowed.has(n) && !isPureCall(n, imports)) {
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

function isPureCall(call: GoNode, imports: GoImports): boolean {
  const fn = fieldOf(call, "function");
  if (!fn) return false;
  const f = unparen(fn);
  if (f.type === "identifier") return PURE_BUILTINS.has(f.text);
  const sdk = packageFunction(call, imports.restate);
  if (sdk) return PURE_SDK.has(sdk);
  const m = methodCall(call);
  if (m && m.receiver.type === "identifier") {
    const path = imports.byName.get(m.receiver.text);
    if (path === "fmt") return PURE_FMT.has(m.name);
    if (path && PURE_PACKAGES.has(path)) return true;
  }
  // `restate.UUID(ctx).String()`
  if (m?.name === "String" && m.receiver.type === "call_expression" && packageFunction(m.receiver, imports.restate) === "UUID") return true;
  return false;
}
