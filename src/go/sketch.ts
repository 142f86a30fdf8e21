import { ID, PUNCT, STR, type Token, closingBracket, isIdentPart, isIdentStart, isOperatorBefore } from "../model/sketch-tokens.js";
import type { FileSketch } from "../model/types.js";

/**
 * The text-level sketch of a Go file for the project index (see `src/ts/sketch.ts` for the
 * contract: over-approximate the model). Go names services by strings and type names, so the
 * sketch needs no imports: handles are the receiver types of the file's methods (`Reflect`
 * names a service after its type), `ServiceName()` results and builder names; waits are the
 * words of every `restate.Service/Object/Workflow[…](…)` client (and of the `*Send` ones when
 * the file attaches to invocations); aliases are `Name = "literal"` constants and variables.
 */

const CLIENTS = new Set(["Service", "Object", "Workflow"]);
const SEND_CLIENTS = new Set(["ServiceSend", "ObjectSend", "WorkflowSend"]);
const BUILDERS = new Set(["NewService", "NewObject", "NewWorkflow"]);
const MAX_ARGUMENT_TOKENS = 400;

export function sketchGo(text: string): FileSketch {
  const toks = tokenizeGo(text);
  const handles = new Set<string>();
  const handleRefs = new Set<string>();
  const waits = new Set<string>();
  const sendWords = new Set<string>();
  const aliases: [string, string][] = [];
  let attaches = false;

  for (let j = 0; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.k !== ID) continue;
    const next = toks[j + 1];
    if (t.v === "func" && next?.v === "(") {
      // `func (c *Cart) Add(ctx …)`: the receiver's type (with its name, and type parameters: a
      // word too many is harmless); `ServiceName() string { return "X" }` names the service.
      const close = closingParen(toks, j + 1);
      if (toks[close + 1]?.k !== ID || toks[close + 2]?.v !== "(") continue;
      for (let m = j + 2; m < close; m++) if (toks[m]!.k === ID) handles.add(toks[m]!.v);
      if (toks[close + 1]?.v === "ServiceName") {
        for (let m = close + 2; m < toks.length && m < close + 12; m++) {
          if (toks[m]!.v !== "return") continue;
          const value = toks[m + 1];
          if (value?.k === STR) handles.add(value.v);
          else if (value?.k === ID) handleRefs.add(value.v);
          break;
        }
      }
    } else if (BUILDERS.has(t.v) && next?.v === "(") {
      const value = toks[j + 2];
      if (value?.k === STR) handles.add(value.v);
      else if (value?.k === ID) handleRefs.add(value.v);
    } else if (CLIENTS.has(t.v) && toks[j - 1]?.v === ".") {
      argumentWords(toks, j + 1, waits);
    } else if (SEND_CLIENTS.has(t.v) && toks[j - 1]?.v === ".") {
      argumentWords(toks, j + 1, sendWords);
    } else if (t.v === "AttachInvocation") {
      attaches = true;
    } else if (next?.v === "=" || next?.v === ":=") {
      // `CounterName = "Counter"`, `name := "Counter"`
      if (toks[j + 2]?.k === STR) aliases.push([t.v, toks[j + 2]!.v]);
    } else if (next?.k === ID && toks[j + 2]?.v === "=" && toks[j + 3]?.k === STR) {
      // `const CounterName string = "Counter"`
      aliases.push([t.v, toks[j + 3]!.v]);
    }
  }
  if (attaches) for (const w of sendWords) waits.add(w);
  return { handles: [...handles], handleRefs: [...handleRefs], waits: [...waits], aliases, imports: [], passThrough: false };
}

/** The words of a client's type arguments and arguments: `Object[model.Result](ctx, "Cart", key, "Add")`. */
function argumentWords(toks: Token[], at: number, out: Set<string>): void {
  let m = at;
  if (toks[m]?.v === "[") m = closingParen(toks, m) + 1;
  if (toks[m]?.v !== "(") return;
  const end = closingParen(toks, m);
  for (let n = m + 1; n < end; n++) {
    const tok = toks[n]!;
    if (tok.k !== PUNCT) out.add(tok.v);
  }
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
