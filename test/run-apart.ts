import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

const TSX = path.resolve(import.meta.dirname, "../node_modules/.bin/tsx");

/**
 * Runs a TypeScript `script` in a process of its own (written to `dir`), stopped after
 * `timeoutMs`: a loop that never ends then fails the test that asked, rather than stalling the
 * whole run. Returns what it printed.
 */
export function runApart(dir: string, script: string, timeoutMs: number): { stdout: string; stderr: string } {
  const file = path.join(dir, "apart.ts");
  writeFileSync(file, script);
  const run = spawnSync(TSX, [file], { encoding: "utf8", timeout: timeoutMs });
  return { stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}

/** The absolute path of a file or folder of the repository (a module for a script run apart to import). */
export function repoModule(relative: string): string {
  return path.resolve(import.meta.dirname, "..", relative);
}
