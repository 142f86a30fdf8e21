import type { TSESTree } from "@typescript-eslint/utils";
import type { CallSite } from "../model/types.js";
import { latestOnly } from "../model/latest.js";
import { own } from "../model/records.js";
import { shorten } from "../report/text.js";
import { type Node, isAncestor, isFunction, memberName, staticString, unwrap, walk } from "../ts/ast.js";
import type { TsFileModel } from "../ts/extract.js";
import { type Bindings, bindingsOf, genericKeyOf, ingressCalls, isReference, readOptions } from "../ts/ingress.js";

/** "id": returns a string id (a drop-in place for `ctx.rand.uuidv4()`); "value": a number, a date, bytes. */
export type SourceKind = "id" | "value";

/** Exports of id libraries and `crypto` that give a new value on every call. uuid v3/v5 are name-based, so absent. */
const RANDOM_EXPORTS: Record<string, Record<string, SourceKind>> = {
  uuid: { v1: "id", v4: "id", v6: "id", v7: "id" },
  nanoid: { nanoid: "id" },
  "nanoid/non-secure": { nanoid: "id" },
  ulid: { ulid: "id" },
  ulidx: { ulid: "id" },
  cuid: { default: "id" },
  "@paralleldrive/cuid2": { createId: "id" },
  "short-uuid": { generate: "id", uuid: "id" },
  "uuid-random": { default: "id" },
  crypto: { randomUUID: "id", randomBytes: "value", randomInt: "value", getRandomValues: "value" },
  "node:crypto": { randomUUID: "id", randomBytes: "value", randomInt: "value", getRandomValues: "value" },
};

/** Members of globals: `Math.random()`, `Date.now()`, `crypto.randomUUID()`… */
const GLOBAL_SOURCES: Record<string, Record<string, SourceKind>> = {
  Math: { random: "value" },
  Date: { now: "value" },
  performance: { now: "value" },
  crypto: RANDOM_EXPORTS.crypto!,
};

const TYPE_NODES = new Set(["TSTypeAnnotation", "TSTypeReference", "TSTypeParameterInstantiation"]);

/** Where an idempotency key is written. */
export interface KeySite {
  value: Node;
  call: Node;
  /** In-handler (ctx) calls; ingress calls are not checked for randomness. */
  inHandler: boolean;
  /** The target carries nothing that varies per request: a service, or a constant object key. */
  fixedTarget: boolean;
  noun: "call" | "send";
}

export interface Source {
  node: Node;
  kind: SourceKind;
  /** The expression the source was found in: the key itself or the initializer of a `const` it names. */
  root: Node;
}

/** What restate/valid-idempotency-key finds about one key. */
export interface KeyFinding {
  site: KeySite;
  /** The key as written when it is a constant string. */
  constant: string | null;
  /** For an in-handler key that changes on retry: where the new value comes from. */
  random: Source | null;
  /** The `const` declarations the key was read through to find `random`. */
  consts: TSESTree.VariableDeclarator[];
}

const cache = latestOnly<TsFileModel, KeyFinding[]>();

/**
 * Every idempotency key of the file, once each, with what is wrong with it. Shared by the rule
 * that reports keys and by no-nondeterministic-call, which leaves a random key to it.
 */
export function keyFindings(model: TsFileModel): KeyFinding[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const bindings = bindingsOf(model);
  const findings: KeyFinding[] = [];
  const seen = new Set<Node>();
  for (const site of keySites(model, bindings)) {
    if (seen.has(site.value)) continue;
    seen.add(site.value);
    const constant = constantText(bindings, site.value);
    const consts = new Set<TSESTree.VariableDeclarator>();
    const random = constant === null && site.inHandler ? findSource(model, bindings, site.value, 0, consts) : null;
    findings.push({ site, constant, random, consts: random ? [...consts] : [] });
  }
  cache.set(model, findings);
  return findings;
}

/**
 * The expressions whose non-determinism is valid-idempotency-key's finding: each key it reports
 * as changing on retry, and the `const`s that key reads when nothing else reads them (a value also
 * used elsewhere is still a hazard of its own). `readsOf` gives the read references of a
 * declaration, or null when they are not known.
 */
export function randomKeyParts(model: TsFileModel, readsOf: (decl: TSESTree.VariableDeclarator) => readonly Node[] | null): Node[] {
  const parts: Node[] = [];
  for (const f of keyFindings(model)) {
    if (!f.random) continue;
    const expressions = [f.site.value, ...f.consts.map((d) => d.init!)];
    parts.push(f.site.value);
    for (const d of f.consts) {
      const reads = readsOf(d);
      if (reads && reads.every((r) => expressions.some((e) => isAncestor(e, r)))) parts.push(d.init!);
    }
  }
  return parts;
}

function keySites(model: TsFileModel, bindings: Bindings): KeySite[] {
  const sites: KeySite[] = [];
  for (const call of model.calls) {
    const value = inHandlerKey(model, bindings, call);
    if (!value || !call.node) continue;
    sites.push({
      value,
      call: call.node,
      inHandler: true,
      fixedTarget: call.key === null || call.key.kind === "literal",
      noun: call.mode === "send" ? "send" : "call",
    });
  }
  for (const call of ingressCalls(model)) {
    const value = call.options.idempotencyKey ?? call.options.keyHeader;
    if (!value) continue;
    sites.push({
      value,
      call: call.node,
      inHandler: false,
      fixedTarget: call.key === null || constantText(bindings, call.key) !== null,
      noun: call.mode === "send" ? "send" : "call",
    });
  }
  return sites;
}

/** The `idempotencyKey` value of a ctx call: in `rpc.opts/sendOpts/Opts.from/SendOpts.from({...})` or a generic call. */
function inHandlerKey(model: TsFileModel, bindings: Bindings, call: CallSite<Node>): Node | undefined {
  const node = call.options.node;
  if (!node) return undefined;
  if (call.options.form === "generic-inline") {
    const spec = unwrap(node);
    return spec.type === "ObjectExpression" ? genericKeyOf(spec) : undefined;
  }
  if (call.options.form === "rpc.opts" || call.options.form === "rpc.sendOpts") {
    return readOptions(model.context, bindings, node, "sdk")?.idempotencyKey;
  }
  return undefined;
}

/** The key as written when it is a constant string (a literal, a template without expressions, or a `const` of one). */
function constantText(bindings: Bindings, node: Node): string | null {
  const n = unwrap(node);
  if (staticString(n) !== null) return shorten(textOf(n));
  if (n.type === "Identifier") {
    const init = bindings.constInit(n);
    if (init && staticString(init) !== null) return `${n.name} (${shorten(textOf(init))})`;
  }
  return null;
}

function textOf(n: Node): string {
  if (n.type === "Literal") return n.raw;
  if (n.type === "TemplateLiteral") return `\`${n.quasis.map((q) => q.value.raw).join("")}\``;
  return "…";
}


/**
 * The first call in `expr` that gives a new value on every run, looking through `const`s it
 * names but not into nested functions: `await ctx.run(() => randomUUID())` is journaled.
 */
function findSource(
  model: TsFileModel,
  bindings: Bindings,
  expr: Node,
  depth: number,
  visited: Set<TSESTree.VariableDeclarator>,
): Source | null {
  let found: Source | null = null;
  walk(expr, (n) => {
    if (found) return false;
    if (n !== expr && isFunction(n)) return false;
    if (TYPE_NODES.has(n.type)) return false;
    if (n.type === "Identifier") {
      if (!isReference(n) || depth >= 3) return false;
      const d = bindings.resolve(n);
      if (d?.kind !== "variable" || !d.constant || !d.declarator.init || visited.has(d.declarator)) return false;
      visited.add(d.declarator);
      found = findSource(model, bindings, d.declarator.init, depth + 1, visited);
      return false;
    }
    const kind = sourceKind(model, bindings, n);
    if (kind) found = { node: n, kind, root: expr };
    return true;
  });
  return found;
}

function sourceKind(model: TsFileModel, bindings: Bindings, n: Node): SourceKind | null {
  if (n.type === "NewExpression") {
    // `new Date(x)` is a given date; only `new Date()` reads the clock.
    const callee = unwrap(n.callee);
    return callee.type === "Identifier" && callee.name === "Date" && n.arguments.length === 0 && bindings.resolve(callee) === null
      ? "value"
      : null;
  }
  if (n.type !== "CallExpression") return null;
  const callee = unwrap(n.callee);
  if (callee.type === "Identifier") {
    const d = bindings.resolve(callee);
    if (d === null) return callee.name === "Date" && n.arguments.length === 0 ? "value" : null;
    if (d.kind !== "import") return null;
    const ref = own(model.imports, callee.name);
    if (!ref) return null;
    const exports = own(RANDOM_EXPORTS, ref.source);
    // A callable default or namespace import (`cuid()`).
    const name = ref.imported === "*" ? "default" : ref.imported;
    return own(exports, name) ?? null;
  }
  if (callee.type !== "MemberExpression") return null;
  const member = memberName(callee);
  if (!member) return null;
  const obj = unwrap(callee.object);
  // `globalThis.crypto.randomUUID()`
  if (obj.type === "MemberExpression" && memberName(obj) === "crypto") {
    const root = unwrap(obj.object);
    if (root.type === "Identifier" && ["globalThis", "window", "self"].includes(root.name) && bindings.resolve(root) === null) {
      return GLOBAL_SOURCES.crypto![member] ?? null;
    }
    return null;
  }
  if (obj.type !== "Identifier") return null;
  const d = bindings.resolve(obj);
  if (d === null) return own(own(GLOBAL_SOURCES, obj.name), member) ?? null;
  if (d.kind !== "import") return null;
  const ref = own(model.imports, obj.name);
  if (!ref || (ref.imported !== "*" && ref.imported !== "default")) return null;
  return own(own(RANDOM_EXPORTS, ref.source), member) ?? null;
}
