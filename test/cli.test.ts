import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const demo = fileURLToPath(new URL("../fixtures/demo", import.meta.url));
const sendBack = fileURLToPath(new URL("../fixtures/deadlock/neg-send-back", import.meta.url));

function run(...args: string[]): { code: number; out: string } {
  let out = "";
  const code = main(args, (s) => (out += s));
  return { code, out };
}

describe("eslint-plugin-restate graph", () => {
  it("prints Mermaid with the deadlock cycle in red and sends dashed", () => {
    const { code, out } = run("graph", demo);
    expect(code).toBe(0);
    const lines = out.split("\n");
    expect(lines[0]).toBe("flowchart LR");
    expect(out).toContain('Orders_place["Orders.place<br/>exclusive"]:::exclusive');
    expect(out).toContain('Notifier_email(["Notifier.email<br/>service"]):::service');
    const edges = lines.filter((l) => /^\s+\w+ (-->|-\.->)/.test(l));
    const cycle = ['Orders_place -->|"same key"| Payments_charge', 'Payments_charge -->|"same key"| Orders_status'];
    const style = lines.find((l) => l.includes("linkStyle"));
    const red = style!.trim().split(" ")[1]!.split(",").map(Number);
    expect(red.map((i) => edges[i]!.trim()).sort()).toEqual(cycle);
    expect(edges.map((e) => e.trim())).toContain('Orders_place -.->|"send, same key"| Shipping_ship');
  });

  it("prints DOT and JSON with the same conventions", () => {
    const dot = run("graph", demo, "--format", "dot").out;
    expect(dot).toMatch(/"Orders.place" -> "Payments.charge" \[label="same key", color=red, penwidth=2\];/);
    expect(dot).toMatch(/"Orders.place" -> "Shipping.ship" \[label="send, same key", style=dashed\];/);
    const json = JSON.parse(run("graph", demo, "--format", "json").out) as {
      edges: { from: string; to: string; type: string; deadlock: boolean }[];
      deadlocks: { certainty: string }[];
    };
    expect(json.edges.filter((e) => e.deadlock).map((e) => `${e.from}->${e.to}`).sort()).toEqual([
      "Orders.place->Payments.charge",
      "Payments.charge->Orders.status",
    ]);
    expect(json.deadlocks.map((d) => d.certainty)).toContain("certain");
  });

  it("draws no red edge where sends break the cycle", () => {
    const { out } = run("graph", sendBack);
    expect(out).not.toContain("linkStyle");
    expect(out).toContain('Pong_hit -.->|"send, same key"| Ping_ack');
  });

  it("rejects an unknown format and prints usage", () => {
    const { code, out } = run("graph", demo, "--format", "svg");
    expect(code).toBe(2);
    expect(out).toContain("Usage:");
  });

  it("runs as the package's bin (built)", () => {
    const bin = fileURLToPath(new URL("../bin/eslint-plugin-restate.js", import.meta.url));
    const out = execFileSync(process.execPath, [bin, "graph", demo, "--format", "json"], { encoding: "utf8" });
    expect(JSON.parse(out).nodes.length).toBeGreaterThan(3);
  });
});
