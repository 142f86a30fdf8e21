import { type GoNode, isAncestorOf, stringValue, unparen, walkGo } from "./ast.js";
import type { Bindings, GoFileModel } from "./extract.js";
import { functionInfo } from "./rule-kit.js";
import { type Source, findSource } from "./sources.js";
import { latestOnly } from "../model/latest.js";
import { shorten } from "../report/text.js";

/** Where an idempotency key is written (`restate.WithIdempotencyKey(k)`). */
export interface GoKeySite {
  value: GoNode;
  inHandler: boolean;
  /** The target carries nothing that varies per request: a service, or a constant object key. */
  fixedTarget: boolean;
  noun: "call" | "send";
  bindings: Bindings | null;
}

/** What restate/valid-idempotency-key finds about one key. */
export interface GoKeyFinding {
  site: GoKeySite;
  /** The key as written when it is a constant string. */
  constant: string | null;
  /** For an in-handler key that changes on retry: where the new value comes from. */
  random: Source | null;
  /** The values of the local names the key was read through to find `random`. */
  followed: GoNode[];
}

const cache = latestOnly<GoFileModel, GoKeyFinding[]>();

/**
 * Every idempotency key of the file, once each, with what is wrong with it. Shared by the rule
 * that reports keys and by no-nondeterministic-call, which leaves a random key to it.
 */
export function keyFindings(model: GoFileModel): GoKeyFinding[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const findings: GoKeyFinding[] = [];
  const seen = new Set<GoNode>();
  for (const site of keySites(model)) {
    if (seen.has(site.value)) continue;
    seen.add(site.value);
    const constant = constantText(site.value, site.bindings);
    const followed = new Set<GoNode>();
    const random = constant === null && site.inHandler && site.bindings ? findSource(site.value, site.bindings, model.go, 0, followed) : null;
    findings.push({ site, constant, random, followed: random ? [...followed] : [] });
  }
  cache.set(model, findings);
  return findings;
}

/**
 * The expressions whose non-determinism is valid-idempotency-key's finding: each key it reports
 * as changing on retry, and the values of the names that key reads when nothing else reads them
 * (a value also used elsewhere is still a hazard of its own).
 */
export function randomKeyParts(model: GoFileModel): GoNode[] {
  const parts: GoNode[] = [];
  for (const f of keyFindings(model)) {
    if (!f.random || !f.site.bindings) continue;
    const bindings = f.site.bindings;
    parts.push(f.site.value);
    if (f.followed.length === 0) continue;
    const followed = new Set(f.followed);
    const expressions = [f.site.value, ...f.followed];
    // A name's own declaration is no other use of it.
    const allowed = [...expressions, ...f.followed.map(declarationOf)];
    const names = new Map<string, GoNode>();
    for (const e of expressions) {
      walkGo(e, (n) => {
        if (n.type !== "identifier") return true;
        const value = bindings.valueOf(n);
        if (value && followed.has(value)) names.set(n.text, value);
        return true;
      });
    }
    for (const [name, value] of names) {
      const refs = bindings.refs.get(name) ?? [];
      if (refs.every((r) => allowed.some((a) => isAncestorOf(a, r)))) parts.push(value);
    }
  }
  return parts;
}

/** The statement or spec that declares a value (`k := v`, `var k = v`). */
function declarationOf(value: GoNode): GoNode {
  for (let p = value.parent; p; p = p.parent) {
    if (p.type === "short_var_declaration" || p.type === "var_spec" || p.type === "const_spec") return p;
    if (p.type === "block" || p.type === "func_literal") break;
  }
  return value;
}

function bindingsAt(model: GoFileModel, node: GoNode): Bindings | null {
  for (let p = node.parent; p; p = p.parent) {
    const info = functionInfo(model, p);
    if (info) return info.bindings;
  }
  return null;
}

function keySites(model: GoFileModel): GoKeySite[] {
  const sites: GoKeySite[] = [];
  for (const detail of model.details.values()) {
    if (!detail.idempotencyKeyNode) continue;
    const bindings = bindingsAt(model, detail.methodCall);
    const keyConstant = detail.keyNode ? constantText(detail.keyNode, bindings) !== null : true;
    sites.push({
      value: detail.idempotencyKeyNode,
      inHandler: true,
      fixedTarget: keyConstant,
      noun: detail.method === "Send" ? "send" : "call",
      bindings,
    });
  }
  for (const call of model.ingress) {
    if (!call.idempotencyKeyNode) continue;
    const bindings = bindingsAt(model, call.node);
    sites.push({
      value: call.idempotencyKeyNode,
      inHandler: false,
      fixedTarget: call.keyNode ? constantText(call.keyNode, bindings) !== null : true,
      noun: call.method === "Send" ? "send" : "call",
      bindings,
    });
  }
  return sites;
}

/** The key as written when it is a constant string: a literal, or a name declared once with one. */
function constantText(node: GoNode, bindings: Bindings | null): string | null {
  const n = unparen(node);
  if (stringValue(n) !== null) return shorten(n.text);
  if (n.type === "identifier" && bindings) {
    const bound = bindings.valueOf(n);
    if (bound && stringValue(bound) !== null) return `${n.text} (${shorten(unparen(bound).text)})`;
  }
  return null;
}

