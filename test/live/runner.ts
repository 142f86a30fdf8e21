/**
 * Runs inside a network namespace that has only loopback (see test/oracle/harness.ts): starts
 * restate-server, serves the services of fixtures/live, sends the invocations of each scenario,
 * and runs `eslint-plugin-restate live` against the server as a user would, recording what it
 * printed and what the server did afterwards. The test side checks the record.
 * Usage: node --import tsx runner.ts <result.json> <work dir>
 */
import "../oracle/polyfill.js";
import { readdirSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { main } from "../../src/cli/main.js";
import { SERVER_BIN, repoRoot } from "../oracle/harness.js";
import { query, registerDeployment, runIsolatedMain, sendInvocation, sleep, startServer } from "../oracle/server.js";
import type { LiveRecord, LiveRun } from "./protocol.js";

const fixture = path.join(repoRoot, "fixtures/live");

async function services(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const f of readdirSync(path.join(fixture, "src")).sort()) {
    const mod = (await import(pathToFileURL(path.join(fixture, "src", f)).href)) as Record<string, unknown>;
    out.push(...Object.values(mod));
  }
  return out;
}

async function serve(defs: unknown[], bidirectional: boolean): Promise<{ url: string; close(): void }> {
  const sdk = await import("@restatedev/restate-sdk");
  type Options = Parameters<typeof sdk.createEndpointHandler>[0];
  const server = http2.createServer(sdk.createEndpointHandler({ services: defs as Options["services"], bidirectional }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** `eslint-plugin-restate live …` in this process, as the CLI runs it. */
async function live(args: string[], env: NodeJS.ProcessEnv = {}, stopSignal?: AbortSignal): Promise<LiveRun> {
  let out = "";
  let err = "";
  const started = Date.now();
  const code = await main(["live", ...args], { out: (s) => (out += s), err: (s) => (err += s), env, stopSignal });
  return { args, code, out, err, ms: Date.now() - started };
}

const json = ["--project", "fixtures/live", "--format", "json"];

async function requestResponse(record: LiveRecord): Promise<void> {
  // Four partitions: the cycles' members live in different ones.
  const server = await startServer(SERVER_BIN, process.argv[3]!, "live-rr", { RESTATE_DEFAULT_NUM_PARTITIONS: "4" });
  const endpoint = await serve(await services(), false);
  try {
    await registerDeployment(server, endpoint.url);
    const admin = ["--admin", server.admin];
    // Ids of the invocations sent, by the name the test knows them by.
    const sent = record.sent;
    sent["Counter/c1 add"] = await sendInvocation(server, "Counter/c1/add", 1);
    sent["Orders/o1 place"] = await sendInvocation(server, "Orders/o1/place", 5);
    sent["Alpha/t1 start"] = await sendInvocation(server, "Alpha/t1/start");
    const [a, b] = await Promise.all([sendInvocation(server, "Account/a/transfer", "b"), sendInvocation(server, "Account/b/transfer", "a")]);
    sent["Account/a transfer"] = a;
    sent["Account/b transfer"] = b;
    sent["Signup/u1 run"] = await sendInvocation(server, "Signup/u1/run");
    sent["Shop/s1 buy"] = await sendInvocation(server, "Shop/s1/buy");
    sent["Sleeper/z nap"] = await sendInvocation(server, "Sleeper/z/nap");
    sent["Library/l borrow"] = await sendInvocation(server, "Library/l/borrow");
    sent["Ping/p ping"] = await sendInvocation(server, "Ping/p/ping");
    sent["Clock/c tick"] = await sendInvocation(server, "Clock/c/tick");
    sent["Slow/w work"] = await sendInvocation(server, "Slow/w/work");
    await sleep(700);
    // Queued behind locks once the cycles hold them: harmless calls that cannot start a cycle again.
    sent["Counter/c1 touch"] = await sendInvocation(server, "Counter/c1/touch");
    sent["Orders/o1 status"] = await sendInvocation(server, "Orders/o1/status");
    sent["Sleeper/z poke"] = await sendInvocation(server, "Sleeper/z/poke");

    // Until every cycle has formed (the transfers sleep half a second first).
    const deadline = Date.now() + 20_000;
    let run: LiveRun;
    do {
      run = await live([...admin, ...json]);
      const found = run.code === 1 ? (JSON.parse(run.out) as { deadlocks: unknown[] }).deadlocks.length : 0;
      if (found >= 6 || run.code === 2) break;
    } while (Date.now() < deadline);
    record.json = run;
    record.text = await live([...admin, "--project", "fixtures/live"]);
    record.mermaid = await live([...admin, "--project", "fixtures/live", "--format", "mermaid"]);
    record.noProject = await live([...admin, "--no-project", "--format", "json"]);
    record.token = await live([...admin, ...json], { RESTATE_AUTH_TOKEN: "tok-3f9a-live-secret" });
    record.smallPages = await live([...admin, ...json, "--page-size", "2"]);
    record.cap = await live([...admin, ...json, "--max-invocations", "3"]);

    // A watcher sees the cycles proven, then ended by the cancel below.
    const stop = new AbortController();
    const watching = live([...admin, ...json, "--watch", "1"], {}, stop.signal);
    await sleep(2500);
    record.cancel = await live([...admin, ...json, "--cancel"]);

    // Everything of the cycles, and what queued behind them, runs to its end.
    const cycles = ["Counter", "Orders", "Payments", "Alpha", "Beta", "Gamma", "Account", "Signup", "Mailbox", "Shop", "Pricing"];
    const until = Date.now() + 20_000;
    let open: { target: string; status: string }[] = [];
    do {
      await sleep(250);
      open = await query<{ target: string; status: string }>(
        server,
        `SELECT target, status FROM sys_invocation WHERE status <> 'completed' AND target_service_name IN (${cycles.map((c) => `'${c}'`).join(", ")})`,
      );
    } while (open.length > 0 && Date.now() < until);
    record.openAfterCancel = open;
    record.outcomes = await query<{ id: string; target: string; completion_result: string | null; completion_failure: string | null }>(
      server,
      `SELECT id, target, completion_result, completion_failure FROM sys_invocation WHERE target_service_name IN (${cycles.map((c) => `'${c}'`).join(", ")})`,
    );
    await sleep(2500);
    stop.abort();
    record.watch = await watching;
    record.after = await live([...admin, ...json]);
  } finally {
    endpoint.close();
    await server.stop();
  }
}

async function bidirectional(record: LiveRecord): Promise<void> {
  // A blocked call stays "running" on a bidirectional stream until the inactivity timeout.
  const server = await startServer(SERVER_BIN, process.argv[3]!, "live-bidi", { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: "8s" });
  const endpoint = await serve(await services(), true);
  try {
    await registerDeployment(server, endpoint.url);
    const admin = ["--admin", server.admin];
    const sentAt = Date.now();
    record.sent["bidi Counter/b1 add"] = await sendInvocation(server, "Counter/b1/add", 1);
    await sleep(500);
    record.bidiEarly = await live([...admin, ...json]);
    record.bidiEarlyAfterMs = Date.now() - sentAt;
    const deadline = Date.now() + 40_000;
    let run: LiveRun;
    do {
      run = await live([...admin, ...json]);
    } while (run.code === 0 && Date.now() < deadline);
    record.bidiLate = run;
    record.bidiLateAfterMs = Date.now() - sentAt;
  } finally {
    endpoint.close();
    await server.stop();
  }
}

async function run(): Promise<void> {
  const record: LiveRecord = { sent: {} };
  await requestResponse(record);
  await bidirectional(record);
  writeFileSync(process.argv[2]!, JSON.stringify(record, null, 1));
}

runIsolatedMain(run, "live-runner");
