import path from "node:path";
import { ESLint } from "eslint";
import plugin from "../../src/index.js";
import { projectRootOf } from "../../src/project/roots.js";
import { ProjectIndex } from "../../src/project/index.js";

export interface Report {
  file: string;
  line: number;
  messageId: "certainDeadlock" | "possibleDeadlock";
  message: string;
}

export type Verdict = "certain" | "possible" | "none";

export function verdictOf(reports: Report[]): Verdict {
  if (reports.some((r) => r.messageId === "certainDeadlock")) return "certain";
  if (reports.some((r) => r.messageId === "possibleDeadlock")) return "possible";
  return "none";
}

/**
 * Lints project folders (each with its own package.json) with restate/no-deadlock, as a user
 * would without type information. Returns each folder's reports.
 */
export async function lintProjects(dirs: string[]): Promise<Map<string, Report[]>> {
  const out = new Map<string, Report[]>(dirs.map((d) => [path.resolve(d), []]));
  if (dirs.length === 0) return out;
  const cwd = commonParent(dirs.map((d) => path.resolve(d)));
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        plugins: { restate: plugin },
        languageOptions: { parser: plugin.configs.recommended.languageOptions!.parser },
        rules: { "restate/no-deadlock": "error" },
      },
    ],
  });
  try {
    const results = await eslint.lintFiles(dirs.map((d) => path.join(path.relative(cwd, path.resolve(d)) || ".", "**/*.ts")));
    for (const r of results) {
      const root = projectRootOf(r.filePath);
      const list = out.get(root);
      if (!list) continue;
      for (const m of r.messages) {
        if (m.fatal) throw new Error(`${r.filePath}:${m.line}: ${m.message}`);
        if (m.messageId !== "certainDeadlock" && m.messageId !== "possibleDeadlock") continue;
        list.push({ file: path.relative(root, r.filePath), line: m.line, messageId: m.messageId, message: m.message });
      }
    }
  } finally {
    // Each folder is linted once: drop the cached project indexes.
    ProjectIndex.reset();
  }
  for (const list of out.values()) list.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return out;
}

function commonParent(dirs: string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) {
    while (common !== path.dirname(common) && !(d === common || d.startsWith(common + path.sep))) common = path.dirname(common);
  }
  return common;
}
