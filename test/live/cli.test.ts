/**
 * `eslint-plugin-restate live` against stand-in admin endpoints on 127.0.0.1: usage, errors and
 * exit codes, credentials, server versions, and the proof over snapshots the stand-in serves.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

interface Served {
  url: string;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

const open: Served[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(answer: (req: { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }) => { status?: number; type?: string; body: string }): Promise<Served> {
  const requests: Served["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(r);
      const a = answer(r);
      res.writeHead(a.status ?? 200, { "content-type": a.type ?? "application/json" });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const s: Served = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  open.push(s);
  return s;
}

interface Tables {
  invocations: Record<string, unknown>[];
  journal: { id: string; index: number; entry_lite_json: string }[];
  locks: { service_name: string; service_key: string; invocation_id: string }[];
  inbox: { service_name: string; service_key: string; id: string }[];
}

/** An admin endpoint of restate-server `version` whose tables hold `tables()` at each read. */
function admin(tables: () => Tables, version = "1.7.12") {
  return serve(({ method, url, body }) => {
    if (method === "GET" && url === "/version") return { body: JSON.stringify({ version, min_admin_api_version: 2, max_admin_api_version: 4 }) };
    if (method === "PATCH" && /^\/invocations\/inv_\w+\/cancel$/.test(url)) return { status: 202, body: "" };
    if (method !== "POST" || url !== "/query") return { status: 404, body: "{}" };
    const sql = (JSON.parse(body) as { query: string }).query;
    const t = tables();
    // Every table fits one page here; a query for the page after the last row gets nothing.
    const after = / > '/.test(sql);
    const rows = sql.includes("count(*)")
      ? [{ n: t.invocations.length }]
      : after
        ? []
        : sql.includes("FROM sys_journal")
          ? t.journal
          : sql.includes("FROM sys_keyed_service_status")
            ? t.locks
            : sql.includes("FROM sys_inbox")
              ? t.inbox
              : t.invocations;
    return { body: JSON.stringify({ rows }) };
  });
}

const call = (id: string, index: number, target: string, completion: number) => ({
  id,
  index,
  entry_lite_json: JSON.stringify({ Command: { Call: { invocation_id: target, result_completion_id: completion, invocation_id_completion_id: completion - 1 } } }),
});
const inv = (id: string, service: string, key: string | null, handler: string, status: string, createdAt: string, waiting: number[] | null = null) => ({
  id,
  service,
  service_ty: key === null ? "service" : "virtual_object",
  key,
  handler,
  status,
  invoked_by_id: null,
  created_at: createdAt,
  modified_at: createdAt,
  suspended_waiting_for_completions: waiting,
});

/** Orders/o1 place → Payments/o1 charge → Orders/o1 total (queued), with Orders/o1 status queued behind. */
const CYCLE: Tables = {
  invocations: [
    inv("inv_place", "Orders", "o1", "place", "suspended", "2026-01-01T00:00:01.000Z", [2]),
    inv("inv_charge", "Payments", "o1", "charge", "suspended", "2026-01-01T00:00:02.000Z", [2]),
    inv("inv_total", "Orders", "o1", "total", "pending", "2026-01-01T00:00:03.000Z"),
    inv("inv_status", "Orders", "o1", "status", "pending", "2026-01-01T00:00:04.000Z"),
    inv("inv_nap", "Sleeper", "z", "nap", "suspended", "2026-01-01T00:00:05.000Z", [1]),
    inv("inv_poke", "Sleeper", "z", "poke", "pending", "2026-01-01T00:00:06.000Z"),
  ],
  journal: [call("inv_place", 2, "inv_charge", 2), call("inv_charge", 1, "inv_total", 2)],
  locks: [
    { service_name: "Orders", service_key: "o1", invocation_id: "inv_place" },
    { service_name: "Payments", service_key: "o1", invocation_id: "inv_charge" },
    { service_name: "Sleeper", service_key: "z", invocation_id: "inv_nap" },
  ],
  inbox: [
    { service_name: "Orders", service_key: "o1", id: "inv_total" },
    { service_name: "Orders", service_key: "o1", id: "inv_status" },
    { service_name: "Sleeper", service_key: "z", id: "inv_poke" },
  ],
};

async function live(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = "";
  let err = "";
  const code = await main(["live", "--confirm", "1000", ...args], { out: (s) => (out += s), err: (s) => (err += s), env, sleep: async () => {} });
  return { code, out, err };
}

describe("live: usage and errors", () => {
  it("prints its help, and the top-level help names it", async () => {
    const help = await live(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("Usage: eslint-plugin-restate live [options]");
    let out = "";
    expect(await main(["--help"], { out: (s) => (out += s), err: () => {} })).toBe(0);
    expect(out).toContain("eslint-plugin-restate live");
  });

  it.each([
    [["--format", "yaml"], "unknown format: yaml"],
    [["--confirm", "200"], "--confirm needs a number of at least 1000"],
    [["--watch", "0"], "--watch needs a number of at least 1"],
    [["--watch", "2", "--format", "mermaid"], "--watch prints text or JSON lines"],
    [["--header", "novalue"], '--header needs "name: value"'],
    [["--admin"], "--admin needs a value"],
    [["somewhere"], "live takes no positional argument"],
    [["--frobnicate"], "unknown option: --frobnicate"],
  ])("exits 2 on bad usage: %j", async (args, message) => {
    const r = await live(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("exits 2 when the admin endpoint cannot be reached", async () => {
    const closed = await serve(() => ({ body: "" }));
    await closed.close();
    open.pop();
    const r = await live(["--admin", closed.url, "--no-project"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot reach the admin endpoint ${closed.url}`);
    expect(r.err).toContain("ECONNREFUSED");
  });

  it("exits 2 when the URL is not a Restate admin endpoint", async () => {
    const web = await serve(() => ({ type: "text/html", body: "<html>hello</html>" }));
    const r = await live(["--admin", web.url, "--no-project"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${web.url} is not a Restate admin endpoint`);
  });

  it("exits 2 on a server version it was not verified against, and says which", async () => {
    const server = await admin(() => CYCLE, "1.3.2");
    const r = await live(["--admin", server.url, "--no-project"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("restate-server 1.3.2");
    expect(r.err).toContain("1.7.x");
    expect(server.requests.map((q) => q.url)).toEqual(["/version"]);
  });

  it("sends the token as a bearer header and never prints it, even when the server echoes it in an error", async () => {
    const token = "sekrit-token-0123456789";
    const server = await serve(({ headers }) => ({ status: 500, body: `internal error for ${String(headers.authorization)}` }));
    const r = await live(["--admin", server.url, "--no-project"], { RESTATE_AUTH_TOKEN: token });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(r.code).toBe(2);
    expect(r.err).toContain("answered 500");
    expect(r.out + r.err).not.toContain(token);
  });

  it("says the endpoint refused a request without credentials", async () => {
    const server = await serve(() => ({ status: 401, body: "{}" }));
    const r = await live(["--admin", server.url, "--no-project"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused the request (401; set RESTATE_AUTH_TOKEN or --header)");
  });

  it("sends --header headers, takes the admin URL from RESTATE_ADMIN_URL, and warns on --insecure", async () => {
    const server = await admin(() => ({ invocations: [], journal: [], locks: [], inbox: [] }));
    const r = await live(["--header", "X-Tenant: acme-1", "--insecure", "--no-project"], { RESTATE_ADMIN_URL: server.url });
    expect(r.code).toBe(0);
    expect(server.requests[0]!.headers["x-tenant"]).toBe("acme-1");
    expect(r.err).toContain("--insecure: TLS certificates are not verified");
    expect(r.out).toContain("No deadlock: none of 0 open invocations is proven dead");
  });
});

describe("live: TLS", () => {
  // A self-signed certificate for 127.0.0.1, made for this test only.
  const tls = { cert: readFileSync(new URL("./tls/cert.pem", import.meta.url)), key: readFileSync(new URL("./tls/key.pem", import.meta.url)) };

  async function serveTls(): Promise<{ url: string; close(): Promise<void> }> {
    const server = https.createServer(tls, (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url === "/version") res.end(JSON.stringify({ version: "1.7.12" }));
      else res.end(JSON.stringify({ rows: req.method === "POST" ? [] : undefined }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it("verifies certificates: a self-signed one is refused (exit 2) unless --insecure says otherwise, with a warning", async () => {
    const server = await serveTls();
    try {
      const refused = await live(["--admin", server.url, "--no-project"]);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/cannot reach the admin endpoint https:\/\/127\.0\.0\.1:\d+: \w+ .*certificate/i);
      const insecure = await live(["--admin", server.url, "--no-project", "--insecure"]);
      expect(insecure.err).toContain("warning: --insecure");
      expect(insecure.code).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("live: the proof over the tables an endpoint serves", () => {
  it("proves the cycle, counts what is queued behind it and cancels nothing unless asked", async () => {
    const server = await admin(() => CYCLE);
    const r = await live(["--admin", server.url, "--no-project", "--format", "json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as { deadlocks: { members: { invocation: string; key: string | null; waitsFor: { kind: string } }[]; queuedBehind: number; break: string; static: string }[]; unproven: number };
    expect(json.deadlocks).toHaveLength(1);
    const d = json.deadlocks[0]!;
    expect(d.members.map((m) => `${m.invocation} ${m.waitsFor.kind}`)).toEqual(["inv_place call", "inv_charge call", "inv_total lock"]);
    expect(d.queuedBehind).toBe(1);
    expect(d.break).toBe("restate invocations cancel inv_total");
    expect(d.static).toBe("missed");
    // Sleeper/z poke is queued behind a sleeping nap: a wait, not a proven one.
    expect(json.unproven).toBe(1);
    expect(server.requests.some((q) => q.method === "PATCH")).toBe(false);
    // Every query is a read.
    for (const q of server.requests.filter((x) => x.url === "/query")) expect((JSON.parse(q.body) as { query: string }).query).toMatch(/^SELECT /);
  });

  it("--cancel cancels the youngest member through the admin API", async () => {
    const server = await admin(() => CYCLE);
    const r = await live(["--admin", server.url, "--no-project", "--cancel"]);
    expect(r.code).toBe(1);
    expect(server.requests.filter((q) => q.method === "PATCH").map((q) => q.url)).toEqual(["/invocations/inv_total/cancel"]);
    expect(r.out).toContain("Cancelled inv_total (Orders/o1 total).");
  });

  it("proves nothing from a cycle seen in one snapshot only", async () => {
    let reads = 0;
    const server = await admin(() => {
      // The second snapshot (after the count query of each) shows total running: no longer queued.
      if (reads++ < 5) return CYCLE;
      return { ...CYCLE, inbox: CYCLE.inbox.filter((i) => i.id !== "inv_total"), invocations: CYCLE.invocations.map((i) => (i.id === "inv_total" ? { ...i, status: "running" } : i)) };
    });
    const r = await live(["--admin", server.url, "--no-project", "--format", "json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { deadlocks: unknown[] }).deadlocks).toEqual([]);
  });

  it("exits 2 above the cap of open invocations, before reading them", async () => {
    const server = await admin(() => CYCLE);
    const r = await live(["--admin", server.url, "--no-project", "--max-invocations", "5"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("6 open invocations, more than --max-invocations 5");
    expect(server.requests.filter((q) => q.url === "/query")).toHaveLength(1);
  });
});
