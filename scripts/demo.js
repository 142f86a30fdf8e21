// Lints the bundled example system (fixtures/demo) with the plugin's recommended config,
// as a user would, and prints the findings. Run with `npm run demo` (builds first).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
// The Go entry: the whole plugin, Go included (the demo has a Go service).
import plugin from "../dist/bundle/go/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/demo");

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [plugin.configs.recommended, plugin.configs.go],
});
const results = await eslint.lintFiles(["src/**/*.ts", "go/**/*.go"]);
const formatter = await eslint.loadFormatter("stylish");
process.stdout.write(await formatter.format(results));

const byRule = new Map();
for (const r of results) for (const m of r.messages) byRule.set(m.ruleId, (byRule.get(m.ruleId) ?? 0) + 1);
console.log("Findings by rule:");
for (const [rule, n] of [...byRule].sort()) console.log(`  ${rule}: ${n}`);
if (results.some((r) => r.messages.some((m) => m.fatal))) process.exitCode = 1;
