/**
 * Inside the oracle's network namespace: a restate-server with about 1,000 open invocations
 * (self-deadlocks on distinct keys, with calls queued behind them, and sleepers), and what
 * reading one snapshot of them costs, by page size. Usage: node --import tsx live-server.ts <result.json> <work dir>
 */
import "../test/oracle/polyfill.js";
import { writeFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import * as restate from "@restatedev/restate-sdk";
import { adminClient } from "../src/live/admin.js";
import { prove } from "../src/live/prove.js";
import { readSnapshot } from "../src/live/snapshot.js";
import { SERVER_BIN } from "../test/oracle/harness.js";
import { query, registerDeployment, runIsolatedMain, sendInvocation, sleep, startServer } from "../test/oracle/server.js";

const counter = restate.object({
  name: "Counter",
  handlers: {
    add: async (ctx: restate.ObjectContext) => {
      await ctx.objectClient(counter, ctx.key).get();
    },
    get: async (ctx: restate.ObjectContext) => (await ctx.get<number>("n")) ?? 0,
    nap: async (ctx: restate.ObjectContext) => {
      await ctx.sleep(600_000);
    },
  },
});

async function run(): Promise<void> {
  const lines: string[] = [];
  const server = await startServer(SERVER_BIN, process.argv[3]!, "live-bench", { RESTATE_DEFAULT_NUM_PARTITIONS: "4" });
  const endpoint = http2.createServer(restate.createEndpointHandler({ services: [counter], bidirectional: false }));
  await new Promise<void>((r) => endpoint.listen(0, "127.0.0.1", r));
  try {
    await registerDeployment(server, `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`);
    const targets: string[] = [];
    // 250 self-deadlocks (add + get), each with one more add queued behind, and 250 sleepers.
    for (let i = 0; i < 250; i++) targets.push(`Counter/d${i}/add`, `Counter/s${i}/nap`);
    for (let i = 0; i < 250; i++) targets.push(`Counter/d${i}/add`);
    let sent = 0;
    const worker = async () => {
      while (targets.length > 0) {
        await sendInvocation(server, targets.shift()!);
        sent++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    for (let i = 0; i < 100; i++) {
      const [row] = await query<{ n: number }>(server, "SELECT count(*) AS n FROM sys_invocation WHERE status <> 'completed'");
      if ((row?.n ?? 0) >= 1000) break;
      await sleep(200);
    }
    await sleep(1000);
    const client = adminClient({ url: server.admin });
    for (const pageSize of [100, 500, 2000]) {
      const times: number[] = [];
      let queries = 0;
      let open = 0;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const read = await readSnapshot(client, { pageSize });
        times.push(performance.now() - t);
        queries = read.queries;
        open = read.snapshot.invocations.length;
      }
      times.sort((a, b) => a - b);
      lines.push(`one snapshot of ${open} open invocations (${sent} sent), page size ${pageSize}: ${queries} queries, median ${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)})`);
    }
    const a = await readSnapshot(client);
    await sleep(1000);
    const b = await readSnapshot(client);
    const t = performance.now();
    const proof = prove(a.snapshot, b.snapshot);
    lines.push(`proof: ${proof.deadlocks.length} deadlocks, ${proof.deadlocks.reduce((n, d) => n + d.behind.length, 0)} behind them, ${proof.unproven.length} unproven, in ${(performance.now() - t).toFixed(0)} ms`);
  } finally {
    endpoint.close();
    await server.stop();
  }
  writeFileSync(process.argv[2]!, JSON.stringify(lines));
}

runIsolatedMain(run, "live-bench");
