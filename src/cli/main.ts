import path from "node:path";
import { listSourceFiles, newWalkCache } from "../project/files.js";
import { indexedExtensions } from "../project/frontends.js";
import { describeResolution } from "../project/module-resolution.js";
import { projectRootOf } from "../project/roots.js";
import { plural } from "../report/text.js";
import { type GraphFormat, formatGraph } from "./graph-format.js";
import { LIVE_USAGE, live } from "./live.js";
import { type GoLoader, folderProblem, readProject } from "./project.js";

const USAGE = `Usage: eslint-plugin-restate graph [dir] [options]

Prints the Restate call graph of the project dir belongs to (default: the current folder),
TypeScript and Go: handlers as nodes (exclusive, shared, service, workflow shown differently),
waits as solid edges, sends as dashed edges (with delays), deadlock cycles in red. The project
is the one a lint of a file in dir reads: its go.work workspace or go.mod module, its nearest
package.json, or both when one contains the other.

Options:
  --format mermaid|dot|json  the output format (default: mermaid)
  --project <glob>           read the files the glob (relative to the current folder) matches
                             instead of the project's files; may be repeated
  --explain                  print on stderr the project root chosen and why, the number of
                             TypeScript and Go files read, and of calls left unresolved
  -h, --help                 print this help

A dir that is missing, is not a directory or holds no source files is an error (exit code 2,
as for a wrong command line). Source files without Restate handlers give an empty graph (exit
code 0, with a note on stderr). Go files are read with the optional package web-tree-sitter;
without it they are left out, with a note on stderr.`;

type Writer = (s: string) => void;

export type { GoLoader } from "./project.js";

export interface MainOptions {
  out?: Writer;
  err?: Writer;
  /** How Go support is loaded (tests replace it). */
  loadGo?: GoLoader;
  /** Where `live` waits between checks and snapshots (tests replace it). */
  sleep?: (ms: number) => Promise<void>;
  /** Ends `live --watch` (tests replace SIGINT). */
  stopSignal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** The command-line entry point; resolves to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const out = options.out ?? ((s: string) => process.stdout.write(s));
  const err = options.err ?? ((s: string) => process.stderr.write(s));
  const fail = (message: string, usage = false): number => {
    err(`eslint-plugin-restate: ${message}\n${usage ? `${USAGE}\n` : ""}`);
    return 2;
  };
  const [command, ...rest] = argv;
  const isHelp = (a: string) => a === "--help" || a === "-h";
  // Help wins over any other argument, so that a command line being fixed can ask for it.
  if (command !== undefined && isHelp(command)) {
    out(`${USAGE}\n\n${LIVE_USAGE}\n`);
    return 0;
  }
  if (command === "live") return live(rest, { out, err, loadGo: options.loadGo, sleep: options.sleep, stopSignal: options.stopSignal, env: options.env ?? process.env });
  if (command === "graph" && rest.some(isHelp)) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (command !== "graph") return fail(command === undefined ? "no command given" : `unknown command: ${command}`, true);
  let format: GraphFormat = "mermaid";
  let explain = false;
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
    } else if (a === "--explain") explain = true;
    else if (a.startsWith("-")) return fail(`unknown option: ${a}`, true);
    else if (dir !== undefined) return fail(`more than one dir: ${dir} and ${a}`, true);
    else dir = a;
  }
  const shown = dir ?? ".";
  const folder = path.resolve(shown);
  const problem = folderProblem(folder);
  if (problem) return fail(`${shown}: ${problem}`);
  const globs = include.length ? include : undefined;
  const { root, why, files, goFiles, goProblem, analysis } = await readProject(folder, globs, options.loadGo);
  if (goProblem) err(`eslint-plugin-restate: ${shown}: the graph leaves out ${plural(goFiles.length, "Go file")}: ${goProblem}\n`);
  // An empty graph from a wrong path or glob would look like a project without calls.
  if (files.length === 0 && goFiles.length === 0) {
    return fail(globs ? `no source files match --project ${globs.join(" ")}` : `${shown}: no source files (${[...new Set([...indexedExtensions(), ".go"])].join(" ")})`);
  }
  if (explain) {
    const go = files.filter((f) => f.endsWith(".go")).length;
    err(
      `eslint-plugin-restate: project root ${root}: ${globs ? `--project ${globs.join(" ")} (files matched by the globs)` : why}; ` +
        `${plural(files.length - go, "TypeScript/JavaScript file")}, ${plural(go, "Go file")} read; ` +
        `${plural(analysis.graph.unresolved.length, "call")} left unresolved\n`,
    );
    for (const line of describeResolution(root, files)) err(`eslint-plugin-restate: ${line}\n`);
    if (!globs) {
      const others = otherProjects(folder, root, new Set([...files, ...goFiles]));
      if (others.length > 0) err(`eslint-plugin-restate: other projects below ${shown}, to graph one by one: ${others.join(", ")}\n`);
    }
  }
  // With Go left out and nothing else to read, the note above already says why the graph is empty.
  if (analysis.graph.nodes.size === 0 && files.length > 0) err(`eslint-plugin-restate: ${shown}: no Restate handlers in ${plural(files.length, "source file")}; the graph is empty\n`);
  out(formatGraph(analysis, format));
  return 0;
}

/** The projects (with their number of files) of the source files under `folder` that the graph does not read. */
function otherProjects(folder: string, root: string, read: ReadonlySet<string>): string[] {
  const counts = new Map<string, number>();
  for (const f of listSourceFiles(folder, [folder], folder, newWalkCache(), [...new Set([...indexedExtensions(), ".go"])])) {
    const r = projectRootOf(f);
    if (r !== root && !read.has(f)) counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `${path.relative(folder, r) || "."} (${plural(n, "file")})`);
}
