import path from "node:path";
import { ProjectIndex } from "../project/index.js";
import { type GraphFormat, formatGraph } from "./graph-format.js";

const USAGE = `Usage: eslint-plugin-restate graph [dir] [--format mermaid|dot|json] [--project <glob>]...

Prints the Restate call graph of the project in dir (default: the current folder):
handlers as nodes (exclusive, shared, service, workflow shown differently), waits as solid
edges, sends as dashed edges (with delays), deadlock cycles in red.`;

/** The command-line entry point; returns the exit code. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const [command, ...rest] = argv;
  if (command !== "graph") {
    out(`${USAGE}\n`);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  let format: GraphFormat = "mermaid";
  let dir = ".";
  const include: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--format") {
      const f = rest[++i];
      if (f !== "mermaid" && f !== "dot" && f !== "json") {
        out(`Unknown format: ${f ?? "(none)"}\n${USAGE}\n`);
        return 2;
      }
      format = f;
    } else if (a === "--project") include.push(rest[++i] ?? "");
    else if (a === "--help" || a === "-h") {
      out(`${USAGE}\n`);
      return 0;
    } else dir = a;
  }
  const root = path.resolve(dir);
  const index = ProjectIndex.for({ root, include: include.length ? include : undefined, base: process.cwd(), refreshMs: 0 });
  index.refresh(true);
  out(formatGraph(index.analyse(), format));
  return 0;
}
