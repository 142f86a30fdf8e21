import type { CallSite } from "../src/model/types.js";
import type { GoNode } from "../src/go/ast.js";
import { fieldOf, fieldsOf, walkGo } from "../src/go/ast.js";
import type { FnInfo, GoFileModel } from "../src/go/extract.js";
import { methodCall, packageFunction, valueParent } from "../src/go/extract.js";
import { defineGoListeners, functionInfo, goModel } from "../src/go/rule-kit.js";

interface Op {
  call: GoNode;
  label: string;
  lost: string;
  /** How many results the operation returns, and which one is the error. */
  results: number;
  errIndex: number;
}

const LOST_CALL = "a TerminalError of the callee, or the cancellation of this invocation, is lost";

export default defineGoListeners("no-swallowed-error", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        if (!model.usesRestate) return;
        for (const op of operations(model)) {
          const verdict = swallowed(model, op);
          if (!verdict) continue;
          context.report({ node: verdict.node, messageId: "swallowedError", data: { swallowed: `The error of ${op.label} is ${verdict.how}`, lost: op.lost, remedy: "Check it (`if err != nil { return …, err }`) or return it" } });
        }
      },
    };
  },
});

/** Every call whose error result matters: requests, responses of futures, sleeps and side effects. */
function operations(model: GoFileModel): Op[] {
  const sdk = model.go.restate;
  const ops: Op[] = [];
  const ingress = new Map(model.ingress.map((c) => [c.node, c]));
  const sites = new Map(model.calls.map((c) => [c.node, c]));
  walkGo(model.root, (n) => {
    if (n.type !== "call_expression") return true;
    const detail = model.details.get(n);
    if (detail?.method === "Request") {
      ops.push({ call: n, label: `the request to ${targetOf(sites.get(n))}`, lost: LOST_CALL, results: 2, errIndex: 1 });
      return true;
    }
    const ing = ingress.get(n);
    if (ing?.method === "Request") {
      ops.push({ call: n, label: `the ingress request to ${ing.service ?? "?"}/${ing.handler ?? "?"}`, lost: "a failed or rejected request goes unnoticed", results: 2, errIndex: 1 });
      return true;
    }
    const fn = packageFunction(n, sdk);
    if (fn === "Sleep") ops.push({ call: n, label: `\`${sdk}.Sleep\``, lost: "the cancellation of this invocation during the sleep is lost", results: 1, errIndex: 0 });
    else if (fn === "Run" || fn === "RunVoid") {
      ops.push({ call: n, label: `\`${sdk}.${fn}\``, lost: "a terminal failure of the action (or its retries running out) is lost", results: fn === "Run" ? 2 : 1, errIndex: fn === "Run" ? 1 : 0 });
    } else {
      const m = methodCall(n);
      if (m?.name === "Response" && isFuture(model, m.receiver)) {
        ops.push({ call: n, label: "`Response()`", lost: LOST_CALL, results: 2, errIndex: 1 });
      }
    }
    return true;
  });
  return ops;
}

function targetOf(site: CallSite<GoNode> | undefined): string {
  const service = site?.target.by === "name" ? site.target.serviceName : "?";
  return `${service}/${site?.handler ?? "?"}`;
}

/** A `RequestFuture` or `AttachInvocation` future, in place or held in a variable. */
function isFuture(model: GoFileModel, receiver: GoNode): boolean {
  let r: GoNode | null = receiver;
  if (r.type === "identifier") r = infoOf(model, r)?.bindings.valueOf(r) ?? null;
  if (!r) return false;
  if (model.details.get(r)?.method === "RequestFuture") return true;
  return packageFunction(r, model.go.restate) === "AttachInvocation";
}

function infoOf(model: GoFileModel, node: GoNode): FnInfo | undefined {
  for (let p = node.parent; p; p = p.parent) {
    const info = functionInfo(model, p);
    if (info) return info;
  }
  return undefined;
}

function swallowed(model: GoFileModel, op: Op): { node: GoNode; how: string } | null {
  const { parent } = valueParent(op.call);
  if (!parent) return null;
  if (parent.type === "expression_statement") return { node: op.call, how: "dropped (the call's results are not read)" };
  if (parent.type !== "expression_list" || parent.children.length !== 1) return null;
  const holder = parent.parent;
  if (!holder) return null;
  let targets: GoNode[];
  if ((holder.type === "short_var_declaration" || holder.type === "assignment_statement") && parent.field === "right") {
    if (holder.type === "assignment_statement" && holder.operator !== "=") return null;
    targets = fieldOf(holder, "left")?.children ?? [];
  } else if (holder.type === "var_spec" && parent.field === "value") {
    targets = fieldsOf(holder, "name");
  } else return null;
  if (targets.length !== op.results) return null;
  const err = targets[op.errIndex];
  if (!err || err.type !== "identifier") return null;
  if (err.text === "_") return { node: err, how: "assigned to `_`" };
  const info = infoOf(model, op.call);
  if (!info || isNamedResult(info, err.text)) return null;
  const end = holder.range[1];
  const later = (info.bindings.refs.get(err.text) ?? []).filter((r) => r.range[0] >= end).sort((a, b) => a.range[0] - b.range[0]);
  const next = later[0];
  if (!next) return insideLoop(holder, info.fn) ? null : { node: err, how: "never checked" };
  return isWrite(next) ? { node: err, how: "overwritten before it is checked" } : null;
}

/** `func f() (out T, err error)`: a bare `return` reads `err`. */
function isNamedResult(info: FnInfo, name: string): boolean {
  const result = fieldOf(info.fn, "result");
  if (result?.type !== "parameter_list") return false;
  return result.children.some((d) => fieldsOf(d, "name").some((n) => n.text === name));
}

function isWrite(ref: GoNode): boolean {
  const list = ref.parent;
  if (list?.type !== "expression_list" || list.field !== "left") return false;
  const holder = list.parent;
  return holder?.type === "short_var_declaration" || (holder?.type === "assignment_statement" && holder.operator === "=");
}

/** In a loop, a check written earlier in the body can run on the next iteration. */
function insideLoop(node: GoNode, fn: GoNode): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) if (p.type === "for_statement") return true;
  return false;
}
