import { statSync } from "node:fs";
import path from "node:path";
import { listSourceFiles } from "../project/files.js";
import { indexedExtensions } from "../project/frontends.js";
import { ProjectIndex } from "../project/index.js";
import { type GraphFormat, formatGraph } from "./graph-format.js";

const USAGE = `Usage: eslint-plugin-restate graph [dir] [options]

Prints the Restate call graph of the project in dir (default: the current folder):
handlers as nodes (exclusive, shared, service, workflow shown differently), waits as solid
edges, sends as dashed edges (with delays), deadlock cycles in red.

Options:
  --format mermaid|dot|json  the output format (default: mermaid)
  --project <glob>           read the files the glob (relative to the current folder) matches
                             instead of every source file under dir; may be repeated
  -h, --help                 print this help

A dir that is missing, is not a directory or holds no source files is an error (exit code 2,
as for a wrong command line). Source files without Restate handlers give an empty graph (exit
code 0, with a note on stderr).`;

type Writer = (s: string) => void;

/** The command-line entry point; returns the exit code. */
export function main(argv: string[], out: Writer = (s) => process.stdout.write(s), err: Writer = (s) => process.stderr.write(s)): number {
  const fail = (message: string, usage = false): number => {
    err(`eslint-plugin-restate: ${message}\n${usage ? `${USAGE}\n` : ""}`);
    return 2;
  };
  const [command, ...rest] = argv;
  const isHelp = (a: string) => a === "--help" || a === "-h";
  // Help wins over any other argument, so that a command line being fixed can ask for it.
  if ((command !== undefined && isHelp(command)) || (command === "graph" && rest.some(isHelp))) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (command !== "graph") return fail(command === undefined ? "no command given" : `unknown command: ${command}`, true);
  let format: GraphFormat = "mermaid";
  let dir: string | undefined;
  const include: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--format" || a === "--project") {
      const value = rest[++i];
      // An option where the value should be means the value was left out (`--project --format dot`).
      if (value === undefined || value.startsWith("-")) return fail(`${a} needs a value`, true);
      if (a === "--project") include.push(value);
      else if (value === "mermaid" || value === "dot" || value === "json") format = value;
      else return fail(`unknown format: ${value}`, true);
    } else if (a.startsWith("-")) return fail(`unknown option: ${a}`, true);
    else if (dir !== undefined) return fail(`more than one dir: ${dir} and ${a}`, true);
    else dir = a;
  }
  const shown = dir ?? ".";
  const root = path.resolve(shown);
  const problem = folderProblem(root);
  if (problem) return fail(`${shown}: ${problem}`);
  const globs = include.length ? include : undefined;
  // An empty graph from a wrong path or glob would look like a project without calls.
  const files = listSourceFiles(root, globs, process.cwd());
  if (files.length === 0) {
    return fail(globs ? `no source files match --project ${globs.join(" ")}` : `${shown}: no source files (${indexedExtensions().join(" ")})`);
  }
  const index = ProjectIndex.for({ root, include: globs, base: process.cwd(), refreshMs: 0 });
  index.refresh(true);
  const analysis = index.analyse();
  if (analysis.graph.nodes.size === 0) err(`eslint-plugin-restate: ${shown}: no Restate handlers in ${files.length} source file${files.length === 1 ? "" : "s"}; the graph is empty\n`);
  out(formatGraph(analysis, format));
  return 0;
}

function folderProblem(folder: string): string | null {
  try {
    return statSync(folder).isDirectory() ? null : "not a directory";
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? "no such directory" : (e as Error).message;
  }
}
