/**
 * A local Restate server with two deadlocks, for trying `eslint-plugin-restate live`:
 * starts restate-server (the devDependency) on 127.0.0.1 (admin :9070, ingress :8080), serves the
 * services of fixtures/live from this process in request-response mode (a waiting invocation
 * suspends at once, so the cycle is provable at once), and sends Orders/o1 place and
 * Counter/c1 add, which deadlock. Runs until interrupted; the server's data is thrown away.
 *
 * Usage: npm run example:live   (ports: RESTATE_ADMIN_PORT, RESTATE_INGRESS_PORT)
 */
import "../test/oracle/polyfill.js";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const adminPort = Number(process.env.RESTATE_ADMIN_PORT ?? 9070);
const ingressPort = Number(process.env.RESTATE_INGRESS_PORT ?? 8080);
const admin = `http://127.0.0.1:${adminPort}`;
const ingress = `http://127.0.0.1:${ingressPort}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not happen within ${ms / 1000} s`);
}

const dataDir = path.join(root, "node_modules/.cache/live-example");
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const server = spawn(path.join(root, "node_modules/.bin/restate-server"), ["--base-dir", dataDir, "--no-logo"], {
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    RESTATE_BIND_IP: "127.0.0.1",
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
    RESTATE_DISABLE_TELEMETRY: "true",
    RESTATE_LOG_FILTER: "error",
  },
});
const stop = () => {
  server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  stop();
  process.exit(0);
});
process.on("exit", () => server.kill("SIGKILL"));

// The SDK reads its log level when it loads: only errors, so the instructions below stay readable.
process.env.RESTATE_LOGGING ??= "ERROR";
const restate = await import("@restatedev/restate-sdk");
const services: unknown[] = [];
for (const f of readdirSync(path.join(root, "fixtures/live/src")).sort()) {
  services.push(...Object.values((await import(pathToFileURL(path.join(root, "fixtures/live/src", f)).href)) as Record<string, unknown>));
}
type Options = Parameters<typeof restate.createEndpointHandler>[0];
const endpoint = http2.createServer(restate.createEndpointHandler({ services: services as Options["services"], bidirectional: false }));
await new Promise<void>((r) => endpoint.listen(0, "127.0.0.1", r));
const endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;

await waitFor("restate-server answering on " + admin, async () => (await fetch(`${admin}/health`)).ok);
await waitFor("registering the services", async () => {
  const r = await fetch(`${admin}/deployments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ uri: endpointUrl, force: true }) });
  return r.ok;
});
for (const [target, input] of [
  ["Orders/o1/place", 5],
  ["Counter/c1/add", 1],
] as const) {
  await waitFor(`sending ${target}`, async () => {
    const r = await fetch(`${ingress}/${target}/send`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
    return r.ok;
  });
}
process.stdout.write(
  [
    `restate-server is running (admin ${admin}, ingress ${ingress}) with two deadlocks:`,
    "  Orders/o1 place → Payments/o1 charge → Orders/o1 total (fixtures/live/src/orders.ts, payments.ts)",
    "  Counter/c1 add → Counter/c1 get (fixtures/live/src/counter.ts)",
    "In another terminal:",
    "  npx eslint-plugin-restate live --project fixtures/live            # prints both, exits 1",
    "  npx eslint-plugin-restate live --project fixtures/live --cancel   # breaks them",
    "  npx eslint-plugin-restate live --project fixtures/live            # prints none, exits 0",
    "Ctrl-C stops the server and deletes its data.",
    "",
  ].join("\n"),
);
