import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../temp-dirs.js";
import { startServer } from "./server.js";

describe("starting the oracle's server", () => {
  const tempDir = tempDirs("restate-oracle-start-");

  it("starts a server that exits while starting again, three times in all, then gives up with the end of its log", async () => {
    const dir = tempDir();
    // A stand-in for restate-server that cannot bind its port: it says so and exits with 1.
    const starts = path.join(dir, "starts");
    const bin = path.join(dir, "exits-at-once.sh");
    writeFileSync(bin, `#!/bin/sh\necho "$RESTATE_ADMIN__BIND_ADDRESS" >> "${starts}"\necho "error: address already in use"\nexit 1\n`);
    chmodSync(bin, 0o755);
    await expect(startServer(bin, dir, "s")).rejects.toThrow(/exited with 1; see .*s\.log:\nerror: address already in use/);
    const addresses = readFileSync(starts, "utf8").trim().split("\n");
    expect(addresses).toHaveLength(3);
  });
});
