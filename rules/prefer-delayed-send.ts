import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../src/eslint/create-rule.js";
import { fileModel } from "../src/eslint/file-model.js";
import { addOptionFix } from "../src/eslint/options-fix.js";
import type { CallSite, SleepSite } from "../src/model/types.js";
import { type Node, isFunction, memberName, parentOf, unwrap, walk } from "../src/ts/ast.js";
import { type FileContext, sdkPath } from "../src/ts/file-context.js";

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);

/** Globals whose calls compute a value and neither wait nor read the clock. */
const PURE_GLOBALS = new Set(["console", "JSON", "Math", "Object", "Array", "String", "Number", "Boolean"]);
/** `ctx.console.log(...)`, `ctx.rand.uuidv4()`: deterministic context helpers, no journaled work. */
const PURE_CTX_MEMBERS = new Set(["console", "rand"]);
/** Creating a client journals nothing; only calling a handler on it does. */
const CLIENT_FACTORIES = new Set([
  "serviceClient",
  "objectClient",
  "workflowClient",
  "serviceSendClient",
  "objectSendClient",
  "workflowSendClient",
  "client",
  "sendClient",
]);
/** Built-in constructors that only build a value (`new Date()` reads the clock, so it is not here). */
const PURE_CONSTRUCTORS = new Set(["Uint8Array", "TextEncoder", "TextDecoder", "Map", "Set", "Array", "Error", "URL"]);

export default createRule({
  name: "prefer-delayed-send",
  meta: {
    type: "suggestion",
    docs: {
      description: "Prefer a delayed send over `await ctx.sleep(d)` followed by a send",
      config: "recommended",
    },
    hasSuggestions: true,
    messages: {
      preferDelayedSend:
        "`{{sleep}}` then a send keeps this invocation alive (and a virtual object locked) for the whole delay. Send with `{{delayOption}}` instead: the handler ends at once and Restate delivers the message later.",
      useDelayOption: "Remove the sleep and send with `{{delayOption}}`",
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      "Program:exit"() {
        const model = fileModel(context);
        const sourceCode = context.sourceCode;
        const fc = model.context;
        const sendsByNode = new Map<Node, CallSite<Node>>();
        for (const c of model.calls) if (c.mode === "send" && c.node) sendsByNode.set(c.node, c);
        const scopeFns = new Set<Node>(model.scopes.map((s) => s.fn));
        const done = new Set<Node>();

        for (const sleep of model.sleeps) {
          const statement = sleepStatement(sleep);
          if (!statement || done.has(statement) || insideLoop(statement)) continue;
          done.add(statement);
          const ctxName = receiverName(sleep.node as TSESTree.CallExpression);
          const delayArg = (sleep.node as TSESTree.CallExpression).arguments[0];
          if (!ctxName || !delayArg || delayArg.type === "SpreadElement") continue;
          const work = new WorkCheck(fc, ctxName);
          const sends = sendsAfter(statement, sendsByNode, work, scopeFns);
          // Options we cannot read may already carry a delay: adding the sleep to it is a guess.
          if (!sends || sends.length === 0 || sends.some((s) => !optionsReadable(s))) continue;

          const delayText = sourceCode.getText(delayArg);
          const undelayed = sends.filter((s) => s.options.delay === undefined);
          // Removing the sleep is only right when every send it delays gets the delay instead.
          const fixes = undelayed.length === sends.length ? sends.map((s) => addOptionFix(fc, sourceCode, s, "delay", delayText)) : [];
          const complete = fixes.length > 0 && fixes.every((f) => f !== null);
          for (const send of undelayed) {
            context.report({
              node: send.node!,
              messageId: "preferDelayedSend",
              data: { sleep: `await ${ctxName}.sleep(${delayText})`, delayOption: `delay: ${delayText}` },
              suggest: complete
                ? [
                    {
                      messageId: "useDelayOption",
                      data: { delayOption: `delay: ${delayText}` },
                      fix: (fixer: TSESLint.RuleFixer) => [
                        fixer.remove(statement),
                        ...fixes.map((f) => f!(fixer)),
                      ],
                    },
                  ]
                : [],
            });
          }
        }
      },
    };
  },
});

/** Whether we can tell if the send already has a delay: its options are written out in place. */
function optionsReadable(send: CallSite<Node>): boolean {
  const form = send.options.form;
  if (form === "none") return true;
  if (form === "legacy-factory") return send.options.delay !== undefined;
  const node = send.options.node ? unwrap(send.options.node) : null;
  if (form === "generic-inline") return node?.type === "ObjectExpression" && !hasSpread(node);
  if (form === "rpc.opts" || form === "rpc.sendOpts") {
    if (node?.type !== "CallExpression") return false;
    const spec = node.arguments[0] ? unwrap(node.arguments[0] as Node) : null;
    return !spec || (spec.type === "ObjectExpression" && !hasSpread(spec));
  }
  return false;
}

function hasSpread(obj: TSESTree.ObjectExpression): boolean {
  return obj.properties.some((p) => p.type === "SpreadElement");
}

/** `await ctx.sleep(d);` written as its own statement (a raced or stored sleep is an interruptible timer). */
function sleepStatement(sleep: SleepSite<Node>): Node | null {
  const call = sleep.node;
  if (!call || sleep.usage !== "awaited") return null;
  const awaitExpr = parentOf(call);
  const stmt = awaitExpr?.type === "AwaitExpression" ? parentOf(awaitExpr) : undefined;
  return stmt?.type === "ExpressionStatement" ? stmt : null;
}

function receiverName(call: TSESTree.CallExpression): string | null {
  const callee = unwrap(call.callee);
  if (callee.type !== "MemberExpression") return null;
  const obj = unwrap(callee.object);
  return obj.type === "Identifier" ? obj.name : null;
}

function insideLoop(node: Node): boolean {
  for (let p = parentOf(node); p && !isFunction(p); p = parentOf(p)) if (LOOPS.has(p.type)) return true;
  return false;
}

/**
 * The sends that follow the sleep when the sleep serves only to delay them: from the sleep to
 * the end of the handler, every statement on the path is a plain send or work that neither
 * waits nor touches Restate nor reads the clock. Null when anything else happens after the
 * sleep (that work may depend on the time passing, and a delayed send would move it earlier).
 */
function sendsAfter(
  sleepStatement: Node,
  sendsByNode: Map<Node, CallSite<Node>>,
  work: WorkCheck,
  scopeFns: Set<Node>,
): CallSite<Node>[] | null {
  const sends: CallSite<Node>[] = [];
  let statement: Node = sleepStatement;
  // Sends count only in the sleep's own block: past it, they run on paths that never slept.
  let ownBlock = true;
  for (;;) {
    const container = parentOf(statement);
    if (!container) return null;
    if (container.type === "BlockStatement" || container.type === "Program") {
      const body = container.body as Node[];
      for (let i = body.indexOf(statement) + 1; i < body.length; i++) {
        const next = body[i]!;
        const send = ownBlock ? soleSend(next, sendsByNode, work) : null;
        if (send) {
          sends.push(send);
          continue;
        }
        if (next.type === "ReturnStatement") return next.argument && work.found(next.argument) ? null : sends;
        if (!isQuiet(next, work)) return null;
      }
      if (container.type === "Program") return sends;
      const owner = parentOf(container);
      if (!owner) return null;
      if (isFunction(owner)) return scopeFns.has(owner) ? sends : null;
      statement = container;
      ownBlock = false;
      continue;
    }
    if (container.type === "IfStatement" || container.type === "LabeledStatement") {
      statement = container;
      continue;
    }
    if (container.type === "TryStatement" && !container.finalizer) {
      statement = container;
      continue;
    }
    if (container.type === "CatchClause") {
      const tryStatement = parentOf(container);
      if (tryStatement?.type !== "TryStatement" || tryStatement.finalizer) return null;
      statement = tryStatement;
      continue;
    }
    return null;
  }
}

/** A statement with no effect on the timing question: declarations and pure computations. */
function isQuiet(statement: Node, work: WorkCheck): boolean {
  if (statement.type === "EmptyStatement") return true;
  if (statement.type === "VariableDeclaration" || statement.type === "ExpressionStatement") return !work.found(statement);
  return (
    statement.type === "FunctionDeclaration" ||
    statement.type === "TSTypeAliasDeclaration" ||
    statement.type === "TSInterfaceDeclaration"
  );
}

/**
 * The send a statement consists of (`ctx.objectSendClient(X, k).h(x);`), when building it does
 * no other work.
 */
function soleSend(statement: Node, sends: Map<Node, CallSite<Node>>, work: WorkCheck): CallSite<Node> | null {
  if (statement.type !== "ExpressionStatement") return null;
  let expr: Node = unwrap(statement.expression);
  // Awaiting a send handle does not wait for the callee.
  if (expr.type === "AwaitExpression") expr = unwrap(expr.argument);
  const send = sends.get(expr);
  if (!send) return null;
  const call = expr as TSESTree.CallExpression;
  // The client chain itself: `ctx.objectSendClient(X, k)` and `ctx.scope(s)` before it.
  const chain = new Set<Node>([call]);
  let receiver = unwrap(call.callee);
  while (receiver.type === "MemberExpression") {
    const obj = unwrap(receiver.object);
    if (obj.type !== "CallExpression") break;
    chain.add(obj);
    receiver = unwrap(obj.callee);
  }
  return work.found(expr, chain) ? null : send;
}

/**
 * Finds work whose result could depend on when it runs: awaiting anything, any Restate
 * operation, calling a function or constructor we cannot see into, reading the clock, or
 * assigning.
 */
class WorkCheck {
  constructor(
    private readonly fc: FileContext,
    private readonly ctxName: string,
  ) {}

  found(root: Node, allowed: Set<Node> = new Set()): boolean {
    let found = false;
    walk(root, (n) => {
      if (found) return false;
      // A function written here runs later, if at all; calling it is what counts.
      if (n !== root && isFunction(n)) return false;
      switch (n.type) {
        case "AwaitExpression":
        case "YieldExpression":
        case "AssignmentExpression":
        case "UpdateExpression":
        case "ThrowStatement":
        case "TaggedTemplateExpression":
          found = true;
          return false;
        case "NewExpression": {
          const callee = unwrap(n.callee);
          const pure =
            (callee.type === "Identifier" && PURE_CONSTRUCTORS.has(callee.name)) || sdkPath(this.fc, callee) !== null;
          if (!pure) found = true;
          return !found;
        }
        case "CallExpression":
          if (!allowed.has(n) && !this.isPureCall(n)) found = true;
          return !found;
        default:
          return true;
      }
    });
    return found;
  }

  private isPureCall(call: TSESTree.CallExpression): boolean {
    const callee = unwrap(call.callee);
    // Helpers of the SDK such as `restate.rpc.sendOpts(...)` or `restate.serde.json.serialize(...)`.
    if (sdkPath(this.fc, callee) !== null) return true;
    const root = rootOf(callee);
    if (!root) return false;
    if (root.name === this.ctxName) {
      const path = memberPath(callee);
      const first = path[0];
      if (first === undefined) return false;
      return PURE_CTX_MEMBERS.has(first) || (path.length === 1 && CLIENT_FACTORIES.has(first));
    }
    return PURE_GLOBALS.has(root.name);
  }
}

function rootOf(node: Node): TSESTree.Identifier | null {
  let n = unwrap(node);
  while (n.type === "MemberExpression") n = unwrap(n.object);
  return n.type === "Identifier" ? n : null;
}

/** `ctx.rand.uuidv4` → ["rand", "uuidv4"]; a computed member ends the path. */
function memberPath(node: Node): string[] {
  const path: string[] = [];
  let n = unwrap(node);
  while (n.type === "MemberExpression") {
    const name = memberName(n);
    if (name === null) return [];
    path.unshift(name);
    n = unwrap(n.object);
  }
  return path;
}
