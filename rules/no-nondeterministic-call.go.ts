import type { GoNode } from "../src/go/ast.js";
import { fieldOf, isAncestorOf, isFunction, walkGo } from "../src/go/ast.js";
import { type ContextFacts, contextFacts } from "../src/go/contexts.js";
import type { FnInfo, GoFileModel, GoScope } from "../src/go/extract.js";
import { randomKeyParts } from "../src/go/idempotency-keys.js";
import { type PackageView, packageName, packageView } from "../src/go/package.js";
import { type ValueScope, harmlessValue, reachesJournal } from "../src/go/result-only.js";
import { type GoRuleContext, type GoSuggestion, ctxNameAt, defineGoListeners, functionInfo, goModel } from "../src/go/rule-kit.js";
import { type Source, type SourceKind, sourceOf, uuidReplacement } from "../src/go/sources.js";

type Kind = "clock" | "rand" | "crypto" | "id" | "goroutine" | "select" | "channel";

const VALUE_PROBLEM =
  "returns a different value on every replay of this invocation, so code that depends on it can take a path the journal does not match (RT0016)";
const PROBLEMS: Record<Kind, string> = {
  clock: VALUE_PROBLEM,
  rand: VALUE_PROBLEM,
  crypto: VALUE_PROBLEM,
  id: VALUE_PROBLEM,
  goroutine:
    "does Restate work concurrently with the handler: the order in which its operations reach the journal depends on the Go scheduler and can differ on replay (RT0016), and the goroutine may still use the context after the handler returned",
  select: "takes whichever channel is ready first; that choice is not journaled, so a replay can take another branch (RT0016)",
  channel: "waits for a value a goroutine sends; neither the value nor its timing is journaled, so a replay can see another one (RT0016)",
};
const FUTURES_ADVICE =
  "Start the work as futures (`RequestFuture`, `{{sdk}}.RunAsync`, `{{sdk}}.After`) and wait for them with `{{sdk}}.Wait`/`{{sdk}}.WaitFirst`, which the journal records.";
const ADVICE: Record<Kind, string> = {
  clock: "Read the clock inside `{{sdk}}.Run` (journaled): `{{sdk}}.Run(ctx, func(ctx {{sdk}}.RunContext) (time.Time, error) { return time.Now(), nil })`.",
  rand: "Use `{{sdk}}.Rand(ctx)`: seeded by the invocation, it repeats the same sequence on replay.",
  crypto: "Generate it inside `{{sdk}}.Run` (journaled).",
  id: "Use `{{sdk}}.UUID(ctx)` (deterministic per invocation, not for secrets), or generate it inside `{{sdk}}.Run`.",
  goroutine: FUTURES_ADVICE,
  select: FUTURES_ADVICE,
  channel: FUTURES_ADVICE,
};
const MAX_HELPER_DEPTH = 3;

export default defineGoListeners("no-nondeterministic-call", {
  create(context) {
    return {
      "source_file:exit"() {
        const model = goModel(context);
        if (!model.go.restate) return;
        new Check(context, model, model.go.restate).run();
      },
    };
  },
});

/** Where a walk is: the path named in messages, and whether values may reach the handler's result. */
interface Walk {
  where: string;
  depth: number;
  scope: ValueScope;
  /** Walking a helper whose result reaches nothing but the handler's result: its values decide nothing. */
  forResult: boolean;
  /**
   * Walking a method of a type that holds the context, reached from no handler in particular: a
   * value is a hazard only where the method itself journals it or lets it decide Restate work.
   */
  holder?: boolean;
}

class Check {
  private readonly reported = new Set<GoNode>();
  /** Function → whether it was walked only for a result. */
  private readonly walked = new Map<GoNode, boolean>();
  private readonly topFunctions = new Map<string, FnInfo>();
  private readonly facts: ContextFacts;
  private keyParts: GoNode[] | null = null;
  private siblings: PackageView | undefined;

  constructor(
    private readonly context: GoRuleContext,
    private readonly model: GoFileModel,
    private readonly sdk: string,
  ) {
    this.facts = contextFacts(model);
  }

  run(): void {
    for (const f of this.model.functions) {
      const name = f.fn.type === "function_declaration" ? fieldOf(f.fn, "name")?.text : undefined;
      if (name) this.topFunctions.set(name, f);
    }
    // Handlers first and the most direct path first, so each call names the shortest way in.
    const scopes = [...this.model.scopes]
      .filter((s) => s.from || [...s.info.ctxParams.values()].some((p) => p.type !== "RunContext"))
      .sort((a, b) => Number(!a.from) - Number(!b.from) || a.via.length - b.via.length);
    // A function taking a context that no handler is known to reach is walked on its own, like a
    // holder's method: what its values become once returned or stored is not known.
    for (const scope of scopes) this.walk(scope.info, { ...this.start(scope.info, describe(scope), !!scope.from && scope.via.length === 0), holder: !scope.from });
    // Methods of a type that holds the context (`s.ctx`) act with it like a helper given it.
    for (const f of this.model.functions) {
      if (f.receiverType && this.facts.holders.has(f.receiverType)) this.walk(f, { ...this.start(f, `\`${f.name}\``, false), holder: true });
    }
  }

  private start(info: FnInfo, where: string, handler: boolean): Walk {
    return { where, depth: 0, scope: { model: this.model, facts: this.facts, info, handler }, forResult: false };
  }

  private walk(info: FnInfo, w: Walk): void {
    const before = this.walked.get(info.fn);
    if ((before !== undefined && (before === false || w.forResult)) || !info.body) return;
    this.walked.set(info.fn, w.forResult);
    const body = info.body;
    const goChannels = this.goroutineNames(body, info);
    walkGo(body, (n) => {
      if (n !== body && isFunction(n) && (this.facts.runClosures.has(n) || functionInfo(this.model, n))) return false;
      switch (n.type) {
        case "go_statement":
          if (this.restateWork(n, info)) this.report(n, "goroutine", "go", w.where, n.range[0] + 2);
          return false;
        case "select_statement":
          if (n.children.some((c) => c.type === "communication_case")) this.report(n, "select", "select", w.where, n.range[0] + 6);
          return true;
        case "unary_expression": {
          const operand = fieldOf(n, "operand");
          if (n.operator === "<-" && operand?.type === "identifier" && goChannels.has(operand.text) && !this.inSelectCase(n)) {
            this.report(n, "channel", n.text, w.where);
          }
          return true;
        }
        case "call_expression": {
          const source = sourceOf(n, this.model.go);
          if (source) this.reportSource(source, w);
          else this.follow(n, info, w);
          return true;
        }
        default:
          return true;
      }
    });
  }

  /**
   * Functions of this file the code calls without a context run as part of the handler, and so do
   * those of the package's other files; these are reported at the call, naming the source.
   */
  private follow(call: GoNode, info: FnInfo, w: Walk): void {
    if (w.depth >= MAX_HELPER_DEPTH) return;
    const fn = fieldOf(call, "function");
    if (fn?.type !== "identifier" || info.bindings.isLocal(fn.text)) return;
    const target = this.topFunctions.get(fn.text);
    const where = `${w.where} → ${fn.text}`;
    if (target) {
      if (target.ctxParams.size > 0 || target.handler) return;
      // A helper whose result reaches nothing but the handler's result decides nothing either.
      const forResult = w.forResult || harmlessValue(call, w.scope);
      this.walk(target, { where, depth: w.depth + 1, scope: { ...w.scope, info: target, handler: false }, forResult, holder: w.holder });
      return;
    }
    const source = this.fromSiblings().sourceFunction(fn.text);
    if (!source || !this.hazard(call, w)) return;
    this.report(call, kindOf(source), `${source.label}()`, where);
  }

  /** The other files of the package (the view parses each sibling once, for every rule). */
  private fromSiblings(): PackageView {
    this.siblings ??= packageView(this.context.filename, packageName(this.model.root));
    return this.siblings;
  }

  private reportSource(source: Source, w: Walk): void {
    // A key that changes on retry is restate/valid-idempotency-key's finding, with its own fix.
    this.keyParts ??= randomKeyParts(this.model);
    if (this.keyParts.some((part) => isAncestorOf(part, source.node))) return;
    // Nothing journaled depends on a value that only reaches the result or a run.
    if (!this.hazard(source.node, w)) return;
    const ctx = w.depth === 0 ? ctxNameAt(this.model, source.node) : null;
    const replacement = ctx ? uuidReplacement(source, this.sdk, ctx) : null;
    const suggest: GoSuggestion[] = replacement
      ? [{ messageId: "useDeterministic", data: { replacement }, fix: (fixer) => fixer.replaceText(source.node, replacement) }]
      : [];
    this.report(source.node, kindOf(source), `${source.label}()`, w.where, undefined, suggest);
  }

  /** Whether a value read at `node` can make a replay diverge, as far as the walk can tell. */
  private hazard(node: GoNode, w: Walk): boolean {
    if (w.holder) return reachesJournal(node, w.scope);
    return !w.forResult && !harmlessValue(node, w.scope);
  }

  private report(node: GoNode, kind: Kind, call: string, where: string, keywordEnd?: number, suggest: GoSuggestion[] = []): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    const sc = this.context.sourceCode;
    const loc = keywordEnd === undefined ? undefined : { start: node.loc.start, end: sc.getLocFromIndex(keywordEnd) };
    this.context.report({
      ...(loc ? { loc } : { node }),
      messageId: "nondeterministicCall",
      data: { call, where, problem: PROBLEMS[kind], advice: ADVICE[kind].replaceAll("{{sdk}}", this.sdk) },
      suggest,
    });
  }

  /** A goroutine uses the Restate context or the SDK. */
  private restateWork(goStatement: GoNode, info: FnInfo): boolean {
    let found = false;
    walkGo(goStatement, (n) => {
      if (found) return false;
      if (n.type === "identifier" && (info.ctxParams.has(n.text) || n.text === this.sdk)) found = true;
      return !found;
    });
    return found;
  }

  /** Names used inside the function's goroutines that do Restate work (the channels they send on, among others). */
  private goroutineNames(body: GoNode, info: FnInfo): Set<string> {
    const names = new Set<string>();
    walkGo(body, (n) => {
      if (n.type !== "go_statement") return true;
      if (!this.restateWork(n, info)) return false;
      walkGo(n, (m) => {
        if (m.type === "identifier") names.add(m.text);
        return true;
      });
      return false;
    });
    return names;
  }

  /** Receives that are a `select` case are reported with the `select`. */
  private inSelectCase(node: GoNode): boolean {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === "communication_case") {
        const communication = fieldOf(p, "communication");
        return !!communication && communication.range[0] <= node.range[0] && node.range[1] <= communication.range[1];
      }
      if (isFunction(p) || p.type === "block" || p.type === "statement_list") return false;
    }
    return false;
  }
}

function kindOf(source: { kind: SourceKind; importPath: string }): Kind {
  if (source.kind === "id") return "id";
  return source.importPath === "time" ? "clock" : source.importPath === "crypto/rand" ? "crypto" : "rand";
}

function describe(scope: GoScope): string {
  if (scope.from) return [`${scope.from.service}.${scope.from.handler}`, ...scope.via].join(" → ");
  return `\`${scope.info.name}\``;
}
