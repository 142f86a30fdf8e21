import { readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import plugin from "../src/index.js";

/**
 * ESLint with `restate/no-deadlock` alone on a project's TypeScript files, with or without type
 * information (`projectService` from the project's own tsconfig files), and `settings.restate`.
 */
export function deadlockEslint(cwd: string, options: { typed?: boolean; settings?: Record<string, unknown> } = {}): ESLint {
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        plugins: { restate: plugin },
        languageOptions: {
          parser: plugin.configs.recommended.languageOptions!.parser,
          parserOptions: options.typed ? { projectService: true, tsconfigRootDir: cwd } : {},
        },
        ...(options.settings ? { settings: { restate: options.settings } } : {}),
        rules: { "restate/no-deadlock": "error" },
      },
    ],
  });
}

/** Each report as `file:line messageId` (file relative to `dir`), sorted, and the messages; a fatal parse error fails. */
export async function deadlockReports(eslint: ESLint, dir: string, patterns: string[]): Promise<{ reports: string[]; messages: string[]; fatal: string[] }> {
  const results = await eslint.lintFiles(patterns);
  const reports: string[] = [];
  const messages: string[] = [];
  const fatal: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      if (m.fatal) fatal.push(`${r.filePath}: ${m.message}`);
      reports.push(`${path.relative(dir, r.filePath)}:${m.line} ${m.messageId}`);
      messages.push(m.message);
    }
  }
  return { reports: reports.sort(), messages, fatal };
}

/** `// expect: certainDeadlock` at the end of a line of one of `files`: the reports that line must get. */
export function expectedReports(dir: string, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const m = /\/\/ expect: (\w+)/.exec(line);
        if (m) out.push(`${path.relative(dir, file)}:${i + 1} ${m[1]}`);
      });
  }
  return out.sort();
}
