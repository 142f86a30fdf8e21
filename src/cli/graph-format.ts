import path from "node:path";
import type { ProjectAnalysis } from "../project/analysis.js";
import type { HandlerNode, WaitEdge } from "../project/graph.js";
import { toPosix } from "../project/files.js";

export type GraphFormat = "mermaid" | "dot" | "json";

interface Edge {
  from: HandlerNode;
  to: HandlerNode;
  wait: boolean;
  deadlock: boolean;
  label: string;
  edge: WaitEdge;
}

function keyLabel(e: WaitEdge): string {
  const k = e.key;
  if (!k) return "";
  switch (k.kind) {
    case "sameAsCaller":
      return "same key";
    case "literal":
      return `key "${k.value}"`;
    case "fresh":
      return "fresh key";
    case "input":
      return "key = input";
    default:
      return "key ?";
  }
}

function edgesOf(analysis: ProjectAnalysis): Edge[] {
  const onCycle = new Set<WaitEdge>();
  for (const f of analysis.findings) for (const h of f.hops) onCycle.add(h);
  const out: Edge[] = [];
  for (const list of analysis.graph.out.values()) {
    for (const e of list) {
      const parts = [keyLabel(e), e.attached ? "send + attach" : "", e.timeout ? "orTimeout" : ""].filter(Boolean);
      out.push({ from: e.from, to: e.to, wait: true, deadlock: onCycle.has(e), label: parts.join(", "), edge: e });
    }
  }
  for (const e of analysis.graph.sends) {
    const delay = e.call.options.delay;
    const parts = ["send", keyLabel(e), delay ? `delay ${delay}` : ""].filter(Boolean);
    out.push({ from: e.from, to: e.to, wait: false, deadlock: false, label: parts.join(", "), edge: e });
  }
  return out.sort((a, b) => (a.from.id + a.to.id).localeCompare(b.from.id + b.to.id));
}

const KIND_LABEL: Record<HandlerNode["kind"], string> = {
  exclusive: "exclusive",
  shared: "shared",
  "workflow-run": "workflow run",
  "workflow-shared": "workflow shared",
  service: "service",
};

function nodesOf(analysis: ProjectAnalysis): HandlerNode[] {
  return [...analysis.graph.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Mermaid node ids: word characters only, made unique (`A.b_c` and `A_b.c` would both be
 * `A_b_c`, one node for two handlers).
 */
function mermaidIds(nodes: HandlerNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of nodes) {
    const base = n.id.replace(/\W/g, "_");
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    ids.set(n.id, id);
  }
  return ids;
}

/**
 * Text for a quoted Mermaid label. Characters other than letters, digits and plain punctuation
 * become entity codes (`#34;`): a quote would end the string, `#…;` is an entity, `<` starts
 * HTML, and `style…:…#…;` lines are rewritten by Mermaid. Line breaks become `<br/>`.
 */
export function mermaidText(s: string): string {
  return s
    .split(/\r\n?|\n/)
    .map((line) => line.replace(/[^\p{L}\p{N} _.,+=/-]/gu, (c) => `#${c.codePointAt(0)};`))
    .join("<br/>");
}

/** A Mermaid flowchart: shapes by handler kind, solid waits, dashed sends, deadlock edges red. */
export function toMermaid(analysis: ProjectAnalysis): string {
  const lines = ["flowchart LR"];
  const nodes = nodesOf(analysis);
  const ids = mermaidIds(nodes);
  for (const n of nodes) {
    const text = mermaidText(`${n.id}\n${KIND_LABEL[n.kind]}`);
    const id = ids.get(n.id)!;
    const shape =
      n.kind === "exclusive"
        ? `${id}["${text}"]`
        : n.kind === "service"
          ? `${id}(["${text}"])`
          : n.kind === "workflow-run"
            ? `${id}{{"${text}"}}`
            : `${id}("${text}")`;
    lines.push(`  ${shape}:::${n.kind.replace("-", "_")}`);
  }
  const red: number[] = [];
  edgesOf(analysis).forEach((e, i) => {
    const arrow = e.wait ? "-->" : "-.->";
    lines.push(`  ${ids.get(e.from.id)} ${arrow}${e.label ? `|"${mermaidText(e.label)}"|` : ""} ${ids.get(e.to.id)}`);
    if (e.deadlock) red.push(i);
  });
  if (red.length) lines.push(`  linkStyle ${red.join(",")} stroke:#d00,stroke-width:3px,color:#d00`);
  lines.push("  classDef exclusive fill:#fde2e2,stroke:#b33");
  lines.push("  classDef shared fill:#e2f0fd,stroke:#36c");
  lines.push("  classDef service fill:#eee,stroke:#666");
  lines.push("  classDef workflow_run fill:#e8f8e0,stroke:#393");
  lines.push("  classDef workflow_shared fill:#e8f8e0,stroke:#393");
  return lines.join("\n") + "\n";
}

/**
 * A DOT quoted string. In labels Graphviz reads `\n` as a line break and `\\` as a backslash
 * (any other backslash sequence is an escape of its own, `\N` the node's name); ids are read
 * as they stand, where the same escaping keeps distinct names distinct.
 */
function dotString(s: string): string {
  return `"${s.replace(/[\\"]/g, "\\$&").replace(/\r\n?|\n/g, "\\n")}"`;
}

/** Graphviz DOT, with the same conventions as the Mermaid output. */
export function toDot(analysis: ProjectAnalysis): string {
  const shape: Record<HandlerNode["kind"], string> = {
    exclusive: "box",
    shared: "box, style=rounded",
    service: "ellipse",
    "workflow-run": "hexagon",
    "workflow-shared": "box, style=rounded",
  };
  const lines = ["digraph restate {", "  rankdir=LR;", "  node [fontname=Helvetica];"];
  for (const n of nodesOf(analysis)) {
    lines.push(`  ${dotString(n.id)} [label=${dotString(`${n.id}\n${KIND_LABEL[n.kind]}`)}, shape=${shape[n.kind]}];`);
  }
  for (const e of edgesOf(analysis)) {
    const attrs = [`label=${dotString(e.label)}`];
    if (!e.wait) attrs.push("style=dashed");
    if (e.deadlock) attrs.push("color=red", "penwidth=2");
    lines.push(`  ${dotString(e.from.id)} -> ${dotString(e.to.id)} [${attrs.join(", ")}];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

export function toJson(analysis: ProjectAnalysis): string {
  const rel = (f: string) => toPosix(path.relative(analysis.root, f));
  return (
    JSON.stringify(
      {
        nodes: nodesOf(analysis).map((n) => ({ id: n.id, service: n.service, handler: n.handler, kind: n.kind, file: rel(n.file), line: n.loc.line })),
        edges: edgesOf(analysis).map((e) => ({
          from: e.from.id,
          to: e.to.id,
          type: e.wait ? "wait" : "send",
          label: e.label,
          deadlock: e.deadlock,
          file: rel(e.edge.file),
          line: e.edge.loc.line,
        })),
        deadlocks: analysis.findings.map((f) => ({
          certainty: f.certainty,
          chain: f.hops.map((h) => ({ from: h.from.id, to: h.to.id, file: rel(h.file), line: h.loc.line })),
        })),
        unresolved: analysis.graph.unresolved.map((u) => ({ file: rel(u.file), line: u.loc.line, reason: u.reason })),
      },
      null,
      2,
    ) + "\n"
  );
}

export function formatGraph(analysis: ProjectAnalysis, format: GraphFormat): string {
  return format === "dot" ? toDot(analysis) : format === "json" ? toJson(analysis) : toMermaid(analysis);
}
