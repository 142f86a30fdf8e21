/**
 * What `live` prints: the JSON contract (docs/live.md), and the text and Mermaid views of it.
 */
import { mermaidText } from "./graph-format.js";
import { plural } from "../report/text.js";
import type { CodeView, StaticVerdict } from "../live/code.js";
import type { LiveDeadlock, LiveInvocation, LiveProof } from "../live/prove.js";
import type { WaitKind } from "../live/waitgraph.js";

export interface MemberJson {
  invocation: string;
  service: string;
  key: string | null;
  handler: string;
  status: string;
  waitsFor: { kind: WaitKind; invocation: string };
  source: string | null;
  sources: string[];
}

export interface DeadlockJson {
  members: MemberJson[];
  static: StaticVerdict;
  queuedBehind: number;
  break: string;
}

export interface LiveJson {
  deadlocks: DeadlockJson[];
  unproven: number;
}

/** A deadlock with what the code says of it. */
export interface Explained {
  deadlock: LiveDeadlock;
  json: DeadlockJson;
}

export function cancelCommand(invocation: string): string {
  return `restate invocations cancel ${invocation}`;
}

export function explain(proof: LiveProof, code: CodeView | null): Explained[] {
  const byId = new Map<string, LiveInvocation>();
  for (const d of proof.deadlocks) for (const m of [...d.members, ...d.behind]) byId.set(m.invocation, m);
  return proof.deadlocks.map((deadlock) => ({
    deadlock,
    json: {
      members: deadlock.members.map((m) => {
        const sources = code ? code.sourcesOf(m, byId.get(m.waitsFor.invocation)) : [];
        return {
          invocation: m.invocation,
          service: m.service,
          key: m.key,
          handler: m.handler,
          status: m.status,
          waitsFor: { ...m.waitsFor },
          source: sources[0] ?? null,
          sources,
        };
      }),
      static: code ? code.verdict(deadlock, byId) : "missed",
      queuedBehind: deadlock.behind.length,
      break: cancelCommand(deadlock.youngest.invocation),
    },
  }));
}

export function toJson(explained: Explained[], proof: LiveProof): LiveJson {
  return { deadlocks: explained.map((e) => e.json), unproven: proof.unproven.length };
}

/** `Orders/o1 place`, or `Pricing quote` for a service. */
export function label(inv: Pick<LiveInvocation, "service" | "key" | "handler">): string {
  return `${inv.service}${inv.key === null ? "" : `/${inv.key}`} ${inv.handler}`;
}

function keyOf(inv: Pick<LiveInvocation, "service" | "key">): string {
  return inv.key === null ? inv.service : `${inv.service}/${inv.key}`;
}

const STATUS: Record<string, string> = { suspended: "suspended", pending: "queued", inboxed: "queued" };

function state(inv: LiveInvocation): string {
  const s = STATUS[inv.status] ?? inv.status;
  return `${inv.invocation}, ${s}${inv.since ? ` since ${inv.since}` : ""}`;
}

const VERDICT: Record<StaticVerdict, string> = {
  certain: "certain: restate/no-deadlock reports this cycle in the code",
  possible: "possible: restate/no-deadlock reports this cycle, with keys it could not prove equal",
  missed: "missed: restate/no-deadlock does not report it (a key known only at run time, or a hop in code it does not read)",
};

export interface TextOptions {
  admin: string;
  confirmMs: number;
  /** The project the source lines come from; null when none was read. */
  project: string | null;
}

export function formatDeadlockText(e: Explained, n: number, of: number, options: TextOptions): string {
  const { deadlock, json } = e;
  const byId = new Map<string, LiveInvocation>(deadlock.members.map((m) => [m.invocation, m]));
  const lines = [`Deadlock${of > 1 ? ` ${n} of ${of}` : ""}: ${deadlock.members.map(label).join(" → ")} → ${label(deadlock.members[0]!)}`];
  deadlock.members.forEach((m, i) => {
    lines.push(`  ${i + 1}. ${label(m)} (${state(m)})`);
    const target = byId.get(m.waitsFor.invocation);
    const sources = json.members[i]!.sources;
    const at = sources.length === 0 ? "" : sources.length === 1 ? ` at ${sources[0]}` : ` at one of ${sources.join(", ")}`;
    if (m.waitsFor.kind === "lock") {
      lines.push(`       waits for the lock of ${target ? keyOf(target) : keyOf(m)} held by ${m.waitsFor.invocation}${target ? ` (${label(target)})` : ""}`);
    } else {
      const verb = m.waitsFor.kind === "attach" ? "attaches to" : "waits for its call to";
      lines.push(`       ${verb} ${target ? label(target) : m.waitsFor.invocation}${at}`);
    }
  });
  lines.push(`  no-deadlock: ${VERDICT[json.static]}`);
  if (deadlock.behind.length > 0) {
    const perKey = new Map<string, number>();
    for (const b of deadlock.behind) perKey.set(keyOf(b), (perKey.get(keyOf(b)) ?? 0) + 1);
    const keys = [...perKey].map(([k, c]) => `${k}: ${c}`).join(", ");
    lines.push(`  Stuck behind it: ${plural(deadlock.behind.length, "invocation")} (${keys})`);
  } else lines.push("  Stuck behind it: nothing else");
  lines.push(`  Break it: ${json.break}   (cancels the youngest member, ${label(deadlock.youngest)})`);
  lines.push(`       or: curl -X PATCH ${options.admin}/invocations/${deadlock.youngest.invocation}/cancel`);
  return lines.join("\n");
}

export function formatText(explained: Explained[], proof: LiveProof, options: TextOptions): string {
  const out: string[] = [];
  explained.forEach((e, i) => out.push(formatDeadlockText(e, i + 1, explained.length, options), ""));
  const seconds = (options.confirmMs / 1000).toFixed(1);
  out.push(
    explained.length === 0
      ? `No deadlock: none of ${plural(proof.open, "open invocation")} is proven dead (two snapshots ${seconds} s apart).`
      : `${plural(explained.length, "deadlock")} proven in two snapshots ${seconds} s apart (${plural(proof.open, "open invocation")}).`,
  );
  if (explained.length > 0) {
    out.push(
      options.project
        ? `Source lines come from the local checkout (${options.project}), which may differ from what is deployed.`
        : "No source lines: no Restate code was read (give the project with --project DIR).",
    );
  }
  out.push(...unprovenLines(proof));
  return `${out.join("\n")}\n`;
}

export function unprovenLines(proof: LiveProof): string[] {
  if (proof.unproven.length === 0) return [];
  const running = proof.unproven.filter((u) => u.status === "running").length;
  const lines = [
    `${plural(proof.unproven.length, "invocation")} ${proof.unproven.length === 1 ? "waits" : "wait"} on a call, attach or lock without proof of a deadlock` +
      ` (a timer or a live invocation may still end the wait).`,
  ];
  if (running > 0) {
    lines.push(
      `${running === proof.unproven.length ? (running === 1 ? "It is" : "They are") : `${running} of them ${running === 1 ? "is" : "are"}`} running with a call open: with the bidirectional protocol a blocked call stays running until the server's` +
        " inactivity timeout (1 minute by default) suspends it; check again after that.",
    );
  }
  return lines;
}

/** A Mermaid flowchart of each cycle and what is queued behind it. */
export function formatMermaid(explained: Explained[]): string {
  const lines = ["flowchart LR"];
  const ids = new Map<string, string>();
  const node = (inv: LiveInvocation) => {
    let id = ids.get(inv.invocation);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(inv.invocation, id);
      lines.push(`  ${id}["${mermaidText(`${label(inv)}\n${inv.invocation}\n${STATUS[inv.status] ?? inv.status}`)}"]`);
    }
    return id;
  };
  let edge = 0;
  const red: number[] = [];
  for (const { deadlock, json } of explained) {
    const members = new Map<string, LiveInvocation>(deadlock.members.map((m) => [m.invocation, m]));
    deadlock.members.forEach((m, i) => {
      const target = members.get(m.waitsFor.invocation);
      const source = json.members[i]!.source;
      const text = [m.waitsFor.kind, source ?? ""].filter(Boolean).join(" ");
      lines.push(`  ${node(m)} -->|"${mermaidText(text)}"| ${target ? node(target) : m.waitsFor.invocation}`);
      red.push(edge++);
    });
    for (const b of deadlock.behind) {
      const into = deadlock.members.find((m) => keyOf(m) === keyOf(b)) ?? deadlock.members[0]!;
      lines.push(`  ${node(b)} -.->|"behind"| ${node(into)}`);
      edge++;
    }
  }
  if (red.length > 0) lines.push(`  linkStyle ${red.join(",")} stroke:#d00,stroke-width:2px`);
  return `${lines.join("\n")}\n`;
}
