import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * `// expect: rule messageId, rule messageId` at the end of a line of one of `files`: the reports
 * that line must get, as `file:line restate/rule messageId` (file relative to `dir`), sorted.
 */
export function expectedRuleReports(dir: string, files: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const m = /\/\/ expect: (.+)$/.exec(line);
        if (!m) return;
        for (const entry of m[1]!.split(",")) {
          const [rule, messageId] = entry.trim().split(/\s+/);
          out.push(`${path.relative(dir, file)}:${i + 1} restate/${rule} ${messageId}`);
        }
      });
  }
  return out.sort();
}
