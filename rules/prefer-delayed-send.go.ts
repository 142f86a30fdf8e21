import type { GoNode } from "../src/go/ast.js";
import { fieldOf } from "../src/go/ast.js";
import type { GoCallDetail, GoFileModel } from "../src/go/extract.js";
import { argsOf } from "../src/go/extract.js";
import { type GoFix, type GoFixer, defineGoListeners, functionInfo, goModel, removeStatementRange } from "../src/go/rule-kit.js";
import { type OpUnit, hasWork, opUnit } from "../src/go/statements.js";

const LOOPS = new Set(["for_statement"]);
/** Containers a path out of the sleep's block may climb through. */
const PASS_THROUGH = new Set(["if_statement", "block"]);

export default defineGoListeners("prefer-delayed-send", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        const sdk = model.go.restate;
        if (!sdk) return;
        const done = new Set<GoNode>();
        for (const sleep of model.sleeps) {
          const node = sleep.node;
          if (!node || done.has(node) || sleep.usage !== "awaited" || !node.parent) continue;
          done.add(node);
          if (fieldOf(node.parent, "function") === node) continue;
          const unit = unitOf(node);
          if (!unit || !sleep.durationText || insideLoop(unit.first)) continue;
          const sends = sendsAfter(model, unit.last);
          if (!sends || sends.length === 0 || sends.some((s) => !s.optionsReadable)) continue;
          const delayText = sleep.durationText;
          const delayOption = `${sdk}.WithDelay(${delayText})`;
          const undelayed = sends.filter((s) => !s.delayNode);
          const fixable = undelayed.length === sends.length && sends.every((s) => argsOf(s.methodCall).length > 0) && !errStillNeeded(model, unit);
          const fix = (fixer: GoFixer): GoFix[] => [
            fixer.removeRange(removeStatementRange(context.sourceCode, unit.first.range[0], unit.last.range[1])),
            ...sends.map((s) => fixer.insertTextAfter(lastArg(s)!, `, ${sdk}.WithDelay(${delayText})`)),
          ];
          for (const send of undelayed) {
            context.report({
              node: send.methodCall,
              messageId: "preferDelayedSend",
              data: { sleep: `${sdk}.Sleep(ctx, ${delayText})`, delayOption },
              suggest: fixable ? [{ messageId: "useDelayOption", data: { delayOption }, fix }] : [],
            });
          }
        }
      },
    };
  },
});

function lastArg(send: GoCallDetail): GoNode | undefined {
  const args = argsOf(send.methodCall);
  return args[args.length - 1];
}

/** The statement (and its error check) the sleep is. */
function unitOf(sleep: GoNode): OpUnit | null {
  for (let p: GoNode | null = sleep.parent; p; p = p.parent) {
    if (p.type === "statement_list") {
      const statements = p.children;
      const own = statements.findIndex((s) => s.range[0] <= sleep.range[0] && sleep.range[1] <= s.range[1]);
      const unit = own >= 0 ? opUnit(statements, own) : null;
      return unit?.call === sleep ? unit : null;
    }
    if (p.type !== "expression_statement" && p.type !== "expression_list" && p.type !== "short_var_declaration" &&
        p.type !== "assignment_statement" && p.type !== "if_statement" && p.type !== "parenthesized_expression") {
      return null;
    }
  }
  return null;
}

function insideLoop(node: GoNode): boolean {
  for (let p = node.parent; p && !isFn(p); p = p.parent) if (LOOPS.has(p.type)) return true;
  return false;
}

function isFn(n: GoNode): boolean {
  return n.type === "function_declaration" || n.type === "method_declaration" || n.type === "func_literal";
}

/**
 * The sends that follow the sleep when the sleep serves only to delay them: from the sleep to
 * the end of the function, every statement is a plain send (in the sleep's own block) or work
 * that neither waits nor touches Restate. Null when anything else happens after the sleep.
 */
function sendsAfter(model: GoFileModel, last: GoNode): GoCallDetail[] | null {
  const sends: GoCallDetail[] = [];
  let statement = last;
  let ownBlock = true;
  for (;;) {
    const list = statement.parent;
    if (list?.type !== "statement_list") return null;
    const statements = list.children;
    for (let i = statements.indexOf(statement) + 1; i < statements.length; i++) {
      const next = statements[i]!;
      const unit = opUnit(statements, i);
      const send = ownBlock && unit ? soleSend(model, unit) : null;
      if (send) {
        sends.push(send);
        i = statements.indexOf(unit!.last);
        continue;
      }
      if (next.type === "return_statement") return hasWork(next, model.go) ? null : sends;
      if (!isQuiet(next, model)) return null;
    }
    const block = list.parent;
    const owner = block?.parent;
    if (!block || !owner) return null;
    if (isFn(owner)) {
      const info = functionInfo(model, owner);
      return info && (info.handler || info.ctxParams.size > 0) ? sends : null;
    }
    if (!PASS_THROUGH.has(owner.type) && owner.type !== "statement_list") return null;
    statement = owner.type === "statement_list" ? block : owner;
    ownBlock = false;
  }
}

function isQuiet(statement: GoNode, model: GoFileModel): boolean {
  switch (statement.type) {
    case "empty_statement":
      return true;
    case "short_var_declaration":
    case "var_declaration":
    case "const_declaration":
      return !hasWork(statement, model.go);
    default:
      return false;
  }
}

/** A unit that is one send, built without other work. */
function soleSend(model: GoFileModel, unit: OpUnit): GoCallDetail | null {
  const detail = model.details.get(unit.call);
  if (detail?.method !== "Send") return null;
  const allowed = new Set<GoNode>([detail.methodCall, detail.factoryCall]);
  const statements = unit.first === unit.last ? [unit.first] : [unit.first, unit.last];
  return statements.some((s) => hasWork(s, model.go, allowed)) ? null : detail;
}

/** `err := restate.Sleep(...)` declares `err`; a later `err = …` would no longer compile without it. */
function errStillNeeded(model: GoFileModel, unit: OpUnit): boolean {
  if (!unit.declaresErr || !unit.errName) return false;
  let fn: GoNode | null = unit.first.parent;
  while (fn && !isFn(fn)) fn = fn.parent;
  const info = fn ? functionInfo(model, fn) : undefined;
  if (!info) return true;
  for (const ref of info.bindings.refs.get(unit.errName) ?? []) {
    if (ref.range[0] <= unit.last.range[1]) continue;
    const list = ref.parent;
    if (list?.type === "expression_list" && list.field === "left" && list.parent?.type === "assignment_statement") return true;
  }
  return false;
}
